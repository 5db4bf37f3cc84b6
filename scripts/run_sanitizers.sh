#!/usr/bin/env bash
# Builds the host test suite and example with Clang under AddressSanitizer and UndefinedBehaviorSanitizer
# (any report aborts the test that triggers it) and runs them. CI runs it after run_tests.sh.
set -euo pipefail
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
cd "$(dirname "$0")/.."
scripts/setup.sh libclang-rt-dev  # the sanitizers' runtime (a recommendation of clang only)
build=${BUILD_DIR:-build}-sanitize
flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
scripts/clang_suite.sh "$build" "$flags"
"$build"/examples/spiking_network
