#!/usr/bin/env bash
# Sets up (packages), configures, builds everything and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The CUDA toolkit (when installed) compiles the CUDA tests; they run only where a GPU is.
if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
# The host suite once more with Clang and its libc++ (setup installs both): users build the headers
# with either compiler and either standard library, and each accepts code another refuses
# (warnings are errors in all).
scripts/clang_suite.sh "$build-clang" "-O3 -stdlib=libc++"
