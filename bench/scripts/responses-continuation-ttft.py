#!/usr/bin/env python3
# A previous_response_id continuation after other prompts took the only slot (--parallel 1): time to its first
# output_text delta with the stored response's KV state forked (--responses-kv-states 16) against the replay of the
# stored turns (--responses-kv-states 0), two servers in alternating rounds, loopback only.
# Usage: bench/scripts/responses-continuation-ttft.py MODEL.gguf [ROUNDS] [FIRST_TURN_WORDS]
# (build first: dotnet build src/AbstractEndpoint.Host -c Release)
import json, subprocess, time, urllib.request, sys, random, os, signal, tempfile
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DLL = os.path.join(ROOT, "src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll")
MODEL = sys.argv[1]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 4
WORDS = int(sys.argv[3]) if len(sys.argv) > 3 else 700
LOGS = tempfile.mkdtemp()
def start(port, states):
    log = open(os.path.join(LOGS, f"server-{port}.log"), "w")
    p = subprocess.Popen(["dotnet", DLL, "--model", MODEL, "--host", "127.0.0.1", "--port", str(port), "--parallel", "1",
                          "--ctx-size", "4096", "--threads", "2", "--responses-kv-states", str(states), "--no-webui"], stdout=log, stderr=log)
    for _ in range(240):
        try:
            s = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2))
            if s["status"] == "ready": return p
        except Exception: pass
        time.sleep(0.5)
    raise SystemExit("server did not start")
def post(port, path, body, stream=False):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"})
    t0 = time.perf_counter(); r = urllib.request.urlopen(req, timeout=300)
    if not stream: return json.load(r), time.perf_counter() - t0
    ttft = None; final = None
    for line in r:
        line = line.decode().strip()
        if not line.startswith("data:"): continue
        ev = json.loads(line[5:])
        if ttft is None and ev.get("type") == "response.output_text.delta": ttft = time.perf_counter() - t0
        if ev.get("type") in ("response.completed", "response.incomplete"): final = ev["response"]
    return final, ttft
words = "the little dog ran over green hills while a bright sun warmed old stone walls and quiet rivers".split()
rng = random.Random(1)
def text(n): return " ".join(rng.choice(words) for _ in range(n))
servers = {"fork": (8101, start(8101, 16)), "replay": (8102, start(8102, 0))}
results = {"fork": [], "replay": []}
try:
    for rnd in range(ROUNDS):
        for name in (["fork", "replay"] if rnd % 2 == 0 else ["replay", "fork"]):
            port = servers[name][0]
            first, _ = post(port, "/v1/responses", {"model": "m", "input": text(WORDS), "max_output_tokens": 8, "temperature": 0})
            for k in range(2):
                post(port, "/v1/chat/completions", {"model": "m", "messages": [{"role": "user", "content": text(300)}], "max_tokens": 2})
            final, ttft = post(port, "/v1/responses", {"model": "m", "input": "and then?", "previous_response_id": first["id"],
                                                        "max_output_tokens": 4, "temperature": 0, "stream": True}, stream=True)
            u = final["usage"]
            results[name].append((ttft, u["input_tokens"], u["input_tokens_details"]["cached_tokens"]))
            print(name, rnd, f"ttft {ttft*1000:.0f} ms", "input", u["input_tokens"], "cached", u["input_tokens_details"]["cached_tokens"], flush=True)
finally:
    for _, (port, p) in servers.items():
        p.send_signal(signal.SIGINT)
    for _, (port, p) in servers.items():
        try: p.wait(30)
        except Exception: p.kill()
for name, rs in results.items():
    t = sorted(r[0] for r in rs)
    print(name, "median ttft ms", round(t[len(t)//2]*1000), "all", [round(x*1000) for x in t], "cached", [r[2] for r in rs], "input", rs[0][1])
