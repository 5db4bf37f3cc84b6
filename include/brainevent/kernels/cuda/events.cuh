// Device-side access to events for the CUDA kernels: the value of input i of batch row b.
// Binary events read one byte (non-zero = 1); float events read the value.
#pragma once

#include <cstddef>
#include <cstdint>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/events/binary_array.hpp"

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

template <class T>
BinaryView<T> device_view(const BinaryArray<cuda>& s) {
    return {s.data(), s.cols()};
}
template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, float_events> ValueView<T> device_view(const Ev& s) {
    return {s.data(), s.cols()};
}

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

}  // namespace brainevent::kernels::cuda_impl
