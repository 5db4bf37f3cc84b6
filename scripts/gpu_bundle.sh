#!/usr/bin/env bash
# Builds the CUDA tests, benchmarks and example for sm_90 here and gathers them, with the shared libraries
# the GPU machine lacks, into .carry/gpu (ignored by git). Then, on the GPU machine, from the
# repository root: scripts/gpu_run.sh   (with the device tool: carry .carry, run that command).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=${BUILD_DIR:-build-gpu}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBRAINEVENT_ENABLE_CUDA=ON \
      -DBRAINEVENT_BUILD_EXAMPLES=ON
cmake --build "$build" -j2 --target brainevent_cuda_tests bench_cuda spiking_network_cuda
out=.carry/gpu
rm -rf "$out" && mkdir -p "$out"
cp "$build"/tests/brainevent_cuda_tests "$build"/bench/bench_cuda "$build"/examples/spiking_network_cuda "$out"/
# Google Benchmark is a Debian package here and absent there.
cp -L "$(ldd "$out"/bench_cuda | awk '/libbenchmark/ {print $3}')" "$out"/
ls -la "$out"
