#!/usr/bin/env bash
# Sets up (packages), configures, builds and runs the spiking-network example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j2 --target spiking_network
"$build"/examples/spiking_network
