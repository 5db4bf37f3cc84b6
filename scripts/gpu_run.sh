#!/usr/bin/env bash
# Runs the gathered CUDA example, the tests (plain, then under compute-sanitizer memcheck, racecheck,
# initcheck and synccheck) and the CUDA benchmarks on a GPU machine (each checks the output of the
# product it times: a wrong one fails the step), and ends with a summary table.
# Logs go to $OUT (or /tmp).
# Environment: EXAMPLE ("skip" leaves the example out), TEST_FILTER, MEMCHECK_FILTER, RACECHECK_FILTER,
# INITCHECK_FILTER, SYNCCHECK_FILTER (Catch2 test specs), BENCH_FILTER (regex), REPS,
# MIN_TIME, STEP_TIMEOUT (seconds per step). A filter left unset runs that step's default (the whole
# test suite for TEST_FILTER); set one to "skip" to leave its step out.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=.carry/gpu
log=${OUT:-/tmp}
export LD_LIBRARY_PATH="$PWD/$dir:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$log/gpu.txt"
declare -A result
run() {  # name, filter, command...
  local name=$1 filter=$2; shift 2
  if [ "$filter" = skip ]; then result[$name]="skipped"; rm -f "$log/$name.log"; return; fi
  local start=$SECONDS
  if timeout "${STEP_TIMEOUT:-600}" "$@" > "$log/$name.log" 2>&1; then result[$name]="pass ($((SECONDS - start)) s)"; else result[$name]="FAIL rc=$? ($((SECONDS - start)) s)"; fi
  tail -n 4 "$log/$name.log"
}
run example "${EXAMPLE:-}" "$dir"/spiking_network_cuda
run tests "${TEST_FILTER:-}" "$dir"/brainevent_cuda_tests ${TEST_FILTER:+"$TEST_FILTER"}
# [errors] provokes a failed cudaMalloc on purpose, which memcheck would report.
run memcheck "${MEMCHECK_FILTER:-}" compute-sanitizer --tool memcheck --error-exitcode 1 "$dir"/brainevent_cuda_tests "${MEMCHECK_FILTER:-[cuda]~[errors]}"
run racecheck "${RACECHECK_FILTER:-}" compute-sanitizer --tool racecheck --error-exitcode 1 "$dir"/brainevent_cuda_tests "${RACECHECK_FILTER:-[dense],[graph],[racecheck]}"
# Reads of device memory nothing wrote (kernels and copies alike), and misuse of barriers; the
# defaults are the tests small enough to finish in minutes under these tools.
small='[compaction],[zeroing],[graph],[racecheck],[dense]'
run initcheck "${INITCHECK_FILTER:-}" compute-sanitizer --tool initcheck --error-exitcode 1 "$dir"/brainevent_cuda_tests "${INITCHECK_FILTER:-$small}"
run synccheck "${SYNCCHECK_FILTER:-}" compute-sanitizer --tool synccheck --error-exitcode 1 "$dir"/brainevent_cuda_tests "${SYNCCHECK_FILTER:-$small}"
run bench "${BENCH_FILTER:-}" "$dir"/bench_cuda --benchmark_filter="${BENCH_FILTER:-.}" --benchmark_counters_tabular=true --benchmark_repetitions="${REPS:-5}" \
    --benchmark_report_aggregates_only=true --benchmark_min_time="${MIN_TIME:-0.1}"
# Each benchmark checks its product's output after each run (bench/check.hpp) and prints
# "CHECK FAILED" on stderr for a wrong one (a run in error is left out of the aggregates).
if [ -f "$log/bench.log" ] && grep -q "CHECK FAILED" "$log/bench.log"; then
  result[bench]="FAIL: $(grep -c "CHECK FAILED" "$log/bench.log") runs with wrong outputs (${result[bench]})"
  grep "CHECK FAILED" "$log/bench.log" | cut -c1-300 | sort | uniq -c
fi
[ -f "$log/bench.log" ] && { grep -E "median|^Benchmark" "$log/bench.log" | sed 's/_median//' || true; }
echo
echo "| step | result |"
echo "|---|---|"
for k in example tests memcheck racecheck initcheck synccheck bench; do echo "| $k | ${result[$k]:-not run} |"; done
