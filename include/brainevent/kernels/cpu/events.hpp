// Active-event lists for the host kernels: every event kind is turned into, per batch row, the
// list of active inputs and (for float events) their values. Kernels are written once against
// this form; only the compaction differs per event kind.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>

#include "brainevent/core/array.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/events/indexed_binary.hpp"
#include "brainevent/kernels/cpu/workspace.hpp"

namespace brainevent::kernels::cpu {

/// A gather's sum: sum(false_type) sums w · x over the entries, sum(true_type) the same with
/// silent events (x = 0) skipped. The first runs, and the second only where the first is not
/// finite: a weight of inf or NaN may then have met a silent event (0 · inf = NaN), which must
/// add nothing. A finite plain sum met none, so it is the answer. (A select in every term made
/// bench_sparse fixed_post_W_times_s at 1% 55% slower: 133-137 ms against 86-91 ms; see
/// docs/performance.md.) Relies on IEEE arithmetic: lost under -ffast-math.
template <class Sum>
BRAINEVENT_FORCE_INLINE auto event_sum(Sum&& sum) {
    const auto a = sum(std::false_type{});
    return std::isfinite(a) ? a : sum(std::true_type{});
}

/// The term w · x of a gather's sum, or 0 for a silent event where `skip`.
template <bool Skip, class T>
BRAINEVENT_FORCE_INLINE T event_term(T w, T x) {
    if constexpr (Skip) return x != T(0) ? w * x : T(0);
    return w * x;
}

/// The active inputs of one batch row: `count` indices and, for weighted (float) events, their
/// values (`values == nullptr` means every active input has value 1).
template <class I, class T>
struct ActiveList {
    const I* index = nullptr;
    const T* values = nullptr;
    std::size_t count = 0;
};

/// Index type of the lists built from events E.
template <class E>
struct list_index {
    using type = std::int32_t;
};
template <class E>
    requires requires { typename E::index_type; }
struct list_index<E> {
    using type = typename E::index_type;
};

inline void check_list_extent(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        detail::raise<value_error>("events of ", n, " neurons exceed the 32-bit index range of the host kernels");
}

/// Active lists of every batch row of s, written to lists[0, s.rows()). Indexed events are used
/// in place; binary and float events are compacted into per-thread scratch.
template <class T>
void active_lists(const BinaryArray<host>& s, ActiveList<std::int32_t, T>* lists) {
    const std::size_t n = s.cols();
    check_list_extent(n);
    std::int32_t* idx = scratch<std::int32_t, 0>(s.size());
    for (std::size_t b = 0; b < s.rows(); ++b) {
        std::int32_t* out = idx + b * n;
        lists[b] = {out, nullptr, detail::compact_spikes(s.row(b), n, out)};
    }
}

template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, indexed_events>
void active_lists(const Ev& s, ActiveList<typename Ev::index_type, T>* lists) {
    for (std::size_t b = 0; b < s.rows(); ++b) {
        const auto r = s.row(b);
        lists[b] = {r.data(), nullptr, r.size()};
    }
}

template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, float_events>
void active_lists(const Ev& s, ActiveList<std::int32_t, T>* lists) {
    const std::size_t n = s.cols();
    check_list_extent(n);
    std::int32_t* idx = scratch<std::int32_t, 0>(s.size());
    T* val = scratch<T, 1>(s.size());
    for (std::size_t b = 0; b < s.rows(); ++b) {
        const T* x = s.data() + b * n;
        std::int32_t* oi = idx + b * n;
        T* ov = val + b * n;
        std::size_t k = 0;
        for (std::size_t i = 0; i < n; ++i) {
            // Zeros are skipped: a silent input contributes nothing, whatever W holds.
            oi[k] = static_cast<std::int32_t>(i);
            ov[k] = x[i];
            k += x[i] != T(0);
        }
        lists[b] = {oi, val + b * n, k};
    }
}

/// The events as a dense rows × n array of T (1 for a spike), for the streamed W * s path.
template <class T>
const T* dense_values(const BinaryArray<host>& s) {
    T* d = scratch<T, 2>(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) d[i] = s.data()[i] != 0 ? T(1) : T(0);
    return d;
}
template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, indexed_events>
const T* dense_values(const Ev& s) {
    T* d = scratch<T, 2>(s.rows() * s.cols());
    std::fill_n(d, s.rows() * s.cols(), T(0));
    for (std::size_t b = 0; b < s.rows(); ++b)
        for (auto i : s.row(b)) d[b * s.cols() + static_cast<std::size_t>(i)] = T(1);
    return d;
}
template <class T, class Ev>
requires std::same_as<typename Ev::event_kind, float_events>
const T* dense_values(const Ev& s) {
    return s.data();
}

/// The events as a dense n × rows array of T (transposed: the values of one input across the
/// batch are contiguous), for kernels that apply each synapse to every batch row at once.
template <class T, class Ev>
const T* transposed_values(const Ev& s) {
    const std::size_t rows = s.rows(), n = s.cols();
    T* t = scratch<T, 3>(rows * n);
    if constexpr (std::same_as<typename Ev::event_kind, indexed_events>) {
        std::fill_n(t, rows * n, T(0));
        for (std::size_t b = 0; b < rows; ++b)
            for (auto i : s.row(b)) t[static_cast<std::size_t>(i) * rows + b] = T(1);
    } else {
        for (std::size_t b = 0; b < rows; ++b)
            for (std::size_t i = 0; i < n; ++i) {
                if constexpr (std::same_as<typename Ev::event_kind, binary_events>)
                    t[i * rows + b] = s.data()[b * n + i] != 0 ? T(1) : T(0);
                else
                    t[i * rows + b] = s.data()[b * n + i];
            }
    }
    return t;
}

/// Total number of active inputs over all rows.
template <class I, class T>
std::size_t total_active(const ActiveList<I, T>* lists, std::size_t rows) {
    std::size_t total = 0;
    for (std::size_t b = 0; b < rows; ++b) total += lists[b].count;
    return total;
}

}  // namespace brainevent::kernels::cpu
