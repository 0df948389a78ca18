#!/usr/bin/env python3
"""Reference vectors for AbstractEndpoint.PromptCaching, computed by CPython itself.

The prompt-cache keys of the Python original (lpalbou/AbstractCore, abstractcore/providers/base.py:
PromptCacheModule.normalized/fingerprint and BaseProvider.prompt_cache_prepare_modules) are reproduced
below from their documented semantics, then evaluated on inputs given as raw JSON text, exactly as the
original receives them (FastAPI parses request bodies with json.loads). The C# tests parse the same text
and must produce byte-identical output.

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
    Returns None where the original's constructor or normalisation raises (the module is then skipped)."""
    if not isinstance(d, dict):
        return None
    if any(k not in MODULE_FIELDS for k in d) or "module_id" not in d:
        return None
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
        return None
    return normalize(fields)


def _text(value):
    return value.strip() if isinstance(value, str) and value else None


def _dicts(value):
    if not (isinstance(value, list) and value):
        return None
    kept = [dict(item) for item in value if isinstance(item, dict)]
    return kept or None


def normalize(f):
    scope = str(f["scope"] or "private").strip().lower() or "private"
    return {
        "module_id": str(f["module_id"] or "").strip(),
        "system_prompt": _text(f["system_prompt"]),
        "prompt": _text(f["prompt"]),
        "messages": _dicts(f["messages"]),
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


def derive(namespace, modules, version):
    ns = str(namespace or "").strip()
    if not ns:
        return {"supported": False, "error": "namespace required"}
    mods = [m for m in (construct_module(d) for d in (modules or [])) if m is not None]
    if not mods:
        return {"supported": False, "error": "no modules provided"}
    prefix = sha256_hex("acore-prompt-cache:%d" % int(version))
    derived, payloads = [], []
    for mod in mods:
        digest, payload = module_hash(mod, version)
        prefix = sha256_hex(prefix + digest)
        derived.append({"module_id": mod["module_id"], "cache_key": ns + ":" + prefix[:16], "module_hash": digest})
        payloads.append(payload)
    return {"supported": True, "namespace": ns, "version": int(version), "modules": derived,
            "final_cache_key": derived[-1]["cache_key"], "payloads": payloads}


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
     '[{"module_id":""},{"module_id":null},{"module_id":0},{"module_id":false},{"module_id":1},{"module_id":1.0},{"module_id":true},'
     '{"module_id":-0.0},{"module_id":1e16},{"module_id":1e400},{"module_id":-1e400},{"module_id":123456789012345678901234567890},'
     '{"module_id":2.5e-7},{"module_id":[]},{"module_id":{}}]'),
    ("module_id: containers through repr()", "ns", 1,
     '[{"module_id":["a",1,null,true,false,1.5,{"k":"v\'\\""}]},{"module_id":{"a":[1],"b":{"c":null},"a":2}},'
     '{"module_id":["\\u0000\\u00e9\\u200b\\ud83d\\ude00\\n\'","\\u007f\\u0085\\u00a0\\u0378\\ue000\\\\","it\'s","say \\"x\\"","\'\\""]},'
     '{"module_id":["\\t\\r\\u001b","\\u00ad\\u2028\\u3000 ","\\udb40\\udc01\\udbff\\udfff","\\u0300"]}]'),
    ("unknown key skips the module and changes the chain", "ns", 1,
     '[{"module_id":"a","prompt":"x"},{"module_id":"b","extra":1},{"module_id":"c","prompt":"z"}]'),
    ("same chain without the skipped module", "ns", 1,
     '[{"module_id":"a","prompt":"x"},{"module_id":"c","prompt":"z"}]'),
    ("missing module_id skips the module", "ns", 1,
     '[{"prompt":"x"},{"module_id":"c","prompt":"z"},{"system_prompt":"y","meta":{}}]'),
    ("non-dict modules are skipped", "ns", 1, '[5,"m",null,[],{"module_id":"c","prompt":"z"}]'),
    ("meta that dict() accepts keeps the module", "ns", 1,
     '[{"module_id":"a","meta":{"x":1}},{"module_id":"b","meta":[]},{"module_id":"c","meta":""},{"module_id":"d","meta":null},'
     '{"module_id":"e","meta":[["k","v"]]},{"module_id":"f","meta":["ab","cd"]},{"module_id":"g","meta":[{"a":1,"b":2}]},'
     '{"module_id":"h","meta":["a\\ud83d\\ude00"]},{"module_id":"i","meta":0},{"module_id":"j","meta":0.0},{"module_id":"k","meta":false},'
     '{"module_id":"l","meta":[[null,1]]},{"module_id":"m","meta":{}},{"module_id":"n","meta":[[1.5,[]],[true,{}]]}]'),
    ("meta that dict() rejects skips the module", "ns", 1,
     '[{"module_id":"a","meta":"ab"},{"module_id":"b","meta":5},{"module_id":"c","meta":true},{"module_id":"d","meta":[[1,2,3]]},'
     '{"module_id":"e","meta":[[[1],2]]},{"module_id":"f","meta":[{"a":1}]},{"module_id":"g","meta":[1]},{"module_id":"h","meta":[[{"a":1},1]]},'
     '{"module_id":"i","meta":1.5},{"module_id":"j","meta":["abc"]},{"module_id":"k","meta":[null]},{"module_id":"l","meta":-1},'
     '{"module_id":"keep","prompt":"p"}]'),
    ("every module skipped", "ns", 1, '[{"prompt":"x"},{"module_id":"a","bogus":true}]'),
    ("no modules", "ns", 1, '[]'),
    ("blank namespace", " \\t\\u001c", 1, '[{"module_id":"a"}]'),
    ("empty namespace", "", 1, '[{"module_id":"a"}]'),
    ("version 0", "ns", 0, BASE % TOOLS),
    ("version -1", "ns", -1, '[{"module_id":"a"}]'),
    ("version 9223372036854775807", "ns", 9223372036854775807, '[{"module_id":"a"}]'),
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
    for name, namespace, version, modules in KEY_CASES:
        ns = json.loads('"%s"' % namespace)
        result = derive(ns, json.loads(modules), version)
        body = {k: v for k, v in result.items() if k != "payloads"}
        key_cases.append({"name": name, "namespace": ns, "version": version, "modules": modules, "expected": result,
                          "expected_body": starlette_body(body)})
    seeds = [{"version": v, "h0": sha256_hex("acore-prompt-cache:%d" % v)} for v in (0, 1, 2, 3, -1, 9223372036854775807)]
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
