#!/usr/bin/env bash
# Runs llama.cpp's own llama-server, the reference the benchmarks compare against, on a machine that cannot build it
# (llama.cpp's repository is too large to fetch here) and whose Debian release does not package it.
#
# Debian unstable packages llama.cpp and ggml. Their binaries need a newer C library than Debian 12 has, so the
# script unpacks them with that C library and its runtime into a private directory and starts llama-server through
# the unpacked dynamic loader; nothing is installed on the system.
#
#   bench/scripts/llama-server-debian.sh [llama-server arguments...]
#   bench/scripts/llama-server-debian.sh -m models/qwen05b-q8.gguf -t 2 -np 8 -c 4096 --port 8121 --no-webui
#
# LLAMA_SERVER_ROOT (default artifacts/llama-server-debian) holds the download; MIRROR a Debian mirror (default: the
# first Debian archive in this machine's apt sources, so no host is named here);
# GGML_CPU_VARIANT forces one of ggml's CPU builds (haswell, skylakex, zen4, x64, ...), else it is chosen from the
# CPU's flags the way ggml itself would.
set -euo pipefail

root="${LLAMA_SERVER_ROOT:-$(dirname "$0")/../../artifacts/llama-server-debian}"
# The machine's own Debian archive: the first "deb"/"URIs:" entry of its apt sources that is not a security archive.
apt_mirror() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }
         $1 == "URIs:" { print $2 }' | grep -v -- '-security' | head -n 1
}
mirror="${MIRROR:-$(apt_mirror)}"
[[ -n "$mirror" ]] || { echo "no Debian archive in the apt sources; set MIRROR" >&2; exit 1; }
packages=(llama.cpp-tools libllama0 libggml0 libc6 libc-gconv-modules-extra libstdc++6 libgcc-s1 libgomp1
  libssl3t64 openssl-provider-legacy zlib1g libzstd1)

if [[ ! -x "$root/usr/bin/llama-server" ]]; then
  mkdir -p "$root/debs"
  echo "fetching llama.cpp and its runtime from Debian unstable ($mirror)" >&2
  curl -fsS "$mirror/dists/sid/main/binary-amd64/Packages.xz" | xz -d >"$root/Packages"
  for package in "${packages[@]}"; do
    file=$(awk -v p="$package" '$1 == "Package:" { hit = ($2 == p) } hit && $1 == "Filename:" { print $2; exit }' "$root/Packages")
    [[ -n "$file" ]] || { echo "Debian unstable has no package $package" >&2; exit 1; }
    curl -fsS -o "$root/debs/$(basename "$file")" "$mirror/$file"
  done
  for deb in "$root"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi

lib="$root/usr/lib/x86_64-linux-gnu"
if [[ -z "${GGML_CPU_VARIANT:-}" ]]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo)
  has() { [[ " $flags " == *" $1 "* ]]; }
  if has avx512f && has avx512bw && has avx512vl && has avx512_vnni && has avx512_bf16; then
    GGML_CPU_VARIANT=zen4
  elif has avx512f && has avx512bw && has avx512vl; then
    GGML_CPU_VARIANT=skylakex
  elif has avx2 && has fma && has f16c; then
    GGML_CPU_VARIANT=haswell
  else
    GGML_CPU_VARIANT=x64
  fi
fi

# ggml looks for its CPU backends in a system directory the unpacked tree does not have; name the one to load.
export GGML_BACKEND_PATH="$lib/ggml/backends0/libggml-cpu-$GGML_CPU_VARIANT.so"
echo "llama-server $("$lib/ld-linux-x86-64.so.2" --library-path "$lib:$lib/llama" "$root/usr/bin/llama-server" --version 2>&1 |
  head -1), ggml CPU backend: $GGML_CPU_VARIANT" >&2
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib:$lib/llama" "$root/usr/bin/llama-server" "$@"
