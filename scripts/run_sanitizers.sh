#!/usr/bin/env bash
# Builds the host test suite and example with Clang under AddressSanitizer and UndefinedBehaviorSanitizer
# (any report aborts the test that triggers it) and runs them. CI runs it after run_tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh libclang-rt-dev  # the sanitizers' runtime (a recommendation of clang only)
build=${BUILD_DIR:-build}-sanitize
flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= -DBRAINEVENT_ENABLE_CUDA=OFF \
  -DBRAINEVENT_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags"
cmake --build "$build" -j2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
ctest --test-dir "$build" --output-on-failure -j2
"$build"/examples/spiking_network
