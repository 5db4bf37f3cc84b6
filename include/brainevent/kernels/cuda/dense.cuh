// CUDA kernels for Dense connectivity, and their dispatch entries.
//
// s * W: a block owns 256 output columns of one batch row; it walks the inputs 256 at a time,
//   compacts the active ones into shared memory (warp ballots), and each thread adds the active
//   rows' weights of its column: coalesced reads of only the active rows of W.
// W * s: a warp per (row, batch row) computes a dot product over the whole row (streamed).
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/formats/lines.hpp"  // detail::store_reached
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

inline constexpr unsigned kDenseBlock = 256;

template <class T, class Ev>
__global__ void __launch_bounds__(kDenseBlock)
    dense_left_kernel(T* __restrict__ y, const T* __restrict__ w, std::size_t n_pre, std::size_t n_post, Ev ev,
                      std::size_t batch, T alpha, bool accumulate, std::size_t chunks_per_split) {
    __shared__ std::size_t active_row[kDenseBlock];
    __shared__ T active_value[kDenseBlock];
    __shared__ unsigned warp_count[kDenseBlock / 32];
    const unsigned lane = threadIdx.x & 31u, wid = threadIdx.x >> 5;
    const std::size_t j = blockIdx.x * std::size_t{kDenseBlock} + threadIdx.x;
    for (std::size_t b = blockIdx.y; b < batch; b += gridDim.y) {
        T a = 0;
        bool seen = false;  // an active input in this block's share: else nothing to add, not alpha · 0
        // This block's share of the inputs (gridDim.z splits; partial sums meet in atomics).
        const std::size_t first = blockIdx.z * chunks_per_split * kDenseBlock;
        const std::size_t last = min(n_pre, first + chunks_per_split * kDenseBlock);
        for (std::size_t i0 = first; i0 < last; i0 += kDenseBlock) {
            const std::size_t i = i0 + threadIdx.x;
            const T v = i < last ? ev.value(b, i) : T(0);
            const unsigned m = __ballot_sync(0xffffffffu, v != T(0));
            if (lane == 0) warp_count[wid] = static_cast<unsigned>(__popc(m));
            __syncthreads();
            unsigned offset = 0, total = 0;
            for (unsigned q = 0; q < kDenseBlock / 32; ++q) {
                offset += q < wid ? warp_count[q] : 0u;
                total += warp_count[q];
            }
            if (v != T(0)) {
                const unsigned pos = offset + static_cast<unsigned>(__popc(m & ((1u << lane) - 1u)));
                active_row[pos] = i;
                active_value[pos] = v;
            }
            __syncthreads();
            seen |= total != 0;
            if (j < n_post) {
                // Four independent loads in flight per thread.
                T a1 = 0, a2 = 0, a3 = 0;
                unsigned q = 0;
                for (; q + 4 <= total; q += 4) {
                    a += active_value[q] * w[active_row[q] * n_post + j];
                    a1 += active_value[q + 1] * w[active_row[q + 1] * n_post + j];
                    a2 += active_value[q + 2] * w[active_row[q + 2] * n_post + j];
                    a3 += active_value[q + 3] * w[active_row[q + 3] * n_post + j];
                }
                for (; q < total; ++q) a += active_value[q] * w[active_row[q] * n_post + j];
                a += (a1 + a2) + a3;
            }
            __syncthreads();
        }
        // As the host: an output of a row without events is an exact 0 (or unchanged), whatever
        // alpha (alpha · 0 would be NaN for an infinite alpha).
        if (j < n_post) {
            T& out = y[b * n_post + j];
            if (gridDim.z > 1) {
                if (seen) atomicAdd(&out, alpha * a);  // the output was zeroed or holds the accumulated value
            } else {
                detail::store_reached(out, seen, alpha * a, accumulate);
            }
        }
    }
}

template <class T, class Ev>
__global__ void __launch_bounds__(kDenseBlock)
    dense_right_kernel(T* __restrict__ y, const T* __restrict__ w, std::size_t n_pre, std::size_t n_post, Ev ev,
                       std::size_t batch, T alpha, bool accumulate) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t t = warp; t < n_pre * batch; t += n_warps) {
        const std::size_t i = t % n_pre, b = t / n_pre;
        const T* row = w + i * n_post;
        T a = 0;
        for (std::size_t j = lane; j < n_post; j += 32) {
            const T x = ev.value(b, j);
            a += x != T(0) ? row[j] * x : T(0);  // a silent event adds nothing, even for w = inf or NaN
        }
        a = warp_sum(a);
        if (lane == 0) {
            T& out = y[b * n_pre + i];
            out = accumulate ? out + alpha * a : alpha * a;
        }
    }
}

template <class T, class Ev, class W>
void dense_events_left(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
    const std::size_t batch = s.rows(), n_pre = w.n_pre(), n_post = w.n_post();
    if (batch * n_post == 0) return;
    // Enough blocks to fill the device: split the inputs when columns × batch rows are too few
    // (20,000 columns at batch 1 are only 79 blocks for 132 SMs).
    const std::size_t col_blocks = (n_post + kDenseBlock - 1) / kDenseBlock;
    const std::size_t rows = batch < 65535 ? batch : 65535;
    const std::size_t chunks = (n_pre + kDenseBlock - 1) / kDenseBlock;
    const std::size_t want = static_cast<std::size_t>(sm_count()) * 4;
    std::size_t splits = (want + col_blocks * rows - 1) / (col_blocks * rows);
    splits = splits < 1 ? 1 : (splits > chunks ? (chunks < 1 ? 1 : chunks) : splits);
    splits = splits > 65535 ? 65535 : splits;
    const std::size_t per_split = chunks == 0 ? 1 : (chunks + splits - 1) / splits;
    splits = chunks == 0 ? 1 : (chunks + per_split - 1) / per_split;
    if (splits > 1 && !accumulate) detail::fill_device(y.data(), y.size(), T(0), detail::stream_of(st));
    const dim3 grid(static_cast<unsigned>(col_blocks), static_cast<unsigned>(rows), static_cast<unsigned>(splits));
    dense_left_kernel<<<grid, kDenseBlock, 0, detail::stream_of(st)>>>(
        y.data(), w.data(), n_pre, n_post, device_view<T>(s, detail::stream_of(st)), batch, alpha, accumulate, per_split);
    BRAINEVENT_CUDA_CHECK_LAUNCH("dense_left_kernel");
}

template <class T, class Ev, class W>
void dense_events_right(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
    const std::size_t batch = s.rows(), n_pre = w.n_pre(), n_post = w.n_post();
    if (batch * n_pre == 0) return;
    const unsigned grid = grid_for(batch * n_pre, kDenseBlock / 32);
    dense_right_kernel<<<grid, kDenseBlock, 0, detail::stream_of(st)>>>(y.data(), w.data(), n_pre, n_post,
                                                                        device_view<T>(s, detail::stream_of(st)), batch, alpha, accumulate);
    BRAINEVENT_CUDA_CHECK_LAUNCH("dense_right_kernel");
}

}  // namespace brainevent::kernels::cuda_impl

namespace brainevent {

template <EventKind Kind>
struct dispatch<Kind, dense_format, events_left, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        kernels::cuda_impl::dense_events_left(y, s, w, alpha, accumulate, st);
    }
};

template <EventKind Kind>
struct dispatch<Kind, dense_format, events_right, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        kernels::cuda_impl::dense_events_right(y, s, w, alpha, accumulate, st);
    }
};

}  // namespace brainevent
