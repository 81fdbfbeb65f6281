#!/usr/bin/env bash
# Builds a Release tree with the benchmarks and runs them against a plugin
# directory made from that build. Needs curl (the peer).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
command -v curl >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq curl || sudo apt-get install -y -qq curl; }
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPENCLAW_BUILD_BENCH=ON
cmake --build build/bench --target stream_bench decode_bench
plugins="$(mktemp -d)"
trap 'rm -rf "$plugins"' EXIT
cmake --install build/bench --prefix "$plugins" --component plugin >/dev/null
echo "== end to end: plugin vs curl on the same emulator stream =="
build/bench/bench/stream_bench "$plugins" "${1:-20000}" "${2:-5}"
echo
echo "== decoding only: plugin vs boost::json::parse per chunk =="
build/bench/bench/decode_bench 200000 7
