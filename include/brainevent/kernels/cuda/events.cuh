// Device-side access to events for the CUDA kernels: the value of input i of batch row b.
// Binary events read one byte (non-zero = 1); float events read the value; indexed events are
// expanded to a mask first. Also what the kernels share: grid sizes, device scratch, lists of the
// active lines (list_active), shared-memory tiles added into y (add_tile), and the zeroing of an
// assigning scatter's output (scatter_zeroing, zero_before).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include <cuda_runtime.h>
#include <cub/block/block_scan.cuh>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/events/indexed_binary.hpp"

namespace brainevent::kernels::cuda_impl {

template <class T>
struct BinaryView {
    const std::uint8_t* p;
    std::size_t n;
    __device__ __forceinline__ T value(std::size_t b, std::size_t i) const { return p[b * n + i] != 0 ? T(1) : T(0); }
};
template <class T>
struct ValueView {
    const T* p;
    std::size_t n;
    __device__ __forceinline__ T value(std::size_t b, std::size_t i) const { return p[b * n + i]; }
};

/// Multiprocessors of the current device (cached per thread).
inline int sm_count() {
    int dev = 0;
    BRAINEVENT_CUDA_CHECK(cudaGetDevice(&dev));
    thread_local std::vector<int> known;  // per device: 0 not asked yet
    const auto d = static_cast<std::size_t>(dev);
    if (known.size() <= d) known.resize(d + 1, 0);
    if (known[d] == 0) BRAINEVENT_CUDA_CHECK(cudaDeviceGetAttribute(&known[d], cudaDevAttrMultiProcessorCount, dev));
    return known[d];
}

/// Blocks for a grid-stride kernel over `items` work items of `per_block` each: enough to fill
/// the device (8 blocks per SM), no more than needed.
inline unsigned grid_for(std::size_t items, std::size_t per_block) {
    const std::size_t want = (items + per_block - 1) / per_block;
    const std::size_t cap = static_cast<std::size_t>(sm_count()) * 8;
    return static_cast<unsigned>(want < 1 ? 1 : (want < cap ? want : cap));
}

/// How an assigning scatter (`y = s * W`: the CSR/CSC/Fixed scatter of compressed.cuh and the
/// JITC scatter of jitc.cuh) zeroes y, and how a scatter that lists its active lines first (the
/// range and JITC tile scatters, list_active) zeroes the list's counts:
/// - `memset_node`: memsets, then plain launches.
/// - `dependent_launch`: a zeroing kernel, and the scatter launched with programmatic stream
///   serialization, so that it starts while y is zeroed and waits for it
///   (cudaGridDependencySynchronize) only before it adds to y; a listing's counts are memset.
///   CSR: H100, one call, memset / dependent launch: 4k network step 6.38 / 5.67 µs per graph
///   replay (by warps); 1M lines, 0.1%, 28.3 / 26.5 µs, 1% 149 / 147 (by tiles). (A third way, the
///   scatter zeroing y itself before a grid barrier in a cooperative launch, measured 6.16 µs
///   against 6.26 for the memset on the 4k step: dropped.)
/// - `chained` (the default where the kernels are built for sm_90 or later; elsewhere a memset):
///   as `dependent_launch`, but a listing scatter runs as one chain of three kernels, each
///   launched while the one before runs: one kernel zeroes the counts (and y), the listing waits
///   for it only before it reserves places in the list, and the scatter waits for the listing
///   before it reads the list. This saves the memset and hides the launches: H200, one call,
///   fan-out 1,000, µs, dependent launch / chained: CSR range scatter 1M at 1% 77.3 / 74.2, at
///   0.1% 32.6 / 29.9; JITCScalarR 1M at 1% 78.1 / 74.5, at 0.1% 33.6 / 28.7.
/// Not to be changed while products run.
enum class Zeroing { memset_node, dependent_launch, chained };
inline Zeroing scatter_zeroing = Zeroing::chained;

/// Waits until the grid this one was launched to overlap (programmatic stream serialization) has
/// finished and its writes are visible; returns at once in a grid launched without overlap, and
/// compiles to nothing before sm_90.
__device__ __forceinline__ void wait_for_previous_grid() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    cudaGridDependencySynchronize();
#endif
}

/// Lets the grid launched after this one with programmatic stream serialization start (once
/// every block of this one has called it or exited); compiles to nothing before sm_90.
__device__ __forceinline__ void let_next_grid_start() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    cudaTriggerProgrammaticLaunchCompletion();
#endif
}

/// y[0, n) = 0 and count[0, batch) = 0, letting a kernel launched after it with programmatic
/// stream serialization start at once (that kernel waits for this one's writes with
/// cudaGridDependencySynchronize).
template <class T>
__global__ void zero_for_dependent(T* __restrict__ y, std::size_t n, unsigned long long* __restrict__ count,
                                   std::size_t batch) {
    let_next_grid_start();
    const std::size_t first = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x;
    const std::size_t threads = std::size_t{gridDim.x} * blockDim.x;
    for (std::size_t i = first; i < batch; i += threads) count[i] = 0;
    for (std::size_t i = first; i < n; i += threads) y[i] = T(0);
}

/// Whether `kernel`, as loaded on the current device, was compiled from PTX for sm_90 or later,
/// so that its dependent-launch calls exist (cached per thread, kernel signature and device: every
/// kernel of one signature comes from the same headers and flags).
template <class Kernel>
bool has_dependent_launch(Kernel kernel) {
    int device = 0;
    BRAINEVENT_CUDA_CHECK(cudaGetDevice(&device));
    thread_local std::vector<signed char> known;  // per device: -1 not asked yet
    const auto d = static_cast<std::size_t>(device);
    if (known.size() <= d) known.resize(d + 1, -1);
    if (known[d] < 0) {
        cudaFuncAttributes a{};
        BRAINEVENT_CUDA_CHECK(cudaFuncGetAttributes(&a, kernel));
        known[d] = a.ptxVersion >= 90 ? 1 : 0;
    }
    return known[d] == 1;
}

/// Lets Kernel launch with up to `bytes` of dynamic shared memory (the opt-in that blocks above
/// 48 KiB need), once per device; `bytes` must be the same at every call for one Kernel.
template <auto Kernel>
void allow_dynamic_smem(std::size_t bytes) {
    int device = 0;
    BRAINEVENT_CUDA_CHECK(cudaGetDevice(&device));
    static std::mutex mutex;
    static std::vector<bool> done;  // per device
    const std::lock_guard<std::mutex> lock(mutex);
    const auto d = static_cast<std::size_t>(device);
    if (done.size() <= d) done.resize(d + 1, false);
    if (done[d]) return;
    BRAINEVENT_CUDA_CHECK(
        cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(bytes)));
    done[d] = true;
}

/// Lets the kernel launched next with `config` start while the grid before it runs
/// (programmatic stream serialization); `overlap` must outlive the launch.
inline void overlap_previous(cudaLaunchConfig_t& config, cudaLaunchAttribute& overlap) {
    overlap = cudaLaunchAttribute{};
    overlap.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    overlap.val.programmaticStreamSerializationAllowed = 1;
    config.attrs = &overlap;
    config.numAttrs = 1;
}

/// Zeroes y[0, n) for an assigning scatter whose `kernel` is launched next with `config`, the way
/// scatter_zeroing says: a zero_for_dependent grid that the kernel overlaps (config then carries
/// `overlap`, which must outlive the launch; every thread of the kernel must call
/// wait_for_previous_grid before it writes y and before it exits, so that nothing after the
/// kernel runs before y is zeroed), or a memset.
template <class T, class Kernel>
void zero_before(Kernel kernel, T* y, std::size_t n, cudaStream_t stream, cudaLaunchConfig_t& config,
                 cudaLaunchAttribute& overlap) {
    if (scatter_zeroing != Zeroing::memset_node && has_dependent_launch(kernel)) {
        zero_for_dependent<<<grid_for(n, 256), 256, 0, stream>>>(y, n, nullptr, 0);
        BRAINEVENT_CUDA_CHECK_LAUNCH("zero_for_dependent");
        overlap_previous(config, overlap);
    } else {
        detail::fill_device(y, n, T(0), stream);
    }
}

template <class T>
__device__ __forceinline__ T warp_sum(T v) {
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    return v;
}

/// Device scratch of at least n elements for work queued on `stream`, one per host thread, device
/// and stream (products on two streams never share it; nor do two devices' default streams, which
/// have the same handle). It allocates when it must grow (so run a product once before capturing
/// it in a graph), at least doubling; an outgrown allocation is kept, so that a graph captured
/// earlier still finds its scratch. A graph uses the scratch of the stream it was captured on:
/// replay it on that stream (or after that stream's other work), and only one at a time of the
/// graphs captured there. When a thread ends, it waits for its devices; scratch that a capture
/// used is then handed on, per device and stream, to the next thread that asks for that stream's
/// (so a graph captured on a thread that has ended still finds its scratch, under the same rule),
/// and the rest is freed.
template <class U, int Slot>
U* device_scratch(std::size_t n, cudaStream_t stream) {
    using Key = std::pair<int, cudaStream_t>;
    struct Held {
        Buffer<U, cuda> current;
        std::vector<Buffer<U, cuda>> outgrown;
        bool captured = false;  ///< a graph may hold it: it must outlive this thread
    };
    using Map = std::multimap<Key, Held>;
    // Scratch handed on by ended threads. Never destroyed: a thread may end after the program's
    // statics are gone (a pool made before the first product), and the process frees it at exit.
    struct Registry {
        std::mutex mutex;
        Map held;
    };
    static Registry* const registry = new Registry;
    struct Mine {
        Map by_stream;  // one entry per key; a multimap, so that nodes move to the registry as they are
        Mine() = default;
        Mine(const Mine&) = delete;
        Mine& operator=(const Mine&) = delete;
        ~Mine() {
            // Nothing may throw here. Wait for this thread's work on every device it used (a thread
            // adopting the scratch must not race with it; freeing waited too), then move the captured
            // scratch's nodes over (no allocation) and free the rest.
            // The map is ordered by device first, so each device comes up in one run of keys.
            int current = 0;
            const bool have_device = cudaGetDevice(&current) == cudaSuccess;
            bool any = false;
            int synced = 0;
            for (const auto& entry : by_stream) {
                if (any && entry.first.first == synced) continue;
                any = true;
                synced = entry.first.first;
                if (cudaSetDevice(synced) == cudaSuccess) (void)cudaDeviceSynchronize();
            }
            if (have_device) (void)cudaSetDevice(current);
            (void)cudaGetLastError();
            const std::lock_guard<std::mutex> lock(registry->mutex);
            for (auto at = by_stream.begin(); at != by_stream.end();) {
                const auto next = std::next(at);
                if (at->second.captured) registry->held.insert(by_stream.extract(at));
                at = next;
            }
        }
    };
    thread_local Mine mine;
    int device = 0;
    BRAINEVENT_CUDA_CHECK(cudaGetDevice(&device));
    const Key key{device, stream};
    auto at = mine.by_stream.find(key);
    if (at == mine.by_stream.end()) {
        typename Map::node_type adopted;
        {
            const std::lock_guard<std::mutex> lock(registry->mutex);
            if (const auto old = registry->held.find(key); old != registry->held.end())
                adopted = registry->held.extract(old);
        }
        at = adopted ? mine.by_stream.insert(std::move(adopted)) : mine.by_stream.emplace(key, Held{});
    }
    Held& held = at->second;
    if (held.current.size() < n) {
        Buffer<U, cuda> grown(std::max(n, 2 * held.current.size()));
        if (held.current.size() != 0) held.outgrown.push_back(std::move(held.current));
        held.current = std::move(grown);
    }
    if (!held.captured) {  // once a graph may hold it, it stays held: no need to ask again
        cudaStreamCaptureStatus capturing = cudaStreamCaptureStatusNone;
        if (cudaStreamIsCapturing(stream, &capturing) != cudaSuccess) {
            (void)cudaGetLastError();  // the legacy stream while another is captured: keep it, to be safe
            capturing = cudaStreamCaptureStatusActive;
        }
        held.captured = capturing != cudaStreamCaptureStatusNone;
    }
    return held.current.data();
}

/// Threads per block of list_active_kernel.
inline constexpr unsigned kListBlock = 256;

/// Lines read per thread by list_active_kernel for each group of kListBlock · kListPerThread.
inline constexpr unsigned kListPerThread = 4;

/// Lists, per batch row b, the active lines (index, value) in list[b · n + q], q < count[b]
/// (counts zeroed beforehand, or by the grid this one overlaps, which it waits for before it
/// reserves places). Order within a row is unspecified. A block takes a group of 1,024 lines at
/// a time, ranks its active ones with a block scan and reserves their places with one atomic (one
/// per line, or per warp, serialises on the counter: 11 µs at n = 1M, 1%). The grid launched
/// after it may start at once, and must wait for it before it reads the list. (`count` is not
/// `__restrict__`: the grid before may still be zeroing it.)
template <class T, class Ev>
__global__ void __launch_bounds__(kListBlock)
    list_active_kernel(Ev ev, std::size_t batch, std::size_t n, unsigned long long* __restrict__ list_idx,
                       T* __restrict__ list_val, unsigned long long* count) {
    let_next_grid_start();
    using Scan = cub::BlockScan<unsigned, kListBlock>;
    __shared__ typename Scan::TempStorage scan;
    __shared__ unsigned long long base;
    constexpr std::size_t group = std::size_t{kListBlock} * kListPerThread;
    const std::size_t groups = (n + group - 1) / group;
    for (std::size_t item = blockIdx.x; item < batch * groups; item += gridDim.x) {
        const std::size_t b = item / groups, i0 = (item % groups) * group + threadIdx.x;
        T v[kListPerThread];
        unsigned mine = 0;
#pragma unroll
        for (unsigned k = 0; k < kListPerThread; ++k) {
            const std::size_t i = i0 + std::size_t{k} * kListBlock;
            v[k] = i < n ? ev.value(b, i) : T(0);
            mine += v[k] != T(0);
        }
        unsigned offset = 0, total = 0;
        Scan(scan).ExclusiveSum(mine, offset, total);
        wait_for_previous_grid();  // the counts zeroed (every thread: see ActiveList::chained)
        if (threadIdx.x == 0 && total != 0) base = atomicAdd(count + b, static_cast<unsigned long long>(total));
        __syncthreads();
        std::size_t q = b * n + base + offset;
#pragma unroll
        for (unsigned k = 0; k < kListPerThread; ++k)
            if (v[k] != T(0)) {
                list_idx[q] = i0 + std::size_t{k} * kListBlock;
                list_val[q] = v[k];
                ++q;
            }
        __syncthreads();  // `scan` and `base` are reused by the next group
    }
    wait_for_previous_grid();  // every thread waits before it exits, even with no group to list
}

/// out[j] += scale · tile[j] for j < width with atomics, skipping zeros; floats on sm_90 in
/// 16-byte vector atomics over the aligned middle (a quarter of the atomic operations).
template <class T, class Acc>
__device__ void add_tile(T* __restrict__ out, const Acc* __restrict__ tile, std::size_t width, T scale) {
    auto at = [&](std::size_t j) { return scale * static_cast<T>(tile[j]); };
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    if constexpr (std::is_same_v<T, float>) {
        const std::size_t head = ((16 - reinterpret_cast<std::uintptr_t>(out) % 16) % 16) / sizeof(float);
        if (reinterpret_cast<std::uintptr_t>(out) % sizeof(float) == 0 && head < width) {
            const std::size_t quads = (width - head) / 4;
            for (std::size_t j = threadIdx.x; j < head; j += blockDim.x)
                if (tile[j] != Acc(0)) atomicAdd(out + j, at(j));
            for (std::size_t q = threadIdx.x; q < quads; q += blockDim.x) {
                const std::size_t j = head + 4 * q;
                // Empty positions add -0, which leaves every value as it was (-0 too; not
                // scale · 0, NaN for an infinite scale).
                auto part = [&](std::size_t i) { return tile[i] != Acc(0) ? at(i) : -0.0f; };
                if (tile[j] != Acc(0) || tile[j + 1] != Acc(0) || tile[j + 2] != Acc(0) || tile[j + 3] != Acc(0))
                    atomicAdd(reinterpret_cast<float4*>(out + j),
                              float4{part(j), part(j + 1), part(j + 2), part(j + 3)});
            }
            for (std::size_t j = head + 4 * quads + threadIdx.x; j < width; j += blockDim.x)
                if (tile[j] != Acc(0)) atomicAdd(out + j, at(j));
            return;
        }
    }
#endif
    for (std::size_t j = threadIdx.x; j < width; j += blockDim.x)
        if (tile[j] != Acc(0)) atomicAdd(out + j, at(j));
}

/// The active lines of binary or float events per batch row, as list_active_kernel leaves them in
/// device scratch: line idx[b · n + q] with value val[b · n + q] for q < count[b].
template <class T>
struct ActiveList {
    const unsigned long long* idx;
    const T* val;
    const unsigned long long* count;
    /// The listing ran in a chain (Zeroing::chained): the kernel that reads the list must be
    /// launched next on the stream, with overlap_previous, and every thread of it must call
    /// wait_for_previous_grid before it reads the list and before it exits.
    bool chained = false;
};

/// Lists the active lines of `ev` (batch rows of n lines) on `stream`, into scratch of this
/// thread and stream (slots 1 to 3: valid until the next listing on them). With
/// Zeroing::chained and sm_90 kernels the listing overlaps a kernel that zeroes its counts and
/// `zero[0, zero_n)` (the output of an assigning scatter, or null) and returns `chained`;
/// otherwise the counts are memset and `zero` is left to the caller. (The listing kernel's PTX
/// version stands for its reader's: both are instantiated from these headers in one translation
/// unit.)
template <class T, class Ev>
ActiveList<T> list_active(const Ev& ev, std::size_t batch, std::size_t n, cudaStream_t stream, T* zero = nullptr,
                          std::size_t zero_n = 0) {
    auto* idx = device_scratch<unsigned long long, 1>(batch * n, stream);
    T* val = device_scratch<T, 2>(batch * n, stream);
    auto* count = device_scratch<unsigned long long, 3>(batch, stream);
    const std::size_t group = std::size_t{kListBlock} * kListPerThread;
    const std::size_t groups = batch * ((n + group - 1) / group);
    constexpr auto kernel = list_active_kernel<T, Ev>;
    if (scatter_zeroing == Zeroing::chained && has_dependent_launch(kernel)) {
        if (zero == nullptr) zero_n = 0;
        zero_for_dependent<<<grid_for(std::max(zero_n, batch), 256), 256, 0, stream>>>(zero, zero_n, count, batch);
        BRAINEVENT_CUDA_CHECK_LAUNCH("zero_for_dependent");
        cudaLaunchConfig_t config{};
        config.gridDim = grid_for(groups, 1);
        config.blockDim = kListBlock;
        config.stream = stream;
        cudaLaunchAttribute overlap{};
        overlap_previous(config, overlap);
        BRAINEVENT_CUDA_CHECK(cudaLaunchKernelEx(&config, kernel, ev, batch, n, idx, val, count));
        return {idx, val, count, true};
    }
    BRAINEVENT_CUDA_CHECK(cudaMemsetAsync(count, 0, batch * sizeof(unsigned long long), stream));
    kernel<<<grid_for(groups, 1), kListBlock, 0, stream>>>(ev, batch, n, idx, val, count);
    BRAINEVENT_CUDA_CHECK_LAUNCH("list_active_kernel");
    return {idx, val, count, false};
}

template <class T, class I>
__global__ void mask_from_lists(const I* __restrict__ counts, const I* __restrict__ idx, std::size_t rows,
                                std::size_t stride, std::size_t n, T* __restrict__ mask) {
    for (std::size_t t = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; t < rows * stride;
         t += std::size_t{gridDim.x} * blockDim.x) {
        const std::size_t b = t / stride, q = t % stride;
        if (q < static_cast<std::size_t>(counts[b])) mask[b * n + static_cast<std::size_t>(idx[t])] = T(1);
    }
}

/// flat[offset[b], offset[b + 1]) = the first offset[b + 1] − offset[b] indices of row b: the lists
/// of an IndexedBinary2d without the unused room after each (a block per row at a time). The
/// lengths come from offsets the host checked, not from the device's counts.
template <class I>
__global__ void pack_lists(const I* __restrict__ idx, std::size_t rows, std::size_t stride,
                           const std::size_t* __restrict__ offset, I* __restrict__ flat) {
    for (std::size_t b = blockIdx.x; b < rows; b += gridDim.x) {
        const std::size_t first = offset[b], count = offset[b + 1] - first;
        for (std::size_t q = threadIdx.x; q < count; q += blockDim.x) flat[first + q] = idx[b * stride + q];
    }
}

/// The events as the kernels read them, made on `stream` where that takes work.
template <class T>
BinaryView<T> device_view(const BinaryArray<cuda>& s, cudaStream_t) {
    return {s.data(), s.cols()};
}
template <class T, class Ev>
    requires std::same_as<typename Ev::event_kind, float_events>
ValueView<T> device_view(const Ev& s, cudaStream_t) {
    return {s.data(), s.cols()};
}
/// Indexed events are expanded to a 0/1 mask in scratch (O(rows × n) on `stream`) for the kernels
/// that look inputs up by position (gathers, dense); the line-format scatters read the lists
/// directly (kernels/cuda/compressed.cuh).
template <class T, class Ev>
    requires std::same_as<typename Ev::event_kind, indexed_events>
ValueView<T> device_view(const Ev& s, cudaStream_t stream) {
    const std::size_t rows = s.rows(), n = s.cols(), stride = s.stride();
    T* mask = device_scratch<T, 0>(rows * n, stream);
    detail::fill_device(mask, rows * n, T(0), stream);
    if (rows * stride != 0) {
        mask_from_lists<<<grid_for(rows * stride, 256), 256, 0, stream>>>(s.count_data(), s.indices_data(), rows,
                                                                        stride, n, mask);
        BRAINEVENT_CUDA_CHECK_LAUNCH("mask_from_lists");
    }
    return {mask, n};
}

/// Events by input for the batched gathers (compressed.cuh, gather_batch_kernel), which read each
/// synapse once for up to 32 batch rows: 0/1 events (binary, indexed) as bit columns, whose word
/// (j, b / 32) has bit b % 32 set where batch row b has input j active; real events as value
/// columns, the batch's values of input j contiguous.
struct BitColumns {
    const std::uint32_t* __restrict__ m;
    std::size_t words;  ///< per input: ceil(batch / 32)
    __device__ __forceinline__ std::uint32_t word(std::size_t j, std::size_t t) const { return m[j * words + t]; }
};
template <class T>
struct ValueColumns {
    const T* __restrict__ v;
    std::size_t batch;
    __device__ __forceinline__ T value(std::size_t j, std::size_t b) const { return v[j * batch + b]; }
};

/// Word t of input j's bit column, a thread per (j, t); reads the events along j (coalesced).
template <class T, class Ev>
__global__ void bit_columns_kernel(Ev ev, std::size_t batch, std::size_t n, std::size_t words,
                                   std::uint32_t* __restrict__ m) {
    for (std::size_t u = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; u < n * words;
         u += std::size_t{gridDim.x} * blockDim.x) {
        const std::size_t t = u / n, j = u % n;
        const std::size_t rows = batch - 32 * t < 32 ? batch - 32 * t : 32;
        std::uint32_t bits = 0;
        for (std::size_t b = 0; b < rows; ++b) bits |= std::uint32_t{ev.value(32 * t + b, j) != T(0)} << b;
        m[j * words + t] = bits;
    }
}

/// The bit columns of index lists (zeroed before): a thread per listed index.
template <class I>
__global__ void bit_columns_from_lists(const I* __restrict__ counts, const I* __restrict__ idx, std::size_t rows,
                                       std::size_t stride, std::size_t words, std::uint32_t* __restrict__ m) {
    for (std::size_t u = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; u < rows * stride;
         u += std::size_t{gridDim.x} * blockDim.x) {
        const std::size_t b = u / stride, q = u % stride;
        if (q < static_cast<std::size_t>(counts[b]))
            atomicOr(m + static_cast<std::size_t>(idx[u]) * words + b / 32, 1u << (b % 32));
    }
}

/// vt[j · batch + b] = x[b · n + j]: tiles of 32 × 32 through shared memory, both sides coalesced.
template <class T>
__global__ void value_columns_kernel(const T* __restrict__ x, std::size_t batch, std::size_t n, T* __restrict__ vt) {
    __shared__ T tile[32][33];
    const std::size_t tiles_j = (n + 31) / 32, tiles_b = (batch + 31) / 32;
    for (std::size_t item = blockIdx.x; item < tiles_j * tiles_b; item += gridDim.x) {
        const std::size_t j0 = (item % tiles_j) * 32, b0 = (item / tiles_j) * 32;
        for (unsigned r = threadIdx.y; r < 32; r += blockDim.y)
            if (b0 + r < batch && j0 + threadIdx.x < n) tile[r][threadIdx.x] = x[(b0 + r) * n + j0 + threadIdx.x];
        __syncthreads();
        for (unsigned r = threadIdx.y; r < 32; r += blockDim.y)
            if (j0 + r < n && b0 + threadIdx.x < batch) vt[(j0 + r) * batch + b0 + threadIdx.x] = tile[threadIdx.x][r];
        __syncthreads();
    }
}

/// The events of a batch (rows() ≥ 2) by input, in device scratch of this thread and stream
/// (slots 4 and 5: valid until the next such call on them), made on `stream`.
template <class T>
BitColumns device_columns(const BinaryArray<cuda>& s, cudaStream_t stream) {
    const std::size_t batch = s.rows(), n = s.cols(), words = (batch + 31) / 32;
    auto* m = device_scratch<std::uint32_t, 4>(n * words, stream);
    bit_columns_kernel<T><<<grid_for(n * words, 256), 256, 0, stream>>>(device_view<T>(s, stream), batch, n, words, m);
    BRAINEVENT_CUDA_CHECK_LAUNCH("bit_columns_kernel");
    return {m, words};
}
template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, indexed_events> BitColumns device_columns(const Ev& s,
                                                                                         cudaStream_t stream) {
    const std::size_t rows = s.rows(), n = s.cols(), stride = s.stride(), words = (rows + 31) / 32;
    auto* m = device_scratch<std::uint32_t, 4>(n * words, stream);
    detail::fill_device(m, n * words, std::uint32_t{0}, stream);
    if (rows * stride != 0) {
        bit_columns_from_lists<<<grid_for(rows * stride, 256), 256, 0, stream>>>(s.count_data(), s.indices_data(), rows,
                                                                                 stride, words, m);
        BRAINEVENT_CUDA_CHECK_LAUNCH("bit_columns_from_lists");
    }
    return {m, words};
}
template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, float_events> ValueColumns<T> device_columns(const Ev& s,
                                                                                            cudaStream_t stream) {
    const std::size_t batch = s.rows(), n = s.cols();
    T* vt = device_scratch<T, 5>(n * batch, stream);
    const std::size_t tiles = ((n + 31) / 32) * ((batch + 31) / 32);
    value_columns_kernel<<<grid_for(tiles, 1), dim3(32, 8), 0, stream>>>(s.data(), batch, n, vt);
    BRAINEVENT_CUDA_CHECK_LAUNCH("value_columns_kernel");
    return {vt, batch};
}


}  // namespace brainevent::kernels::cuda_impl
