// CUDA kernels for just-in-time connectivity: the same matrix as the host (formats/jitc.hpp),
// entry for entry: the device walks JitcLines::BlockWalker, the host its batched equivalent
// (for_each_in_block_batched, tested against the walker entry for entry).
//
// scatter (events index the lines): the active lines of every batch row are listed first (one
//   pass over the events, a block scan per 1,024 lines: list_active). Then a thread block owns
//   one column block of the output (≤ 8,192 values in shared memory) and a share of the active
//   lines; each thread generates the part of one active line that falls in the block and adds it
//   with shared-memory atomics; the block finally adds its tile into y with contiguous (vector,
//   on sm_90) global atomics. Generation by (line, column block) is what makes this tiling free:
//   no synapse is written to global memory on its own. An assigning product zeroes y in the
//   kernel that also zeroes the list's counts, ahead of the listing and the tile kernel that
//   overlap it, or in a kernel that the tile kernel overlaps until it adds its tile
//   (scatter_zeroing, events.cuh).
// gather (events index the positions): a warp per output line; its lanes generate the line's
//   column blocks and dot them with the events (for a batch, with up to 32 rows at once).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/jitc.hpp"
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

inline constexpr unsigned kJitcBlock = 256;

/// Scalar-weight streams expected to hold at least this many entries per column block are walked
/// by a whole warp (warp_walk_block) instead of one thread: a thread needs a dependent Philox
/// block per four entries, a warp takes 128 skips per round. (4k network, 80 entries per line:
/// see docs/performance.md.)
inline constexpr double kWarpStreamEntries = 32;

/// Calls f(position) for every entry of line r in column block c, with the 32 lanes of a warp
/// (all must call it): lane l draws Philox block n0 + l of the round, a warp scan of the skips
/// places the entries. The same entries as JitcLines::BlockWalker, which takes the skips in order:
/// entry i sits at (Σ_{t ≤ i} (skip_t + 1)) − 1 while that is inside the block. Precondition:
/// !g.wide (one skip per 32-bit word; the warp is chosen only for prob ≥ 2^-8 anyway).
template <class Dist, class F>
__device__ void warp_walk_block(const detail::JitcLines<Dist>& g, std::size_t r, std::size_t c, unsigned lane, F&& f) {
    const std::size_t begin = c * jitc_block;
    const std::uint32_t len = g.block_length(c);
    if (g.prob >= 1.0) {
        for (std::uint32_t j = lane; j < len; j += 32) f(begin + j);
        return;
    }
    const std::uint64_t stream = g.stream_of(r, c);
    const float cap = static_cast<float>(len);  // a skip this long ends the block whatever precedes it
    auto step = [&](float skip) { return static_cast<std::uint32_t>(fminf(skip, cap)) + 1u; };
    std::uint32_t base = 0;  // where the round's first skip starts
    for (std::uint32_t n0 = 0;; n0 += 32) {
        const random::Words4 w = random::philox_block(g.seed, stream, 0, n0 + lane);
        // Running sums of (skip + 1) within the lane (32-bit words: see the precondition).
        const std::uint32_t s0 = step(g.skip_of(w.v[0]));
        const std::uint32_t s1 = s0 + step(g.skip_of(w.v[1]));
        const std::uint32_t s2 = s1 + step(g.skip_of(w.v[2]));
        const std::uint32_t s3 = s2 + step(g.skip_of(w.v[3]));
        std::uint32_t incl = s3;
        for (unsigned off = 1; off < 32; off <<= 1) {
            const std::uint32_t up = __shfl_up_sync(0xffffffffu, incl, off);
            if (lane >= off) incl += up;
        }
        const std::uint32_t start = base + incl - s3;  // position the lane's first skip starts from
        if (start + s0 - 1 < len) f(begin + start + s0 - 1);
        if (start + s1 - 1 < len) f(begin + start + s1 - 1);
        if (start + s2 - 1 < len) f(begin + start + s2 - 1);
        if (start + s3 - 1 < len) f(begin + start + s3 - 1);
        const std::uint32_t total = __shfl_sync(0xffffffffu, incl, 31);
        if (base + total > len) return;  // a skip ran past the block's end
        base += total;
    }
}

/// One batch row b of tile_scatter_kernel's block.
template <class T, class Acc, class Dist, bool WarpStreams>
__device__ __forceinline__ void tile_scatter_row(T* __restrict__ y, std::size_t n_out, const detail::JitcLines<Dist>& g,
                                 const unsigned long long* list_idx, const T* list_val,
                                 const unsigned long long* count, std::size_t b, T scale,
                                 bool chained) {
    constexpr bool counting = std::is_same_v<Acc, unsigned>;
    extern __shared__ unsigned char smem_raw[];
    Acc* tile = reinterpret_cast<Acc*>(smem_raw);
    const std::size_t c = blockIdx.x;
    const std::size_t begin = c * jitc_block;
    const std::size_t width = g.block_length(c);
    for (std::size_t j = threadIdx.x; j < width; j += blockDim.x) tile[j] = Acc(0);
    __syncthreads();
    if (chained) wait_for_previous_grid();  // the list (ActiveList::chained)
    const std::size_t total = count[b];
    const std::size_t lo = total * blockIdx.y / gridDim.y, hi = total * (blockIdx.y + 1) / gridDim.y;
    const unsigned long long* idx = list_idx + b * g.n_major;
    const T* val = list_val + b * g.n_major;
    if constexpr (WarpStreams) {  // a warp per line
        const unsigned lane = threadIdx.x & 31u, warps = blockDim.x / 32;
        for (std::size_t e = lo + threadIdx.x / 32; e < hi; e += warps) {
            const Acc add = counting ? Acc(1) : static_cast<Acc>(val[e] * g.dist.w);
            warp_walk_block(g, idx[e], c, lane, [&](std::size_t j) { atomicAdd(tile + (j - begin), add); });
        }
    } else if (const std::size_t e = lo + threadIdx.x; e < hi) {
        // Each thread walks its lines lo + t, lo + t + blockDim, … back to back: when one line's
        // block ends it starts the next at once (lanes of a warp do not wait for each other's
        // lines), with the next line's index and value loaded one line ahead.
        using Walker = typename detail::JitcLines<Dist>::BlockWalker;
        T coef = val[e];
        Walker walker(g, idx[e], c);
        std::size_t next = e + blockDim.x;
        unsigned long long next_line = next < hi ? idx[next] : 0;
        T next_coef = next < hi ? val[next] : T(0);
        auto add = [&](std::size_t j, T w) {
            if constexpr (counting)
                atomicAdd(tile + (j - begin), 1u);
            else
                atomicAdd(tile + (j - begin), coef * w);
        };
        for (;;) {
            if (walker.step(g, add)) continue;
            if (next >= hi) break;
            coef = next_coef;
            walker = Walker(g, next_line, c);
            next += blockDim.x;
            if (next < hi) {
                next_line = idx[next];
                next_coef = val[next];
            }
        }
    }
    __syncthreads();
    // y zeroed by the grid this one overlaps (an assigning product; chained, the wait above has
    // covered it); also the wait every thread makes before it exits.
    wait_for_previous_grid();
    add_tile(y + b * n_out + begin, tile, width, scale);
}

/// Block (column block c = blockIdx.x, share blockIdx.y of the active lines, batch rows
/// blockIdx.z, blockIdx.z + gridDim.z, … below `batch`): y[b, c-th block] += scale · Σ over its
/// active lines of value · line, summed in a shared-memory tile of Acc: T, or unsigned counts when
/// every addend is the same (binary events, scalar weight: scale = alpha · w; an integer atomic is
/// one instruction, a float one a compare-and-swap loop).
template <class T, class Acc, class Dist, bool WarpStreams>
__global__ void __launch_bounds__(kJitcBlock)
    tile_scatter_kernel(T* __restrict__ y, std::size_t n_out, detail::JitcLines<Dist> g,
                        const unsigned long long* list_idx, const T* list_val,
                        const unsigned long long* count, std::size_t batch, T scale, bool chained) {
    for (std::size_t b = blockIdx.z; b < batch; b += gridDim.z) {
        if (b != blockIdx.z) __syncthreads();  // the previous row's tile has been added into y
        tile_scatter_row<T, Acc, Dist, WarpStreams>(y, n_out, g, list_idx, list_val, count, b, scale, chained);
    }
}

/// A warp per output line r: y[b, r] = (accumulate ? y[b, r] : 0) + alpha · Σ_j W[r, j] s[b, j].
template <class T, class Ev, class Dist>
__global__ void __launch_bounds__(kJitcBlock)
    jitc_gather_kernel(T* __restrict__ y, std::size_t n_out, Ev ev, std::size_t batch, detail::JitcLines<Dist> g,
                       T alpha, bool accumulate) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const std::size_t blocks = g.blocks();
    for (std::size_t r = warp; r < n_out; r += n_warps)
        for (std::size_t b = 0; b < batch; ++b) {
            T a = 0;
            for (std::size_t c = lane; c < blocks; c += 32)
                g.for_each_in_block(r, c, [&](std::size_t j, T w) {
                    const T x = ev.value(b, j);
                    if (x != T(0)) a += w * x;  // a silent event adds nothing, even for w = inf or NaN
                });
            a = warp_sum(a);
            if (lane == 0) {
                T& out = y[b * n_out + r];
                out = accumulate ? out + alpha * a : alpha * a;
            }
        }
}

/// The same for a batch (rows ≥ 2), each line generated once per tile of 32 batch rows instead of
/// once per row: a warp per (output line r, tile t), its lanes generating the line's column blocks
/// and adding each entry into a lane-private row of 32 sums in shared memory (stride 33, so that
/// lanes adding into the same batch row hit different banks) — with bit columns the weight into
/// the rows whose bit is set, with value columns w · value into every row whose value is nonzero
/// — then lane b sums column b.
template <class T, class Cols, class Dist>
__global__ void __launch_bounds__(kJitcBlock)
    jitc_gather_batch_kernel(T* __restrict__ y, std::size_t n_out, std::size_t batch, Cols cols,
                             detail::JitcLines<Dist> g, T alpha, bool accumulate) {
    extern __shared__ unsigned char jitc_gather_smem[];
    const unsigned lane = threadIdx.x & 31u;
    T* sums = reinterpret_cast<T*>(jitc_gather_smem) + (threadIdx.x >> 5) * (32 * 33);
    T* mine = sums + lane * 33;
    const std::size_t tiles = (batch + 31) / 32, items = n_out * tiles, blocks = g.blocks();
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t item = warp; item < items; item += n_warps) {
        const std::size_t r = item / tiles, t = item % tiles;
        const unsigned rows = batch - 32 * t < 32 ? static_cast<unsigned>(batch - 32 * t) : 32u;
        for (unsigned b = 0; b < 32; ++b) mine[b] = T(0);
        for (std::size_t c = lane; c < blocks; c += 32) {
            if constexpr (std::is_same_v<Cols, BitColumns>) {
                g.for_each_in_block(r, c, [&](std::size_t j, T w) {
                    for (std::uint32_t m = cols.word(j, t); m != 0; m &= m - 1)
                        mine[__ffs(static_cast<int>(m)) - 1] += w;
                });
            } else {
                auto add = [&](std::size_t j, T w) {
                    for (unsigned b = 0; b < rows; ++b) {  // a select: a branch here cost 15-45%
                        const T x = cols.value(j, 32 * t + b);
                        mine[b] += x != T(0) ? w * x : T(0);
                    }
                };
                // BlockWalker::step with the portable logarithm, as before either was specialised:
                // with these adds (32 loads per entry at B = 32) the kernel is not bound by the
                // generation, and the specialised loops or the hardware logarithm each made it
                // slower by 5-33% at B = 8 or 32 (H200, 100k × 100k at 1%).
                typename detail::JitcLines<Dist>::BlockWalker walker(g, r, c);
                while (walker.template step<false>(g, add)) {
                }
            }
        }
        __syncwarp();
        if (lane < rows) {
            T a = 0;
            for (unsigned l = 0; l < 32; ++l) a += sums[l * 33 + lane];
            T& out = y[(32 * t + lane) * n_out + r];
            out = accumulate ? out + alpha * a : alpha * a;
        }
        __syncwarp();  // the sums are read before the next item clears them
    }
}

/// Whether a JITC gather over a batch (rows ≥ 2) generates each line once per 32 rows
/// (jitc_gather_batch_kernel) instead of once per row (jitc_gather_kernel). Not to be changed
/// while products run.
inline bool jitc_gather_columns = true;

/// Tuning: tile blocks per SM that the scatter aims for (see jitc_shares; docs/performance.md
/// has the measurement behind the default). Not to be changed while products run.
inline unsigned jitc_tiles_per_sm = 4;

/// Lines sharing one column block are split over this many thread blocks (at least one), so that
/// about jitc_tiles_per_sm blocks per SM run. Each share costs a pass of atomics over its tile,
/// so shares never outnumber `groups`, the number of line groups a block takes at once.
inline unsigned jitc_shares(std::size_t col_blocks, std::size_t batch, std::size_t groups) {
    const std::size_t want = std::size_t{jitc_tiles_per_sm} * static_cast<std::size_t>(sm_count());
    const std::size_t per = std::max<std::size_t>(1, col_blocks * batch);
    const std::size_t most = std::clamp<std::size_t>(groups, 1, 64);
    return static_cast<unsigned>(std::clamp<std::size_t>((want + per - 1) / per, 1, most));
}

template <class T, class Ev, class Dist>
void jitc_scatter(ArrayView<T, cuda> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate,
                  Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = g.n_minor, n = g.n_major;
    if (batch * n == 0 || n_out == 0 || !(g.prob > 0.0)) {
        if (!accumulate) detail::fill_device(y.data(), y.size(), T(0), stream);
        return;
    }
    auto ev = device_view<T>(s, stream);
    // An assigning product's y is zeroed in the listing's chain, or by a kernel that the tile
    // kernel overlaps (it waits only before it adds its tile into y), or by a memset
    // (scatter_zeroing, events.cuh).
    const ActiveList<T> active = list_active<T>(ev, batch, n, stream, accumulate ? nullptr : y.data(), y.size());
    const std::size_t col_blocks = g.blocks();
    auto launch = [&]<class Acc, bool WarpStreams>(Acc, std::bool_constant<WarpStreams>, T scale) {
        constexpr auto kernel = tile_scatter_kernel<T, Acc, Dist, WarpStreams>;
        allow_dynamic_smem<kernel>(jitc_block * sizeof(Acc));
        const std::size_t per_block = WarpStreams ? kJitcBlock / 32 : kJitcBlock;  // lines taken at once
        const dim3 grid(static_cast<unsigned>(col_blocks), jitc_shares(col_blocks, batch, n / per_block),
                        static_cast<unsigned>(std::min<std::size_t>(batch, 65535)));
        cudaLaunchConfig_t config{};
        config.gridDim = grid;
        config.blockDim = kJitcBlock;
        config.dynamicSmemBytes = std::min(jitc_block, n_out) * sizeof(Acc);
        config.stream = stream;
        cudaLaunchAttribute overlap{};
        if (active.chained)
            overlap_previous(config, overlap);
        else if (!accumulate)
            zero_before(kernel, y.data(), y.size(), stream, config, overlap);
        BRAINEVENT_CUDA_CHECK(cudaLaunchKernelEx(&config, kernel, y.data(), n_out, g, active.idx, active.val,
                                                 active.count, batch, scale, active.chained));
    };
    auto by_walk = [&](auto acc, T scale) {
        const double entries_per_block = g.prob * static_cast<double>(std::min(jitc_block, n_out));
        if constexpr (detail::is_scalar_weight<Dist>) {
            if (entries_per_block >= kWarpStreamEntries && !g.wide) return launch(acc, std::true_type{}, scale);
        }
        launch(acc, std::false_type{}, scale);
    };
    // Counts fit 32 bits: a position receives at most one entry per active line.
    if constexpr (detail::is_scalar_weight<Dist> && std::is_same_v<decltype(ev), BinaryView<T>>) {
        if (n < (std::size_t{1} << 32)) return by_walk(0u, alpha * g.dist.w);
    }
    by_walk(T(0), alpha);
}

template <class T, class Ev, class Dist>
void jitc_gather(ArrayView<T, cuda> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate,
                 Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = g.n_major;
    if (batch * n_out == 0) return;
    if (batch < 2 || !jitc_gather_columns) {
        auto ev = device_view<T>(s, stream);
        jitc_gather_kernel<T><<<grid_for(n_out, kJitcBlock / 32), kJitcBlock, 0, stream>>>(y.data(), n_out, ev, batch,
                                                                                           g, alpha, accumulate);
        BRAINEVENT_CUDA_CHECK_LAUNCH("jitc_gather_kernel");
        return;
    }
    const auto cols = device_columns<T>(s, stream);
    constexpr auto kernel = jitc_gather_batch_kernel<T, std::remove_const_t<decltype(cols)>, Dist>;
    // 33,792 bytes of sums per block, within the 48 KiB that needs no opt-in on any device: 8
    // warps of floats, 4 of doubles. (8 warps of doubles took 67,584 bytes, more than sm_75 can
    // opt into; on sm_90 that was 3 blocks, 24 warps per SM, as the 6 blocks of 4 are now.)
    constexpr unsigned warps = sizeof(T) == 8 ? kJitcBlock / 64 : kJitcBlock / 32;
    constexpr std::size_t smem = warps * 32 * 33 * sizeof(T);
    static_assert(smem <= 48 * 1024);
    kernel<<<grid_for(n_out * ((batch + 31) / 32), warps), warps * 32, smem, stream>>>(y.data(), n_out, batch, cols, g,
                                                                                       alpha, accumulate);
    BRAINEVENT_CUDA_CHECK_LAUNCH("jitc_gather_batch_kernel");
}

}  // namespace brainevent::kernels::cuda_impl

namespace brainevent {

/// CUDA products of JITC matrices, both orientations.
template <EventKind Kind, JitcFormat F, class O>
struct dispatch<Kind, F, O, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        if constexpr (F::generated_rows == std::is_same_v<O, events_left>)
            kernels::cuda_impl::jitc_scatter(y, s, w.lines(), alpha, accumulate, st);
        else
            kernels::cuda_impl::jitc_gather(y, s, w.lines(), alpha, accumulate, st);
    }
};

}  // namespace brainevent
