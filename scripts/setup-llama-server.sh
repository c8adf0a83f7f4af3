#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` and `llama-quantize` for the real-server test suite, from the
# llama.cpp source that the npm package node-llama-cpp ships as a git bundle (the only llama.cpp
# source reachable here: tests and CI reach npm and Debian's apt, no GitHub). Idempotent: the
# build is cached outside the clone, so later runs on the same machine reuse it in a second.
# The last line printed is the path of llama-server.
#   EVALBENCH_LLAMA_CACHE  where to build (default ~/.cache/evalbench-test)
set -euo pipefail

VERSION=3.22.1
CACHE_ROOT="${EVALBENCH_LLAMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evalbench-test}"
DEST="$CACHE_ROOT/llama.cpp-$VERSION"
SERVER="$DEST/build/bin/llama-server"
QUANTIZE="$DEST/build/bin/llama-quantize"
MARKER="$DEST/.built"

log() { echo "setup-llama-server: $*" >&2; }

if [[ -f "$MARKER" && -x "$SERVER" && -x "$QUANTIZE" ]]; then
  echo "$SERVER"
  exit 0
fi

# Build tools: Debian's cmake and compilers (CI runs as root on a fresh Debian box).
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v git >/dev/null 2>&1 || missing+=(git)
if [[ ${#missing[@]} -gt 0 ]]; then
  SUDO=""; [[ "$(id -u)" == "0" ]] || SUDO="sudo"
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
fi

mkdir -p "$CACHE_ROOT"
# One builder at a time: two test runs on one machine must not build into the same folder.
exec 9>"$CACHE_ROOT/.llama-$VERSION.lock"
flock 9
if [[ -f "$MARKER" && -x "$SERVER" && -x "$QUANTIZE" ]]; then echo "$SERVER"; exit 0; fi

if [[ ! -f "$DEST/CMakeLists.txt" ]]; then
  WORK="$(mktemp -d "$CACHE_ROOT/.pack-XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  log "fetching node-llama-cpp@$VERSION from the npm registry"
  (cd "$WORK" && npm pack --silent "node-llama-cpp@$VERSION" >/dev/null && tar xzf "node-llama-cpp-$VERSION.tgz")
  rm -rf "$DEST"
  git clone -q "$WORK/package/llama/gitRelease.bundle" "$DEST" 2>/dev/null
  rm -rf "$WORK"
  trap - EXIT
fi

log "building llama-server and llama-quantize in $DEST (5 to 15 minutes on 2 cores, once)"
# Nothing downloaded at build or run time: no prebuilt web UI from Hugging Face, no HTTPS (so no
# model fetching by URL), none of the options that fetch sources (BoringSSL, LibreSSL, LLGuidance,
# KleidiAI), no tests or examples (their CMake downloads models). NATIVE off so the binary works on
# any x86-64 CPU the cache may move to.
cmake -S "$DEST" -B "$DEST/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_OPENSSL=OFF \
  -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF \
  -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_BUILD_LIBRESSL=OFF -DLLAMA_LLGUIDANCE=OFF -DGGML_CPU_KLEIDIAI=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=OFF -DGGML_CCACHE=OFF >&2
cmake --build "$DEST/build" -j "$(nproc)" --target llama-server llama-quantize >&2

[[ -x "$SERVER" && -x "$QUANTIZE" ]] || { log "build finished but $SERVER is missing"; exit 1; }
touch "$MARKER"
echo "$SERVER"
