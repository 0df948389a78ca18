// The built-in page: a chat client of this server's own /v1/chat/completions (streamed, parsed from SSE by hand)
// and a status view (/status, /acore/prompt_cache/*). Plain modern JavaScript, no dependencies, no build step.
"use strict";

(() => {
  const $ = id => document.getElementById(id);
  const store = {
    get(name, fallback) {
      try {
        const value = localStorage.getItem("acore.webui." + name);
        return value === null ? fallback : JSON.parse(value);
      } catch {
        return fallback;
      }
    },
    set(name, value) {
      try {
        localStorage.setItem("acore.webui." + name, JSON.stringify(value));
      } catch {
        // Storage full or disabled: the page still works, it just forgets on reload.
      }
    },
    remove(name) {
      localStorage.removeItem("acore.webui." + name);
    },
  };

  // ---- Where the API is -------------------------------------------------------------------------------------
  // The page may sit at "/", "/ui" or behind a proxy prefix ("/llm/ui"); the API lives beside it.
  function defaultBase() {
    const path = location.pathname.replace(/\/ui\/?$/, "/").replace(/[^/]*$/, "");
    return location.origin + path;
  }

  function apiBase() {
    const custom = (store.get("settings", {}).baseUrl || "").trim();
    if (!custom) {
      return defaultBase();
    }
    return custom.endsWith("/") ? custom : custom + "/";
  }

  function apiUrl(path) {
    return apiBase() + path.replace(/^\//, "");
  }

  function headers(json) {
    const result = {};
    if (json) {
      result["Content-Type"] = "application/json";
    }
    const key = store.get("apiKey", "");
    if (key) {
      result["Authorization"] = "Bearer " + key;
    }
    return result;
  }

  // ---- A small modal question (API key, new cache key) ------------------------------------------------------
  function ask(title, { secret = false, value = "" } = {}) {
    const dialog = $("ask");
    $("ask-title").textContent = title;
    const input = $("ask-input");
    input.type = secret ? "password" : "text";
    input.value = value;
    return new Promise(resolve => {
      dialog.addEventListener("close", () => {
        resolve(dialog.returnValue === "ok" && input.value.trim() ? input.value.trim() : null);
      }, { once: true });
      dialog.returnValue = "";
      dialog.showModal();
      input.focus();
    });
  }

  // Sends a request; on 401 asks for an API key once (unless it is a background poll), keeps it, and tries again.
  async function request(path, { method = "GET", body, signal, interactive = true } = {}) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(apiUrl(path), {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      if (response.status !== 401 || attempt > 0 || !interactive) {
        return response;
      }
      const key = await ask("This server wants an API key. It is kept in this browser only.", { secret: true });
      if (!key) {
        return response;
      }
      store.set("apiKey", key);
    }
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return (body.error && (body.error.message || body.error)) || body.detail || JSON.stringify(body);
    } catch {
      return response.status + " " + response.statusText;
    }
  }

  // ---- Conversations (kept in localStorage) ----------------------------------------------------------------
  let conversations = store.get("conversations", []);
  let current = store.get("current", null);
  let busy = null; // { controller, reply } while a reply streams
  let modelId = ""; // from /status; an empty model is accepted too

  function saveConversations() {
    // Element references stay out of storage.
    store.set("conversations", conversations.map(c => ({ ...c, messages: c.messages.map(({ element, ...rest }) => rest) })));
    store.set("current", current);
  }

  function conversation() {
    return conversations.find(c => c.id === current) || null;
  }

  function newConversation() {
    const c = { id: Date.now().toString(36) + Math.random().toString(36).slice(2, 7), title: "New chat", messages: [] };
    conversations.unshift(c);
    current = c.id;
    saveConversations();
    return c;
  }

  function renderConversationList() {
    const list = $("conversations");
    list.replaceChildren();
    for (const c of conversations) {
      const item = document.createElement("li");
      item.className = c.id === current ? "active" : "";
      const title = document.createElement("span");
      title.textContent = c.title;
      title.className = "title";
      item.append(title);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "icon";
      remove.title = "Delete this conversation";
      remove.textContent = "×";
      remove.addEventListener("click", event => {
        event.stopPropagation();
        if (busy) {
          return;
        }
        conversations = conversations.filter(x => x.id !== c.id);
        if (current === c.id) {
          current = conversations.length ? conversations[0].id : null;
        }
        saveConversations();
        renderAll();
      });
      item.append(remove);
      item.addEventListener("click", () => {
        if (!busy) {
          current = c.id;
          saveConversations();
          renderAll();
        }
      });
      list.append(item);
    }
  }

  // ---- Messages --------------------------------------------------------------------------------------------
  function number(value, digits = 0) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function messageElement(message) {
    const element = document.createElement("div");
    element.className = "message " + message.role;
    if (message.role === "assistant") {
      element.dataset.testid = "assistant-message";
    } else {
      element.dataset.testid = "user-message";
    }
    updateMessageElement(element, message);
    return element;
  }

  function updateMessageElement(element, message) {
    element.replaceChildren();
    if (message.role === "user") {
      const body = document.createElement("div");
      body.className = "body plain";
      body.textContent = message.content;
      element.append(body);
      return;
    }

    if (message.reasoning) {
      const details = document.createElement("details");
      details.className = "reasoning";
      details.dataset.testid = "reasoning";
      details.open = !!message.reasoningOpen;
      details.addEventListener("toggle", () => { message.reasoningOpen = details.open; });
      const summary = document.createElement("summary");
      summary.textContent = message.content || !message.streaming ? "Reasoning" : "Reasoning…";
      const body = document.createElement("div");
      body.className = "body";
      body.innerHTML = Markdown.render(message.reasoning);
      details.append(summary, body);
      element.append(details);
    }

    const body = document.createElement("div");
    body.className = "body markdown";
    body.dataset.testid = "assistant-content";
    body.innerHTML = Markdown.render(message.content || "");
    for (const pre of body.querySelectorAll("pre.code")) {
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy";
      copy.textContent = "Copy";
      copy.addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(pre.innerText.replace(/\nCopy$/, "")));
      pre.append(copy);
    }
    element.append(body);

    for (const call of message.toolCalls || []) {
      const box = document.createElement("div");
      box.className = "tool-call";
      box.dataset.testid = "tool-call";
      const name = document.createElement("div");
      name.className = "tool-name";
      name.textContent = "Tool call: " + (call.function.name || "?");
      const args = document.createElement("pre");
      let text = call.function.arguments || "";
      try {
        text = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Still streaming or not JSON: show it as it came.
      }
      args.textContent = text;
      box.append(name, args);
      element.append(box);
    }

    if (message.error) {
      const error = document.createElement("div");
      error.className = "error";
      error.dataset.testid = "error";
      error.textContent = message.error;
      element.append(error);
    }

    const stats = document.createElement("div");
    stats.className = "stats";
    const s = message.stats || {};
    const parts = [];
    const figure = (label, value, testid, title) => {
      const span = document.createElement("span");
      span.className = "figure";
      if (title) {
        span.title = title;
      }
      const v = document.createElement("b");
      v.dataset.testid = testid;
      v.textContent = value;
      span.append(v, " " + label);
      parts.push(span);
    };
    if (message.streaming) {
      const dot = document.createElement("span");
      dot.className = "pulse";
      parts.push(dot);
    }
    if (s.ttftMs !== undefined) {
      figure("ms to first token", number(s.ttftMs), "ttft", "Time from sending to the first streamed token");
    }
    if (s.tokensPerSecond !== undefined) {
      figure("tokens/s", number(s.tokensPerSecond, 1), "tokens-per-second", "Generated tokens per second after the first token");
    }
    if (s.promptTokens !== undefined) {
      figure("prompt", number(s.promptTokens), "prompt-tokens");
      figure("cached", number(s.cachedTokens || 0), "cached-tokens", "Prompt tokens reused from the KV cache");
    }
    if (s.generatedTokens !== undefined) {
      figure("generated", number(s.generatedTokens), "generated-tokens");
    } else if (s.piecesSeen && !message.streaming) {
      // Stopped before the usage chunk: the streamed pieces are the count (about one token each).
      figure("generated", "≈" + number(s.piecesSeen), "generated-tokens", "Counted from the streamed pieces");
    }
    if (message.finish) {
      const finish = document.createElement("span");
      finish.className = "finish";
      finish.dataset.testid = "finish-reason";
      finish.textContent = message.finish;
      parts.push(finish);
    }
    stats.append(...parts);
    element.append(stats);
  }

  function renderMessages() {
    const box = $("messages");
    box.replaceChildren();
    const c = conversation();
    if (!c || c.messages.length === 0) {
      const hint = document.createElement("div");
      hint.className = "empty";
      hint.textContent = "Say something to the model. Replies stream in; Stop cancels one.";
      box.append(hint);
      return;
    }
    for (const message of c.messages) {
      message.element = messageElement(message);
      box.append(message.element);
    }
    box.scrollTop = box.scrollHeight;
  }

  function renderAll() {
    renderConversationList();
    renderMessages();
  }

  // ---- Settings ------------------------------------------------------------------------------------------
  const settingsFields = {
    systemPrompt: $("system-prompt"),
    temperature: $("temperature"),
    maxTokens: $("max-tokens"),
    extraJson: $("extra-json"),
    baseUrl: $("base-url"),
  };

  function loadSettings() {
    const settings = store.get("settings", {});
    for (const [name, field] of Object.entries(settingsFields)) {
      field.value = settings[name] ?? "";
      field.addEventListener("change", saveSettings);
    }
  }

  function saveSettings() {
    const settings = {};
    for (const [name, field] of Object.entries(settingsFields)) {
      settings[name] = field.value;
    }
    store.set("settings", settings);
    $("settings-error").textContent = "";
  }

  // The request body: conversation so far, the sampling settings, and any extra fields the user typed.
  function buildRequest(c) {
    const settings = store.get("settings", {});
    const messages = [];
    if ((settings.systemPrompt || "").trim()) {
      messages.push({ role: "system", content: settings.systemPrompt });
    }
    for (const m of c.messages) {
      if (m.streaming) {
        continue;
      }
      if (m.role === "user" || (m.role === "assistant" && m.content)) {
        messages.push({ role: m.role, content: m.content });
      }
    }
    const body = { model: modelId || "", messages, stream: true, stream_options: { include_usage: true } };
    if (settings.temperature !== undefined && settings.temperature !== "") {
      body.temperature = Number(settings.temperature);
    }
    if (settings.maxTokens !== undefined && settings.maxTokens !== "") {
      body.max_tokens = Number(settings.maxTokens);
    }
    if ((settings.extraJson || "").trim()) {
      const extra = JSON.parse(settings.extraJson); // a syntax error is reported by the caller
      Object.assign(body, extra);
    }
    return body;
  }

  // ---- Streaming -----------------------------------------------------------------------------------------
  // Reads "data: {...}" events from a text/event-stream body, one JSON chunk per event, until [DONE].
  async function* serverSentEvents(response, signal) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).replace(/^ /, "")).join("\n");
          if (!data) {
            continue;
          }
          if (data === "[DONE]") {
            return;
          }
          yield JSON.parse(data);
        }
      }
    } finally {
      if (signal.aborted) {
        reader.cancel().catch(() => {});
      }
    }
  }

  function applyChunk(reply, chunk, clock) {
    if (chunk.error) {
      reply.error = chunk.error.message || JSON.stringify(chunk.error);
      return;
    }
    for (const choice of chunk.choices || []) {
      const delta = choice.delta || {};
      const got = (delta.content || "") + (delta.reasoning_content || "");
      if ((got || delta.tool_calls) && clock.first === undefined) {
        clock.first = performance.now();
        reply.stats.ttftMs = clock.first - clock.start;
      }
      if (delta.content) {
        reply.content += delta.content;
        clock.pieces++;
      }
      if (delta.reasoning_content) {
        reply.reasoning = (reply.reasoning || "") + delta.reasoning_content;
        clock.pieces++;
      }
      for (const call of delta.tool_calls || []) {
        reply.toolCalls = reply.toolCalls || [];
        const index = call.index ?? reply.toolCalls.length;
        const target = reply.toolCalls[index] || (reply.toolCalls[index] = { id: call.id, function: { name: "", arguments: "" } });
        if (call.function && call.function.name) {
          target.function.name += call.function.name;
        }
        if (call.function && call.function.arguments) {
          target.function.arguments += call.function.arguments;
        }
        clock.pieces++;
      }
      if (choice.finish_reason) {
        reply.finish = choice.finish_reason;
      }
    }
    if (chunk.usage) {
      reply.stats.promptTokens = chunk.usage.prompt_tokens;
      reply.stats.cachedTokens = chunk.usage.prompt_tokens_details ? chunk.usage.prompt_tokens_details.cached_tokens : 0;
      reply.stats.generatedTokens = chunk.usage.completion_tokens;
    }
    clock.last = performance.now();
    updateSpeed(reply, clock);
  }

  // Tokens per second over the generation phase (first token to the latest one): usage gives the exact count at
  // the end; while streaming, each content piece counts as one token. Output the server holds back and sends in a
  // few pieces (a tool call is parsed before it is sent) is timed from the request instead, or the figure would
  // count tokens generated before the first piece arrived.
  function updateSpeed(reply, clock) {
    if (clock.first === undefined) {
      return;
    }
    const tokens = reply.stats.generatedTokens ?? clock.pieces;
    const evenly = clock.pieces * 2 >= tokens;
    const seconds = ((clock.last ?? performance.now()) - (evenly ? clock.first : clock.start)) / 1000;
    if (tokens > 1 && seconds > 0) {
      // From the first token on, that token itself is not part of the interval.
      reply.stats.tokensPerSecond = (evenly ? tokens - 1 : tokens) / seconds;
    } else if (tokens >= 1) {
      reply.stats.tokensPerSecond = tokens / Math.max(seconds, (clock.first - clock.start) / 1000, 0.001);
    }
  }

  // A fast server delivers chunks faster than frames: reads that find data already buffered resolve as
  // microtasks, so a loop that only asked for an animation frame would starve it (and the Stop button) until the
  // stream ended. So at most every paintIntervalMs the reply is drawn right away and the loop yields one task turn,
  // letting clicks and frames through; in between, one frame is requested.
  const paintIntervalMs = 100;
  let pendingPaint = null;
  let lastPaint = 0;
  function drawReply(reply) {
    updateMessageElement(reply.element, reply);
    const box = $("messages");
    if (box.scrollHeight - box.scrollTop - box.clientHeight < 120) {
      box.scrollTop = box.scrollHeight;
    }
  }

  async function paint(reply) {
    const now = performance.now();
    if (now - lastPaint >= paintIntervalMs) {
      if (pendingPaint) {
        cancelAnimationFrame(pendingPaint);
        pendingPaint = null;
      }
      lastPaint = now;
      drawReply(reply);
      await new Promise(resolve => setTimeout(resolve, 0));
      return;
    }
    if (!pendingPaint) {
      pendingPaint = requestAnimationFrame(() => {
        pendingPaint = null;
        lastPaint = performance.now();
        drawReply(reply);
      });
    }
  }

  async function send() {
    const text = $("prompt").value;
    if (busy || !text.trim()) {
      return;
    }
    saveSettings();
    const c = conversation() || newConversation();
    const user = { role: "user", content: text };
    c.messages.push(user);
    if (c.title === "New chat") {
      c.title = text.trim().slice(0, 40);
    }
    let body;
    try {
      body = buildRequest(c);
    } catch (error) {
      c.messages.pop();
      $("settings-error").textContent = "Extra request fields: " + error.message;
      return;
    }
    $("prompt").value = "";
    const reply = { role: "assistant", content: "", streaming: true, stats: {} };
    c.messages.push(reply);
    saveConversations();
    renderAll();

    const controller = new AbortController();
    busy = { controller, reply };
    setBusy(true);
    const clock = { start: performance.now(), pieces: 0 };
    try {
      const response = await request("v1/chat/completions", { method: "POST", body, signal: controller.signal });
      if (!response.ok) {
        reply.error = "The server answered " + response.status + ": " + await errorText(response);
      } else {
        for await (const chunk of serverSentEvents(response, controller.signal)) {
          applyChunk(reply, chunk, clock);
          await paint(reply);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) {
        reply.finish = "stopped";
      } else {
        reply.error = "The request failed: " + error.message;
      }
    } finally {
      clock.last = clock.last ?? performance.now();
      updateSpeed(reply, clock);
      reply.stats.piecesSeen = clock.pieces;
      reply.streaming = false;
      busy = null;
      setBusy(false);
      if (pendingPaint) {
        cancelAnimationFrame(pendingPaint);
        pendingPaint = null;
      }
      updateMessageElement(reply.element, reply);
      saveConversations();
    }
  }

  function stop() {
    if (busy) {
      busy.controller.abort();
    }
  }

  function setBusy(on) {
    $("send").hidden = on;
    $("stop").hidden = !on;
    $("send").disabled = on;
  }

  // ---- Status view ---------------------------------------------------------------------------------------
  const samples = []; // { t: ms, total: generated tokens } from /status, newest last
  const windowMs = 5 * 60 * 1000;

  async function pollStatus() {
    try {
      const response = await request("status", { interactive: false });
      if (!response.ok) {
        throw new Error(await errorText(response));
      }
      const status = await response.json();
      modelId = status.model;
      $("model-id").textContent = status.model + (status.status === "ready" ? "" : " (" + status.status + ")");
      samples.push({ t: status.time_ms, total: status.generated_tokens_total });
      while (samples.length && samples[0].t < status.time_ms - windowMs) {
        samples.shift();
      }
      if (statusVisible()) {
        renderStatus(status);
      }
      $("status-error").textContent = "";
    } catch (error) {
      if (statusVisible()) {
        $("status-error").textContent = "Status unavailable: " + error.message;
      }
    }
  }

  function fact(list, name, value) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h ? h + " h " : "") + (h || m ? m + " min " : "") + s + " s";
  }

  function renderStatus(status) {
    const facts = $("model-facts");
    facts.replaceChildren();
    fact(facts, "Model", status.model);
    fact(facts, "State", status.status + (status.error ? ": " + status.error : ""));
    fact(facts, "Context", status.context_size ? number(status.context_size) + " tokens (shared by all slots)" : "—");
    fact(facts, "Slots", String(status.slots_total));
    fact(facts, "Generated", number(status.generated_tokens_total) + " tokens since start");
    fact(facts, "Up", duration(status.uptime_s));
    fact(facts, "API", apiBase());

    $("queue-depth").textContent = status.queue_depth + " waiting for a slot";
    const body = $("slots-body");
    body.replaceChildren();
    for (const slot of status.slots) {
      const row = document.createElement("tr");
      row.dataset.testid = "slot-row";
      row.dataset.state = slot.state;
      for (const value of [slot.id, slot.state, slot.prompt_tokens, slot.cached_tokens, slot.generated_tokens]) {
        const cell = document.createElement("td");
        if (value === slot.state) {
          const badge = document.createElement("span");
          badge.className = "badge " + slot.state;
          badge.textContent = slot.state;
          cell.append(badge);
        } else {
          cell.textContent = typeof value === "number" ? number(value) : value;
        }
        row.append(cell);
      }
      body.append(row);
    }
    drawChart();
  }

  // Tokens per second between consecutive samples, drawn over the last five minutes.
  function drawChart() {
    const canvas = $("tps-chart");
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 560, height = canvas.clientHeight || 180;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const dt = (samples[i].t - samples[i - 1].t) / 1000;
      if (dt > 0) {
        rates.push({ t: samples[i].t, v: Math.max(0, samples[i].total - samples[i - 1].total) / dt });
      }
    }
    const now = samples.length ? samples[samples.length - 1].t : Date.now();
    const max = Math.max(10, ...rates.map(r => r.v)) * 1.15;
    const left = 44, bottom = height - 18, top = 8, right = width - 8;
    const style = getComputedStyle(document.body);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = style.getPropertyValue("--muted") || "#888";
    g.strokeStyle = style.getPropertyValue("--line") || "#ddd";
    g.lineWidth = 1;
    for (let k = 0; k <= 4; k++) {
      const y = bottom - (bottom - top) * k / 4;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(right, y);
      g.stroke();
      g.fillText(number(max * k / 4), 4, y + 4);
    }
    g.fillText("-5 min", left, height - 4);
    g.fillText("now", right - 22, height - 4);
    const x = t => right - (now - t) / windowMs * (right - left);
    const y = v => bottom - v / max * (bottom - top);
    if (rates.length) {
      g.beginPath();
      g.moveTo(x(rates[0].t), bottom);
      for (const r of rates) {
        g.lineTo(x(r.t), y(r.v));
      }
      g.lineTo(x(rates[rates.length - 1].t), bottom);
      g.closePath();
      g.fillStyle = "rgba(59, 130, 246, 0.18)";
      g.fill();
      g.beginPath();
      rates.forEach((r, i) => (i ? g.lineTo(x(r.t), y(r.v)) : g.moveTo(x(r.t), y(r.v))));
      g.strokeStyle = "#3b82f6";
      g.lineWidth = 2;
      g.stroke();
    }
    const latest = rates.length ? rates[rates.length - 1].v : 0;
    $("tps-now").textContent = number(latest, 1) + " tokens/s now";
  }

  async function pollCaches() {
    try {
      const response = await request("acore/prompt_cache/stats", { interactive: false });
      if (!response.ok) {
        throw new Error(await errorText(response));
      }
      const body = await response.json();
      renderCaches(body.stats || {});
    } catch (error) {
      $("status-error").textContent = "Prompt caches unavailable: " + error.message;
    }
  }

  function renderCaches(stats) {
    const keys = (stats.keys || []).slice().reverse(); // newest first
    $("cache-summary").textContent = (stats.entries ?? keys.length) + " of " + (stats.max_entries ?? "?")
      + (stats.default_key ? " · default: " + stats.default_key : "");
    const body = $("caches-body");
    body.replaceChildren();
    if (!keys.length) {
      const row = document.createElement("tr");
      const cell = document.createElement("td");
      cell.colSpan = 7;
      cell.className = "muted";
      cell.textContent = "No named caches. Create one with POST /acore/prompt_cache/set or /update.";
      row.append(cell);
      body.append(row);
    }
    for (const key of keys) {
      const meta = (stats.meta_by_key || {})[key] || {};
      const row = document.createElement("tr");
      row.dataset.testid = "cache-row";
      row.dataset.key = key;
      const lastUsed = meta.last_used_at ? new Date(meta.last_used_at * 1000).toLocaleTimeString() : "—";
      const values = [key, number(meta.token_count ?? 0), meta.location || "—", number(meta.hits ?? 0), meta.forked_from || "—", lastUsed];
      values.forEach((value, i) => {
        const cell = document.createElement("td");
        cell.textContent = value;
        if (i === 0) {
          cell.className = "key";
          if (key === stats.default_key) {
            cell.title = "The default cache";
            cell.textContent = value + " ★";
          }
        }
        row.append(cell);
      });
      const actions = document.createElement("td");
      actions.className = "actions";
      const fork = document.createElement("button");
      fork.type = "button";
      fork.textContent = "Fork";
      fork.dataset.testid = "cache-fork";
      fork.addEventListener("click", () => forkCache(key));
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "danger";
      clear.textContent = "Clear";
      clear.dataset.testid = "cache-clear";
      clear.addEventListener("click", () => clearCache(key));
      actions.append(fork, clear);
      row.append(actions);
      body.append(row);
    }
  }

  async function cacheCall(path, body) {
    const response = await request(path, { method: "POST", body });
    const reply = response.ok ? await response.json() : null;
    if (!reply || !reply.ok) {
      $("status-error").textContent = path + " failed: " + (reply ? JSON.stringify(reply) : await errorText(response));
    }
    await pollCaches();
  }

  async function forkCache(key) {
    const target = await ask("Fork “" + key + "” into a new cache named:", { value: key + "-fork" });
    if (target) {
      await cacheCall("acore/prompt_cache/fork", { from_key: key, to_key: target });
    }
  }

  async function clearCache(key) {
    await cacheCall("acore/prompt_cache/clear", { key });
  }

  // ---- Views ---------------------------------------------------------------------------------------------
  function statusVisible() {
    return $("view-status").classList.contains("active");
  }

  function show(view) {
    for (const tab of document.querySelectorAll(".tab")) {
      tab.classList.toggle("active", tab.dataset.view === view);
    }
    for (const section of document.querySelectorAll(".view")) {
      section.classList.toggle("active", section.id === "view-" + view);
    }
    if (view === "status") {
      pollStatus();
      pollCaches();
    }
    history.replaceState(null, "", view === "status" ? "#status" : "#chat");
  }

  // ---- Wiring --------------------------------------------------------------------------------------------
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => show(tab.dataset.view));
  }
  $("composer").addEventListener("submit", event => {
    event.preventDefault();
    send();
  });
  $("prompt").addEventListener("keydown", event => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  $("stop").addEventListener("click", stop);
  $("new-chat").addEventListener("click", () => {
    if (!busy) {
      newConversation();
      renderAll();
      $("prompt").focus();
    }
  });
  $("forget-key").addEventListener("click", () => {
    store.remove("apiKey");
    $("settings-error").textContent = "API key forgotten.";
  });

  loadSettings();
  if (!conversation()) {
    current = conversations.length ? conversations[0].id : null;
  }
  renderAll();
  show(location.hash === "#status" ? "status" : "chat");
  pollStatus();
  // Samples are taken all the time so the chart has history when the status view opens.
  setInterval(pollStatus, 1000);
  setInterval(() => statusVisible() && pollCaches(), 3000);
  $("prompt").focus();
  // For the page's browser tests and for curious people at the console: the throughput samples behind the chart.
  window.__webui = { samples };
})();
