// CUDA kernels for line-compressed formats (CSR, CSC, FixedPostNumConn, FixedPreNumConn): the
// same two traversals as on the host, written once against detail::Lines.
//
// scatter (s * W with CSR, W * s with CSC): each active line is walked by the 32 lanes of a warp,
//   adding into the output with atomics; work ∝ active lines × fan-out, plus one byte per line to
//   find them. Indexed events are read from their lists (a warp per listed input, no pass over
//   silent ones). Binary and float events: over many lines a block lists the active lines of a
//   tile of 1,024 in shared memory and its warps share them; over few, a warp reads the events of
//   32 lines at once and walks its own active ones.
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
#include <type_traits>

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

/// How the scatter finds the active lines of binary or float events: `automatic` (the measured
/// choice, see kTileLines), or one way for every shape (for the tests and benchmarks that compare
/// them). Not to be changed while products run. (A third way, CUB compaction to a list first, was
/// never faster: docs/performance.md.)
enum class FindActive { automatic, by_warp, by_tile };
inline FindActive scatter_find_active = FindActive::automatic;

/// Binary or float events over at least this many lines (times the batch) find their active
/// lines by tiles (ActiveByTile), fewer by warps (ActiveByValue): H100, CSR, fan-out 1,000, 1%:
/// 100k lines 36-39 µs by tiles against 43-44 by warps, 400k 76-80 against 102-108, 1M 167 against
/// 205-206 (0.1%: 29-33 against 33-38); a tile of 1,024 lines per block leaves too few blocks
/// below (4k network, 5%: 20.2 µs by tiles, 16.2 by warps).
inline constexpr std::size_t kTileLines = std::size_t{1} << 16;

/// yb[ix[k]] += coef · w[k] (or w0) over the entries k of `line`, the 32 lanes of a warp striding.
template <bool Homogeneous, class T, class I, class Off>
__device__ __forceinline__ void add_line(T* __restrict__ yb, std::size_t line, T coef, unsigned lane, Off ip,
                                         const I* __restrict__ ix, const T* __restrict__ w, T w0) {
    const std::size_t end = ip.end(line);
    for (std::size_t k = ip.begin(line) + lane; k < end; k += 32)
        atomicAdd(yb + ix[k], coef * (Homogeneous ? w0 : w[k]));
}

/// Active lines found by reading the events: a warp reads those of 32 lines at once and calls
/// f(b, line, value) for each nonzero one, in turn (all lanes together).
template <class T, class Ev>
struct ActiveByValue {
    Ev ev;
    std::size_t batch, n_major;
    template <class F>
    __device__ __forceinline__ void each(std::size_t warp, std::size_t n_warps, unsigned lane, F&& f) const {
        const std::size_t chunks = (n_major + 31) / 32;
        for (std::size_t c = warp; c < batch * chunks; c += n_warps) {
            const std::size_t b = c / chunks, i0 = (c % chunks) * 32;
            const T v = i0 + lane < n_major ? ev.value(b, i0 + lane) : T(0);
            unsigned active = __ballot_sync(0xffffffffu, v != T(0));
            while (active != 0) {
                const int src = __ffs(static_cast<int>(active)) - 1;
                active &= active - 1;
                f(b, i0 + static_cast<std::size_t>(src), __shfl_sync(0xffffffffu, v, src));
            }
        }
    }
};

/// Active lines found a tile of lines per block at a time: the block reads the events of kTile
/// lines, lists the active ones in shared memory (a ballot and one shared atomic per warp), and
/// its warps take them in turn. Balances a block's warps where ActiveByValue leaves each warp the
/// active lines of its own chunks; no separate compaction pass. Needs every thread of a block of
/// kCompressedBlock (kTile is a multiple of it, so whole warps take part in each ballot).
template <class T, class Ev>
struct ActiveByTile {
    static constexpr unsigned kTile = kCompressedBlock * 4;
    Ev ev;
    std::size_t batch, n_major;
    template <class F>
    __device__ __forceinline__ void each(std::size_t, std::size_t, unsigned lane, F&& f) const {
        __shared__ unsigned listed;
        __shared__ unsigned line[kTile];
        __shared__ T value[kTile];
        const std::size_t tiles = (n_major + kTile - 1) / kTile;
        const unsigned warp = threadIdx.x >> 5, n_warps = blockDim.x >> 5;
        for (std::size_t t = blockIdx.x; t < batch * tiles; t += gridDim.x) {
            const std::size_t b = t / tiles, i0 = (t % tiles) * kTile;
            if (threadIdx.x == 0) listed = 0;
            __syncthreads();
            for (unsigned k = threadIdx.x; k < kTile; k += blockDim.x) {
                const T v = i0 + k < n_major ? ev.value(b, i0 + k) : T(0);
                const unsigned active = __ballot_sync(0xffffffffu, v != T(0));
                unsigned base = 0;
                if (lane == 0 && active != 0) base = atomicAdd(&listed, static_cast<unsigned>(__popc(active)));
                base = __shfl_sync(0xffffffffu, base, 0);
                if (v != T(0)) {
                    const unsigned q = base + static_cast<unsigned>(__popc(active & ((1u << lane) - 1u)));
                    line[q] = k;
                    value[q] = v;
                }
            }
            __syncthreads();
            const unsigned n = listed;
            for (unsigned q = warp; q < n; q += n_warps) f(b, i0 + line[q], value[q]);
            __syncthreads();  // `listed`, `line` and `value` are reused by the next tile
        }
    }
};

/// Active lines read from index lists (indexed events): a warp per listed input
/// of each batch row b (list + b · stride, counts[b] of them). No mask, no pass over silent
/// inputs. Trusts the lists as IndexedBinary1d/2d and compaction make them: counts[b] ≤ stride,
/// every index below the number of lines.
template <class T, class L>
struct ActiveByList {
    const L* __restrict__ counts;
    const L* __restrict__ list;
    std::size_t batch, stride;
    template <class F>
    __device__ __forceinline__ void each(std::size_t warp, std::size_t n_warps, unsigned, F&& f) const {
        for (std::size_t b = 0; b < batch; ++b) {
            const auto count = static_cast<std::size_t>(counts[b]);
            for (std::size_t q = warp; q < count; q += n_warps)
                f(b, static_cast<std::size_t>(list[b * stride + q]), T(1));
        }
    }
};

/// y[b, :] += alpha · value · line over the active lines, global atomics (y zeroed before when
/// the product assigns).
template <bool Homogeneous, class T, class Active, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    scatter_kernel(T* __restrict__ y, std::size_t n_out, Active active, Off ip, const I* __restrict__ ix,
                   const T* __restrict__ w, T alpha) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const T w0 = Homogeneous ? w[0] : T(0);
    active.each(warp, n_warps, lane, [&](std::size_t b, std::size_t line, T v) {
        add_line<Homogeneous>(y + b * n_out, line, alpha * v, lane, ip, ix, w, w0);
    });
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
    if (batch * n_out == 0) return;
    if (!accumulate) detail::fill_device(y.data(), y.size(), T(0), stream);
    if (c.n_major == 0 || c.nnz == 0) return;
    // `blocks`: what the kernel can use (grid_for caps it to fill the device).
    auto launch = [&]<class Active>(Active active, std::size_t blocks) {
        auto go = [&](auto kernel) {
            kernel<<<grid_for(blocks, 1), kCompressedBlock, 0, stream>>>(y.data(), n_out, active, c.offsets, c.ix, c.w,
                                                                         alpha);
            BRAINEVENT_CUDA_CHECK_LAUNCH("scatter_kernel");
        };
        if (c.homogeneous)
            go(scatter_kernel<true, T, Active, I, Off>);
        else
            go(scatter_kernel<false, T, Active, I, Off>);
    };
    constexpr std::size_t warps = kCompressedBlock / 32;
    if constexpr (std::same_as<typename Ev::event_kind, indexed_events>) {
        // A warp per listed line. Enough warps for a full list; a shorter one leaves the rest idle
        // after one test.
        using L = std::remove_cvref_t<decltype(*s.indices_data())>;
        launch(ActiveByList<T, L>{s.count_data(), s.indices_data(), batch, s.stride()},
               (s.stride() + warps - 1) / warps);
    } else {
        FindActive how = scatter_find_active;
        if (how == FindActive::automatic)
            how = batch * c.n_major >= kTileLines ? FindActive::by_tile : FindActive::by_warp;
        auto ev = device_view<T>(s, stream);
        using View = decltype(ev);
        if (how == FindActive::by_tile) {
            constexpr std::size_t tile = ActiveByTile<T, View>::kTile;
            return launch(ActiveByTile<T, View>{ev, batch, c.n_major}, batch * ((c.n_major + tile - 1) / tile));
        }
        launch(ActiveByValue<T, View>{ev, batch, c.n_major}, (batch * ((c.n_major + 31) / 32) + warps - 1) / warps);
    }
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
