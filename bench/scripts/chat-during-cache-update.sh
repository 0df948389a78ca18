#!/usr/bin/env bash
# A short plain chat (no cache key) alone, and while a long /acore/prompt_cache/update is being prefilled, in
# alternating rounds on one server; prints each round and the median ratio (during / alone).
# Usage: bench/scripts/chat-during-cache-update.sh MODEL.gguf [ROUNDS] [UPDATE_WORDS] [THREADS] [EXTRA SERVER FLAGS]
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:?model.gguf}
rounds=${2:-5}
words=${3:-1400}
threads=${4:-2}
extra=${5:-}
port=8112
url="http://127.0.0.1:$port"
dir=$(mktemp -d)
server="src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll"
[ -f "$server" ] || dotnet build src/AbstractEndpoint.Host -c Release -v quiet --nologo

dotnet "$server" --model "$model" --port $port --threads "$threads" --ctx-size 8192 --log-level warning $extra \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid; wait $pid || true; rm -rf "$dir"' EXIT
until curl -sf "$url/health" >/dev/null; do sleep 0.2; done

python3 - "$url" "$rounds" "$words" <<'PY'
import json, random, statistics, sys, threading, time, urllib.request

url, rounds, words = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
vocabulary = 'the a sea ship sailor wind storm harbour friend story light night morning island fish bird rope sail map star'.split()

def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        reply = json.load(response)
    return time.perf_counter() - start, reply

# A short plain chat: a one-line question, 8 tokens (end of text ignored so every round generates the same count).
chat = {"model": "", "messages": [{"role": "user", "content": "Say hello to the sailor."}], "max_tokens": 8, "temperature": 0, "ignore_eos": True}

def chat_seconds():
    seconds, reply = post("/v1/chat/completions", chat)
    assert reply["usage"]["completion_tokens"] == 8, reply
    return seconds

chat_seconds()  # warm-up: the first request pays one-time costs
alone, during, updates = [], [], []
for round_ in range(rounds):
    alone.append(chat_seconds())
    text = " ".join(random.choice(vocabulary) for _ in range(words))
    update = {}
    def run_update():
        update["seconds"], update["reply"] = post("/acore/prompt_cache/update", {"key": f"bench-{round_}", "prompt": text})
    thread = threading.Thread(target=run_update)
    thread.start()
    time.sleep(1.0)  # the update's prefill is under way (it takes several seconds)
    during.append(chat_seconds())
    # The figure counts only if the chat ran inside the update.
    assert thread.is_alive(), "the update finished before the chat: use more UPDATE_WORDS"
    print(f"round {round_ + 1}: chat alone {alone[-1]*1000:.0f} ms, during update {during[-1]*1000:.0f} ms "
          f"(x{during[-1]/alone[-1]:.2f})", flush=True)
    thread.join()
    assert update["reply"].get("ok"), update["reply"]
    updates.append(update["seconds"])
    post("/acore/prompt_cache/clear", {"key": f"bench-{round_}"})
    print(f"round {round_ + 1}: update {updates[-1]*1000:.0f} ms", flush=True)

print(f"median: chat alone {statistics.median(alone)*1000:.0f} ms, during update {statistics.median(during)*1000:.0f} ms, "
      f"ratio of medians x{statistics.median(during)/statistics.median(alone):.2f}, "
      f"median per-round ratio x{statistics.median(d/a for d, a in zip(during, alone)):.2f}; "
      f"update median {statistics.median(updates)*1000:.0f} ms")
PY
