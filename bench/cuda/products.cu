// CUDA products on the GPU against what a CUDA user would reach for (cuSPARSE SpMV/SpMM on the
// spikes as 0/1 floats, cuBLAS sgemv), with a device-to-device copy as the bandwidth probe.
// Times are CUDA-event medians (UseManualTime). Matrices are generated on the device.
//
//   ./bench_cuda --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cublas_v2.h>
#include <cusparse.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <tuple>
#include <vector>

#include "brainevent/brainevent.hpp"
#include "knob_scope.hpp"  // tests/, shared with the tests

namespace {

using namespace brainevent;

#define BENCH_CHECK(call)                                                                                     \
    do {                                                                                                      \
        if (auto e_ = (call); e_ != 0) throw std::runtime_error(#call " failed: " + std::to_string(int(e_))); \
    } while (0)

/// A tuning knob set for one benchmark, its previous value restored when the benchmark ends.
using testing::KnobScope;

/// A deterministic hash, so matrices are made on the device without host round trips.
__device__ __forceinline__ unsigned hash32(unsigned long long x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return static_cast<unsigned>(x);
}

__global__ void fill_fixed_fanout(int* indptr, int* indices, float* weights, std::size_t n, std::size_t k) {
    for (std::size_t t = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; t < n * k;
         t += std::size_t{gridDim.x} * blockDim.x) {
        // Sorted random targets: entry c of a row falls uniformly in the c-th 1/k of the range.
        const std::size_t c = t % k;
        indices[t] = static_cast<int>((c * n + hash32(t * 2 + 1) % n) / k);
        weights[t] = (hash32(t * 2 + 2) & 0xffff) / 65536.0f - 0.5f;
        if (t % k == 0) indptr[t / k] = static_cast<int>(t);
    }
    if (blockIdx.x == 0 && threadIdx.x == 0) indptr[n] = static_cast<int>(n * k);
}

/// CSR n × n with fixed fan-out k (random sorted targets, heterogeneous weights), built on the
/// device.
const CSR<float, brainevent::cuda>& network(std::size_t n, std::size_t k) {
    static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<CSR<float, brainevent::cuda>>> cache;
    auto& slot = cache[{n, k}];
    if (!slot) {
        detail::Compressed<float, brainevent::cuda, int, int> c;
        c.n_major = c.n_minor = n;
        auto ip = std::make_shared<Buffer<int, brainevent::cuda>>(n + 1);
        auto ix = std::make_shared<Buffer<int, brainevent::cuda>>(n * k);
        auto w = std::make_shared<Buffer<float, brainevent::cuda>>(n * k);
        fill_fixed_fanout<<<4096, 256>>>(ip->data(), ix->data(), w->data(), n, k);
        BENCH_CHECK(cudaDeviceSynchronize());
        c.indptr = ip;
        c.indices = ix;
        c.weights = w;
        c.sorted = n >= k;  // distinct and increasing when every stratum holds at least one index
        kernels::cuda_impl::add_range_index(c, k, nullptr);  // as to_device gives one
        if (detail::transposed_lines_may_pay(n, n, n * k))      // and this, made from a host copy
            c.transposed = to_device(to_host(CSR<float, brainevent::cuda>(c))).storage().transposed;
        BENCH_CHECK(cudaDeviceSynchronize());
        slot = std::make_unique<CSR<float, brainevent::cuda>>(std::move(c));
    }
    return *slot;
}

/// The same matrix as FixedPostNumConn (k targets per row), sharing the CSR's device arrays.
const FixedPostNumConn<float, brainevent::cuda>& fixed_network(std::size_t n, std::size_t k) {
    static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<FixedPostNumConn<float, brainevent::cuda>>>
        cache;
    auto& slot = cache[{n, k}];
    if (!slot) {
        const auto& c = network(n, k).storage();
        detail::Fixed<float, brainevent::cuda, int> f;
        f.n_major = f.n_minor = n;
        f.k = k;
        f.indices = c.indices;
        f.weights = c.weights;
        f.sorted = c.sorted;
        f.ranges = c.ranges;  // the same structure, so the same range index
        f.transposed = c.transposed;
        slot = std::make_unique<FixedPostNumConn<float, brainevent::cuda>>(std::move(f));
    }
    return *slot;
}

BinaryArray<brainevent::cuda> spikes(std::size_t rows, std::size_t n, double rate, unsigned seed = 5) {
    std::mt19937 g(seed);
    std::bernoulli_distribution d(rate);
    std::vector<std::uint8_t> s(rows * n);
    for (auto& x : s) x = d(g) ? 1 : 0;
    return to_device(rows == 1 ? BinaryArray<>(std::span<const std::uint8_t>(s))
                               : BinaryArray<>(rows, n, std::span<const std::uint8_t>(s)));
}

/// A batch × n device matrix of values uniform in [-1, 1) (every one nonzero).
Array<float, brainevent::cuda> float_batch(std::size_t batch, std::size_t n) {
    std::mt19937 g(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> xs(batch * n);
    for (auto& x : xs) x = u(g);
    return to_device(Array<float>(batch, n, std::span<const float>(xs)));
}

/// Times f() with CUDA events, one iteration per benchmark iteration (manual time).
template <class F>
void time_it(benchmark::State& state, F&& f) {
    cudaEvent_t a, b;
    BENCH_CHECK(cudaEventCreate(&a));
    BENCH_CHECK(cudaEventCreate(&b));
    for (int w = 0; w < 3; ++w) f();  // warm-up
    for (auto _ : state) {
        BENCH_CHECK(cudaEventRecord(a));
        f();
        BENCH_CHECK(cudaEventRecord(b));
        BENCH_CHECK(cudaEventSynchronize(b));
        float ms = 0;
        BENCH_CHECK(cudaEventElapsedTime(&ms, a, b));
        state.SetIterationTime(ms / 1e3);
    }
    cudaEventDestroy(a);
    cudaEventDestroy(b);
}

void set_counters(benchmark::State& state, double synapses, double touched_bytes) {
    state.counters["syn_events/s"] = benchmark::Counter(synapses, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["touched_bytes/s"] =
        benchmark::Counter(touched_bytes, benchmark::Counter::kIsIterationInvariantRate);
}

/// y = s * W for the matrix get(n, k) (bytes per synapse: 8 heterogeneous, 4 homogeneous).
// Arguments: n, fan-out, firing in units of 0.01%.
// `events` turns the spikes into what the product reads (as they are by default).
template <class Get, class Events = std::identity>
void s_times_W(benchmark::State& state, Get&& get, double bytes_per_synapse, Events events = {}) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto& W = get(n, k);
    const auto bits = spikes(1, n, rate);
    const auto s = events(bits);
    Array<float, brainevent::cuda> y(n);
    const double active = static_cast<double>(to_host(bits).count());
    time_it(state, [&] { y = s * W; });
    state.counters["active"] = active;
    set_counters(state, active * static_cast<double>(k), active * static_cast<double>(k) * bytes_per_synapse);
}

void BM_brainevent_csr_s_times_W(benchmark::State& state) {
    s_times_W(state, network, 8.0);
}
void BM_brainevent_fixed_post_s_times_W(benchmark::State& state) {
    s_times_W(state, fixed_network, 8.0);
}

__global__ void scatter_probe_kernel(float* __restrict__ y, const int* __restrict__ ix, const float* __restrict__ w,
                                     std::size_t m) {
    for (std::size_t e = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; e < m;
         e += std::size_t{gridDim.x} * blockDim.x)
        atomicAdd(y + ix[e], w[e]);
}

/// The floor of an atomic scatter: the indices and weights of as many synapses as the product
/// at (n, fan-out, firing) touches, read contiguously (the first rows of W), each added with
/// one atomicAdd into y. No event handling, no row lookups: what any one-atomic-per-synapse
/// kernel cannot beat.
void BM_atomic_scatter_probe(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto& c = network(n, k).storage();
    const double active = static_cast<double>(to_host(spikes(1, n, rate)).count());
    const auto m = static_cast<std::size_t>(active) * k;
    Array<float, brainevent::cuda> y(n);
    int sms = 0;
    BENCH_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    time_it(state, [&] {
        BENCH_CHECK(cudaMemsetAsync(y.data(), 0, n * sizeof(float)));
        scatter_probe_kernel<<<static_cast<unsigned>(sms) * 8, 256>>>(y.data(), c.indices->data(), c.weights->data(),
                                                                      m);
        BENCH_CHECK(cudaGetLastError());
    });
    set_counters(state, static_cast<double>(m), static_cast<double>(m) * 8.0);
}

__device__ __forceinline__ unsigned probe_hash(unsigned x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/// kAtomicsPerThread atomics per thread, each of 1 to a hashed element among N of shared memory.
constexpr int kAtomicsPerThread = 1024;
template <class T, int N>
__global__ void shared_atomics_probe_kernel(T* out) {
    __shared__ T s[N];
    for (int i = threadIdx.x; i < N; i += blockDim.x) s[i] = T(0);
    __syncthreads();
    unsigned x = probe_hash(blockIdx.x * blockDim.x + threadIdx.x);
    for (int k = 0; k < kAtomicsPerThread; ++k) {
        x = probe_hash(x + static_cast<unsigned>(k));
        atomicAdd(&s[x & (N - 1)], T(1));
    }
    __syncthreads();
    if (threadIdx.x == 0) out[blockIdx.x] = s[0];
}

/// The same into a global array of mask + 1 floats.
__global__ void global_atomics_probe_kernel(float* y, unsigned mask) {
    unsigned x = probe_hash(blockIdx.x * blockDim.x + threadIdx.x);
    for (int k = 0; k < kAtomicsPerThread; ++k) {
        x = probe_hash(x + static_cast<unsigned>(k));
        atomicAdd(&y[x & mask], 1.0f);
    }
}

/// Atomic throughput over the whole device (4 blocks of 256 per SM): argument 0, float atomics
/// into 8,192 floats of shared memory per block (a compare-and-swap loop on sm_90); 1, unsigned
/// ones (one instruction); 2, float into 64 (contended); 3, float into a global 4 MB array (kept
/// in L2). What a design that sums in shared memory instead of global memory can count on.
void BM_atomic_throughput_probe(benchmark::State& state) {
    int sms = 0;
    BENCH_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const unsigned blocks = static_cast<unsigned>(sms) * 4, threads = 256;
    Buffer<float, brainevent::cuda> y(std::size_t{1} << 20, 0.0f);
    time_it(state, [&] {
        switch (state.range(0)) {
            case 0:
                shared_atomics_probe_kernel<float, 8192><<<blocks, threads>>>(y.data());
                break;
            case 1:
                shared_atomics_probe_kernel<unsigned, 8192><<<blocks, threads>>>(reinterpret_cast<unsigned*>(y.data()));
                break;
            case 2:
                shared_atomics_probe_kernel<float, 64><<<blocks, threads>>>(y.data());
                break;
            default:
                global_atomics_probe_kernel<<<blocks, threads>>>(y.data(), (1u << 20) - 1);
                break;
        }
        BENCH_CHECK(cudaGetLastError());
    });
    state.counters["atomics/s"] =
        benchmark::Counter(double(blocks) * threads * kAtomicsPerThread, benchmark::Counter::kIsIterationInvariantRate);
}

/// The same structure with one homogeneous weight (0.1).
const CSR<float, brainevent::cuda>& homogeneous_network(std::size_t n, std::size_t k) {
    static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<CSR<float, brainevent::cuda>>> cache;
    auto& slot = cache[{n, k}];
    if (!slot) {
        auto c = network(n, k).storage();
        c.weights = std::make_shared<Buffer<float, brainevent::cuda>>(1, 0.1f);
        c.homogeneous = true;
        slot = std::make_unique<CSR<float, brainevent::cuda>>(std::move(c));
    }
    return *slot;
}

void BM_brainevent_csr_homogeneous_s_times_W(benchmark::State& state) {
    s_times_W(state, homogeneous_network, 4.0);
}

/// The spikes as a device index list (compacted once, outside the timing).
IndexedBinary1d<brainevent::cuda> index_list(const BinaryArray<brainevent::cuda>& bits) {
    IndexedBinary1d<brainevent::cuda> list;
    compact(bits, list);
    return list;
}

/// The homogeneous range scatter with and without its integer count tile (4th argument:
/// kernels::cuda_impl::range_counts), binary events (5th argument 0) or an index list (1).
void BM_csr_range_counts(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope counts(impl::range_counts, state.range(3) != 0);
    if (state.range(4) == 0)
        s_times_W(state, homogeneous_network, 4.0);
    else
        s_times_W(state, homogeneous_network, 4.0, index_list);
}

/// y = s * W with the spikes as a device index list (compacted once, outside the timing): the
/// list kernel visits only the listed rows, with no pass over the n spike bytes.
void BM_brainevent_csr_indexed_s_times_W(benchmark::State& state) {
    s_times_W(state, network, 8.0, index_list);
}

/// Batched S * W (batch 32) against cuSPARSE SpMM on the 0/1 matrix.
void BM_brainevent_csr_batch_s_times_W(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const std::size_t batch = 32;
    const auto& W = network(n, k);
    const auto S = spikes(batch, n, rate);
    Array<float, brainevent::cuda> Y(batch, n);
    const double active = static_cast<double>(to_host(S).count());
    time_it(state, [&] { Y = S * W; });
    set_counters(state, active * static_cast<double>(k), active * static_cast<double>(k) * 8.0);
}

/// Times cuSPARSE SpMM on row-major batch × n matrices X and Y (column-major n × batch to
/// cuSPARSE): Y^T = op(W) X^T, that is Y = X * W (op: transpose) or Y = W * X (no transpose).
void time_cusparse_spmm(benchmark::State& state, const CSR<float, brainevent::cuda>& W,
                        const Array<float, brainevent::cuda>& X, Array<float, brainevent::cuda>& Y,
                        cusparseOperation_t op) {
    const std::size_t n = W.n_pre(), batch = X.rows();
    cusparseHandle_t h;
    BENCH_CHECK(cusparseCreate(&h));
    const auto& c = W.storage();
    cusparseSpMatDescr_t A;
    cusparseDnMatDescr_t mx, my;
    BENCH_CHECK(cusparseCreateCsr(&A, static_cast<std::int64_t>(n), static_cast<std::int64_t>(n),
                                  static_cast<std::int64_t>(c.nnz()), const_cast<int*>(c.indptr->data()),
                                  const_cast<int*>(c.indices->data()), c.weights->data(), CUSPARSE_INDEX_32I,
                                  CUSPARSE_INDEX_32I, CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
    BENCH_CHECK(cusparseCreateDnMat(&mx, static_cast<std::int64_t>(n), static_cast<std::int64_t>(batch),
                                    static_cast<std::int64_t>(n), const_cast<float*>(X.data()), CUDA_R_32F,
                                    CUSPARSE_ORDER_COL));
    BENCH_CHECK(cusparseCreateDnMat(&my, static_cast<std::int64_t>(n), static_cast<std::int64_t>(batch),
                                    static_cast<std::int64_t>(n), Y.data(), CUDA_R_32F, CUSPARSE_ORDER_COL));
    const float one = 1, zero = 0;
    std::size_t bytes = 0;
    BENCH_CHECK(cusparseSpMM_bufferSize(h, op, CUSPARSE_OPERATION_NON_TRANSPOSE, &one, A, mx, &zero, my, CUDA_R_32F,
                                        CUSPARSE_SPMM_ALG_DEFAULT, &bytes));
    Buffer<char, brainevent::cuda> work(bytes + 1);
    time_it(state, [&] {
        BENCH_CHECK(cusparseSpMM(h, op, CUSPARSE_OPERATION_NON_TRANSPOSE, &one, A, mx, &zero, my, CUDA_R_32F,
                                 CUSPARSE_SPMM_ALG_DEFAULT, work.data()));
    });
    cusparseDestroySpMat(A);
    cusparseDestroyDnMat(mx);
    cusparseDestroyDnMat(my);
    cusparseDestroy(h);
}

void BM_cusparse_spmm(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const std::size_t batch = 32;
    const auto& W = network(n, k);
    const auto S = to_host(spikes(batch, n, rate));
    std::vector<float> xs(batch * n);
    for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = S.data()[i] ? 1.0f : 0.0f;
    const Array<float, brainevent::cuda> X = to_device(Array<float>(batch, n, std::span<const float>(xs)));
    Array<float, brainevent::cuda> Y(batch, n);
    time_cusparse_spmm(state, W, X, Y, CUSPARSE_OPERATION_TRANSPOSE);
}

/// Times Y = W * S for a batch × n batch of binary events firing at `rate`, or (`real`) of the
/// values of float_batch.
template <class M>
void time_W_times_batch(benchmark::State& state, const M& W, std::size_t batch, std::size_t n, double rate,
                        bool real) {
    Array<float, brainevent::cuda> Y(batch, n);
    if (!real) {
        const auto S = spikes(batch, n, rate);
        time_it(state, [&] { Y = W * S; });
    } else {
        const Array<float, brainevent::cuda> X = float_batch(batch, n);
        time_it(state, [&] { Y = W * X; });
    }
}

/// Y = W * S (CSR, the gather: each output sums its row at the inputs' values) for a batch.
// Arguments: n, fan-out, firing in units of 0.01%, batch, events (0 binary, 1 float: uniform
// values in [-1, 1), every one nonzero), columns (1: gather_batch_columns, each entry read once
// for up to 32 rows; 0: a warp per output and row).
void BM_csr_batch_W_times_S(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto batch = static_cast<std::size_t>(state.range(3));
    const KnobScope columns(kernels::cuda_impl::gather_batch_columns, state.range(5) != 0);
    const auto& W = network(n, k);
    time_W_times_batch(state, W, batch, n, rate, state.range(4) != 0);
    // Entries (times the batch rows they serve), and the bytes of every index and weight once.
    set_counters(state, static_cast<double>(n * k * batch), static_cast<double>(n * k) * 8.0);
}

/// cuSPARSE SpMM computing W * X for a batch of 32 float rows (row-major batch × n: Y^T = W X^T).
void BM_cusparse_spmm_W_times_X(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const std::size_t batch = 32;
    const auto& W = network(n, k);
    const Array<float, brainevent::cuda> X = float_batch(batch, n);
    Array<float, brainevent::cuda> Y(batch, n);
    time_cusparse_spmm(state, W, X, Y, CUSPARSE_OPERATION_NON_TRANSPOSE);
    set_counters(state, static_cast<double>(n * k * batch), static_cast<double>(n * k) * 8.0);
}

/// Time per replay of a CUDA graph captured from `work(stream)`: the graph launched 100 times
/// between two events.
template <class Work>
void graph_replays(benchmark::State& state, Work&& work) {
    cudaStream_t stream;
    BENCH_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    work(stream);  // warm-up before the capture
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    BENCH_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
    work(stream);
    BENCH_CHECK(cudaStreamEndCapture(stream, &graph));
    BENCH_CHECK(cudaGraphInstantiate(&exec, graph, 0));
    cudaEvent_t a, b;
    BENCH_CHECK(cudaEventCreate(&a));
    BENCH_CHECK(cudaEventCreate(&b));
    constexpr int kReplays = 100;
    for (auto _ : state) {
        BENCH_CHECK(cudaEventRecord(a, stream));
        for (int r = 0; r < kReplays; ++r) BENCH_CHECK(cudaGraphLaunch(exec, stream));
        BENCH_CHECK(cudaEventRecord(b, stream));
        BENCH_CHECK(cudaEventSynchronize(b));
        float ms = 0;
        BENCH_CHECK(cudaEventElapsedTime(&ms, a, b));
        state.SetIterationTime(ms / 1e3 / kReplays);
    }
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(stream);
}

/// A network step replayed as a CUDA graph: `y = s * W` captured once.
template <class M>
void step_graph(benchmark::State& state, const M& W) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto s = spikes(1, n, rate);
    Array<float, brainevent::cuda> y(n);
    graph_replays(state, [&](cudaStream_t stream) { y = on(stream, s * W); });
}

__global__ void empty_kernel(float*) {}

/// What a graph replay costs without the product: one empty kernel (argument 0), a memset of
/// n floats and an empty kernel (1), or `y += s * W` (2: the product without zeroing y).
void BM_step_graph_floor(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto s = spikes(1, n, rate);
    const auto& W = network(n, static_cast<std::size_t>(state.range(1)));
    Array<float, brainevent::cuda> y(n);
    graph_replays(state, [&](cudaStream_t stream) {
        if (state.range(3) == 2) {
            y += on(stream, s * W);
            return;
        }
        if (state.range(3) == 1) BENCH_CHECK(cudaMemsetAsync(y.data(), 0, n * sizeof(float), stream));
        empty_kernel<<<16, 256, 0, stream>>>(y.data());
    });
}

/// Variants of the CSR scatter, binary s * W: 4th argument how active lines are found
/// (kernels::cuda_impl::FindActive: 0 automatic, 1 by warps, 2 by tiles; output ranges: see
/// BM_csr_range_merge), 5th how y is zeroed (Zeroing: 0 memset, 1 dependent launch). Up to
/// 10,000 neurons as graph replays (a network step), above as plain launches.
void BM_csr_scatter_variants(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope find(impl::scatter_find_active, static_cast<impl::FindActive>(state.range(3)));
    const KnobScope zeroing(impl::scatter_zeroing, static_cast<impl::Zeroing>(state.range(4)));
    const auto n = static_cast<std::size_t>(state.range(0));
    if (n <= 10'000)
        step_graph(state, network(n, static_cast<std::size_t>(state.range(1))));
    else
        s_times_W(state, network, 8.0);
}

/// The range scatter (FindActive::by_range), binary s * W: 4th argument the index ranges merged
/// per output range (kernels::cuda_impl::range_merge; 0 automatic).
void BM_csr_range_merge(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope find(impl::scatter_find_active, impl::FindActive::by_range);
    const KnobScope merge(impl::range_merge, static_cast<unsigned>(state.range(3)));
    s_times_W(state, network, 8.0);
}

/// The network step with W held as CSC: s * W gathers over the stored lines (weights in place,
/// not through the transposed lines' entry places). The transposed network has the same
/// statistics (fixed in-degree instead of fixed fan-out).
void BM_brainevent_csc_step_graph(benchmark::State& state) {
    step_graph(state,
               transpose(network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)))));
}

/// The CSR scatter without (4th argument 0) and with (1) the gather over the matrix's transposed
/// lines (kernels::cuda_impl::gather_transposed; the matrix has them up to 4,096 columns), as graph
/// replays (a network step).
void BM_csr_gather_transposed(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope gather(impl::gather_transposed, state.range(3) != 0);
    step_graph(state, network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))));
}

void BM_brainevent_csr_step_graph(benchmark::State& state) {
    step_graph(state, network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))));
}
void BM_brainevent_fixed_step_graph(benchmark::State& state) {
    step_graph(state,
               fixed_network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1))));
}

/// JITC s * W, n × n, prob = fan-out / n (arguments as for CSR): no matrix in memory; the scratch
/// of the product (active-line list) is 12 bytes per presynaptic neuron.
template <class M, class... P>
void jitc_s_times_W(benchmark::State& state, P... params) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const M W(params..., static_cast<double>(k) / static_cast<double>(n), 42, {n, n});
    const auto s = spikes(1, n, rate);
    Array<float, brainevent::cuda> y(n);
    const double active = static_cast<double>(to_host(s).count());
    time_it(state, [&] { y = s * W; });
    state.counters["active"] = active;
    state.counters["syn_events/s"] =
        benchmark::Counter(active * static_cast<double>(k), benchmark::Counter::kIsIterationInvariantRate);
}
void BM_brainevent_jitc_scalar_s_times_W(benchmark::State& state) {
    jitc_s_times_W<JITCScalarR<float, brainevent::cuda>>(state, 0.1f);
}
void BM_brainevent_jitc_normal_s_times_W(benchmark::State& state) {
    jitc_s_times_W<JITCNormalR<float, brainevent::cuda>>(state, 0.0f, 0.1f);
}
/// Y = W * S with JITCScalarR (the gather: each output line generated and summed at the inputs'
/// values) for a batch. Arguments: n, entries per line, firing in units of 0.01%, batch, events (0
/// binary, 1 float), columns (1: jitc_gather_columns, a line generated once per 32 rows; 0: once
/// per row).
void BM_jitc_batch_W_times_S(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto batch = static_cast<std::size_t>(state.range(3));
    const KnobScope columns(kernels::cuda_impl::jitc_gather_columns, state.range(5) != 0);
    const JITCScalarR<float, brainevent::cuda> W(0.1f, static_cast<double>(k) / static_cast<double>(n), 42, {n, n});
    time_W_times_batch(state, W, batch, n, rate, state.range(4) != 0);
    state.counters["entries/s"] =
        benchmark::Counter(static_cast<double>(n * k), benchmark::Counter::kIsIterationInvariantRate);
}

/// The scatters that list their active lines first, binary s * W, under each way of zeroing
/// (4th argument kernels::cuda_impl::Zeroing: 0 memset, 1 dependent launch, 2 chained): the
/// range scatter of CSR (5th argument 0; chosen automatically at these sizes; its output ranges
/// are shared by several blocks, so y is zeroed first) and the JITCScalarR tile scatter (1).
void BM_listing_zeroing(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope zeroing(impl::scatter_zeroing, static_cast<impl::Zeroing>(state.range(3)));
    if (state.range(4) == 0)
        s_times_W(state, network, 8.0);
    else
        jitc_s_times_W<JITCScalarR<float, brainevent::cuda>>(state, 0.1f);
}

/// The tuning constant jitc_tiles_per_sm (4th argument), JITCScalarR.
void BM_jitc_tiles_per_sm(benchmark::State& state) {
    namespace impl = brainevent::kernels::cuda_impl;
    const KnobScope tiles(impl::jitc_tiles_per_sm, static_cast<unsigned>(state.range(3)));
    jitc_s_times_W<JITCScalarR<float, brainevent::cuda>>(state, 0.1f);
}

void BM_cusparse_spmv(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0)), k = static_cast<std::size_t>(state.range(1));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto& W = network(n, k);
    const auto s = to_host(spikes(1, n, rate));
    std::vector<float> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = s(i) ? 1.0f : 0.0f;
    const Array<float, brainevent::cuda> x = to_device(Array<float>(std::span<const float>(xs)));
    Array<float, brainevent::cuda> y(n);
    cusparseHandle_t h;
    BENCH_CHECK(cusparseCreate(&h));
    cusparseSpMatDescr_t A;
    cusparseDnVecDescr_t vx, vy;
    const auto& c = W.storage();
    BENCH_CHECK(cusparseCreateCsr(&A, static_cast<std::int64_t>(n), static_cast<std::int64_t>(n),
                                  static_cast<std::int64_t>(c.nnz()), const_cast<int*>(c.indptr->data()),
                                  const_cast<int*>(c.indices->data()), c.weights->data(), CUSPARSE_INDEX_32I,
                                  CUSPARSE_INDEX_32I, CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
    BENCH_CHECK(cusparseCreateDnVec(&vx, static_cast<std::int64_t>(n), const_cast<float*>(x.data()), CUDA_R_32F));
    BENCH_CHECK(cusparseCreateDnVec(&vy, static_cast<std::int64_t>(n), y.data(), CUDA_R_32F));
    const float one = 1, zero = 0;
    std::size_t bytes = 0;
    BENCH_CHECK(cusparseSpMV_bufferSize(h, CUSPARSE_OPERATION_TRANSPOSE, &one, A, vx, &zero, vy, CUDA_R_32F,
                                        CUSPARSE_SPMV_ALG_DEFAULT, &bytes));
    Buffer<char, brainevent::cuda> work(bytes + 1);
    time_it(state, [&] {
        BENCH_CHECK(cusparseSpMV(h, CUSPARSE_OPERATION_TRANSPOSE, &one, A, vx, &zero, vy, CUDA_R_32F,
                                 CUSPARSE_SPMV_ALG_DEFAULT, work.data()));
    });
    cusparseDestroySpMat(A);
    cusparseDestroyDnVec(vx);
    cusparseDestroyDnVec(vy);
    cusparseDestroy(h);
}

void BM_brainevent_dense_s_times_W(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 10000.0;
    static std::map<std::size_t, std::unique_ptr<Dense<float, brainevent::cuda>>> cache;
    auto& W = cache[n];
    if (!W) {
        W = std::make_unique<Dense<float, brainevent::cuda>>(n, n);
        detail::fill_device(W->data(), n * n, 0.25f, nullptr);
    }
    const auto s = spikes(1, n, rate);
    Array<float, brainevent::cuda> y(n);
    const double active = static_cast<double>(to_host(s).count());
    time_it(state, [&] { y = s * *W; });
    set_counters(state, active * static_cast<double>(n), active * static_cast<double>(n) * 4.0);
}

void BM_cublas_sgemv(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 10000.0;
    Buffer<float, brainevent::cuda> W(n * n, 0.25f);
    const auto s = to_host(spikes(1, n, rate));
    std::vector<float> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = s(i) ? 1.0f : 0.0f;
    const Array<float, brainevent::cuda> x = to_device(Array<float>(std::span<const float>(xs)));
    Array<float, brainevent::cuda> y(n);
    cublasHandle_t h;
    BENCH_CHECK(cublasCreate(&h));
    const float one = 1, zero = 0;
    const int ni = static_cast<int>(n);
    // Row-major W is column-major W^T: y = W^T x is the non-transposed gemv on it.
    time_it(state, [&] {
        BENCH_CHECK(cublasSgemv(h, CUBLAS_OP_N, ni, ni, &one, W.data(), ni, x.data(), 1, &zero, y.data(), 1));
    });
    cublasDestroy(h);
}

void BM_device_copy_probe(benchmark::State& state) {
    const std::size_t n = std::size_t{1} << 30;  // 1 GiB
    Buffer<char, brainevent::cuda> a(n, 1), b(n);
    time_it(state, [&] { BENCH_CHECK(cudaMemcpyAsync(b.data(), a.data(), n, cudaMemcpyDeviceToDevice)); });
    state.counters["bytes/s"] = benchmark::Counter(2.0 * n, benchmark::Counter::kIsIterationInvariantRate);
}

const std::vector<std::vector<std::int64_t>> kCsrCases = {
    {100'000, 1'000, 100}, {1'000'000, 1'000, 100}, {1'000'000, 1'000, 10}, {4'000, 80, 500}};

void csr_args(benchmark::internal::Benchmark* b) {
    for (const auto& c : kCsrCases) b->Args(c);
    b->ArgNames({"n", "fanout", "firing_0.01pct"});
}
/// The issue's cases, and heavier loads: 10% firing, and 4M synapses into 400,000 outputs.
void csr_args_extended(benchmark::internal::Benchmark* b) {
    csr_args(b);
    b->Args({100'000, 1'000, 1'000})->Args({400'000, 1'000, 100});
}

/// Graph-replay benchmarks: a fixed number of iterations, since each iteration is 100 replays and
/// min_time counts only their replay time (0.1 s of it took 10 s of wall time per benchmark).
void graph_bench(benchmark::internal::Benchmark* b) {
    b->Iterations(200)->UseManualTime()->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(BM_device_copy_probe)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csr_s_times_W)->Apply(csr_args_extended)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_fixed_post_s_times_W)->Apply(csr_args)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_atomic_scatter_probe)->Apply(csr_args)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_atomic_throughput_probe)->DenseRange(0, 3)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csr_indexed_s_times_W)->Apply(csr_args)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csr_homogeneous_s_times_W)->Apply(csr_args)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csr_batch_s_times_W)
    ->Args({100'000, 1'000, 100})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_cusparse_spmm)->Args({100'000, 1'000, 100})->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_csr_batch_W_times_S)
    ->ArgsProduct({{100'000}, {1'000}, {100}, {2, 4, 8, 16, 32}, {0, 1}, {0, 1}})
    ->ArgsProduct({{1'000'000}, {1'000}, {100}, {32}, {0, 1}, {1}})
    ->ArgNames({"n", "fanout", "firing_0.01pct", "batch", "float", "columns"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_cusparse_spmm_W_times_X)
    ->Args({100'000, 1'000})
    ->Args({1'000'000, 1'000})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_csr_step_graph)->Args({4'000, 80, 500})->Apply(graph_bench);
BENCHMARK(BM_brainevent_csc_step_graph)->ArgsProduct({{4'000}, {80}, {10, 500}})->Apply(graph_bench);
BENCHMARK(BM_csr_gather_transposed)
    ->ArgsProduct({{4'000}, {80}, {0, 10, 100, 500, 10'000}, {0, 1}})
    ->ArgsProduct({{1'000}, {20}, {10, 500}, {0, 1}})
    ->Apply(graph_bench);
BENCHMARK(BM_step_graph_floor)->ArgsProduct({{4'000}, {80}, {500}, {0, 1, 2}})->Apply(graph_bench);
// Firing 0: the step without spikes (events and offsets read, no entries): the finder's floor.
BENCHMARK(BM_csr_scatter_variants)->ArgsProduct({{4'000}, {80}, {0, 500}, {1, 2}, {0, 1}})->Apply(graph_bench);
BENCHMARK(BM_csr_scatter_variants)
    ->ArgsProduct({{100'000, 400'000, 1'000'000}, {1'000}, {100}, {1, 2}, {0, 1}})
    ->ArgsProduct({{1'000'000}, {1'000}, {10}, {1, 2}, {0, 1}})
    ->ArgsProduct({{100'000}, {1'000}, {1'000}, {1, 2}, {1}})
    ->ArgsProduct({{20'000, 50'000}, {100}, {200}, {1, 2}, {1}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_csr_range_merge)
    ->ArgsProduct({{100'000, 400'000, 1'000'000}, {1'000}, {100}, {0, 1, 2, 4}})
    ->Args({1'000'000, 1'000, 10, 0})
    ->Args({100'000, 1'000, 1'000, 0})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_csr_range_counts)
    ->ArgsProduct({{1'000'000}, {1'000}, {10, 100}, {0, 1}, {0, 1}})
    ->ArgsProduct({{100'000}, {1'000}, {100, 1'000}, {0, 1}, {0}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_fixed_step_graph)->Args({4'000, 80, 500})->Apply(graph_bench);
BENCHMARK(BM_brainevent_jitc_scalar_s_times_W)
    ->Args({1'000'000, 1'000, 100})
    ->Args({1'000'000, 1'000, 10})
    ->Args({4'000, 80, 500})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_jitc_batch_W_times_S)
    ->ArgsProduct({{100'000}, {1'000}, {100}, {2, 8, 32}, {0, 1}, {0, 1}})
    ->ArgNames({"n", "per_line", "firing_0.01pct", "batch", "float", "columns"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_listing_zeroing)
    ->ArgsProduct({{100'000, 1'000'000}, {1'000}, {10, 100}, {0, 1, 2}, {0, 1}})
    ->ArgNames({"n", "fanout", "firing_0.01pct", "zeroing", "jitc"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_jitc_tiles_per_sm)
    ->ArgsProduct({{1'000'000}, {1'000}, {100}, benchmark::CreateDenseRange(1, 8, 1)})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_jitc_normal_s_times_W)
    ->Args({1'000'000, 1'000, 100})
    ->Args({1'000'000, 1'000, 10})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_cusparse_spmv)->Apply(csr_args)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_brainevent_dense_s_times_W)->Args({20'000, 100})->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_cublas_sgemv)->Args({20'000, 100})->UseManualTime()->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
