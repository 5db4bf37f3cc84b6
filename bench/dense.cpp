// s * W with Dense weights and binary events, against Eigen's dense product of the same 0/1
// vector as floats, in one binary. Arguments: n (= n_pre = n_post), firing in units of 0.1%.
// Every product's output is checked against a double-precision reference after its timing.
//
//   ./bench_dense --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "brainevent/brainevent.hpp"
#include "check.hpp"

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// One random n × n weight matrix per n, built once and shared by all benchmarks: multiples of
/// 2^-8 in [-1, 1), so that every sum of up to 2^14 of them is exact in float in any order (and
/// the results are checked for equality).
const RowMatrix& weights(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<RowMatrix>> cache;
    auto& w = cache[n];
    if (!w) {
        w = std::make_unique<RowMatrix>(n, n);
        std::mt19937 g(1);
        std::uniform_int_distribution<int> d(-256, 255);
        for (Eigen::Index k = 0; k < w->size(); ++k) w->data()[k] = static_cast<float>(d(g)) * 0x1p-8f;
    }
    return *w;
}

std::vector<std::uint8_t> spikes(std::size_t n, double rate) {
    std::mt19937 g(2);
    std::bernoulli_distribution d(rate);
    std::vector<std::uint8_t> s(n);
    for (auto& x : s) x = d(g) ? 1 : 0;
    if (rate > 0 && rate < 1 && std::count(s.begin(), s.end(), 1) == 0) s[0] = 1;
    return s;
}

/// y = s * W in double: the active rows of weights(n) added up (kept per n and firing rate).
const bench::Reference& reference(std::size_t n, double rate) {
    static std::map<std::pair<std::size_t, double>, bench::Reference> cache;
    auto [it, fresh] = cache.try_emplace({n, rate}, n);
    if (fresh) {
        it->second.exact = true;  // sums of at most 16,000 multiples of 2^-8 below 1: exact in float
        const RowMatrix& w = weights(n);
        const auto bits = spikes(n, rate);
        for (std::size_t i = 0; i < n; ++i)
            if (bits[i])
                for (std::size_t j = 0; j < n; ++j) it->second.add(j, w.data()[i * n + j]);
    }
    return it->second;
}

void set_counters(benchmark::State& state, std::size_t active, std::size_t n, double bytes_per_iter) {
    const double iters = static_cast<double>(state.iterations());
    state.counters["active"] = static_cast<double>(active);
    state.counters["syn_events/s"] =
        benchmark::Counter(iters * static_cast<double>(active) * static_cast<double>(n), benchmark::Counter::kIsRate);
    state.counters["bytes/s"] = benchmark::Counter(iters * bytes_per_iter, benchmark::Counter::kIsRate);
}

void BM_brainevent_binary_dense(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 1000.0;
    auto& w = const_cast<RowMatrix&>(weights(n));
    brainevent::Dense<float> W(w);
    const auto bits = spikes(n, rate);
    brainevent::BinaryArray<> s{std::span<const std::uint8_t>(bits)};
    brainevent::Array<float> y(n);
    const std::size_t active = s.count();
    for (auto _ : state) {
        y = s * W;
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    // Touched: the active rows of W, the spike bytes, y once.
    set_counters(state, active, n, 4.0 * static_cast<double>(active * n) + static_cast<double>(n) * 5.0);
    bench::check(state, std::span<const float>(y.data(), n), reference(n, rate), "y");
}

void BM_eigen_dense_gemv(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 1000.0;
    const RowMatrix& w = weights(n);
    const auto bits = spikes(n, rate);
    Eigen::VectorXf x(static_cast<Eigen::Index>(n)), y(static_cast<Eigen::Index>(n));
    std::size_t active = 0;
    for (std::size_t i = 0; i < n; ++i) {
        x[static_cast<Eigen::Index>(i)] = static_cast<float>(bits[i]);
        active += bits[i];
    }
    for (auto _ : state) {
        y.noalias() = w.transpose() * x;  // y = x^T W
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, active, n, 4.0 * static_cast<double>(n * n));
    bench::check(state, std::span<const float>(y.data(), n), reference(n, rate), "Eigen's y");
}

/// The loop a competent user would write by hand: for each spiking neuron, add its row.
void BM_plain_loop_dense(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 1000.0;
    const RowMatrix& w = weights(n);
    const auto bits = spikes(n, rate);
    std::vector<float> y(n);
    std::size_t active = 0;
    for (auto b : bits) active += b;
    for (auto _ : state) {
        std::fill(y.begin(), y.end(), 0.0f);
        for (std::size_t i = 0; i < n; ++i) {
            if (!bits[i]) continue;
            const float* row = w.data() + i * n;
            for (std::size_t j = 0; j < n; ++j) y[j] += row[j];
        }
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, active, n, 4.0 * static_cast<double>(active * n) + static_cast<double>(n) * 5.0);
    bench::check(state, std::span<const float>(y), reference(n, rate), "plain loop's y");
}

/// Memory-bandwidth probe: streams a 512 MiB float array (read only, as the product reads W).
/// The event-driven product cannot beat this rate on the bytes it must read.
void BM_read_bandwidth_probe(benchmark::State& state) {
    Eigen::VectorXf v = Eigen::VectorXf::Ones(128 << 20);
    for (auto _ : state) {
        float s = v.sum();
        benchmark::DoNotOptimize(s);
    }
    state.counters["bytes/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * 4.0 * static_cast<double>(v.size()), benchmark::Counter::kIsRate);
}

// firing in units of 0.1%: 0.1%, 1%, 10%, 100%
const std::vector<std::vector<std::int64_t>> kArgs = {{4000, 16000}, {1, 10, 100, 1000}};

}  // namespace

BENCHMARK(BM_brainevent_binary_dense)->ArgsProduct(kArgs)->ArgNames({"n", "permille"})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_plain_loop_dense)->ArgsProduct(kArgs)->ArgNames({"n", "permille"})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_eigen_dense_gemv)->ArgsProduct(kArgs)->ArgNames({"n", "permille"})->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_read_bandwidth_probe)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
