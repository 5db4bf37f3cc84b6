// CUDA products on the GPU against what a CUDA user would reach for (cuSPARSE SpMV/SpMM on the
// spikes as 0/1 floats, cuBLAS sgemv), with a device-to-device copy as the bandwidth probe.
// Times are CUDA-event medians (UseManualTime). Matrices are generated on the device. Every
// product's output (ours, cuSPARSE's, cuBLAS's) is checked after its timing against a reference
// summed in double by naive kernels or on the host (check.hpp): no figure for a wrong product.
//
//   ./bench_cuda --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cublas_v2.h>
#include <cusparse.h>

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "brainevent/brainevent.hpp"
#include "check.hpp"       // bench/
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
        if (detail::transposed_lines_may_pay(n, n, n * k))   // and this, made from a host copy
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

// ---- references: sums in double by naive kernels (one atomic per term), sharing nothing with the
// library's kernels, or on the host ----------------------------------------------------------------

/// Terms w of row rows[t] of a CSR, added into out[t] + their columns: y = s * W for the listed rows.
__global__ void reference_scatter_kernel(double* sum, double* mag, unsigned* terms, const int* indptr,
                                         const int* indices, const float* weights, bool homogeneous,
                                         const unsigned long long* rows, const unsigned long long* out,
                                         std::size_t items) {
    for (std::size_t t = blockIdx.x; t < items; t += gridDim.x)
        for (long long e = indptr[rows[t]] + static_cast<long long>(threadIdx.x); e < indptr[rows[t] + 1];
             e += blockDim.x) {
            const double v = weights[homogeneous ? 0 : e];
            const std::size_t j = out[t] + static_cast<std::size_t>(indices[e]);
            atomicAdd(sum + j, v);
            atomicAdd(mag + j, fabs(v));
            atomicAdd(terms + j, 1u);
        }
}

/// y[b, i] = Σ_e w_e · x[b, column_e] over row i of a CSR, skipping inputs of 0: Y = W * X.
__global__ void reference_gather_kernel(double* sum, double* mag, unsigned* terms, const int* indptr,
                                        const int* indices, const float* weights, bool homogeneous, const float* x,
                                        std::size_t batch, std::size_t n_rows, std::size_t n_cols) {
    for (std::size_t t = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; t < batch * n_rows;
         t += std::size_t{gridDim.x} * blockDim.x) {
        const std::size_t b = t / n_rows, i = t % n_rows;
        double s = 0, m = 0;
        unsigned c = 0;
        for (int e = indptr[i]; e < indptr[i + 1]; ++e) {
            const float xv = x[b * n_cols + static_cast<std::size_t>(indices[e])];
            if (xv == 0.0f) continue;
            const double v = static_cast<double>(weights[homogeneous ? 0 : e]) * xv;
            s += v;
            m += fabs(v);
            ++c;
        }
        sum[t] = s;
        mag[t] = m;
        terms[t] = c;
    }
}

/// The three device arrays of a reference of n outputs, zeroed, and their host copy.
struct DeviceReference {
    Buffer<double, brainevent::cuda> sum, mag;
    Buffer<unsigned, brainevent::cuda> terms;
    explicit DeviceReference(std::size_t n) : sum(n, 0.0), mag(n, 0.0), terms(n, 0u) {}
    bench::Reference to_host() const {
        BENCH_CHECK(cudaGetLastError());
        static_assert(std::is_same_v<decltype(bench::Reference::terms)::value_type, unsigned>);
        bench::Reference r(sum.size());
        BENCH_CHECK(cudaMemcpy(r.sum.data(), sum.data(), sum.size() * sizeof(double), cudaMemcpyDeviceToHost));
        BENCH_CHECK(cudaMemcpy(r.mag.data(), mag.data(), sum.size() * sizeof(double), cudaMemcpyDeviceToHost));
        BENCH_CHECK(cudaMemcpy(r.terms.data(), terms.data(), sum.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
        return r;
    }
};

/// A key for a reference of a product of W (its device arrays) with these inputs (bench::kept).
std::string key_of(const char* what, const CSR<float, brainevent::cuda>& W, const void* inputs, std::size_t bytes) {
    const auto& c = W.storage();
    return std::string(what) + " " + std::to_string(reinterpret_cast<std::uintptr_t>(c.indices->data())) + " " +
           std::to_string(reinterpret_cast<std::uintptr_t>(c.weights->data())) + " " +
           std::to_string(bench::hash_bytes(inputs, bytes));
}

/// Y = S * W for the spikes S (a vector or a batch) and a device CSR W (kept for the benchmark's
/// next run with the same inputs).
const bench::Reference& scatter_reference(const CSR<float, brainevent::cuda>& W,
                                          const BinaryArray<brainevent::cuda>& S) {
    const auto bits = to_host(S);
    return bench::kept(key_of("S * W", W, bits.data(), bits.size()), [&] {
        const std::size_t rows = S.rows(), n = W.n_pre(), n_out = W.n_post();
        std::vector<unsigned long long> line, out;
        for (std::size_t b = 0; b < rows; ++b)
            for (std::size_t i = 0; i < n; ++i)
                if (bits.data()[b * n + i]) {
                    line.push_back(i);
                    out.push_back(b * n_out);
                }
        DeviceReference ref(rows * n_out);
        if (!line.empty()) {
            Buffer<unsigned long long, brainevent::cuda> dl(line.size()), dout(out.size());
            BENCH_CHECK(cudaMemcpy(dl.data(), line.data(), line.size() * 8, cudaMemcpyHostToDevice));
            BENCH_CHECK(cudaMemcpy(dout.data(), out.data(), out.size() * 8, cudaMemcpyHostToDevice));
            const auto& c = W.storage();
            reference_scatter_kernel<<<4096, 256>>>(ref.sum.data(), ref.mag.data(), ref.terms.data(), c.indptr->data(),
                                                    c.indices->data(), c.weights->data(), c.homogeneous, dl.data(),
                                                    dout.data(), line.size());
            BENCH_CHECK(cudaDeviceSynchronize());
        }
        return ref.to_host();
    });
}

/// Y = W * X for a device CSR W and a device batch of values X (batch × n_post), kept likewise.
const bench::Reference& gather_reference(const CSR<float, brainevent::cuda>& W,
                                         const Array<float, brainevent::cuda>& X) {
    const auto x = to_host(X);
    return bench::kept(key_of("W * X", W, x.data(), x.size() * sizeof(float)), [&] {
        const auto& c = W.storage();
        DeviceReference ref(X.rows() * W.n_pre());
        reference_gather_kernel<<<4096, 256>>>(ref.sum.data(), ref.mag.data(), ref.terms.data(), c.indptr->data(),
                                               c.indices->data(), c.weights->data(), c.homogeneous, X.data(), X.rows(),
                                               W.n_pre(), W.n_post());
        BENCH_CHECK(cudaDeviceSynchronize());
        return ref.to_host();
    });
}

/// Binary events as a device batch of 0/1 floats (what cuSPARSE and cuBLAS multiply).
Array<float, brainevent::cuda> as_floats(const BinaryArray<brainevent::cuda>& S) {
    const auto bits = to_host(S);
    std::vector<float> xs(S.rows() * S.cols());
    for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = bits.data()[i] ? 1.0f : 0.0f;
    return to_device(Array<float>(S.rows(), S.cols(), std::span<const float>(xs)));
}

/// Checks a device output against a reference (once, after the timing).
bool check(benchmark::State& state, const Array<float, brainevent::cuda>& y, const bench::Reference& ref,
           const char* what = "y") {
    const auto h = to_host(y);
    return bench::check(state, std::span<const float>(h.data(), h.size()), ref, what);
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
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(W)>, CSR<float, brainevent::cuda>>)
        check(state, y, scatter_reference(W, bits));
    else
        check(state, y, scatter_reference(network(n, k), bits));  // the fixed-number matrix's CSR
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
    check(state, Y, scatter_reference(W, S));
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
    const auto S = spikes(batch, n, rate);
    const Array<float, brainevent::cuda> X = as_floats(S);
    Array<float, brainevent::cuda> Y(batch, n);
    time_cusparse_spmm(state, W, X, Y, CUSPARSE_OPERATION_TRANSPOSE);
    check(state, Y, scatter_reference(W, S), "cuSPARSE's Y");
}

/// Times Y = W * S for a batch × n batch of binary events firing at `rate`, or (`real`) of the
/// values of float_batch, then checks Y against reference(the events as device values).
template <class M, class Ref>
void time_W_times_batch(benchmark::State& state, const M& W, std::size_t batch, std::size_t n, double rate, bool real,
                        Ref&& reference) {
    Array<float, brainevent::cuda> Y(batch, n);
    if (!real) {
        const auto S = spikes(batch, n, rate);
        time_it(state, [&] { Y = W * S; });
        check(state, Y, reference(as_floats(S)));
    } else {
        const Array<float, brainevent::cuda> X = float_batch(batch, n);
        time_it(state, [&] { Y = W * X; });
        check(state, Y, reference(X));
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
    time_W_times_batch(state, W, batch, n, rate, state.range(4) != 0,
                       [&](const Array<float, brainevent::cuda>& X) { return gather_reference(W, X); });
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
    check(state, Y, gather_reference(W, X), "cuSPARSE's Y");
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

/// A network step replayed as a CUDA graph: `y = s * W` captured once; y checked after the
/// replays against reference(s).
template <class M, class Ref>
void step_graph(benchmark::State& state, const M& W, Ref&& reference) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(2)) / 10000.0;
    const auto s = spikes(1, n, rate);
    Array<float, brainevent::cuda> y(n);
    graph_replays(state, [&](cudaStream_t stream) { y = on(stream, s * W); });
    check(state, y, reference(s));
}
/// The step with W = network(n, fan-out) or a matrix holding the same entries (fixed-number).
template <class M>
void step_graph(benchmark::State& state, const M& W) {
    const auto& csr = network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    step_graph(state, W, [&](const BinaryArray<brainevent::cuda>& s) { return scatter_reference(csr, s); });
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
    const auto& W = network(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    // s * W^T is W * s: each output gathers over its row of W.
    step_graph(state, transpose(W),
               [&](const BinaryArray<brainevent::cuda>& s) { return gather_reference(W, as_floats(s)); });
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
    // The reference: the host's generator walked over the active rows, summed in double.
    const auto bits = to_host(s);
    const auto key = std::string(M::distribution::name) + " " + std::to_string(n) + " " + std::to_string(k) + " " +
                     std::to_string(bench::hash_bytes(bits.data(), bits.size()));
    check(state, y, bench::kept(key, [&] {
              const auto host_W = moved_to<brainevent::host>(W);
              return bench::lines_reference(n, n, host_W.lines(), [&](std::size_t i) { return bits(i) != 0; });
          }));
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
    // The reference of every 97th output line (all batch rows), from the host's generator.
    time_W_times_batch(state, W, batch, n, rate, state.range(4) != 0,
                       [&](const Array<float, brainevent::cuda>& X) -> const bench::Reference& {
                           const auto x = to_host(X);
                           const auto key = "JITCScalarR W * X " + std::to_string(n) + " " + std::to_string(k) + " " +
                                            std::to_string(bench::hash_bytes(x.data(), x.size() * sizeof(float)));
                           return bench::kept(key, [&] {
                               const auto host_W = moved_to<brainevent::host>(W);
                               bench::Reference ref(batch * n);
                               for (std::size_t r = 0; r < n; r += 97) {
                                   host_W.lines().for_each(r, [&](std::size_t j, float w) {
                                       for (std::size_t b = 0; b < batch; ++b)
                                           if (const float v = x(b, j); v != 0.0f)
                                               ref.add(b * n + r, static_cast<double>(w) * v);
                                   });
                                   for (std::size_t b = 0; b < batch; ++b) ref.only.push_back(b * n + r);
                               }
                               return ref;
                           });
                       });
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
    const auto s = spikes(1, n, rate);
    const Array<float, brainevent::cuda> x = as_floats(s);
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
    check(state, y, scatter_reference(W, s), "cuSPARSE's y");
}

/// Multiples of 2^-8 in [-1, 1), hashed from the position: sums of up to 2^14 of them are exact
/// in float in any order, so the dense products are checked for equality.
__global__ void fill_dense(float* w, std::size_t count) {
    for (std::size_t t = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; t < count;
         t += std::size_t{gridDim.x} * blockDim.x)
        w[t] = static_cast<float>(static_cast<int>(hash32(t) & 511u) - 256) * 0x1p-8f;
}

/// y[j] = Σ over the listed rows i of W[i, j] (row-major n × n), in double: y = s * W.
__global__ void reference_dense_kernel(double* sum, double* mag, unsigned* terms, const float* w,
                                       const unsigned long long* rows, std::size_t active, std::size_t n) {
    for (std::size_t j = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; j < n;
         j += std::size_t{gridDim.x} * blockDim.x) {
        double s = 0, m = 0;
        for (std::size_t a = 0; a < active; ++a) {
            const double v = w[rows[a] * n + j];
            s += v;
            m += fabs(v);
        }
        sum[j] = s;
        mag[j] = m;
        terms[j] = static_cast<unsigned>(active);
    }
}

/// The n × n weights of the dense benchmarks (fill_dense), one device copy per n.
const Dense<float, brainevent::cuda>& dense_weights(std::size_t n) {
    static std::map<std::size_t, std::unique_ptr<Dense<float, brainevent::cuda>>> cache;
    auto& W = cache[n];
    if (!W) {
        W = std::make_unique<Dense<float, brainevent::cuda>>(n, n);
        fill_dense<<<4096, 256>>>(W->data(), n * n);
        BENCH_CHECK(cudaDeviceSynchronize());
    }
    return *W;
}

/// y = s * dense_weights(n), exact (kept likewise).
const bench::Reference& dense_reference(std::size_t n, const BinaryArray<brainevent::cuda>& s) {
    const auto bits = to_host(s);
    const auto key = "dense " + std::to_string(n) + " " + std::to_string(bench::hash_bytes(bits.data(), bits.size()));
    return bench::kept(key, [&] {
        std::vector<unsigned long long> rows;
        for (std::size_t i = 0; i < n; ++i)
            if (bits(i)) rows.push_back(i);
        Buffer<unsigned long long, brainevent::cuda> d(rows.size() + 1);
        BENCH_CHECK(cudaMemcpy(d.data(), rows.data(), rows.size() * 8, cudaMemcpyHostToDevice));
        DeviceReference ref(n);
        reference_dense_kernel<<<256, 256>>>(ref.sum.data(), ref.mag.data(), ref.terms.data(), dense_weights(n).data(),
                                             d.data(), rows.size(), n);
        BENCH_CHECK(cudaDeviceSynchronize());
        auto r = ref.to_host();
        r.exact = true;
        return r;
    });
}

void BM_brainevent_dense_s_times_W(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 10000.0;
    const auto& W = dense_weights(n);
    const auto s = spikes(1, n, rate);
    Array<float, brainevent::cuda> y(n);
    const double active = static_cast<double>(to_host(s).count());
    time_it(state, [&] { y = s * W; });
    set_counters(state, active * static_cast<double>(n), active * static_cast<double>(n) * 4.0);
    check(state, y, dense_reference(n, s));
}

void BM_cublas_sgemv(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const double rate = static_cast<double>(state.range(1)) / 10000.0;
    const auto& W = dense_weights(n);
    const auto s = spikes(1, n, rate);
    const Array<float, brainevent::cuda> x = as_floats(s);
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
    check(state, y, dense_reference(n, s), "cuBLAS's y");
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
