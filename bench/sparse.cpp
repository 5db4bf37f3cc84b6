// CSR / CSC / FixedPostNumConn products with binary events on one core, against Eigen's sparse
// product with the same 0/1 vector as floats and a plain loop over the active rows, in one binary.
// W: 100,000 × 100,000, fixed fan-out 1,000, random targets, heterogeneous weights.
// Argument: firing in units of 0.1%. Every product's output is checked against a double-precision
// reference after its timing (check.hpp).
//
//   ./bench_sparse --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <Eigen/SparseCore>

#include "brainevent/brainevent.hpp"
#include "check.hpp"

namespace {

constexpr std::size_t kN = 100'000, kFanOut = 1'000;

struct Network {
    brainevent::FixedPostNumConn<float> fixed;  // k = 1,000 targets per row
    brainevent::CSR<float> csr;                 // the same W (and the same arrays) as CSR
    brainevent::CSC<float> csc;                 // the same W by columns
};

const Network& network() {
    static std::unique_ptr<Network> net;
    if (!net) {
        // Distinct random targets, sorted within each row (as a real network has no repeated
        // synapse), drawn by the library's own generator.
        const auto indices = brainevent::fixed_indices(kN, kN, kFanOut, 7);
        std::mt19937_64 g(7);
        std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
        std::vector<float> weights(kN * kFanOut);
        for (auto& w : weights) w = weight(g);
        brainevent::FixedPostNumConn<float> fixed(kN, kN, kFanOut, indices, std::span<const float>(weights));
        auto csr = fixed.tocsr();
        auto csc = brainevent::csr2csc(csr);
        net = std::make_unique<Network>(Network{std::move(fixed), std::move(csr), std::move(csc)});
    }
    return *net;
}

/// Eigen's view of the same CSR arrays (no copy).
Eigen::Map<const Eigen::SparseMatrix<float, Eigen::RowMajor>> eigen_view(const brainevent::CSR<float>& w) {
    return {static_cast<Eigen::Index>(w.n_pre()),
            static_cast<Eigen::Index>(w.n_post()),
            static_cast<Eigen::Index>(w.nnz()),
            w.indptr().data(),
            w.indices().data(),
            w.weights().data()};
}

std::vector<std::uint8_t> spikes(double rate) {
    std::mt19937 g(3);
    std::bernoulli_distribution d(rate);
    std::vector<std::uint8_t> s(kN);
    for (auto& x : s) x = d(g) ? 1 : 0;
    return s;
}

/// The spikes as a 0/1 float vector, for Eigen.
Eigen::VectorXf as_floats(const std::vector<std::uint8_t>& bits) {
    Eigen::VectorXf x(static_cast<Eigen::Index>(bits.size()));
    for (std::size_t i = 0; i < bits.size(); ++i) x[static_cast<Eigen::Index>(i)] = bits[i];
    return x;
}

/// y = s * W (`Scatter`: the active rows' entries added into their targets) or y = W * s (each
/// row's entries at active inputs), in double from W's CSR arrays; kept for the benchmark's next
/// run with the same matrix and spikes (bench::kept).
template <bool Scatter>
const bench::Reference& csr_reference(const brainevent::CSR<float>& w, const std::vector<std::uint8_t>& bits) {
    const std::string key = std::string(Scatter ? "s * W " : "W * s ") +
                            std::to_string(reinterpret_cast<std::uintptr_t>(w.indices().data())) + " " +
                            std::to_string(bench::hash_bytes(bits.data(), bits.size()));
    return bench::kept(key, [&] {
        bench::Reference ref(Scatter ? w.n_post() : w.n_pre());
        const auto ip = w.indptr();
        const auto ix = w.indices();
        const auto v = w.weights();
        for (std::size_t i = 0; i < w.n_pre(); ++i) {
            if (Scatter && !bits[i]) continue;  // the scatter visits the active rows only
            for (auto k = static_cast<std::size_t>(ip[i]); k < static_cast<std::size_t>(ip[i + 1]); ++k) {
                const auto j = static_cast<std::size_t>(ix[k]);
                if (Scatter || bits[j]) ref.add(Scatter ? j : i, v[k]);
            }
        }
        return ref;
    });
}
const auto scatter_reference = csr_reference<true>;
const auto gather_reference = csr_reference<false>;

/// Synaptic events/s, and bytes/s on what the product must read: indices + weights of the
/// active rows (8 bytes per synapse).
void counters(benchmark::State& state, std::size_t active) {
    const double syn = static_cast<double>(state.iterations()) * static_cast<double>(active * kFanOut);
    state.counters["active"] = static_cast<double>(active);
    state.counters["syn_events/s"] = benchmark::Counter(syn, benchmark::Counter::kIsRate);
    state.counters["touched_bytes/s"] = benchmark::Counter(8.0 * syn, benchmark::Counter::kIsRate);
}

double rate_of(const benchmark::State& state) {
    return static_cast<double>(state.range(0)) / 1000.0;
}

/// Times y = product(s) for the binary spikes at the state's firing rate, with the event-driven
/// counters (active rows × fan-out synapses), then checks y against reference(spike bytes).
template <class Product, class Ref>
void time_product(benchmark::State& state, Product&& product, Ref&& reference) {
    const auto bits = spikes(rate_of(state));
    brainevent::BinaryArray<> s{std::span<const std::uint8_t>(bits)};
    brainevent::Array<float> y(kN);
    for (auto _ : state) {
        y = product(s);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    counters(state, s.count());
    bench::check(state, std::span<const float>(y.data(), y.size()), reference(bits), "y");
}
/// The same for s * W, checked against the scatter of W's CSR arrays.
template <class Product>
void time_s_times_W(benchmark::State& state, const brainevent::CSR<float>& w, Product&& product) {
    time_product(state, product,
                 [&](const auto& bits) -> const bench::Reference& { return scatter_reference(w, bits); });
}

void BM_brainevent_csr_s_times_W(benchmark::State& state) {
    const auto& net = network();
    time_s_times_W(state, net.csr, [&](const auto& s) { return s * net.csr; });
}

void BM_brainevent_fixed_post_s_times_W(benchmark::State& state) {
    // The same matrix as FixedPostNumConn: rows start at i · k, no offsets to load.
    const auto& net = network();
    time_s_times_W(state, net.csr, [&](const auto& s) { return s * net.fixed; });
}

void BM_brainevent_fixed_pre_W_times_s(benchmark::State& state) {
    // transpose(fixed) is a FixedPreNumConn of W^T; W^T * s is its event-driven direction.
    const auto& net = network();
    const brainevent::FixedPreNumConn<float> Wt = transpose(net.fixed);
    time_s_times_W(state, net.csr, [&](const auto& s) { return Wt * s; });
}

void BM_brainevent_fixed_post_W_times_s(benchmark::State& state) {
    // The other direction: each output gathers over its row of k synapses (cost ∝ nnz).
    const auto& net = network();
    const auto bits = spikes(rate_of(state));
    brainevent::BinaryArray<> s{std::span<const std::uint8_t>(bits)};
    brainevent::Array<float> y(kN);
    for (auto _ : state) {
        y = net.fixed * s;
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    const double syn = static_cast<double>(state.iterations()) * static_cast<double>(kN * kFanOut);
    state.counters["syn_visited/s"] = benchmark::Counter(syn, benchmark::Counter::kIsRate);
    state.counters["touched_bytes/s"] = benchmark::Counter(8.0 * syn, benchmark::Counter::kIsRate);
    bench::check(state, std::span<const float>(y.data(), y.size()), gather_reference(net.csr, bits), "y");
}

/// JITCScalarR 100,000 × 100,000 with prob 0.01 (1,000 synapses per row on average), and the
/// same matrix materialised by tocsr() (800 MB), for the generate-versus-load comparison.
struct JitcNetwork {
    brainevent::JITCScalarR<float> jitc{0.1f, static_cast<double>(kFanOut) / kN, 42, {kN, kN}};
    brainevent::CSR<float> csr = jitc.tocsr();
};
const JitcNetwork& jitc_network() {
    static const JitcNetwork net;
    return net;
}

void BM_brainevent_jitc_scalar_s_times_W(benchmark::State& state) {
    const auto& net = jitc_network();
    time_s_times_W(state, net.csr, [&](const auto& s) { return s * net.jitc; });
}

void BM_brainevent_jitc_normal_s_times_W(benchmark::State& state) {
    // Normal weights (loc 0, scale 0.1) on the same connections as the scalar case.
    static const brainevent::JITCNormalR<float> jitc{0.0f, 0.1f, static_cast<double>(kFanOut) / kN, 42, {kN, kN}};
    // The reference walks the generator's rows of the active inputs (its own order of sums).
    time_product(
        state, [&](const auto& s) { return s * jitc; },
        [&](const auto& bits) -> const bench::Reference& {
            return bench::kept("JITCNormalR " + std::to_string(bench::hash_bytes(bits.data(), bits.size())), [&] {
                return bench::lines_reference(kN, kN, jitc.lines(), [&](std::size_t i) { return bits[i] != 0; });
            });
        });
}

void BM_brainevent_jitc_as_csr_s_times_W(benchmark::State& state) {
    const auto& net = jitc_network();
    state.counters["csr_MB"] = static_cast<double>(net.csr.nnz() * 8 + (kN + 1) * 4) / 1e6;
    time_s_times_W(state, net.csr, [&](const auto& s) { return s * net.csr; });
}

void BM_plain_loop_csr_s_times_W(benchmark::State& state) {
    const auto& net = network();
    const auto bits = spikes(rate_of(state));
    const auto ip = net.csr.indptr();
    const auto ix = net.csr.indices();
    const auto w = net.csr.weights();
    std::vector<float> y(kN);
    std::size_t active = 0;
    for (auto b : bits) active += b;
    for (auto _ : state) {
        std::fill(y.begin(), y.end(), 0.0f);
        for (std::size_t i = 0; i < kN; ++i) {
            if (!bits[i]) continue;
            for (auto k = ip[i]; k < ip[i + 1]; ++k) y[static_cast<std::size_t>(ix[k])] += w[k];
        }
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    counters(state, active);
    bench::check(state, std::span<const float>(y), scatter_reference(net.csr, bits), "plain loop's y");
}

/// Eigen's sparse product of the same CSR with the spikes as 0/1 floats: x^T W or W x.
template <class Product>
void time_eigen(benchmark::State& state, bool transposed, Product&& product) {
    const auto& net = network();
    const auto bits = spikes(rate_of(state));
    const auto W = eigen_view(net.csr);
    const Eigen::VectorXf x = as_floats(bits);
    Eigen::VectorXf y(kN);
    const auto active = static_cast<std::size_t>(x.sum());
    for (auto _ : state) {
        y.noalias() = product(W, x);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    counters(state, active);
    bench::check(state, std::span<const float>(y.data(), kN),
                 transposed ? scatter_reference(net.csr, bits) : gather_reference(net.csr, bits), "Eigen's y");
}

void BM_eigen_sparse_s_times_W(benchmark::State& state) {
    time_eigen(state, true, [](const auto& W, const auto& x) { return W.transpose() * x; });  // y = x^T W
}

void BM_brainevent_csc_W_times_s(benchmark::State& state) {
    // W * s with W by columns: the event-driven direction of CSC (scatter the active columns).
    const auto& net = network();
    time_product(
        state, [&](const auto& s) { return net.csc * s; },
        [&](const auto& bits) -> const bench::Reference& { return gather_reference(net.csr, bits); });
}

void BM_eigen_sparse_W_times_s(benchmark::State& state) {
    time_eigen(state, false, [](const auto& W, const auto& x) { return W * x; });
}

/// The floor of a scatter on this core: the indices and weights of as many synapses as the product
/// at this firing rate touches, read contiguously (the first rows of W), each added into y — the
/// same bytes and the same random updates of y, without spikes or row offsets.
struct ProbeBytes {
    std::size_t active;
    std::span<const int> ix;
    std::span<const float> w;
};
ProbeBytes probe_bytes(const benchmark::State& state) {
    const auto& net = network();
    std::size_t active = 0;
    for (auto b : spikes(rate_of(state))) active += b;
    const std::size_t m = active * kFanOut;
    return {active, net.csr.indices().first(m), net.csr.weights().first(m)};
}

void BM_scatter_floor_probe(benchmark::State& state) {
    const auto [active, ix, w] = probe_bytes(state);
    std::vector<float> y(kN);
    for (auto _ : state) {
        std::fill(y.begin(), y.end(), 0.0f);
        for (std::size_t e = 0; e < ix.size(); ++e) y[static_cast<std::size_t>(ix[e])] += w[e];
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    counters(state, active);
}

/// Read probe: the same bytes as the floor probe (indices and weights), summed without touching y:
/// what reading them costs on this core.
void BM_read_floor_probe(benchmark::State& state) {
    const auto [active, ix, w] = probe_bytes(state);
    for (auto _ : state) {
        std::uint32_t sum = 0;  // integer sums, so that the loop vectorises (no chain of float adds)
        for (std::size_t e = 0; e < ix.size(); ++e)
            sum += static_cast<std::uint32_t>(ix[e]) + std::bit_cast<std::uint32_t>(w[e]);
        benchmark::DoNotOptimize(sum);
    }
    counters(state, active);
}

/// Memory-bandwidth probe: a streaming copy of 256 MiB; bytes/s counts read + write traffic.
void BM_copy_bandwidth_probe(benchmark::State& state) {
    const std::size_t n = std::size_t{256} << 20;
    std::vector<char> a(n, 1), b(n, 0);
    for (auto _ : state) {
        std::memcpy(b.data(), a.data(), n);
        benchmark::DoNotOptimize(b.data());
        benchmark::ClobberMemory();
    }
    state.counters["bytes/s"] = benchmark::Counter(
        2.0 * static_cast<double>(state.iterations()) * static_cast<double>(n), benchmark::Counter::kIsRate);
}

const std::vector<std::int64_t> kRates = {1, 10, 100};  // 0.1%, 1%, 10%

}  // namespace

BENCHMARK(BM_copy_bandwidth_probe)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_brainevent_csr_s_times_W)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_fixed_post_s_times_W)
    ->ArgsProduct({kRates})
    ->ArgName("permille")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_fixed_post_W_times_s)->Arg(10)->ArgName("permille")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_brainevent_fixed_pre_W_times_s)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_jitc_scalar_s_times_W)
    ->ArgsProduct({kRates})
    ->ArgName("permille")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_jitc_normal_s_times_W)
    ->ArgsProduct({kRates})
    ->ArgName("permille")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_jitc_as_csr_s_times_W)
    ->ArgsProduct({kRates})
    ->ArgName("permille")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_scatter_floor_probe)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_read_floor_probe)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_plain_loop_csr_s_times_W)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_eigen_sparse_s_times_W)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csc_W_times_s)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_eigen_sparse_W_times_s)->ArgsProduct({kRates})->ArgName("permille")->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
