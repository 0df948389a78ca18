#!/usr/bin/env bash
# Builds llama.cpp's CPU backend (libggml-cpu) for this very CPU (GGML_NATIVE: every instruction set it has, e.g.
# AVX-512 VNNI, which the packaged AVX-512 build lacks) and puts it beside LLamaSharp's own libllama, libggml and
# libggml-base in a directory for --llama-native-dir. Only the compute kernels change; everything the binding calls
# stays LLamaSharp's. Measured on a 2-core AVX-512 machine: see docs/performance.md ("A CPU backend built for the machine").
#
#   eng/build-native-cpu.sh [DEST]      (default DEST: artifacts/llama-native-cpu; run from the project root)
#   dotnet run --project src/AbstractEndpoint.Host -c Release -- --model M.gguf --llama-native-dir artifacts/llama-native-cpu
#
# Needs: the npm registry (the source comes from the npm package node-llama-cpp), cmake, g++, about a minute on 2 cores.
#
# Why this source fits: LLamaSharp 0.30.0 binds llama.cpp b10221, whose ggml is 0.18.0. No package here ships that
# commit's source, but node-llama-cpp 3.19.1 ships b10068 (ggml 0.17.0) and 3.20.0 ships b10361 (ggml 0.19.0), and the
# headers that cross the boundary between libggml-cpu and the rest (ggml.h, ggml-backend.h, ggml-cpu.h, ggml-impl.h,
# ggml-backend-impl.h, ggml-common.h) are identical in the two but for one function added to ggml.h in 0.19, which
# b10068's backend does not call. The check below verifies it on the binaries before anything is copied.
set -euo pipefail

npm_version=3.19.1     # ships llama.cpp b10068
dest=$(realpath -m "${1:-artifacts/llama-native-cpu}")
root=$(cd "$(dirname "$0")/.." && pwd)

backend_version=$(sed -n 's/.*Include="LLamaSharp.Backend.Cpu" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')
runtimes="$packages/llamasharp.backend.cpu/$backend_version/LLamaSharpRuntimes/linux-x64/native"
[ -d "$runtimes" ] || (cd "$root" && dotnet restore src/AbstractEndpoint.Host >/dev/null)
# The binding's libraries: the variant LLamaSharp itself would pick on this CPU.
for variant in avx512 avx2 avx noavx; do
  case $variant in
    avx512) grep -qw avx512f /proc/cpuinfo || continue ;;
    avx2) grep -qw avx2 /proc/cpuinfo || continue ;;
    avx) grep -qw avx /proc/cpuinfo || continue ;;
  esac
  packaged="$runtimes/$variant"
  break
done
[ -f "$packaged/libllama.so" ] || { echo "LLamaSharp's native libraries not found under $runtimes" >&2; exit 1; }

command -v cmake >/dev/null && command -v g++ >/dev/null || { apt-get update >/dev/null && apt-get install -y cmake g++ >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "node-llama-cpp@$npm_version" >/dev/null && tar -xzf "node-llama-cpp-$npm_version.tgz" package/llama/gitRelease.bundle)
git clone -q "$work/package/llama/gitRelease.bundle" "$work/llama.cpp" 2>/dev/null
cd "$work/llama.cpp"
# RUNPATH $ORIGIN: the backend finds libggml-base beside it (LLamaSharp's, through the link below), not a build tree's.
cmake -B build -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=ON -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN' >"$work/build.log" 2>&1 \
  && cmake --build build -j"$(nproc)" --target ggml-cpu >>"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; exit 1; }

# The check: every ggml symbol the new backend needs is one LLamaSharp's libggml-base exports, and the two ggml
# builds agree on every operation's number, every tensor type's size and the tensor and graph headers' sizes.
missing=$(comm -23 <(nm -D --undefined-only build/bin/libggml-cpu.so | awk '{print $2}' | grep -E '^(ggml|gguf)_' | sort -u) \
                   <(nm -D --defined-only "$packaged/libggml-base.so" | awk '{print $3}' | sort -u))
[ -z "$missing" ] || { echo "LLamaSharp's libggml-base lacks: $missing" >&2; exit 1; }
cat > "$work/abi.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "ggml.h"
typedef const char *(*name_fn)(int);
typedef size_t (*size_fn)(int);
typedef int64_t (*blck_fn)(int);
typedef size_t (*overhead_fn)(void);
int main(int argc, char **argv) {
    void *a = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL), *b = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!a || !b) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    int bad = 0;
    for (int i = 0; i < GGML_OP_COUNT; i++) {
        const char *x = ((name_fn)dlsym(a, "ggml_op_name"))(i), *y = ((name_fn)dlsym(b, "ggml_op_name"))(i);
        if (!x || !y || strcmp(x, y)) { fprintf(stderr, "operation %d: %s against %s\n", i, x, y); bad = 1; }
    }
    for (int t = 0; t < GGML_TYPE_COUNT; t++) {
        if (((size_fn)dlsym(a, "ggml_type_size"))(t) != ((size_fn)dlsym(b, "ggml_type_size"))(t) ||
            ((blck_fn)dlsym(a, "ggml_blck_size"))(t) != ((blck_fn)dlsym(b, "ggml_blck_size"))(t)) {
            fprintf(stderr, "tensor type %d differs\n", t); bad = 1;
        }
    }
    const char *sizes[] = {"ggml_tensor_overhead", "ggml_graph_overhead"};
    for (int s = 0; s < 2; s++) {
        if (((overhead_fn)dlsym(a, sizes[s]))() != ((overhead_fn)dlsym(b, sizes[s]))()) {
            fprintf(stderr, "%s differs\n", sizes[s]); bad = 1;
        }
    }
    return bad;
}
EOF
gcc -O1 -I ggml/include -o "$work/abi" "$work/abi.c" -ldl
"$work/abi" "$packaged/libggml-base.so" "$PWD/build/bin/libggml-base.so" || { echo "the ggml ABIs differ: not installed" >&2; exit 1; }

rm -rf "$dest" && mkdir -p "$dest"
cp "$packaged"/libllama.so "$packaged"/libggml.so "$packaged"/libggml-base.so "$dest/"
[ -f "$packaged/libmtmd.so" ] && cp "$packaged/libmtmd.so" "$dest/"
cp -L build/bin/libggml-cpu.so "$dest/libggml-cpu.so"
# The new backend asks for libggml-base by its versioned name: the same file, which the loader maps once.
ln -s libggml-base.so "$dest/libggml-base.so.0"
echo "built: $dest (LLamaSharp $backend_version's $variant libraries, libggml-cpu of llama.cpp b10068 for this CPU)"
echo "run:   --llama-native-dir $dest"
