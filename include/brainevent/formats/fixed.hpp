// Fixed-number connectivity: every presynaptic neuron has exactly k targets (FixedPostNumConn),
// or every postsynaptic neuron exactly k sources (FixedPreNumConn). Stored as a dense table of
// k indices (and weights) per line: CSR or CSC whose offsets are implicit (line r starts at r·k),
// so the same kernels serve them, with one load fewer per line.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/formats/compressed.hpp"
#include "brainevent/formats/conversions.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/random/philox.hpp"

namespace brainevent {

/// Format tag of FixedPostNumConn: lines are rows of W (k targets per presynaptic neuron).
struct fixed_post_format {
    static constexpr const char* name = "FixedPostNumConn";
    static constexpr bool lines_are_rows = true;
};
/// Format tag of FixedPreNumConn: lines are columns of W (k sources per postsynaptic neuron).
struct fixed_pre_format {
    static constexpr const char* name = "FixedPreNumConn";
    static constexpr bool lines_are_rows = false;
};

/// Options of the random fixed-number generators.
struct FixedOptions {
    /// Whether line r may pick index r (neuron i connected to itself, for square W).
    bool self_connections = true;
    /// Whether a line may pick the same index more than once (the synapses then add up).
    bool duplicates = false;
};

/// k random indices in [0, n_choices) for each of n_lines lines, row-major (n_lines × k), sorted
/// within each line. Line r excludes index r unless `self_connections`, and holds distinct
/// indices unless `duplicates`; without duplicates every k-subset of the allowed indices is
/// equally likely. Line r depends only on (seed, r) (Philox4x32-10 keyed by the seed, counter by
/// the line), so the result is the same on every platform. Throws value_error for a negative
/// count or k, a count that I cannot hold, or a line that cannot hold k distinct indices; zero
/// lines give an empty table whatever k. Cost O(n_lines · k log k), one thread.
template <Index I = std::int32_t>
[[nodiscard]] std::vector<I> fixed_indices(std::int64_t n_lines, std::int64_t n_choices, std::int64_t k,
                                           std::uint64_t seed, FixedOptions options = {}) {
    const char* who = "fixed_indices";
    // Bad arguments are value_error here (format_error is for arrays given to a format).
    auto count = [&](const char* what, std::int64_t v) {
        if (v < 0) detail::raise<value_error>(who, ": ", what, " must be non-negative, got ", v);
        if (static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<I>::max()))
            detail::raise<value_error>(who, ": ", what, " = ", v, " does not fit the ", detail::index_name<I>(),
                                       " index type; use int64 indices");
        return static_cast<std::size_t>(v);
    };
    const std::size_t lines = count("the number of lines", n_lines);
    const std::size_t n = count("the number of choices", n_choices);
    if (k < 0) detail::raise<value_error>(who, ": k must be non-negative, got ", k);
    const auto kk = static_cast<std::size_t>(k);
    if (kk != 0 && lines > std::numeric_limits<std::size_t>::max() / kk)
        detail::raise<value_error>(who, ": ", lines, " lines × k = ", kk, " overflows");
    // The fewest choices any line has: self-exclusion removes one from lines r < n.
    const bool excludes = !options.self_connections && lines != 0 && n != 0;
    const std::size_t fewest = n - (excludes ? 1 : 0);
    if (kk != 0 && lines != 0 && (options.duplicates ? fewest == 0 : kk > fewest))
        detail::raise<value_error>(who, ": cannot choose k = ", kk, options.duplicates ? "" : " distinct",
                                   " indices out of ", fewest, " (n = ", n,
                                   options.self_connections ? ")" : ", self-connections excluded)");

    std::vector<I> out(lines * kk);
    if (lines == 0) return out;  // any k: no line to fill (and no room to reserve for one)
    std::vector<std::uint64_t> pick;
    pick.reserve(kk);
    for (std::size_t r = 0; r < lines; ++r) {
        random::Stream64 rng(seed, r);
        const bool skip_self = !options.self_connections && r < n;
        const std::uint64_t avail = n - (skip_self ? 1 : 0);
        pick.clear();
        if (options.duplicates) {
            for (std::size_t c = 0; c < kk; ++c) pick.push_back(rng.below(avail));
            std::sort(pick.begin(), pick.end());
        } else {
            // Draw distinct values; when k is more than half of the choices, draw the complement.
            const bool complement = 2 * kk > avail;
            const std::size_t want = complement ? avail - kk : kk;
            while (pick.size() < want) {
                const std::size_t missing = want - pick.size();
                for (std::size_t c = 0; c < missing; ++c) pick.push_back(rng.below(avail));
                std::sort(pick.begin(), pick.end());
                pick.erase(std::unique(pick.begin(), pick.end()), pick.end());
            }
            if (complement) {
                std::vector<std::uint64_t> rest;
                rest.reserve(kk);
                std::size_t q = 0;
                for (std::uint64_t v = 0; v < avail; ++v) {
                    if (q < pick.size() && pick[q] == v)
                        ++q;
                    else
                        rest.push_back(v);
                }
                pick.swap(rest);
            }
        }
        I* line = out.data() + r * kk;
        for (std::size_t c = 0; c < kk; ++c) {
            const std::uint64_t v = pick[c] + (skip_self && pick[c] >= r ? 1 : 0);  // step over r
            line[c] = static_cast<I>(v);
        }
    }
    return out;
}

}  // namespace brainevent

namespace brainevent::detail {

inline constexpr Axes fixed_post_axes{"FixedPostNumConn", "row", "column", "n_pre", "n_post"};
inline constexpr Axes fixed_pre_axes{"FixedPreNumConn", "column", "row", "n_post", "n_pre"};

/// n_major lines of exactly k entries: entry c of line r is indices[r·k + c], weights[r·k + c].
template <class T, class Space, class I>
struct Fixed {
    std::size_t n_major = 0, n_minor = 0, k = 0;
    std::shared_ptr<const Buffer<I, Space>> indices = std::make_shared<Buffer<I, Space>>();
    std::shared_ptr<Buffer<T, Space>> weights = std::make_shared<Buffer<T, Space>>();
    bool homogeneous = false;
    bool sorted = true;
    /// The lines' range index (lines.hpp), made for device copies where range_index_pays, as for
    /// CSR and CSC; empty otherwise. Structure only.
    std::shared_ptr<const Buffer<std::uint16_t, Space>> ranges;
    /// The lines' transpose (TransposedLines), made for device copies where transpose_lines finds it
    /// pays.
    std::shared_ptr<const TransposedLines<Space>> transposed;

    /// Copies only, as Compressed: moving copies the handles, a moved-from matrix keeps its arrays.
    Fixed() = default;
    Fixed(const Fixed&) = default;
    Fixed& operator=(const Fixed&) = default;

    [[nodiscard]] std::size_t nnz() const noexcept { return n_major * k; }
    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        auto in = [&](const auto& b) { return b->size() != 0 && overlaps(b->data(), b->data() + b->size(), lo, hi); };
        return in(indices) || in(weights);
    }
};

/// The lines of fixed-number storage f as the kernels traverse them.
template <class T, class Space, class I>
Lines<T, I, FixedOffsets> lines_of(const Fixed<T, Space, I>& f) noexcept {
    return {f.n_major,
            f.n_minor,
            f.nnz(),
            {f.k},
            f.indices->data(),
            f.weights->data(),
            f.homogeneous,
            f.sorted,
            f.ranges ? f.ranges->data() : nullptr,
            f.transposed ? f.transposed->view() : TransposedView{}};
}

/// Validates user arrays and copies them into a Fixed (host). Rules: k ≥ 0, n_major · k indices,
/// each in [0, n_minor); one weight per synapse or one for all. Indices within a line may come in
/// any order and may repeat (repeats add up).
template <class T, class I>
Fixed<T, host, I> make_fixed(const Axes& ax, std::int64_t n_major_in, std::int64_t n_minor_in, std::int64_t k_in,
                             std::span<const I> indices, std::span<const T> weights, bool homogeneous) {
    const std::size_t n_major = checked_size<I>(ax.who, ax.n_major_name, n_major_in);
    const std::size_t n_minor = checked_size<I>(ax.who, ax.n_minor_name, n_minor_in);
    if (k_in < 0) raise<format_error>(ax.who, ": k must be non-negative, got ", k_in);
    const auto k = static_cast<std::size_t>(k_in);
    if (k != 0 && n_major > std::numeric_limits<std::size_t>::max() / k)
        raise<format_error>(ax.who, ": ", ax.n_major_name, " × k = ", n_major, " × ", k, " overflows");
    if (indices.size() != n_major * k)
        raise<format_error>(ax.who, ": ", indices.size(), " indices given, expected ", ax.n_major_name,
                            " × k = ", n_major, " × ", k, " = ", n_major * k);
    if (!homogeneous && weights.size() != indices.size())
        raise<format_error>(ax.who, ": ", weights.size(), " weights given for ", indices.size(), " synapses");

    Fixed<T, host, I> f;
    f.n_major = n_major;
    f.n_minor = n_minor;
    f.k = k;
    f.homogeneous = homogeneous;
    for (std::size_t r = 0; r < n_major; ++r)
        for (std::size_t c = 0; c < k; ++c) {
            const I j = indices[r * k + c];
            if (j < 0 || static_cast<std::size_t>(j) >= n_minor)
                raise<format_error>(ax.who, ": ", ax.minor, " index ", j, " at ", ax.major, " ", r, ", entry ", c,
                                    " is out of range for ", ax.n_minor_name, " = ", n_minor);
            if (c != 0 && indices[r * k + c - 1] >= j) f.sorted = false;
        }
    auto ix = std::make_shared<Buffer<I, host>>(indices.size());
    std::copy(indices.begin(), indices.end(), ix->data());
    auto w = std::make_shared<Buffer<T, host>>(weights.size());
    std::copy(weights.begin(), weights.end(), w->data());
    f.indices = std::move(ix);
    f.weights = std::move(w);
    return f;
}

}  // namespace brainevent::detail

namespace brainevent {

/// W (n_pre × n_post) with exactly k entries per line. `RowLines = true` is FixedPostNumConn:
/// every presynaptic neuron i has k targets, synapse c of row i goes to indices[i·k + c] with
/// weight weights[i·k + c] (or one weight for all); `s * W` scatters the rows of the spiking
/// neurons (cost: spikes × k) and `W * s` gathers every row. `RowLines = false` is
/// FixedPreNumConn: every postsynaptic neuron j has k sources, listed in indices[j·k + c]; `W * s`
/// is the event-driven direction and `s * W` gathers. Indices within a line may be unsorted and
/// may repeat (repeats add up). `transpose(W)` turns one kind into the other over the transposed
/// shape, on the same arrays. Copies share the arrays, as for CSR: the structure never changes
/// after validation; weights changed through one copy are seen by all copies, transposes and the
/// tocsr()/tocsc() that shares them. The GPU gather reads a synapse's weight only where its input
/// is active.
///
///     auto W = brainevent::FixedPostNumConn<float>::random(n, n, 100, 0.1f, /*seed*/ 42);
///     y = s * W;
template <Real T, MemorySpace Space, Index I, bool RowLines>
class FixedNumConn {
public:
    using value_type = T;
    using index_type = I;
    using space = Space;
    using format = std::conditional_t<RowLines, fixed_post_format, fixed_pre_format>;

    /// An empty 0 × 0 matrix.
    FixedNumConn() = default;
    /// Heterogeneous weights: indices and weights are lines × k, row-major (lines: n_pre for
    /// FixedPostNumConn, n_post for FixedPreNumConn).
    FixedNumConn(std::int64_t n_pre, std::int64_t n_post, std::int64_t k, std::span<const I> indices,
                 std::span<const T> weights)
        requires std::same_as<Space, host>
        : f_(detail::make_fixed<T, I>(axes(), RowLines ? n_pre : n_post, RowLines ? n_post : n_pre, k, indices,
                                      weights, false)) {}
    /// Homogeneous: one weight for every synapse, stored once.
    FixedNumConn(std::int64_t n_pre, std::int64_t n_post, std::int64_t k, std::span<const I> indices, T weight)
        requires std::same_as<Space, host>
        : f_(detail::make_fixed<T, I>(axes(), RowLines ? n_pre : n_post, RowLines ? n_post : n_pre, k, indices,
                                      std::span<const T>(&weight, 1), true)) {}
    /// Wraps storage (transposes and transfers; already validated).
    explicit FixedNumConn(detail::Fixed<T, Space, I> f) : f_(std::move(f)) {}

    /// k random partners per line (fixed_indices(lines, choices, k, seed, options)), all with
    /// weight `weight`.
    [[nodiscard]] static FixedNumConn random(std::int64_t n_pre, std::int64_t n_post, std::int64_t k, T weight,
                                             std::uint64_t seed, FixedOptions options = {})
        requires std::same_as<Space, host>
    {
        const auto ix = fixed_indices<I>(RowLines ? n_pre : n_post, RowLines ? n_post : n_pre, k, seed, options);
        return FixedNumConn(n_pre, n_post, k, ix, weight);
    }

    [[nodiscard]] std::size_t n_pre() const noexcept { return RowLines ? f_.n_major : f_.n_minor; }
    [[nodiscard]] std::size_t n_post() const noexcept { return RowLines ? f_.n_minor : f_.n_major; }
    /// Connections per line: targets per presynaptic neuron (FixedPostNumConn) or sources per
    /// postsynaptic neuron (FixedPreNumConn).
    [[nodiscard]] std::size_t num_conn() const noexcept { return f_.k; }
    /// Number of stored synapses (lines × k).
    [[nodiscard]] std::size_t nnz() const noexcept { return f_.nnz(); }
    /// True if one weight, stored once, serves every synapse.
    [[nodiscard]] bool is_homogeneous() const noexcept { return f_.homogeneous; }
    /// True if indices increase strictly within every line (no repeats).
    [[nodiscard]] bool has_sorted_indices() const noexcept { return f_.sorted; }
    /// The lines × k index table, row-major.
    [[nodiscard]] std::span<const I> indices() const noexcept { return f_.indices->span(); }
    /// One weight per synapse (lines × k, row-major), or a single weight if homogeneous. Writable.
    [[nodiscard]] std::span<T> weights() const noexcept { return f_.weights->span(); }

    /// The dense n_pre × n_post matrix (repeated entries add up).
    [[nodiscard]] Dense<T> todense() const
        requires std::same_as<Space, host>
    {
        Dense<T> d(n_pre(), n_post());
        const I* ix = f_.indices->data();
        const T* w = f_.weights->data();
        for (std::size_t r = 0; r < f_.n_major; ++r)
            for (std::size_t e = r * f_.k; e < (r + 1) * f_.k; ++e) {
                const auto j = static_cast<std::size_t>(ix[e]);
                (RowLines ? d(r, j) : d(j, r)) += f_.homogeneous ? w[0] : w[e];
            }
        return d;
    }
    /// The same matrix as CSR: for FixedPostNumConn it shares indices and weights (only the
    /// offsets are built); for FixedPreNumConn it is a copy, sorted by row.
    template <Index O = I>
    [[nodiscard]] CSR<T, host, I, O> tocsr() const
        requires std::same_as<Space, host>
    {
        if constexpr (RowLines)
            return CSR<T, host, I, O>(compressed<O>());
        else
            return csc2csr(tocsc<O>());
    }
    /// The same matrix as CSC: for FixedPreNumConn it shares indices and weights; for
    /// FixedPostNumConn it is a copy, sorted by column.
    template <Index O = I>
    [[nodiscard]] CSC<T, host, I, O> tocsc() const
        requires std::same_as<Space, host>
    {
        if constexpr (RowLines)
            return csr2csc(tocsr<O>());
        else
            return CSC<T, host, I, O>(compressed<O>());
    }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept { return f_.reads(lo, hi); }
    /// The underlying storage, for conversions and transfers.
    [[nodiscard]] const detail::Fixed<T, Space, I>& storage() const noexcept { return f_; }
    /// True if this (device) copy holds a range index of its lines (formats/lines.hpp: made by
    /// to_device, as for CSR and CSC, where it costs at most a quarter of the indices' memory).
    [[nodiscard]] bool has_range_index() const noexcept { return f_.ranges != nullptr; }
    /// True if this (device) copy holds the transpose of its lines' structure (made by to_device
    /// for small matrices, formats/lines.hpp: kTransposedLines), which the scatter gathers over.
    [[nodiscard]] bool has_transposed_lines() const noexcept { return f_.transposed != nullptr; }
    /// The lines as the kernels traverse them.
    [[nodiscard]] detail::Lines<T, I, detail::FixedOffsets> lines() const noexcept { return detail::lines_of(f_); }

private:
    static constexpr const detail::Axes& axes() { return RowLines ? detail::fixed_post_axes : detail::fixed_pre_axes; }

    /// Compressed storage of the same lines, sharing indices and weights (offsets r · k built
    /// here, after checking that offset type O can hold nnz).
    template <class O>
    detail::Compressed<T, host, I, O> compressed() const {
        detail::check_offsets_fit<O>(RowLines ? "FixedPostNumConn::tocsr" : "FixedPreNumConn::tocsc", nnz());
        detail::Compressed<T, host, I, O> c;
        c.n_major = f_.n_major;
        c.n_minor = f_.n_minor;
        auto ip = std::make_shared<Buffer<O, host>>(f_.n_major + 1);
        for (std::size_t r = 0; r <= f_.n_major; ++r) ip->data()[r] = static_cast<O>(r * f_.k);
        c.indptr = std::move(ip);
        c.indices = f_.indices;
        c.weights = f_.weights;
        c.homogeneous = f_.homogeneous;
        c.sorted = f_.sorted;
        return c;
    }

    detail::Fixed<T, Space, I> f_;
};

/// Every presynaptic neuron has exactly k targets: indices are n_pre × k.
template <Real T, MemorySpace Space = host, Index I = std::int32_t>
using FixedPostNumConn = FixedNumConn<T, Space, I, true>;
/// Every postsynaptic neuron has exactly k sources: indices are n_post × k.
template <Real T, MemorySpace Space = host, Index I = std::int32_t>
using FixedPreNumConn = FixedNumConn<T, Space, I, false>;

/// transpose(W) turns a FixedPostNumConn into a FixedPreNumConn (shape n_post × n_pre) sharing W's
/// arrays, and back: no copy of them. W by value, as for CSR (formats/conversions.hpp): lvalues and
/// temporaries alike, since the result shares ownership of the arrays.
template <class T, class S, class I, bool R>
[[nodiscard]] FixedNumConn<T, S, I, !R> transpose(FixedNumConn<T, S, I, R> w) {
    return FixedNumConn<T, S, I, !R>(w.storage());
}

}  // namespace brainevent

#include "brainevent/kernels/cpu/compressed.hpp"  // the host kernels of every line format

#if defined(__CUDACC__)
#include "brainevent/kernels/cuda/compressed.cuh"  // and, under nvcc, the CUDA kernels
#endif
