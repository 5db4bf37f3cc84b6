// CUDA kernels for line-compressed formats (CSR, CSC, FixedPostNumConn, FixedPreNumConn): the
// same two traversals as on the host, written once against detail::Lines.
//
// scatter (s * W with CSR, W * s with CSC): a warp reads the events of 32 lines at once, and for
//   each active one walks the line with its 32 lanes, adding into the output with atomics. Work
//   ∝ active lines × fan-out, plus one byte per line to find them. Indexed events skip the
//   search: a warp per listed input (work ∝ spikes × fan-out only); so do binary events over
//   many lines, compacted to a list first.
// gather (W * s with CSR, s * W with CSC): a warp per output line sums its entries' inputs; the
//   weight of an entry is read only when its input is nonzero.
//
// First version: correct for every shape and the baseline the tuned kernels are measured against
// (see docs/performance.md); one global atomic per synapse.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/events/compaction.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"  // scatters_lines
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

/// Threads per block of the compressed kernels (8 warps).
inline constexpr unsigned kCompressedBlock = 256;

/// Binary events over at least this many lines are compacted to a list first (batch 1).
inline constexpr std::size_t kCompactLines = std::size_t{1} << 16;

/// yb[ix[k]] += coef · w[k] (or w0) over the entries k of `line`, the 32 lanes of a warp striding.
template <bool Homogeneous, class T, class I, class Off>
__device__ __forceinline__ void add_line(T* __restrict__ yb, std::size_t line, T coef, unsigned lane, Off ip,
                                         const I* __restrict__ ix, const T* __restrict__ w, T w0) {
    const std::size_t end = ip.end(line);
    for (std::size_t k = ip.begin(line) + lane; k < end; k += 32)
        atomicAdd(yb + ix[k], coef * (Homogeneous ? w0 : w[k]));
}

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
            add_line<Homogeneous>(yb, i0 + static_cast<std::size_t>(src), coef, lane, ip, ix, w, w0);
        }
    }
}

/// The scatter driven by index lists (indexed events): a warp per listed input of each batch row
/// b (list + b · stride, counts[b] of them, each distinct) walks its line. No mask, no pass over
/// silent inputs: work ∝ spikes × fan-out. Trusts the lists as IndexedBinary1d/2d and compaction
/// make them: counts[b] ≤ stride, every index below the number of lines.
template <bool Homogeneous, class T, class L, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    scatter_list_kernel(T* __restrict__ y, std::size_t n_out, const L* __restrict__ counts, const L* __restrict__ list,
                        std::size_t batch, std::size_t stride, Off ip, const I* __restrict__ ix,
                        const T* __restrict__ w, T alpha) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const T w0 = Homogeneous ? w[0] : T(0);
    for (std::size_t b = 0; b < batch; ++b) {
        const auto count = static_cast<std::size_t>(counts[b]);
        T* yb = y + b * n_out;
        for (std::size_t q = warp; q < count; q += n_warps) {
            add_line<Homogeneous>(yb, static_cast<std::size_t>(list[b * stride + q]), alpha, lane, ip, ix, w, w0);
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
    // Lists of active lines: a warp per listed line. Enough warps for a full list; a shorter one
    // leaves the rest idle after one test.
    auto by_list = [&]<class L>(const L* counts, const L* list, std::size_t stride) {
        const unsigned grid = grid_for(std::max<std::size_t>(stride, 1), kCompressedBlock / 32);
        auto launch = [&](auto kernel) {
            kernel<<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, counts, list, batch, stride, c.offsets, c.ix,
                                                          c.w, alpha);
        };
        if (c.homogeneous)
            launch(scatter_list_kernel<true, T, L, I, Off>);
        else
            launch(scatter_list_kernel<false, T, L, I, Off>);
        BRAINEVENT_CUDA_CHECK_LAUNCH("scatter_list_kernel");
    };
    if constexpr (std::same_as<typename Ev::event_kind, indexed_events>) {
        return by_list(s.count_data(), s.indices_data(), s.stride());
    } else if constexpr (std::same_as<Ev, BinaryArray<cuda>>) {
        // Many lines: compact the spikes (CUB) and take the list path. H100, 1M lines × 1000:
        // 160 µs against 196 µs for the ballot kernel at 1% firing (its warps find their lines
        // in unequal numbers), 36.7 against 29.7 µs at 0.1% (the compaction's ~7 µs): by lines,
        // since the firing rate is on the device. The 4k network keeps the one-kernel path.
        if (batch == 1 && c.n_major >= kCompactLines) {
            auto compacted = [&]<class L>(L) {
                L* list = device_scratch<L, 10>(c.n_major);
                L* count = device_scratch<L, 11>(1);
                detail::compact_row(s.data(), c.n_major, list, count, stream);
                by_list(static_cast<const L*>(count), static_cast<const L*>(list), c.n_major);
            };
            if (c.n_major <= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
                return compacted(std::int32_t{});
            return compacted(std::int64_t{});
        }
    }
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
