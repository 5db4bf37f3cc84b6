// Device-side access to events for the CUDA kernels: the value of input i of batch row b.
// Binary events read one byte (non-zero = 1); float events read the value; indexed events are
// expanded to a mask first.
#pragma once

#include <cstddef>
#include <cstdint>

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
