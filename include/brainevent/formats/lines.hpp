// Line-compressed storage as the kernels see it. CSR, CSC, FixedPostNumConn and FixedPreNumConn
// all store W as lines (rows or columns) of (minor index, weight) entries; they differ only in
// where a line starts: a stored offset array (CSR, CSC) or r · k (the fixed-number formats).
// Kernels are written once against Lines<T, I, Offsets>.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

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
};

}  // namespace brainevent::detail
