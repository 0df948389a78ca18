#!/usr/bin/env python3
"""Reference vectors for AbstractEndpoint.PromptCaching, computed by CPython itself.

The prompt-cache keys of AbstractCore's newest contract (shared/docs/upstream-endpoint-2026.md, sections 4
and 5: 32-hex-character keys, the new message normalisation, an invalid module failing the whole call) are
reproduced below from their documented semantics, then evaluated on inputs given as raw JSON text, exactly as
the original receives them (FastAPI parses request bodies with json.loads). The C# tests parse the same text
and must produce byte-identical output. The thinking fold is ours (documented in docs/prompt-cache.md), not
upstream's: a set `thinking` changes the chain's seed.

Regenerate with:  python3 generate_python_vectors.py > python_vectors.json
"""

import hashlib
import json
import random
import struct
import sys


# ---------------------------------------------------------------- the original's semantics, restated

MODULE_FIELDS = {"module_id", "system_prompt", "prompt", "messages", "tools",
                 "add_generation_prompt", "scope", "meta"}


def canonical(obj):
    # The original hashes exactly this serialisation.
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def construct_module(d):
    """What `PromptCacheModule(**d)` accepts: keyword construction of a frozen dataclass whose only
    required field is module_id; `normalized()` then calls dict(meta or {}), which can raise too.
    Returns (module, None), or (None, reason) where construction or normalisation raises: the whole
    prepare_modules call then fails with prompt_cache_invalid_module."""
    if not isinstance(d, dict):
        return None, "not an object"
    for k in d:
        if k not in MODULE_FIELDS:
            return None, "unknown field '%s'" % k
    if "module_id" not in d:
        return None, "module_id is required"
    fields = {
        "module_id": d["module_id"],
        "system_prompt": d.get("system_prompt"),
        "prompt": d.get("prompt"),
        "messages": d.get("messages"),
        "tools": d.get("tools"),
        "add_generation_prompt": d.get("add_generation_prompt", False),
        "scope": d.get("scope", "private"),
        "meta": d.get("meta", {}),
    }
    try:
        dict(fields["meta"] or {})
    except Exception:
        return None, "meta must be a mapping"
    mod = normalize(fields)
    if not mod["module_id"]:
        return None, "module_id must not be blank"
    return mod, None


def _text(value):
    return value.strip() if isinstance(value, str) and value else None


def _dicts(value):
    if not (isinstance(value, list) and value):
        return None
    kept = [dict(item) for item in value if isinstance(item, dict)]
    return kept or None


MESSAGE_EXTRAS = ("name", "tool_call_id", "tool_calls", "function_call")


def _messages(value):
    # New: only role (trimmed, lowercased; empty drops the message), content (verbatim or null) and the
    # four extras when present are kept.
    if not (isinstance(value, list) and value):
        return None
    kept = []
    for item in value:
        if not isinstance(item, dict):
            continue
        role = str(item.get("role") or "").strip().lower()
        if not role:
            continue
        message = {"role": role, "content": item.get("content")}
        for extra in MESSAGE_EXTRAS:
            if extra in item:
                message[extra] = item[extra]
        kept.append(message)
    return kept or None


def normalize(f):
    scope = str(f["scope"] or "private").strip().lower() or "private"
    return {
        "module_id": str(f["module_id"] or "").strip(),
        "system_prompt": _text(f["system_prompt"]),
        "prompt": _text(f["prompt"]),
        "messages": _messages(f["messages"]),
        "tools": _dicts(f["tools"]),
        "add_generation_prompt": bool(f["add_generation_prompt"]),
        "scope": scope if scope in ("private", "shared") else "private",
    }


def module_hash(mod, version):
    # fingerprint() normalises the already-normalised module once more: a whitespace-only text that the
    # first pass left as "" becomes None here.
    again = normalize(dict(mod, meta={}))
    payload = {
        "v": int(version),
        "module_id": again["module_id"],
        "system_prompt": again["system_prompt"],
        "prompt": again["prompt"],
        "messages": again["messages"],
        "tools": again["tools"],
        "add_generation_prompt": again["add_generation_prompt"],
        "scope": again["scope"],
    }
    return sha256_hex(canonical(payload)), canonical(payload)


def starlette_body(content):
    # FastAPI returns the route's dict through Starlette's JSONResponse.render: these exact bytes.
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


CAPABILITIES = {
    "supported": True, "mode": "local_control_plane", "supports_set": True, "supports_clear": True,
    "supports_update": True, "supports_fork": True, "supports_prepare_modules": True, "supports_stats": True,
    "supports_save": False, "supports_load": False, "supports_ttl": True,
    "notes": ["Named caches are llama.cpp KV sequences of the served model, kept in memory; "
              "start with --prompt-cache-dir to save them and reload them at start."],
}


def failure(code, error):
    return {"supported": False, "operation": "prepare_modules", "code": code, "error": error,
            "capabilities": CAPABILITIES}


def seed(version, thinking=None):
    # Ours: a set thinking (on, off or a level) is folded into h0, so every key of the chain differs.
    text = "acore-prompt-cache:%d" % int(version)
    if thinking is not None:
        text += ":thinking=" + thinking
    return sha256_hex(text)


def derive(namespace, modules, version, thinking=None):
    ns = str(namespace or "").strip()
    if not ns:
        return failure("prompt_cache_invalid_namespace", "namespace required")
    mods = []
    for index, d in enumerate(modules or []):
        mod, reason = construct_module(d)
        if mod is None:
            return failure("prompt_cache_invalid_module", "Invalid prompt cache module at index %d: %s" % (index, reason))
        mods.append(mod)
    if not mods:
        return failure("prompt_cache_no_modules", "no modules provided")
    prefix = seed(version, thinking)
    derived, payloads = [], []
    for mod in mods:
        digest, payload = module_hash(mod, version)
        prefix = sha256_hex(prefix + digest)
        derived.append({"module_id": mod["module_id"], "cache_key": ns + ":" + prefix[:32], "module_hash": digest})
        payloads.append(payload)
    return {"supported": True, "capabilities": CAPABILITIES, "namespace": ns, "version": int(version),
            "modules": derived, "final_cache_key": derived[-1]["cache_key"], "payloads": payloads}


# ---------------------------------------------------------------- inputs

CANONICAL_INPUTS = [
    '{"b":1,"a":2}',
    '{"z":{"y":[3,{"b":true,"a":false}],"x":null},"a":[]}',
    '{"a":{}, "b":[], "c":"", "d":[[]], "e":[{}]}',
    '{"\\u00e9":1,"e":2,"\\u65e5\\u672c":3,"Z":4,"a":5}',
    '{"\\uff01":1,"\\ud83d\\ude00":2,"\\ue000":3,"\\ud7ff":4,"\\ud800\\udc00":5}',
    '{"s":"\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\\u007f/<>&\\u2028\\u2029\\u0085"}',
    '"caf\\u00e9 \\ud83d\\ude00 \\u65e5\\u672c e\\u0301"',
    '[0,-0,1,-1,123456789012345678901234567890,-98765432109876543210987654321098765432]',
    '[1.0,-0.0,0.0,0.1,1e-5,1E5,1.5e300,1e16,1e15,123.456,2.5E-3,0.30000000000000004]',
    '[1e400,-1e400,1e-400,-1e-400,5e-324,1.7976931348623157e308,2.2250738585072014e-308]',
    '[0.0001,0.00001,1234567890123456.0,12345678901234567.0,1e22,1e21,9007199254740993]',
    '[1.0e0,10e-1,100E-2,0e0,-0e0,0.5e1,1e+2,1E-0]',
    '[true,false,null,"true",[true,[false,[null]]]]',
    '{"a":1,"a":2}',
    '{"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":null}]}',
    '{"\\u0000":0,"\\u001f":1," ":2,"~":3,"\\u007f":4}',
]


def random_float_texts(count):
    rng = random.Random(20240607)
    texts = []
    while len(texts) < count:
        bits = rng.getrandbits(64)
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if value != value or value in (float("inf"), float("-inf")):
            continue
        texts.append("%.17g" % value if "e" in "%.17g" % value or "." in "%.17g" % value else "%.17g.0" % value)
    for _ in range(count // 2):
        digits = rng.randint(1, 17)
        mantissa = rng.randint(1, 10 ** digits - 1)
        exponent = rng.randint(-30, 30)
        texts.append("%de%d" % (mantissa, exponent))
    return texts


TOOLS = '[{"type":"function","function":{"name":"t","parameters":{}}}]'
TOOLS_REORDERED = '[{"function":{"parameters":{},"name":"t"},"type":"function"}]'
BASE = ('[{"module_id":"system","system_prompt":"You are helpful"},{"module_id":"tools","tools":%s},'
        '{"module_id":"turn","prompt":"hi","add_generation_prompt":true}]')

WORKED = ('[{"module_id":"persona","system_prompt":"You are Ada, a careful assistant."},'
          '{"module_id":"memory","messages":[{"role":"user","content":"My name is Bo."},{"role":"assistant","content":"Hello Bo."}]}]')

KEY_CASES = [
    ("original test modules v1", "tenantA:modelX", 1, BASE % TOOLS),
    ("original test modules v2", "tenantA:modelX", 2, BASE % TOOLS),
    ("key order inside modules and tools does not matter", "tenantA:modelX", 1,
     '[{"system_prompt":"You are helpful","module_id":"system"},{"tools":%s,"module_id":"tools"},'
     '{"add_generation_prompt":true,"prompt":"hi","module_id":"turn"}]' % TOOLS_REORDERED),
    ("meta is not hashed", "tenantA:modelX", 1,
     '[{"module_id":"system","system_prompt":"You are helpful","meta":{"owner":"x"}},{"module_id":"tools","tools":%s,"meta":{}},'
     '{"module_id":"turn","prompt":"hi","add_generation_prompt":true,"meta":[["k","v"]]}]' % TOOLS),
    ("unicode everywhere", "t\\u00e9nant:\\u6a21\\u578b", 1,
     '[{"module_id":"\\u30b7\\u30b9\\u30c6\\u30e0","system_prompt":"Tu es \\u00e9l\\u00e9gant \\ud83d\\ude00 \\u65e5\\u672c\\u8a9e"},'
     '{"module_id":"m","messages":[{"role":"user","content":"caf\\u00e9 e\\u0301 \\u2028 \\u0000 \\"q\\" \\\\ /"}]}]'),
    ("astral and high-BMP keys inside messages sort by code point", "ns", 1,
     '[{"module_id":"k","messages":[{"\\uff01":1,"\\ud83d\\ude00":2,"\\ue000":3,"a":4}]}]'),
    ("whitespace trimming, whitespace-only text hashes as null", " ns \\u3000", 1,
     '[{"module_id":"  sys\\t","system_prompt":"   ","prompt":"\\u001c hi \\u3000"},{"module_id":"\\u001fx\\u001e","prompt":"\\n"},'
     '{"module_id":"e","system_prompt":"","prompt":""}]'),
    ("whitespace-only and empty texts produce the same hash", "ns", 1,
     '[{"module_id":"a","system_prompt":" ","prompt":"\\t"},{"module_id":"a","system_prompt":"","prompt":""},{"module_id":"a"}]'),
    ("non-string texts become null", "ns", 1,
     '[{"module_id":"a","system_prompt":5,"prompt":["x"]},{"module_id":"b","system_prompt":{"a":1},"prompt":true}]'),
    ("messages: non-dict items dropped, empty becomes null", "ns", 1,
     '[{"module_id":"a","messages":[1,"x",null,{"role":"user","content":"hi"},[{"role":"x"}],true]},'
     '{"module_id":"b","messages":[1,"x"]},{"module_id":"c","messages":[]},{"module_id":"d","messages":{"role":"user"}},'
     '{"module_id":"e","messages":"hello"},{"module_id":"f","messages":null}]'),
    ("tools: non-dict items dropped, empty becomes null", "ns", 1,
     '[{"module_id":"a","tools":[null,%s,{"type":"function","function":{"name":"u","parameters":{"type":"object","properties":{"x":{"type":"number","default":1.0,"maximum":1e3}}}}}]},'
     '{"module_id":"b","tools":[[]]},{"module_id":"c","tools":[]},{"module_id":"d","tools":{}}]' % TOOLS[1:-1]),
    ("scalars nested in messages keep their JSON nature", "ns", 1,
     '[{"module_id":"n","messages":[{"role":"user","content":"x","i":1,"f":1.0,"e":1e-5,"big":123456789012345678901234567890,'
     '"neg0":-0.0,"negi0":-0,"t":true,"fl":false,"nul":null,"huge":1e400,"tiny":5e-324,"arr":[1,1.5,"s",[],{}]}]}]'),
    ("add_generation_prompt follows Python truthiness", "ns", 1,
     '[{"module_id":"a","add_generation_prompt":1},{"module_id":"b","add_generation_prompt":0},{"module_id":"c","add_generation_prompt":""},'
     '{"module_id":"d","add_generation_prompt":"false"},{"module_id":"e","add_generation_prompt":[]},{"module_id":"f","add_generation_prompt":{}},'
     '{"module_id":"g","add_generation_prompt":[0]},{"module_id":"h","add_generation_prompt":0.0},{"module_id":"i","add_generation_prompt":null},'
     '{"module_id":"j","add_generation_prompt":-0.0},{"module_id":"k","add_generation_prompt":0.5},{"module_id":"l","add_generation_prompt":{"a":0}}]'),
    ("scope: shared|private, anything else private", "ns", 1,
     '[{"module_id":"a","scope":"SHARED"},{"module_id":"b","scope":" shared\\u001c"},{"module_id":"c","scope":"public"},'
     '{"module_id":"d","scope":null},{"module_id":"e","scope":""},{"module_id":"f","scope":1},{"module_id":"g","scope":true},'
     '{"module_id":"h","scope":"\\u017fhared"},{"module_id":"i","scope":"PR\\u0130VATE"},{"module_id":"j","scope":"Private"},'
     '{"module_id":"k","scope":["shared"]},{"module_id":"l","scope":"shared"}]'),
    ("module_id: non-string values through str()", "ns", 1,
     '[{"module_id":1},{"module_id":1.0},{"module_id":true},'
     '{"module_id":1e16},{"module_id":1e400},{"module_id":-1e400},{"module_id":123456789012345678901234567890},'
     '{"module_id":2.5e-7}]'),
    ("empty module_id fails the whole call", "ns", 1, '[{"module_id":"a"},{"module_id":""}]'),
    ("null module_id fails the whole call", "ns", 1, '[{"module_id":null}]'),
    ("zero module_id fails the whole call", "ns", 1, '[{"module_id":"a"},{"module_id":"b"},{"module_id":0}]'),
    ("false module_id fails the whole call", "ns", 1, '[{"module_id":false}]'),
    ("negative zero module_id fails the whole call", "ns", 1, '[{"module_id":-0.0}]'),
    ("empty list module_id fails the whole call", "ns", 1, '[{"module_id":[]}]'),
    ("empty object module_id fails the whole call", "ns", 1, '[{"module_id":{}}]'),
    ("whitespace module_id fails the whole call", "ns", 1, '[{"module_id":" \\t\\u3000"}]'),
    ("module_id: containers through repr()", "ns", 1,
     '[{"module_id":["a",1,null,true,false,1.5,{"k":"v\'\\""}]},{"module_id":{"a":[1],"b":{"c":null},"a":2}},'
     '{"module_id":["\\u0000\\u00e9\\u200b\\ud83d\\ude00\\n\'","\\u007f\\u0085\\u00a0\\u0378\\ue000\\\\","it\'s","say \\"x\\"","\'\\""]},'
     '{"module_id":["\\t\\r\\u001b","\\u00ad\\u2028\\u3000 ","\\udb40\\udc01\\udbff\\udfff","\\u0300"]}]'),
    ("unknown key fails the whole call", "ns", 1,
     '[{"module_id":"a","prompt":"x"},{"module_id":"b","extra":1},{"module_id":"c","prompt":"z"}]'),
    ("the same chain without the invalid module", "ns", 1,
     '[{"module_id":"a","prompt":"x"},{"module_id":"c","prompt":"z"}]'),
    ("missing module_id fails the whole call", "ns", 1,
     '[{"prompt":"x"},{"module_id":"c","prompt":"z"},{"system_prompt":"y","meta":{}}]'),
    ("a non-object module fails the whole call", "ns", 1, '[{"module_id":"c","prompt":"z"},5]'),
    ("a null module fails the whole call", "ns", 1, '[null,{"module_id":"c","prompt":"z"}]'),
    ("meta that dict() accepts keeps the module", "ns", 1,
     '[{"module_id":"a","meta":{"x":1}},{"module_id":"b","meta":[]},{"module_id":"c","meta":""},{"module_id":"d","meta":null},'
     '{"module_id":"e","meta":[["k","v"]]},{"module_id":"f","meta":["ab","cd"]},{"module_id":"g","meta":[{"a":1,"b":2}]},'
     '{"module_id":"h","meta":["a\\ud83d\\ude00"]},{"module_id":"i","meta":0},{"module_id":"j","meta":0.0},{"module_id":"k","meta":false},'
     '{"module_id":"l","meta":[[null,1]]},{"module_id":"m","meta":{}},{"module_id":"n","meta":[[1.5,[]],[true,{}]]}]'),
    ("meta that dict() rejects (a string) fails the whole call", "ns", 1, '[{"module_id":"keep","prompt":"p"},{"module_id":"a","meta":"ab"}]'),
    ("meta that dict() rejects (a number) fails the whole call", "ns", 1, '[{"module_id":"b","meta":5}]'),
    ("meta that dict() rejects (true) fails the whole call", "ns", 1, '[{"module_id":"c","meta":true}]'),
    ("meta that dict() rejects (a triple) fails the whole call", "ns", 1, '[{"module_id":"d","meta":[[1,2,3]]}]'),
    ("meta that dict() rejects (an unhashable key) fails the whole call", "ns", 1, '[{"module_id":"e","meta":[[[1],2]]}]'),
    ("meta that dict() rejects (a one-item object) fails the whole call", "ns", 1, '[{"module_id":"f","meta":[{"a":1}]}]'),
    ("meta that dict() rejects (a float) fails the whole call", "ns", 1, '[{"module_id":"i","meta":1.5}]'),
    ("meta that dict() rejects (a three-letter string) fails the whole call", "ns", 1, '[{"module_id":"j","meta":["abc"]}]'),
    ("the first invalid module is the one reported", "ns", 1, '[{"module_id":"a"},{"prompt":"x"},{"module_id":"a","bogus":true}]'),
    ("unknown fields are reported in the order sent", "ns", 1, '[{"zeta":1,"module_id":"a","alpha":2}]'),
    ("messages: only role, content and the four extras are hashed", "ns", 1,
     '[{"module_id":"m","messages":[{"role":" USER ","content":"hi","extra":1,"name":"bo","id":"x"},'
     '{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},'
     '{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"42"}]},'
     '{"role":"Assistant","content":null,"function_call":{"name":"g","arguments":"{}"}}]}]'),
    ("messages: an empty or missing role drops the message", "ns", 1,
     '[{"module_id":"m","messages":[{"role":"","content":"a"},{"content":"b"},{"role":"  ","content":"c"},{"role":null},'
     '{"role":false,"content":"d"},{"role":"user","content":"kept"}]},{"module_id":"n","messages":[{"role":""},{"content":"x"}]}]'),
    ("messages: a non-string role goes through str()", "ns", 1, '[{"module_id":"m","messages":[{"role":1,"content":"x"},{"role":true}]}]'),
    ("messages: a missing content hashes as null", "ns", 1, '[{"module_id":"m","messages":[{"role":"user"}]}]'),
    ("the spec's worked example", "tenant:1", 1,
     '[{"module_id":"persona","system_prompt":"You are Ada, a careful assistant."},'
     '{"module_id":"memory","messages":[{"role":"user","content":"My name is Bo."},{"role":"assistant","content":"Hello Bo."}]}]'),
    ("no modules", "ns", 1, '[]'),
    ("blank namespace", " \\t\\u001c", 1, '[{"module_id":"a"}]'),
    ("empty namespace", "", 1, '[{"module_id":"a"}]'),
    ("version 0", "ns", 0, BASE % TOOLS),
    ("version -1", "ns", -1, '[{"module_id":"a"}]'),
    ("version 9223372036854775807", "ns", 9223372036854775807, '[{"module_id":"a"}]'),
    ("the worked example with thinking on", "tenant:1", 1, WORKED, "on"),
    ("the worked example with thinking off", "tenant:1", 1, WORKED, "off"),
    ("the worked example with thinking high", "tenant:1", 1, WORKED, "high"),
    ("long chain", "chain", 1, "[" + ",".join('{"module_id":"m%d","prompt":"p%d"}' % (i, i) for i in range(40)) + "]"),
]


def main():
    canonical_cases = []
    for text in CANONICAL_INPUTS:
        canonical_cases.append({"input": text, "output": canonical(json.loads(text))})
    float_cases = []
    for text in random_float_texts(400):
        float_cases.append({"input": text, "output": canonical(json.loads(text))})
    key_cases = []
    for case in KEY_CASES:
        name, namespace, version, modules = case[:4]
        thinking = case[4] if len(case) > 4 else None
        ns = json.loads('"%s"' % namespace)
        result = derive(ns, json.loads(modules), version, thinking)
        body = {k: v for k, v in result.items() if k != "payloads"}
        key_cases.append({"name": name, "namespace": ns, "version": version, "thinking": thinking, "modules": modules,
                          "expected": result, "expected_body": starlette_body(body)})
    seeds = [{"version": v, "thinking": t, "h0": seed(v, t)}
             for v in (0, 1, 2, 3, -1, 9223372036854775807) for t in (None, "on", "off", "minimal", "xhigh")]
    document = {
        "generator": "generate_python_vectors.py",
        "python": sys.version.split()[0],
        "canonical": canonical_cases,
        "floats": float_cases,
        "prefix_seeds": seeds,
        # Code points str.strip() removes (str.isspace), to pin the trimming rule.
        "whitespace": [c for c in range(sys.maxunicode + 1) if chr(c).isspace()],
        "keys": key_cases,
    }
    json.dump(document, sys.stdout, ensure_ascii=True, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
