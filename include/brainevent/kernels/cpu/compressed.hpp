// Host kernels for line-compressed formats (CSR, CSC, FixedPostNumConn, FixedPreNumConn): the two
// traversals every product of theirs reduces to, written once against detail::Lines.
//
// scatter: events index the compressed lines (s * W with CSR, W * s with CSC). Each active line
//   adds its entries into the output; cost O(active lines × fan-out), silent inputs cost nothing.
// gather:  events index the minor dimension (W * s with CSR, s * W with CSC). Each output is a
//   sum over its line; each synapse is read once, for the whole batch at once.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "brainevent/core/array.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/kernels/cpu/events.hpp"
#include "brainevent/kernels/cpu/workspace.hpp"

namespace brainevent::kernels::cpu {

/// Tuning constants of the compressed-format host kernels.
struct SparseTuning {
    /// A batched scatter reads each active line once for all batch rows (accumulating into a
    /// transposed output) when the batch is at least this wide and an active line is active in
    /// this many batch rows on average; below that, it scatters batch row by batch row, which
    /// touches one output element per synapse instead of a batch-wide vector. Chosen from the
    /// operation counts (one scalar read-modify-write versus batch/simd-width vector ones).
    static constexpr std::size_t union_min_batch = 8;
    static constexpr std::size_t union_min_multiplicity = 4;
    /// Scatter prefetches the start of the line this many active lines ahead (twice as many
    /// where it walks two lines at a time): lines are at random places, and the hardware
    /// prefetcher needs a few lines of a stream to pick it up.
    static constexpr std::size_t prefetch_ahead = 2;
    /// Synapses per group in the scatter of distinct (sorted) indices. One line at a time: 8 ->
    /// 836 us, 16 -> 816 us at 1% firing in bench_sparse; two lines in turn (the kernel now):
    /// groups of 8 are best (stand-alone copy of the loop, 100k x 100k, fan-out 1,000, 1%,
    /// medians of 7, three processes: one line x 16 830-946 us; two lines x 8 704-824; x 16
    /// 803-915; x 4 733-864; three lines x 8 703-779; four x 8 891; the library bench, old and
    /// new alternately: -9% on average at 1%). A tiled variant keeping y in L1 measured slower.
    static constexpr std::size_t scatter_group = 8;
};

/// Weight access for one synapse: a per-synapse array or one homogeneous weight.
template <class T>
struct PerSynapseWeights {
    const T* w;
    static constexpr bool homogeneous = false;
    BRAINEVENT_FORCE_INLINE T operator[](std::size_t k) const { return w[k]; }
};
template <class T>
struct SharedWeight {
    T w;
    static constexpr bool homogeneous = true;
    BRAINEVENT_FORCE_INLINE T operator[](std::size_t) const { return w; }
};

/// Calls f with the weight accessor that fits c, so kernels are compiled once per kind.
template <class T, class I, class Off, class F>
void with_weights(const detail::Lines<T, I, Off>& c, F&& f) {
    if (c.homogeneous)
        f(SharedWeight<T>{c.w[0]});  // a homogeneous matrix always stores its one weight
    else
        f(PerSynapseWeights<T>{c.w});
}

/// y[0, n) += a * x[0, n), where an x[j] of 0 adds nothing even when a is inf or NaN (x holds
/// events: a silent one contributes nothing, whatever the weight). A finite a takes the plain
/// loop, so the test costs one branch per call.
template <class T>
BRAINEVENT_FORCE_INLINE void axpy(T* BRAINEVENT_RESTRICT y, T a, const T* BRAINEVENT_RESTRICT x, std::size_t n) {
    using B = xsimd::batch<T>;
    const B va(a);
    std::size_t j = 0;
    if (std::isfinite(a)) {
        for (; j + B::size <= n; j += B::size)
            xsimd::fma(va, B::load_unaligned(x + j), B::load_unaligned(y + j)).store_unaligned(y + j);
        for (; j < n; ++j) y[j] += a * x[j];
        return;
    }
    for (; j + B::size <= n; j += B::size) {
        const B xj = B::load_unaligned(x + j), yj = B::load_unaligned(y + j);
        xsimd::select(xj != B(T(0)), xsimd::fma(va, xj, yj), yj).store_unaligned(y + j);
    }
    for (; j < n; ++j)
        if (x[j] != T(0)) y[j] += a * x[j];
}

/// Gather: y[b, r] = (accumulate ? y[b, r] : 0) + alpha * sum over line r of w_k * s[b, index_k].
template <class T, class Ev, class I, class Off>
void compressed_gather(ArrayView<T> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate) {
    const std::size_t batch = s.rows(), n_out = c.n_major;
    const Off ip = c.offsets;
    const I* ix = c.ix;
    auto store = [&](std::size_t b, std::size_t r, T v) {
        T& out = y.data()[b * n_out + r];
        out = accumulate ? out + alpha * v : alpha * v;
    };
    with_weights(c, [&](auto w) {
        if (batch == 1) {
            const T* v = dense_values<T>(s);  // 0/1 (or real) per input: one load per synapse
            for (std::size_t r = 0; r < n_out; ++r) {
                const std::size_t begin = ip.begin(r), end = ip.end(r);
                const T a = event_sum([&]<bool Skip>(std::bool_constant<Skip>) {
                    T sum = 0;
                    if constexpr (std::remove_cvref_t<decltype(w)>::homogeneous && !Skip) {
                        for (std::size_t k = begin; k < end; ++k) sum += v[ix[k]];
                        return sum * w[0];
                    } else {
                        // Every weight is read: skipping the reads of silent inputs' weights
                        // measured no faster (they stream in whole cache lines; an earlier
                        // session's bench_sparse fixed_post_W_times_s at 1%: 134-136 ms against
                        // 119-136 ms).
                        for (std::size_t k = begin; k < end; ++k) sum += event_term<Skip>(w[k], v[ix[k]]);
                        return sum;
                    }
                });
                store(0, r, a);
            }
        } else {
            // Inputs transposed (n × batch): a synapse applies to every batch row with one SIMD axpy.
            const T* vt = transposed_values<T>(s);
            T* acc = scratch<T, 4>(batch);
            for (std::size_t r = 0; r < n_out; ++r) {
                std::fill_n(acc, batch, T(0));
                const std::size_t end = ip.end(r);
                for (std::size_t k = ip.begin(r); k < end; ++k)
                    axpy(acc, w[k], vt + static_cast<std::size_t>(ix[k]) * batch, batch);
                for (std::size_t b = 0; b < batch; ++b) store(b, r, acc[b]);
            }
        }
    });
}

/// y[ix[k + g]] += coef * w[k + g] for g < G: with distinct indices in a line, all of the
/// group's loads of y issue before its stores.
template <std::size_t G, class T, class I, class W>
BRAINEVENT_FORCE_INLINE void scatter_group(T* BRAINEVENT_RESTRICT y, const I* ix, W w, T coef, std::size_t k) {
    T v[G];
    for (std::size_t g = 0; g < G; ++g) v[g] = y[ix[k + g]] + coef * w[k + g];
    for (std::size_t g = 0; g < G; ++g) y[ix[k + g]] = v[g];
}

/// y += alpha * sum over the list of value_q * line index_q. With strictly increasing indices
/// (Distinct), a group of synapses never repeats an output, so its loads of y issue before its
/// stores (1.9x faster than one read-modify-write at a time), and two lines advance in turn,
/// group by group, so that the misses of one overlap the other's (about 9% faster again; see
/// SparseTuning and docs/performance.md). Two lines may share outputs, so their groups never mix.
template <bool Distinct, class T, class L, class I, class Off, class W>
void scatter_lines(T* BRAINEVENT_RESTRICT y, const ActiveList<L, T>& l, Off ip, const I* ix, W w, T alpha) {
    constexpr std::size_t G = SparseTuning::scatter_group;
    auto prefetch = [&](std::size_t q) {
        if (q < l.count) {
            const auto ahead = static_cast<std::size_t>(l.index[q]);
            BRAINEVENT_PREFETCH(ix + ip.begin(ahead));
            if constexpr (!W::homogeneous) BRAINEVENT_PREFETCH(w.w + ip.begin(ahead));
        }
    };
    auto coef = [&](std::size_t q) { return l.values ? alpha * l.values[q] : alpha; };
    auto rest = [&](std::size_t k, std::size_t end, T c) {
        if constexpr (Distinct)
            for (; k + G <= end; k += G) scatter_group<G>(y, ix, w, c, k);
        for (; k < end; ++k) y[ix[k]] += c * w[k];
    };
    std::size_t q = 0;
    if constexpr (Distinct) {
        constexpr std::size_t ahead = 2 * SparseTuning::prefetch_ahead;
        for (std::size_t p = 2; p < ahead; ++p) prefetch(p);  // the lines before the loop's first
        for (; q + 2 <= l.count; q += 2) {
            prefetch(q + ahead);
            prefetch(q + ahead + 1);
            const auto a = static_cast<std::size_t>(l.index[q]), b = static_cast<std::size_t>(l.index[q + 1]);
            const T ca = coef(q), cb = coef(q + 1);
            std::size_t ka = ip.begin(a), kb = ip.begin(b);
            const std::size_t ea = ip.end(a), eb = ip.end(b);
            for (; ka + G <= ea && kb + G <= eb; ka += G, kb += G) {
                scatter_group<G>(y, ix, w, ca, ka);
                scatter_group<G>(y, ix, w, cb, kb);
            }
            rest(ka, ea, ca);
            rest(kb, eb, cb);
        }
    }
    for (; q < l.count; ++q) {
        prefetch(q + SparseTuning::prefetch_ahead);
        const auto i = static_cast<std::size_t>(l.index[q]);
        rest(ip.begin(i), ip.end(i), coef(q));
    }
}

/// Scatter: y[b, :] = (accumulate ? y[b, :] : 0) + alpha * sum over active lines i of s[b, i] * line i.
template <class T, class Ev, class I, class Off>
void compressed_scatter(ArrayView<T> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate) {
    using L = typename list_index<Ev>::type;
    const std::size_t batch = s.rows(), n_out = c.n_minor;
    const Off ip = c.offsets;
    const I* ix = c.ix;
    auto* lists = scratch<ActiveList<L, T>, 0>(batch);
    active_lists<T>(s, lists);

    // Which lines are active in any batch row, to choose the traversal.
    std::size_t n_union = 0;
    L* uni = nullptr;
    const std::size_t total = total_active(lists, batch);
    if (batch >= SparseTuning::union_min_batch && total != 0) {
        auto* mark = scratch<std::uint8_t, 0>(c.n_major);
        std::fill_n(mark, c.n_major, std::uint8_t{0});
        uni = scratch<L, 1>(c.n_major);
        for (std::size_t b = 0; b < batch; ++b)
            for (std::size_t q = 0; q < lists[b].count; ++q) {
                const auto i = static_cast<std::size_t>(lists[b].index[q]);
                if (!mark[i]) uni[n_union++] = static_cast<L>(i);
                mark[i] = 1;
            }
    }

    with_weights(c, [&](auto w) {
        // (Not for an infinite or NaN alpha: an output that events reach with a sum of exactly 0
        // must then give alpha · 0 = NaN, as on the per-row path, and the accumulator cannot tell
        // such an output from one no event reaches.)
        if (n_union != 0 && total >= SparseTuning::union_min_multiplicity * n_union && std::isfinite(alpha)) {
            // Each active line once for all batch rows, into a transposed accumulator.
            const T* vt = transposed_values<T>(s);
            T* yt = scratch<T, 5>(n_out * batch);
            std::fill_n(yt, n_out * batch, T(0));
            for (std::size_t q = 0; q < n_union; ++q) {
                const auto i = static_cast<std::size_t>(uni[q]);
                const T* v = vt + i * batch;
                for (std::size_t k = ip.begin(i); k < ip.end(i); ++k)
                    axpy(yt + static_cast<std::size_t>(ix[k]) * batch, w[k], v, batch);
            }
            for (std::size_t b = 0; b < batch; ++b) {
                T* yb = y.data() + b * n_out;
                for (std::size_t j = 0; j < n_out; ++j) {
                    const T t = yt[j * batch + b];
                    detail::store_reached(yb[j], t != T(0), alpha * t, accumulate);  // as the per-row path
                }
            }
            return;
        }
        for (std::size_t b = 0; b < batch; ++b) {
            T* yb = y.data() + b * n_out;
            if (!accumulate) std::fill_n(yb, n_out, T(0));
            if (c.sorted)
                scatter_lines<true>(yb, lists[b], ip, ix, w, alpha);
            else
                scatter_lines<false>(yb, lists[b], ip, ix, w, alpha);
        }
    });
}

}  // namespace brainevent::kernels::cpu

namespace brainevent {

/// Whether a product of line format F in orientation O scatters over the lines (events index the
/// lines: s * W with CSR or FixedPostNumConn, W * s with CSC or FixedPreNumConn) rather than
/// gathers along them.
template <class F, class O>
inline constexpr bool scatters_lines = F::lines_are_rows == std::is_same_v<O, events_left>;

/// Host products of every line format (CSR, CSC, FixedPost/PreNumConn), both orientations.
template <EventKind Kind, LineFormat F, class O>
struct dispatch<Kind, F, O, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        if constexpr (scatters_lines<F, O>)
            kernels::cpu::compressed_scatter(y, s, w.lines(), alpha, accumulate);
        else
            kernels::cpu::compressed_gather(y, s, w.lines(), alpha, accumulate);
    }
};

}  // namespace brainevent
