// CUDA kernels for just-in-time connectivity: the same matrix as the host (formats/jitc.hpp),
// entry for entry, since both run JitcLines::for_each_in_block.
//
// scatter (events index the lines): the active lines of every batch row are listed first (one
//   pass over the events, a warp ballot per 32 lines). Then a thread block owns one column block
//   of the output (≤ 8,192 values in shared memory) and a share of the active lines; each thread
//   generates the part of one active line that falls in the block and adds it with shared-memory
//   atomics; the block finally adds its tile into y with contiguous global atomics. Generation by
//   (line, column block) is what makes this tiling free: no synapse is written to global memory
//   on its own.
// gather (events index the positions): a warp per output line; its lanes generate the line's
//   column blocks and dot them with the events.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/jitc.hpp"
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

inline constexpr unsigned kJitcBlock = 256;

/// Lists, per batch row b, the active lines (index, value) in list[b · n + q], q < count[b]
/// (counts zeroed beforehand). Order within a row is unspecified.
template <class T, class Ev>
__global__ void __launch_bounds__(kJitcBlock)
    list_active_kernel(Ev ev, std::size_t batch, std::size_t n, unsigned long long* __restrict__ list_idx,
                       T* __restrict__ list_val, unsigned long long* __restrict__ count) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const std::size_t chunks = (n + 31) / 32;
    for (std::size_t c = warp; c < batch * chunks; c += n_warps) {
        const std::size_t b = c / chunks, i = (c % chunks) * 32 + lane;
        const T v = i < n ? ev.value(b, i) : T(0);
        const unsigned active = __ballot_sync(0xffffffffu, v != T(0));
        if (active == 0) continue;
        unsigned long long base = 0;
        if (lane == 0) base = atomicAdd(count + b, static_cast<unsigned long long>(__popc(active)));
        base = __shfl_sync(0xffffffffu, base, 0);
        if (v != T(0)) {
            const std::size_t q = base + static_cast<unsigned>(__popc(active & ((1u << lane) - 1u)));
            list_idx[b * n + q] = i;
            list_val[b * n + q] = v;
        }
    }
}

/// Block (column block c = blockIdx.x, share blockIdx.y of the active lines, batch row
/// blockIdx.z): y[b, c-th block] += alpha · Σ over its active lines of value · line.
template <class T, class Dist>
__global__ void __launch_bounds__(kJitcBlock)
    tile_scatter_kernel(T* __restrict__ y, std::size_t n_out, detail::JitcLines<Dist> g,
                        const unsigned long long* __restrict__ list_idx, const T* __restrict__ list_val,
                        const unsigned long long* __restrict__ count, T alpha) {
    extern __shared__ unsigned char smem_raw[];
    T* tile = reinterpret_cast<T*>(smem_raw);
    const std::size_t c = blockIdx.x, b = blockIdx.z;
    const std::size_t begin = c * jitc_block;
    const std::size_t rest = g.n_minor - begin;
    const std::size_t width = rest < jitc_block ? rest : jitc_block;
    for (std::size_t j = threadIdx.x; j < width; j += blockDim.x) tile[j] = T(0);
    __syncthreads();
    const std::size_t total = count[b];
    const std::size_t lo = total * blockIdx.y / gridDim.y, hi = total * (blockIdx.y + 1) / gridDim.y;
    for (std::size_t e = lo + threadIdx.x; e < hi; e += blockDim.x) {
        const std::size_t line = list_idx[b * g.n_major + e];
        const T coef = list_val[b * g.n_major + e];
        g.for_each_in_block(line, c, [&](std::size_t j, T w) { atomicAdd(tile + (j - begin), coef * w); });
    }
    __syncthreads();
    T* yb = y + b * n_out + begin;
    for (std::size_t j = threadIdx.x; j < width; j += blockDim.x)
        if (tile[j] != T(0)) atomicAdd(yb + j, alpha * tile[j]);
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
                g.for_each_in_block(r, c, [&](std::size_t j, T w) { a += w * ev.value(b, j); });
            a = warp_sum(a);
            if (lane == 0) {
                T& out = y[b * n_out + r];
                out = accumulate ? out + alpha * a : alpha * a;
            }
        }
}

/// Lines sharing one column block are split over this many thread blocks (at least one), so that
/// about four blocks per SM run: enough work per block to amortise its tile, enough blocks.
inline unsigned jitc_shares(std::size_t col_blocks, std::size_t batch) {
    const std::size_t want = 4 * static_cast<std::size_t>(sm_count());
    const std::size_t per = std::max<std::size_t>(1, col_blocks * batch);
    return static_cast<unsigned>(std::clamp<std::size_t>((want + per - 1) / per, 1, 64));
}

template <class T, class Ev, class Dist>
void jitc_scatter(ArrayView<T, cuda> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate,
                  Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = g.n_minor, n = g.n_major;
    if (!accumulate) detail::fill_device(y.data(), y.size(), T(0), stream);
    if (batch * n == 0 || n_out == 0 || !(g.prob > 0.0)) return;
    if (batch > 65535)
        detail::raise<value_error>("JITC on CUDA: a batch of ", batch, " rows exceeds the 65,535 supported");
    auto ev = device_view<T>(s, stream);
    auto* idx = device_scratch<unsigned long long, 1>(batch * n);
    T* val = device_scratch<T, 2>(batch * n);
    auto* count = device_scratch<unsigned long long, 3>(batch);
    BRAINEVENT_CUDA_CHECK(cudaMemsetAsync(count, 0, batch * sizeof(unsigned long long), stream));
    list_active_kernel<T>
        <<<grid_for(batch * ((n + 31) / 32), kJitcBlock / 32), kJitcBlock, 0, stream>>>(ev, batch, n, idx, val, count);
    BRAINEVENT_CUDA_CHECK_LAUNCH("list_active_kernel");
    const std::size_t col_blocks = g.blocks();
    const std::size_t smem = std::min(jitc_block, n_out) * sizeof(T);
    static std::once_flag opt_in;  // tiles above 48 KiB need the opt-in, once per kernel
    std::call_once(opt_in, [] {
        BRAINEVENT_CUDA_CHECK(cudaFuncSetAttribute(tile_scatter_kernel<T, Dist>,
                                                   cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                   static_cast<int>(jitc_block * sizeof(T))));
    });
    const dim3 grid(static_cast<unsigned>(col_blocks), jitc_shares(col_blocks, batch), static_cast<unsigned>(batch));
    tile_scatter_kernel<T, Dist><<<grid, kJitcBlock, smem, stream>>>(y.data(), n_out, g, idx, val, count, alpha);
    BRAINEVENT_CUDA_CHECK_LAUNCH("tile_scatter_kernel");
}

template <class T, class Ev, class Dist>
void jitc_gather(ArrayView<T, cuda> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate,
                 Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = g.n_major;
    if (batch * n_out == 0) return;
    auto ev = device_view<T>(s, stream);
    jitc_gather_kernel<T>
        <<<grid_for(n_out, kJitcBlock / 32), kJitcBlock, 0, stream>>>(y.data(), n_out, ev, batch, g, alpha, accumulate);
    BRAINEVENT_CUDA_CHECK_LAUNCH("jitc_gather_kernel");
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
