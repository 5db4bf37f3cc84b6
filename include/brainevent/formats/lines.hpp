// Line-compressed storage as the kernels see it. CSR, CSC, FixedPostNumConn and FixedPreNumConn
// all store W as lines (rows or columns) of (minor index, weight) entries; they differ only in
// where a line starts: a stored offset array (CSR, CSC) or r · k (the fixed-number formats).
// Kernels are written once against Lines<T, I, Offsets>.
#pragma once

#include <concepts>
#include <cstddef>

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

/// A read-only view of n_major lines over a minor dimension of n_minor: entry e of the storage
/// has minor index ix[e] and weight w[e] (w[0] for every entry if homogeneous).
template <class T, class I, class Offsets>
struct Lines {
    std::size_t n_major = 0, n_minor = 0, nnz = 0;
    Offsets offsets;
    const I* ix = nullptr;
    const T* w = nullptr;
    bool homogeneous = false;
    bool sorted = true;  ///< minor indices increase strictly within every line
};

}  // namespace brainevent::detail
