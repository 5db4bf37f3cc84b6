#!/usr/bin/env bash
# Builds the host test suite and example with Clang in build directory $1 with compile and link
# flags $2, and runs the suite (CUDA and benchmarks left out). Used by run_tests.sh and
# run_sanitizers.sh, after setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 flags=$2
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= -DBRAINEVENT_ENABLE_CUDA=OFF \
  -DBRAINEVENT_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags"
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
