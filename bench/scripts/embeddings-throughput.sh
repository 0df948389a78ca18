#!/usr/bin/env bash
# /v1/embeddings: 256 short inputs in one request (packed, up to 64 inputs per decode) against the same 256 inputs
# one request each (one input per decode: the baseline), and the memory the embedding context adds (the server's
# resident set before the first embeddings request, when the context does not exist yet, and after).
# Usage: bench/scripts/embeddings-throughput.sh MODEL.gguf [THREADS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:?model.gguf}
threads=${2:-2}
rounds=${3:-3}
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
dir=$(mktemp -d)
server="src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll"
[ -f "$server" ] || dotnet build src/AbstractEndpoint.Host -c Release -v quiet --nologo

dotnet "$server" --model "$model" --port $port --threads "$threads" --log-level warning >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
before=$(rss)

python3 - "http://127.0.0.1:$port/v1/embeddings" "$rounds" "$before" "$pid" <<'PY'
import json, random, sys, time, urllib.request
url, rounds, before, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(7)
words = 'the a sea ship sailor wind storm harbour friend story light night morning island fish bird rope sail map star'.split()
inputs = [' '.join(random.choice(words) for _ in range(random.randint(6, 12))) for _ in range(256)]

def post(batch):
    body = json.dumps({"model": "", "input": batch}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)

def rss():
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1])

tokens = post(inputs)["usage"]["prompt_tokens"]  # also creates the embedding context (and warms it)
after = rss()
print(f"256 inputs, {tokens} tokens; server RSS {before / 1024:.0f} MiB before the first embeddings request, "
      f"{after / 1024:.0f} MiB after (+{(after - before) / 1024:.0f} MiB)")
for round in range(rounds):
    # Alternate the order so that neither mode always runs on a warmer machine.
    for mode in (("batched", "single") if round % 2 == 0 else ("single", "batched")):
        start = time.perf_counter()
        if mode == "batched":
            post(inputs)
        else:
            for text in inputs:
                post([text])
        elapsed = time.perf_counter() - start
        print(f"round {round + 1} {mode:8s} {elapsed:7.2f} s  {256 / elapsed:7.1f} embeddings/s")
PY
