// Device-side access to events for the CUDA kernels: the value of input i of batch row b.
// Binary events read one byte (non-zero = 1); float events read the value; indexed events are
// expanded to a mask first. Also what the kernels share: grid sizes, device scratch, and the
// zeroing of an assigning scatter's output (scatter_zeroing, zero_before).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <cuda_runtime.h>

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
    thread_local int n = [] {
        int dev = 0, sms = 0;
        BRAINEVENT_CUDA_CHECK(cudaGetDevice(&dev));
        BRAINEVENT_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
        return sms;
    }();
    return n;
}

/// Blocks for a grid-stride kernel over `items` work items of `per_block` each: enough to fill
/// the device (8 blocks per SM), no more than needed.
inline unsigned grid_for(std::size_t items, std::size_t per_block) {
    const std::size_t want = (items + per_block - 1) / per_block;
    const std::size_t cap = static_cast<std::size_t>(sm_count()) * 8;
    return static_cast<unsigned>(want < 1 ? 1 : (want < cap ? want : cap));
}

/// How an assigning scatter (`y = s * W`: the CSR/CSC/Fixed scatter of compressed.cuh and the
/// JITC scatter of jitc.cuh) zeroes y: `dependent_launch` (the default where the kernels are
/// built for sm_90 or later; elsewhere a memset) runs a zeroing kernel and launches the scatter
/// with programmatic stream serialization, so that the scatter starts while y is zeroed and waits
/// for it (cudaGridDependencySynchronize) only before it adds to y; or `memset_node`
/// (cudaMemsetAsync, then the scatter). CSR: H100, one call, memset / dependent launch:
/// 4k network step 6.38 / 5.67 µs per graph replay (by warps); 1M lines, 0.1%, 28.3 / 26.5 µs,
/// 1% 149 / 147 (by tiles). (A third way, the scatter zeroing y itself before a grid barrier in a
/// cooperative launch, measured 6.16 µs against 6.26 for the memset on the 4k step: dropped.)
/// Not to be changed while products run.
enum class Zeroing { memset_node, dependent_launch };
inline Zeroing scatter_zeroing = Zeroing::dependent_launch;

/// y[0, n) = 0, letting a kernel launched after it with programmatic stream serialization start
/// at once (that kernel waits for this one's writes with cudaGridDependencySynchronize).
template <class T>
__global__ void zero_for_dependent(T* __restrict__ y, std::size_t n) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    cudaTriggerProgrammaticLaunchCompletion();
#endif
    for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
         i += std::size_t{gridDim.x} * blockDim.x)
        y[i] = T(0);
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

/// Waits until the grid this one was launched to overlap (programmatic stream serialization) has
/// finished and its writes are visible; returns at once in a grid launched without overlap, and
/// compiles to nothing before sm_90.
__device__ __forceinline__ void wait_for_previous_grid() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    cudaGridDependencySynchronize();
#endif
}

/// Zeroes y[0, n) for an assigning scatter whose `kernel` is launched next with `config`, the way
/// scatter_zeroing says: a zero_for_dependent grid that the kernel overlaps (config then carries
/// `overlap`, which must outlive the launch; every thread of the kernel must call
/// wait_for_previous_grid before it writes y and before it exits, so that nothing after the
/// kernel runs before y is zeroed), or a memset.
template <class T, class Kernel>
void zero_before(Kernel kernel, T* y, std::size_t n, cudaStream_t stream, cudaLaunchConfig_t& config,
                 cudaLaunchAttribute& overlap) {
    if (scatter_zeroing == Zeroing::dependent_launch && has_dependent_launch(kernel)) {
        zero_for_dependent<<<grid_for(n, 256), 256, 0, stream>>>(y, n);
        BRAINEVENT_CUDA_CHECK_LAUNCH("zero_for_dependent");
        overlap = cudaLaunchAttribute{};
        overlap.id = cudaLaunchAttributeProgrammaticStreamSerialization;
        overlap.val.programmaticStreamSerializationAllowed = 1;
        config.attrs = &overlap;
        config.numAttrs = 1;
    } else {
        detail::fill_device(y, n, T(0), stream);
    }
}

template <class T>
__device__ __forceinline__ T warp_sum(T v) {
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    return v;
}

/// Per-thread device scratch of at least n elements (grow-only: it allocates on first use, so
/// run a product once before capturing it in a graph).
template <class U, int Slot>
U* device_scratch(std::size_t n) {
    thread_local Buffer<U, cuda> buffer;
    if (buffer.size() < n) buffer.resize(n);
    return buffer.data();
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
    T* mask = device_scratch<T, 0>(rows * n);
    detail::fill_device(mask, rows * n, T(0), stream);
    if (rows * stride != 0) {
        mask_from_lists<<<grid_for(rows * stride, 256), 256, 0, stream>>>(s.count_data(), s.indices_data(), rows,
                                                                        stride, n, mask);
        BRAINEVENT_CUDA_CHECK_LAUNCH("mask_from_lists");
    }
    return {mask, n};
}

}  // namespace brainevent::kernels::cuda_impl
