#!/usr/bin/env bash
# The whole test suite: install dependencies, build with warnings as errors,
# run every test with ctest, then again under AddressSanitizer and
# UndefinedBehaviorSanitizer. Set OPENCLAW_SKIP_SANITIZERS=1 to skip the second pass.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh

cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build/test
ctest --test-dir build/test --output-on-failure -j2

if [ "${OPENCLAW_SKIP_SANITIZERS:-0}" != "1" ]; then
  cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOPENCLAW_SANITIZE=ON
  cmake --build build/sanitize
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/sanitize --output-on-failure -j2
fi
