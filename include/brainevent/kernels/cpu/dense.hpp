// Host kernels for Dense connectivity, and their dispatch entries.
//
// s * W (events_left): y[b, :] = sum over active i of s[b, i] * W[i, :]. Only the rows of active
//   inputs are read, four at a time so that each pass over y carries four rows (y stays in
//   cache, W streams from memory once per active row). Cost: active rows × n_post.
// W * s (events_right): y[b, i] = sum over active j of W[i, j] s[b, j]. With few active inputs
//   each row of W is gathered at the active columns; with many, it is a streamed SIMD dot
//   product with the events as 0/1 (or real) values.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "brainevent/core/array.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/kernels/cpu/events.hpp"
#include "brainevent/kernels/cpu/workspace.hpp"

namespace brainevent::kernels::cpu {

/// Tuning constants of the dense host kernels.
struct DenseTuning {
    /// Batched s * W walks y in column tiles of this many elements so that the tiles of the
    /// active rows of W are reused from cache across batch rows (16 KiB of floats: a tile of y
    /// and the rows it meets stay within L1/L2 on the 2-core CI machine).
    static constexpr std::size_t left_tile = 4096;
    /// W * s gathers when active inputs are fewer than 1/32 of all inputs, else streams dot
    /// products: a gathered element costs about one random cache-line fetch, a streamed line
    /// about a sixteenth of one per element, so the break-even is between 1/16 and 1/64.
    static constexpr std::size_t gather_ratio = 32;
    /// Rows of W summed per pass over y in s * W.
    static constexpr int rows_per_pass = 8;
};

/// y[0, n) += sum_k coef_k * rows[k][0, n) for K rows. Unweighted: coef_k = alpha for all k and
/// the rows are added first, then scaled once.
template <int K, bool Weighted, class T>
BRAINEVENT_FORCE_INLINE void add_rows(T* BRAINEVENT_RESTRICT y, const T* const* rows, const T* coef, std::size_t n) {
    using B = xsimd::batch<T>;
    constexpr auto rows_n = static_cast<std::size_t>(K);
    constexpr std::size_t width = B::size;
    std::array<B, rows_n> c;
    for (std::size_t k = 0; k < rows_n; ++k) c[k] = B(coef[Weighted ? k : 0]);
    std::size_t j = 0;
    for (; j + width <= n; j += width) {
        B acc = B::load_unaligned(y + j);
        if constexpr (Weighted) {
            for (std::size_t k = 0; k < rows_n; ++k) acc = xsimd::fma(c[k], B::load_unaligned(rows[k] + j), acc);
        } else {
            B sum = B::load_unaligned(rows[0] + j);
            for (std::size_t k = 1; k < rows_n; ++k) sum += B::load_unaligned(rows[k] + j);
            acc = xsimd::fma(c[0], sum, acc);
        }
        acc.store_unaligned(y + j);
    }
    for (; j < n; ++j) {
        T acc = y[j];
        if constexpr (Weighted) {
            for (std::size_t k = 0; k < rows_n; ++k) acc += coef[k] * rows[k][j];
        } else {
            T sum = rows[0][j];
            for (std::size_t k = 1; k < rows_n; ++k) sum += rows[k][j];
            acc += coef[0] * sum;
        }
        y[j] = acc;
    }
}

/// add_rows for a run-time row count k in [1, K]: one compiled loop per count.
template <bool Weighted, class T, int... K>
void add_rows_dynamic(int k, T* y, const T* const* rows, const T* coef, std::size_t n,
                      std::integer_sequence<int, K...>) {
    ((k == K + 1 ? add_rows<K + 1, Weighted>(y, rows, coef, n) : void()), ...);
}

/// y[0, n) += alpha * sum over the list of value_k * W[index_k, 0, n), W with leading dimension ldw.
/// Rows go in groups of DenseTuning::rows_per_pass, so each pass over y carries that many rows.
template <class I, class T>
void add_active_rows(T* y, std::size_t n, const T* w, std::size_t ldw, const ActiveList<I, T>& list, T alpha) {
    constexpr int G = DenseTuning::rows_per_pass;
    const T* rows[G];
    T coef[G];
    std::fill_n(coef, G, alpha);
    const bool weighted = list.values != nullptr;
    for (std::size_t k = 0; k < list.count; k += G) {
        const int m = static_cast<int>(std::min<std::size_t>(G, list.count - k));
        for (int q = 0; q < m; ++q) {
            const std::size_t at = k + static_cast<std::size_t>(q);
            rows[q] = w + static_cast<std::size_t>(list.index[at]) * ldw;
            if (weighted) coef[q] = alpha * list.values[at];
        }
        if (m == G)
            weighted ? add_rows<G, true>(y, rows, coef, n) : add_rows<G, false>(y, rows, coef, n);
        else if (weighted)
            add_rows_dynamic<true>(m, y, rows, coef, n, std::make_integer_sequence<int, G - 1>{});
        else
            add_rows_dynamic<false>(m, y, rows, coef, n, std::make_integer_sequence<int, G - 1>{});
    }
}

/// s * W: y (rows × n_post) = (accumulate ? y : 0) + alpha * (s * W).
template <class Ev, class W, class T>
void dense_events_left(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate) {
    using I = typename list_index<Ev>::type;
    const std::size_t batch = s.rows(), n = w.n_post();
    auto* lists = scratch<ActiveList<I, T>, 0>(batch);
    active_lists<T>(s, lists);
    const std::size_t tile = batch == 1 ? std::max<std::size_t>(n, 1) : DenseTuning::left_tile;
    for (std::size_t j0 = 0; j0 < n; j0 += tile) {
        const std::size_t width = std::min(tile, n - j0);
        for (std::size_t b = 0; b < batch; ++b) {
            T* yb = y.data() + b * n + j0;
            if (!accumulate) std::fill_n(yb, width, T(0));
            add_active_rows(yb, width, w.data() + j0, n, lists[b], alpha);
        }
    }
}

/// sum_j a[j] * b[j], SIMD with two accumulators; where Skip, over the events b[j] that are
/// nonzero only (a silent event adds nothing, even where a[j] is inf or NaN).
template <bool Skip, class T>
T dot(const T* BRAINEVENT_RESTRICT a, const T* BRAINEVENT_RESTRICT b, std::size_t n) {
    using B = xsimd::batch<T>;
    constexpr std::size_t width = B::size;
    const B zero(T(0));
    auto term = [&](std::size_t at, B acc) {
        const B e = B::load_unaligned(b + at), w = B::load_unaligned(a + at);
        if constexpr (Skip)
            return xsimd::fma(xsimd::select(e != zero, w, zero), e, acc);
        else
            return xsimd::fma(w, e, acc);
    };
    B acc0(T(0)), acc1(T(0));
    std::size_t j = 0;
    for (; j + 2 * width <= n; j += 2 * width) {
        acc0 = term(j, acc0);
        acc1 = term(j + width, acc1);
    }
    // Horizontal sum through memory: xsimd::hadd trips a false -Wuninitialized in GCC 12's
    // AVX-512 intrinsics, and this runs once per dot product.
    alignas(B::arch_type::alignment()) T lanes[width];
    (acc0 + acc1).store_aligned(lanes);
    T sum = 0;
    for (std::size_t l = 0; l < width; ++l) sum += lanes[l];
    for (; j < n; ++j) sum += event_term<Skip>(a[j], b[j]);
    return sum;
}

/// W * s: y (rows × n_pre) = (accumulate ? y : 0) + alpha * (W * s).
template <class Ev, class W, class T>
void dense_events_right(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate) {
    using I = typename list_index<Ev>::type;
    const std::size_t batch = s.rows(), n_pre = w.n_pre(), n = w.n_post();
    auto* lists = scratch<ActiveList<I, T>, 0>(batch);
    active_lists<T>(s, lists);
    auto store = [&](std::size_t b, std::size_t i, T v) {
        T& out = y.data()[b * n_pre + i];
        out = accumulate ? out + alpha * v : alpha * v;
    };
    if (total_active(lists, batch) * DenseTuning::gather_ratio < batch * n) {
        // Gather: four rows of W at a time share each list's index loads.
        std::size_t i = 0;
        for (; i + 4 <= n_pre; i += 4) {
            const T* r0 = w.row(i);
            const T* r1 = w.row(i + 1);
            const T* r2 = w.row(i + 2);
            const T* r3 = w.row(i + 3);
            for (std::size_t b = 0; b < batch; ++b) {
                const auto& l = lists[b];
                T a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                for (std::size_t k = 0; k < l.count; ++k) {
                    const auto j = static_cast<std::size_t>(l.index[k]);
                    const T v = l.values ? l.values[k] : T(1);
                    a0 += v * r0[j];
                    a1 += v * r1[j];
                    a2 += v * r2[j];
                    a3 += v * r3[j];
                }
                store(b, i, a0);
                store(b, i + 1, a1);
                store(b, i + 2, a2);
                store(b, i + 3, a3);
            }
        }
        for (; i < n_pre; ++i) {
            const T* r = w.row(i);
            for (std::size_t b = 0; b < batch; ++b) {
                const auto& l = lists[b];
                T a = 0;
                for (std::size_t k = 0; k < l.count; ++k) a += (l.values ? l.values[k] : T(1)) * r[l.index[k]];
                store(b, i, a);
            }
        }
    } else {
        const T* d = dense_values<T>(s);
        for (std::size_t i = 0; i < n_pre; ++i)
            for (std::size_t b = 0; b < batch; ++b)
                store(b, i, event_sum([&]<bool Skip>(std::bool_constant<Skip>) {
                          return dot<Skip>(w.row(i), d + b * n, n);
                      }));
    }
}

}  // namespace brainevent::kernels::cpu

namespace brainevent {

template <EventKind Kind>
struct dispatch<Kind, dense_format, events_left, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::dense_events_left(y, s, w, alpha, accumulate);
    }
};

template <EventKind Kind>
struct dispatch<Kind, dense_format, events_right, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::dense_events_right(y, s, w, alpha, accumulate);
    }
};

}  // namespace brainevent
