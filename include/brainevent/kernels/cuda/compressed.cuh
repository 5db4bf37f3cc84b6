// CUDA kernels for line-compressed formats (CSR, CSC, FixedPostNumConn, FixedPreNumConn): the
// same two traversals as on the host, written once against detail::Lines.
//
// scatter (s * W with CSR, W * s with CSC): a warp reads the events of 32 lines at once, and for
//   each active one walks the line with its 32 lanes, adding into the output with atomics. Work
//   ∝ active lines × fan-out, plus one byte per line to find them.
// gather (W * s with CSR, s * W with CSC): a warp per output line sums its entries' inputs; the
//   weight of an entry is read only when its input is nonzero.
//
// First version: correct for every shape and the baseline the tuned kernels are measured against
// (see docs/performance.md); one global atomic per synapse.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"  // scatters_lines
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

/// Threads per block of the compressed kernels (8 warps).
inline constexpr unsigned kCompressedBlock = 256;

template <bool Homogeneous, class T, class Ev, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    scatter_kernel(T* __restrict__ y, std::size_t n_out, Ev ev, std::size_t batch, std::size_t n_major, Off ip,
                   const I* __restrict__ ix, const T* __restrict__ w, T alpha) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const std::size_t chunks = (n_major + 31) / 32;
    const T w0 = Homogeneous ? w[0] : T(0);
    for (std::size_t c = warp; c < batch * chunks; c += n_warps) {
        const std::size_t b = c / chunks, i0 = (c % chunks) * 32;
        const T v = i0 + lane < n_major ? ev.value(b, i0 + lane) : T(0);
        unsigned active = __ballot_sync(0xffffffffu, v != T(0));
        T* yb = y + b * n_out;
        while (active != 0) {
            const int src = __ffs(static_cast<int>(active)) - 1;
            active &= active - 1;
            const T coef = alpha * __shfl_sync(0xffffffffu, v, src);
            const std::size_t line = i0 + static_cast<std::size_t>(src);
            const std::size_t end = ip.end(line);
            for (std::size_t k = ip.begin(line) + lane; k < end; k += 32)
                atomicAdd(yb + ix[k], coef * (Homogeneous ? w0 : w[k]));
        }
    }
}

template <bool Homogeneous, class T, class Ev, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    gather_kernel(T* __restrict__ y, std::size_t n_out, Ev ev, std::size_t batch, Off ip, const I* __restrict__ ix,
                  const T* __restrict__ w, T alpha, bool accumulate) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t r = warp; r < n_out; r += n_warps) {
        const std::size_t beg = ip.begin(r), end = ip.end(r);
        for (std::size_t b = 0; b < batch; ++b) {
            T a = 0;
            for (std::size_t k = beg + lane; k < end; k += 32) {
                const T v = ev.value(b, static_cast<std::size_t>(ix[k]));
                if (v != T(0)) a += (Homogeneous ? w[0] : w[k]) * v;  // silent inputs cost no weight read
            }
            a = warp_sum(a);
            if (lane == 0) {
                T& out = y[b * n_out + r];
                out = accumulate ? out + alpha * a : alpha * a;
            }
        }
    }
}

/// y = (accumulate ? y : 0) + alpha * scatter(events over the lines of c).
template <class T, class Ev, class I, class Off>
void compressed_scatter(ArrayView<T, cuda> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate,
                        Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = c.n_minor;
    if (!accumulate) detail::fill_device(y.data(), y.size(), T(0), stream);
    const std::size_t chunks = (c.n_major + 31) / 32;
    if (batch * chunks == 0 || c.nnz == 0) return;
    const unsigned grid = grid_for(batch * chunks, kCompressedBlock / 32);
    auto ev = device_view<T>(s, stream);
    if (c.homogeneous)
        scatter_kernel<true>
            <<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, c.n_major, c.offsets, c.ix, c.w, alpha);
    else
        scatter_kernel<false>
            <<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, c.n_major, c.offsets, c.ix, c.w, alpha);
    BRAINEVENT_CUDA_CHECK_LAUNCH("scatter_kernel");
}

/// y = (accumulate ? y : 0) + alpha * gather(events over the minor dimension of c).
template <class T, class Ev, class I, class Off>
void compressed_gather(ArrayView<T, cuda> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate,
                       Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = c.n_major;
    if (batch * n_out == 0) return;
    const unsigned grid = grid_for(n_out, kCompressedBlock / 32);
    auto ev = device_view<T>(s, stream);
    if (c.homogeneous)
        gather_kernel<true><<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, c.offsets, c.ix, c.w,
                                                                   alpha, accumulate);
    else
        gather_kernel<false><<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, c.offsets, c.ix, c.w,
                                                                    alpha, accumulate);
    BRAINEVENT_CUDA_CHECK_LAUNCH("gather_kernel");
}

}  // namespace brainevent::kernels::cuda_impl

namespace brainevent {

/// CUDA products of every line format (CSR, CSC, FixedPost/PreNumConn), both orientations.
template <EventKind Kind, LineFormat F, class O>
struct dispatch<Kind, F, O, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        if constexpr (scatters_lines<F, O>)
            kernels::cuda_impl::compressed_scatter(y, s, w.lines(), alpha, accumulate, st);
        else
            kernels::cuda_impl::compressed_gather(y, s, w.lines(), alpha, accumulate, st);
    }
};

}  // namespace brainevent
