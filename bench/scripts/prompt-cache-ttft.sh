#!/usr/bin/env bash
# Time to first token with a long shared system prompt: cold (nothing cached), warm (a forked named cache), and
# the first request after a restart with --prompt-cache-dir; plus the time of a fork.
# Usage: bench/scripts/prompt-cache-ttft.sh MODEL.gguf [THREADS] [PROMPT_WORDS] [EXTRA SERVER FLAGS, e.g. "--flash-attn off"]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:?model.gguf}
threads=${2:-2}
words=${3:-1500}
extra=${4:-}
port=8111
dir=$(mktemp -d)
server="src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll"
[ -f "$server" ] || dotnet build src/AbstractEndpoint.Host -c Release -v quiet --nologo

start() {
  dotnet "$server" --model "$model" --port $port --threads "$threads" --parallel 2 --ctx-size 8192 \
    --prompt-cache-dir "$dir" --log-level warning $extra >"$dir/server.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
}
stop() { kill -TERM "$pid"; wait "$pid" || true; }

system=$(python3 -c "
import random; random.seed(7)
w='the a sea ship sailor wind storm harbour friend story light night morning island fish bird rope sail map star'.split()
print(' '.join(random.choice(w) for _ in range($words)))")
body() { # $1 = extra fields, $2 = messages
  printf '{"model":"","stream":true,"max_tokens":1,"temperature":0,%s"messages":%s}' "$1" "$2"
}
# Seconds until the first content delta (the role chunk is sent at admission, before any prefill).
ttft() {
  python3 - "http://127.0.0.1:$port/v1/chat/completions" "$1" <<'PY'
import sys, time, urllib.request
request = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={"Content-Type": "application/json"})
start = time.perf_counter()
with urllib.request.urlopen(request) as response:
    for line in response:
        if b'"content"' in line:
            print(time.perf_counter() - start)
            break
PY
}
ms() { python3 -c "print(f'{$1*1000:.0f}')"; }

start
full=$(printf '[{"role":"system","content":"%s"},{"role":"user","content":"Tell me a story."}]' "$system")
cold=$(ttft "$(body '' "$full")")
curl -s "http://127.0.0.1:$port/acore/prompt_cache/set" -d '{"key":"persona","make_default":false}' >/dev/null
curl -s "http://127.0.0.1:$port/acore/prompt_cache/update" -d "{\"key\":\"persona\",\"system_prompt\":\"$system\"}" >/dev/null
fork=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/acore/prompt_cache/fork" -d '{"from_key":"persona","to_key":"session"}')
tokens=$(curl -s "http://127.0.0.1:$port/acore/prompt_cache/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['stats']['meta_by_key']['persona']['token_count'])")
delta='[{"role":"user","content":"Tell me a story."}]'
warm=$(ttft "$(body '"prompt_cache_key":"persona",' "$delta")")
stop
start
restart=$(ttft "$(body '"prompt_cache_key":"session",' "$delta")")
stop
rm -rf "$dir"

echo "| shared prefix | cold TTFT ms | warm named cache TTFT ms | after restart TTFT ms | restart / cold | fork (HTTP round trip) ms |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $tokens tokens | $(ms "$cold") | $(ms "$warm") | $(ms "$restart") | $(python3 -c "print(f'{$restart/$cold:.3f}')") | $(ms "$fork") |"
