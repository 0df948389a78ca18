#!/usr/bin/env bash
# Regenerates the committed reference outputs with Python Jinja2 3.1.x configured as Hugging Face transformers
# does (../shared/tools/jinja_reference.py). Runs offline. Run from anywhere:
#   tests/AbstractEndpoint.Jinja.Tests/Data/generate_reference.sh
set -euo pipefail
data="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$data/../../.." && pwd)"
shared="${ABSTRACTENDPOINT_SHARED_DIR:-$repo/../shared}"
reference="$shared/tools/jinja_reference.py"
[ -f "$reference" ] || { echo "missing $reference (set ABSTRACTENDPOINT_SHARED_DIR)" >&2; exit 1; }
python3 -c 'import jinja2, sys; sys.exit(0 if jinja2.__version__.startswith("3.1") else "need Jinja2 3.1.x, found " + jinja2.__version__)'

scenarios="$(mktemp)"
trap 'rm -f "$scenarios"' EXIT
# The real templates run against the shared conversations plus ours.
python3 - "$shared/tools/chat_scenarios.json" "$data/extra_scenarios.json" "$scenarios" <<'PY'
import json, sys
merged = json.load(open(sys.argv[1], encoding="utf-8"))
for name, scenario in json.load(open(sys.argv[2], encoding="utf-8")).items():
    assert name not in merged, name
    merged[name] = scenario
json.dump(merged, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
PY
python3 "$reference" "$shared/templates" "$scenarios" "$data/reference_outputs.json"
python3 "$reference" "$data/templates" "$data/template_scenarios.json" "$data/template_outputs.json"
python3 "$data/render_snippets.py" "$reference" "$data/snippet_cases.json" "$data/snippet_outputs.json"
