// A small Markdown renderer for model replies: paragraphs, headings, fenced code blocks, inline code, lists,
// block quotes, emphasis and links. Everything is HTML-escaped before any markup is added, so a reply can never
// inject HTML; links keep only http(s), mailto and relative targets. It tolerates half-written input (an open code
// fence while a reply is still streaming renders as a code block).
"use strict";

const Markdown = (() => {
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function safeUrl(escapedUrl) {
    const url = escapedUrl.trim();
    return /^(https?:\/\/|mailto:|\/|#|\.\/)/i.test(url) ? url : null;
  }

  // Inline markup on one escaped line: code spans are set aside first so nothing inside them is touched.
  function inline(raw) {
    const codes = [];
    let text = escapeHtml(raw).replace(/`([^`]+)`/g, (_, code) => {
      codes.push("<code>" + code + "</code>");
      return "\u0000" + (codes.length - 1) + "\u0000";
    });
    text = text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) => {
      const target = safeUrl(url);
      return target === null ? whole
        : '<a href="' + target + '" target="_blank" rel="noopener noreferrer">' + label + "</a>";
    });
    text = text.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^\w])__([^_]+)__(?=[^\w]|$)/g, "$1<strong>$2</strong>")
      .replace(/\*([^*\s][^*]*)\*/g, "<em>$1</em>")
      .replace(/(^|[^\w])_([^_\s][^_]*)_(?=[^\w]|$)/g, "$1<em>$2</em>");
    return text.replace(/\u0000(\d+)\u0000/g, (_, i) => codes[Number(i)]);
  }

  const fence = /^\s*(```|~~~)\s*([\w+.#-]*)\s*$/;
  const heading = /^(#{1,6})\s+(.*)$/;
  const bullet = /^\s*[-*+]\s+(.*)$/;
  const numbered = /^\s*\d+[.)]\s+(.*)$/;
  const quote = /^\s*>\s?(.*)$/;
  const rule = /^\s*([-*_])(\s*\1){2,}\s*$/;

  function render(source) {
    const lines = String(source).replace(/\r\n?/g, "\n").split("\n");
    const out = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if ((m = fence.exec(line))) {
        const body = [];
        i++;
        while (i < lines.length && !new RegExp("^\\s*" + m[1] + "\\s*$").test(lines[i])) {
          body.push(lines[i]);
          i++;
        }
        i++; // the closing fence (or the end of a reply still streaming)
        const lang = m[2] ? ' data-lang="' + escapeHtml(m[2]) + '"' : "";
        out.push('<pre class="code"' + lang + "><code>" + escapeHtml(body.join("\n")) + "</code></pre>");
      } else if (line.trim() === "") {
        i++;
      } else if (rule.test(line)) {
        out.push("<hr>");
        i++;
      } else if ((m = heading.exec(line))) {
        const level = m[1].length;
        out.push("<h" + level + ">" + inline(m[2]) + "</h" + level + ">");
        i++;
      } else if (quote.test(line)) {
        const body = [];
        while (i < lines.length && (m = quote.exec(lines[i]))) {
          body.push(m[1]);
          i++;
        }
        out.push("<blockquote>" + render(body.join("\n")) + "</blockquote>");
      } else if (bullet.test(line) || numbered.test(line)) {
        const ordered = !bullet.test(line);
        const pattern = ordered ? numbered : bullet;
        const items = [];
        while (i < lines.length) {
          if ((m = pattern.exec(lines[i]))) {
            items.push(m[1]);
          } else if (items.length && /^\s{2,}\S/.test(lines[i])) {
            items[items.length - 1] += " " + lines[i].trim(); // a continuation line of the item above
          } else {
            break;
          }
          i++;
        }
        const tag = ordered ? "ol" : "ul";
        out.push("<" + tag + ">" + items.map(item => "<li>" + inline(item) + "</li>").join("") + "</" + tag + ">");
      } else {
        const body = [];
        while (i < lines.length && lines[i].trim() !== "" && !fence.test(lines[i]) && !heading.test(lines[i])
          && !bullet.test(lines[i]) && !numbered.test(lines[i]) && !quote.test(lines[i]) && !rule.test(lines[i])) {
          body.push(inline(lines[i]));
          i++;
        }
        out.push("<p>" + body.join("<br>") + "</p>");
      }
    }
    return out.join("\n");
  }

  return { render, escapeHtml };
})();
