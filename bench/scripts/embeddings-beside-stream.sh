#!/usr/bin/env bash
# A streamed completion's gaps between tokens, alone and while a 256-input /v1/embeddings request runs beside it:
# with embedding decodes inside the loop's step budget, the stream's largest gap should stay near a step, not a
# whole 2,048-token embedding batch. Usage: bench/scripts/embeddings-beside-stream.sh MODEL.gguf [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:?model.gguf}
threads=${2:-2}
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
dir=$(mktemp -d)
server="src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll"
[ -f "$server" ] || dotnet build src/AbstractEndpoint.Host -c Release -v quiet --nologo

dotnet "$server" --model "$model" --port $port --threads "$threads" --log-level warning >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done

python3 - "http://127.0.0.1:$port" <<'PY'
import json, random, sys, threading, time, urllib.request
base = sys.argv[1]
random.seed(7)
words = 'the a sea ship sailor wind storm harbour friend story light night morning island fish bird rope sail map star'.split()
inputs = [' '.join(random.choice(words) for _ in range(random.randint(6, 12))) for _ in range(256)]

def post(path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(request)

def stream_gaps():
    body = {"model": "", "prompt": "Once upon a time", "max_tokens": 60, "temperature": 0, "stream": True,
            "ignore_eos": True}
    gaps, last = [], None
    with post("/v1/completions", body) as response:
        for line in response:
            if line.startswith(b"data: {"):
                now = time.perf_counter()
                if last is not None:
                    gaps.append((now - last) * 1000)
                last = now
    return gaps

def report(name, gaps):
    gaps = sorted(gaps)
    print(f"{name:28s} tokens {len(gaps) + 1:3d}  median gap {gaps[len(gaps) // 2]:7.1f} ms  "
          f"p90 {gaps[int(len(gaps) * 0.9)]:7.1f} ms  max {gaps[-1]:7.1f} ms")

with post("/v1/embeddings", {"model": "", "input": inputs[:8]}) as r:  # creates the embedding context
    r.read()
report("alone", stream_gaps())
done = threading.Event()
def embed():
    with post("/v1/embeddings", {"model": "", "input": inputs}) as r:
        r.read()
    done.set()
worker = threading.Thread(target=embed)
worker.start()
time.sleep(0.5)  # the embedding request is in its first decodes when the stream starts
report("beside 256 embeddings", stream_gaps())
worker.join()
PY
