#!/usr/bin/env python3
"""Renders snippet_cases.json with the reference environment (jinja_reference.make_env) into snippet_outputs.json.

Usage: render_snippets.py PATH/TO/jinja_reference.py snippet_cases.json snippet_outputs.json
Each case is {"template": ..., "context": {...}}; the output maps the case name to {"ok", "text"|"error"}.
"""
import importlib.util
import json
import sys


def main(reference_path, cases_path, out_path):
    spec = importlib.util.spec_from_file_location("jinja_reference", reference_path)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    env = reference.make_env()
    cases = json.load(open(cases_path, encoding="utf-8"))
    out = {}
    for name, case in cases.items():
        try:
            template = env.from_string(case["template"])
            out[name] = {"ok": True, "text": template.render(**case.get("context", {}))}
        except Exception as e:  # the reference's failure is the expected result
            out[name] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        if " at 0x" in out[name].get("text", ""):
            raise SystemExit(f"{name}: output contains an object address, which cannot be reproduced")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"{len(out)} snippets, {sum(1 for r in out.values() if r['ok'])} ok", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
