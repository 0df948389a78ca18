#!/usr/bin/env bash
# The issue-4 comparison on this machine: llama-server (A) against AbstractEndpoint (B), the same model, threads,
# slots and context, driven by the load tool in alternating rounds (A B A B per level), so machine drift cancels
# in the B/A ratios it prints.
#
#   bench/scripts/vs-llama-server.sh models/qwen05b-q8.gguf [threads=2] [parallel=8] [load arguments...]
#
# llama-server comes from bench/scripts/llama-server-debian.sh. Both servers stay idle while the other is measured.
set -euo pipefail
cd "$(dirname "$0")/../.."

model=${1:?usage: vs-llama-server.sh MODEL.gguf [threads] [parallel] [load arguments...]}
threads=${2:-2}
parallel=${3:-8}
shift $(($# < 3 ? $# : 3))
context=4096
llama_port=8121
our_port=8120

for project in src/AbstractEndpoint.Host bench/AbstractEndpoint.Bench; do
  dotnet build -c Release --nologo -v quiet "$project" >&2
done
mkdir -p artifacts

bench/scripts/llama-server-debian.sh -m "$model" -t "$threads" -np "$parallel" -c "$context" --host 127.0.0.1 \
  --port "$llama_port" --no-webui >artifacts/llama-server.log 2>&1 &
llama_pid=$!
dotnet src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll --model "$model" --threads "$threads" \
  --parallel "$parallel" --ctx-size "$context" --port "$our_port" --log-level warning >artifacts/abstractendpoint.log 2>&1 &
our_pid=$!
trap 'kill $llama_pid $our_pid 2>/dev/null || true' EXIT

for url in "http://127.0.0.1:$llama_port/health" "http://127.0.0.1:$our_port/health"; do
  for _ in $(seq 1 300); do curl -fs "$url" >/dev/null && break; sleep 1; done
  curl -fs "$url" >/dev/null || { echo "no answer from $url" >&2; exit 1; }
done

# Connection: close because llama-server drops kept-alive connections after a streamed reply (see the bench README).
dotnet bench/AbstractEndpoint.Bench/bin/Release/net10.0/AbstractEndpoint.Bench.dll load \
  --url "http://127.0.0.1:$llama_port/v1" --url-b "http://127.0.0.1:$our_port/v1" \
  --concurrency 1,4,8 --prompt-tokens 100 --max-tokens 128 --eos-token-id 2 --temperature 0.7 --connection-close "$@"
