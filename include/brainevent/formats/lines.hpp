// Line-compressed storage as the kernels see it. CSR, CSC, FixedPostNumConn and FixedPreNumConn
// all store W as lines (rows or columns) of (minor index, weight) entries; they differ only in
// where a line starts: a stored offset array (CSR, CSC) or r · k (the fixed-number formats).
// Kernels are written once against Lines<T, I, Offsets>.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "brainevent/core/config.hpp"

namespace brainevent {

/// A format whose storage is lines of entries: its tag says whether the lines are rows of W
/// (events of `s * W` index them) or columns.
template <class F>
concept LineFormat = requires {
    { F::lines_are_rows } -> std::convertible_to<bool>;
};

}  // namespace brainevent

namespace brainevent::detail {

/// Line r holds entries [ip[r], ip[r + 1]) (CSR, CSC).
template <class O>
struct StoredOffsets {
    const O* ip;
    BRAINEVENT_HOST_DEVICE std::size_t begin(std::size_t r) const { return static_cast<std::size_t>(ip[r]); }
    BRAINEVENT_HOST_DEVICE std::size_t end(std::size_t r) const { return static_cast<std::size_t>(ip[r + 1]); }
};

/// Line r holds entries [r · k, (r + 1) · k) (FixedPostNumConn, FixedPreNumConn).
struct FixedOffsets {
    std::size_t k;
    BRAINEVENT_HOST_DEVICE std::size_t begin(std::size_t r) const { return r * k; }
    BRAINEVENT_HOST_DEVICE std::size_t end(std::size_t r) const { return (r + 1) * k; }
};

/// A line's entries by output range: the minor dimension cut into ranges of 2^kRangeShift, and
/// for line r, ranges[r · (n_ranges + 1) + q] = the number of its entries whose minor index lies
/// below q · 2^kRangeShift (q = 0, …, n_ranges; the last is the line's length). Needs sorted
/// lines of at most 65,535 entries. Device copies of CSR and CSC hold one where it is small next
/// to the indices (see range_index_pays); the CUDA scatter then sums each output range in shared
/// memory (kernels/cuda/compressed.cuh).
inline constexpr unsigned kRangeShift = 12;

/// Ranges of 2^kRangeShift over a minor dimension of n_minor.
constexpr std::size_t range_count(std::size_t n_minor) {
    return (n_minor + (std::size_t{1} << kRangeShift) - 1) >> kRangeShift;
}

/// Whether a range index pays for its memory: sorted lines of at most 65,535 entries over at
/// least two ranges, and an index of at most a quarter of the indices' bytes (at fan-out 1,000
/// over 1M outputs, 246 entries of 2 bytes per line against 4,000 bytes of int32 indices).
constexpr bool range_index_pays(std::size_t n_major, std::size_t n_minor, std::size_t nnz, std::size_t index_bytes,
                                bool sorted, std::size_t longest_line) {
    const std::size_t ranges = range_count(n_minor);
    return sorted && longest_line <= 65535 && ranges >= 2 && n_major != 0 &&
           n_major * (ranges + 1) * sizeof(std::uint16_t) * 4 <= nnz * index_bytes;
}

/// Device copies hold their lines' transpose (the entries grouped by minor index; structure only:
/// 8 bytes per entry and 4 per minor position) where the minor dimension has at most
/// kTransposedLines positions, the entries are at most kTransposedEntries (4 MiB of transpose)
/// and no transposed line is longer than kTransposedLongest (a warp walks it in at most four
/// rounds). The CUDA scatter of binary or float events then gathers a warp per output over them
/// (one kernel, no zeroing, no atomics) where the outputs times the batch are at most
/// kTransposedLines. H100, 2026-11-28, per graph replay of y = s * W, one call (µs, scatter →
/// gather): 4,000 × 4,000 at 80 per line (320,000 entries), firing 0 / 0.25% / 1% / 5% / 100%:
/// 3.45 → 4.33, 3.86 → 4.55, 4.85 → 4.54, 5.40 → 4.55, 22.7 → 6.78; 1,000 × 1,000 at 20 per line,
/// 0.1% / 5%: 3.40 → 3.17, 4.79 → 3.33. Over more outputs the warps per output cost more than the
/// scatter saves: 10,000 × 10,000 at 100, 0.1% / 1% / 5%: 3.81 → 6.07, 4.40 → 6.14, 6.28 → 6.26;
/// 50,000 × 50,000 at 20, 5%: 12.8 → 20.1 (plain launches). The gather reads every entry whatever
/// the firing, hence the cap on entries (about 1.6 times the largest case measured).
inline constexpr std::size_t kTransposedLines = 4096, kTransposedEntries = std::size_t{1} << 19,
                             kTransposedLongest = 512;

/// Whether a device copy of n_major lines over n_minor positions with nnz entries may hold their
/// transpose: the bounds known before it is counted (the longest transposed line is known after,
/// see transpose_lines).
constexpr bool transposed_lines_may_pay(std::size_t n_major, std::size_t n_minor, std::size_t nnz) {
    return nnz != 0 && n_minor <= kTransposedLines && nnz <= kTransposedEntries && n_major <= 0xffffffffu;
}

/// A matrix's transposed lines as kernels read them (TransposedLines, formats/compressed.hpp), or
/// none (null pointers): transposed line j = entries [ip[j], ip[j + 1]), each the line major[·]
/// that holds it and its place entry[·] in ix and w (so weights are read where they are kept).
struct TransposedView {
    const std::uint32_t* ip = nullptr;
    const std::uint32_t* major = nullptr;
    const std::uint32_t* entry = nullptr;
};

/// A read-only view of n_major lines over a minor dimension of n_minor: entry e of the storage
/// has minor index ix[e] and weight w[e] (w[0] for every entry if homogeneous).
template <class T, class I, class Offsets>
struct Lines {
    std::size_t n_major = 0, n_minor = 0, nnz = 0;
    Offsets offsets;
    const I* ix = nullptr;
    const T* w = nullptr;
    bool homogeneous = false;
    bool sorted = true;                     ///< minor indices increase strictly within every line
    const std::uint16_t* ranges = nullptr;  ///< the lines' range index (device copies), or none
    TransposedView t{};  ///< the lines' transpose (device copies of small matrices), or none
};

/// Groups the entries of lines c by minor index, a counting sort in two steps (O(n_major + n_minor
/// + nnz)): count_by_minor adds the number of entries at each minor position j to ip[j + 1] (ip:
/// n_minor + 1 zeros); place_by_minor turns the counts into offsets and calls place(at, r, e) for
/// every entry e of line r with its place `at` in the grouping, lines in increasing order.
template <class P, class T, class I, class Off>
void count_by_minor(const Lines<T, I, Off>& c, P* ip) {
    for (std::size_t r = 0; r < c.n_major; ++r)
        for (std::size_t e = c.offsets.begin(r); e < c.offsets.end(r); ++e) ++ip[static_cast<std::size_t>(c.ix[e]) + 1];
}
template <class P, class T, class I, class Off, class F>
void place_by_minor(const Lines<T, I, Off>& c, P* ip, F&& place) {
    for (std::size_t j = 0; j < c.n_minor; ++j) ip[j + 1] += ip[j];
    std::vector<P> next(ip, ip + c.n_minor);
    for (std::size_t r = 0; r < c.n_major; ++r)
        for (std::size_t e = c.offsets.begin(r); e < c.offsets.end(r); ++e)
            place(static_cast<std::size_t>(next[static_cast<std::size_t>(c.ix[e])]++), r, e);
}

/// How a kernel that sums an output before storing it keeps the scatter's rule: out = (accumulate
/// ? out : 0) + value where an event reached the output, and an exact 0 (or out unchanged when
/// accumulating) where none did, whatever alpha (alpha · 0 would be NaN for an infinite alpha).
template <class T>
BRAINEVENT_HOST_DEVICE void store_reached(T& out, bool reached, T value, bool accumulate) {
    if (reached)
        out = accumulate ? out + value : value;
    else if (!accumulate)
        out = T(0);
}

}  // namespace brainevent::detail
