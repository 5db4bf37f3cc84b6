// Storage shared by CSR and CSC: offsets along a major dimension, minor indices and weights,
// validated once at construction. CSC of W and CSR of transpose(W) are the same arrays, so the
// arrays are shared (immutable structure, shared weights) and transposing costs nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/SparseCore>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/formats/lines.hpp"

namespace brainevent::detail {

template <class I>
constexpr const char* index_name() {
    return sizeof(I) == 4 ? "int32" : "int64";
}

/// Checks a user-given size: non-negative, and representable in the index type I.
template <class I>
std::size_t checked_size(const char* who, const char* what, std::int64_t n) {
    if (n < 0) raise<format_error>(who, ": ", what, " must be non-negative, got ", n);
    if (static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(std::numeric_limits<I>::max()))
        raise<format_error>(who, ": ", what, " = ", n, " does not fit the ", index_name<I>(),
                            " index type; use int64 indices");
    return static_cast<std::size_t>(n);
}

/// Checks that nnz synapses can be addressed by offsets of type O.
template <class O>
void check_offsets_fit(const char* who, std::size_t nnz) {
    if (nnz > static_cast<std::size_t>(std::numeric_limits<O>::max()))
        raise<format_error>(who, ": ", nnz, " synapses overflow ", index_name<O>(),
                            " offsets (indptr); use int64 offsets");
}

/// Names of the two dimensions of a compressed format, for messages.
struct Axes {
    const char* who;    ///< "CSR" or "CSC"
    const char* major;  ///< "row" or "column"
    const char* minor;  ///< "column" or "row"
    const char* n_major_name;
    const char* n_minor_name;
};
inline constexpr Axes csr_axes{"CSR", "row", "column", "n_pre", "n_post"};
inline constexpr Axes csc_axes{"CSC", "column", "row", "n_post", "n_pre"};

/// The entries of a matrix's lines grouped by minor index: transposed line j (entries
/// [indptr[j], indptr[j + 1])) lists every entry e with ix[e] = j, in increasing line order, as
/// major (the line holding it) and entry (e: where its weight is). No weights of its own, so
/// that weights changed in place (plasticity) are seen. Made for device copies of small matrices
/// (lines.hpp: kTransposedLines).
template <class Space>
struct TransposedLines {
    Buffer<std::uint32_t, Space> indptr, major, entry;
    [[nodiscard]] TransposedView view() const noexcept { return {indptr.data(), major.data(), entry.data()}; }
};

/// The transpose of host lines c (counting sort, O(n_major + n_minor + nnz)), or none where it
/// would not pay: outside transposed_lines_may_pay's bounds (which also keep every position within
/// 32 bits), or with a transposed line longer than kTransposedLongest.
template <class T, class I, class Off>
std::optional<TransposedLines<host>> transpose_lines(const Lines<T, I, Off>& c) {
    if (!transposed_lines_may_pay(c.n_major, c.n_minor, c.nnz)) return std::nullopt;
    TransposedLines<host> t{Buffer<std::uint32_t, host>(c.n_minor + 1, 0u), Buffer<std::uint32_t, host>(c.nnz),
                            Buffer<std::uint32_t, host>(c.nnz)};
    std::uint32_t* ip = t.indptr.data();
    count_by_minor(c, ip);
    if (*std::max_element(ip + 1, ip + c.n_minor + 1) > kTransposedLongest) return std::nullopt;
    place_by_minor(c, ip, [&](std::size_t at, std::size_t r, std::size_t e) {
        t.major.data()[at] = static_cast<std::uint32_t>(r);
        t.entry.data()[at] = static_cast<std::uint32_t>(e);
    });
    return t;
}

/// Compressed sparse storage: line r (a row of CSR, a column of CSC) holds entries
/// [indptr[r], indptr[r + 1]) of `indices` (minor positions) and `weights`.
template <class T, class Space, class I, class O>
struct Compressed {
    std::size_t n_major = 0, n_minor = 0;
    std::shared_ptr<const Buffer<O, Space>> indptr = std::make_shared<Buffer<O, Space>>(1, O(0));
    std::shared_ptr<const Buffer<I, Space>> indices = std::make_shared<Buffer<I, Space>>();
    std::shared_ptr<Buffer<T, Space>> weights = std::make_shared<Buffer<T, Space>>();
    bool homogeneous = false;  ///< one weight, weights->data()[0], for every synapse
    bool sorted = true;        ///< minor indices increase strictly within every line
    /// The lines' range index (lines.hpp), made for device copies where range_index_pays; empty
    /// otherwise. Depends on the structure only, which never changes.
    std::shared_ptr<const Buffer<std::uint16_t, Space>> ranges;
    /// The lines' transpose (TransposedLines), made for device copies where transpose_lines finds it
    /// pays; empty otherwise. Structure only, like `ranges`.
    std::shared_ptr<const TransposedLines<Space>> transposed;

    /// Copies only (declaring them leaves no implicit move): moving copies the handles, which
    /// neither allocates nor throws, so a moved-from matrix keeps its arrays, never its sizes over
    /// none.
    Compressed() = default;
    Compressed(const Compressed&) = default;
    Compressed& operator=(const Compressed&) = default;

    [[nodiscard]] std::size_t nnz() const noexcept { return indices->size(); }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        auto in = [&](const auto& b) { return b->size() != 0 && overlaps(b->data(), b->data() + b->size(), lo, hi); };
        return in(indptr) || in(indices) || in(weights);
    }
};

/// The lines of compressed storage c as the kernels traverse them.
template <class T, class Space, class I, class O>
Lines<T, I, StoredOffsets<O>> lines_of(const Compressed<T, Space, I, O>& c) noexcept {
    return {c.n_major,
            c.n_minor,
            c.nnz(),
            {c.indptr->data()},
            c.indices->data(),
            c.weights->data(),
            c.homogeneous,
            c.sorted,
            c.ranges ? c.ranges->data() : nullptr,
            c.transposed ? c.transposed->view() : TransposedView{}};
}

/// Validates user arrays and copies them into a Compressed (host). Rules: indptr has
/// n_major + 1 entries, starts at 0, never decreases and ends at nnz; every index lies in
/// [0, n_minor). Indices within a line may come in any order and may repeat (repeats add up).
template <class T, class I, class O>
Compressed<T, host, I, O> make_compressed(const Axes& ax, std::int64_t n_major_in, std::int64_t n_minor_in,
                                          std::span<const O> indptr, std::span<const I> indices,
                                          std::span<const T> weights, bool homogeneous) {
    const std::size_t n_major =
        checked_size<I>(ax.who, ax.n_major_name, n_major_in);  // both dimensions become indices after conversion
    const std::size_t n_minor = checked_size<I>(ax.who, ax.n_minor_name, n_minor_in);
    if (indptr.size() != n_major + 1)
        raise<format_error>(ax.who, ": indptr has ", indptr.size(), " entries, expected ", ax.n_major_name,
                            " + 1 = ", n_major + 1);
    if (indptr[0] != 0) raise<format_error>(ax.who, ": indptr[0] is ", indptr[0], ", must be 0");
    for (std::size_t r = 0; r < n_major; ++r)
        if (indptr[r + 1] < indptr[r])
            raise<format_error>(ax.who, ": indptr decreases at ", ax.major, " ", r, " (indptr[", r, "] = ", indptr[r],
                                " > indptr[", r + 1, "] = ", indptr[r + 1], ")");
    if (static_cast<std::size_t>(indptr[n_major]) != indices.size())
        raise<format_error>(ax.who, ": indptr[", ax.n_major_name, "] = ", indptr[n_major], " but ", indices.size(),
                            " indices were given");
    if (!homogeneous && weights.size() != indices.size())
        raise<format_error>(ax.who, ": ", weights.size(), " weights given for ", indices.size(), " synapses");
    check_offsets_fit<O>(ax.who, indices.size());

    Compressed<T, host, I, O> c;
    c.n_major = n_major;
    c.n_minor = n_minor;
    c.homogeneous = homogeneous;
    for (std::size_t r = 0; r < n_major; ++r)
        for (auto k = static_cast<std::size_t>(indptr[r]); k < static_cast<std::size_t>(indptr[r + 1]); ++k) {
            const I j = indices[k];
            if (j < 0 || static_cast<std::size_t>(j) >= n_minor)
                raise<format_error>(ax.who, ": ", ax.minor, " index ", j, " at position ", k, " (", ax.major, " ", r,
                                    ") is out of range for ", ax.n_minor_name, " = ", n_minor);
            if (k > static_cast<std::size_t>(indptr[r]) && indices[k - 1] >= j) c.sorted = false;
        }
    auto ip = std::make_shared<Buffer<O, host>>(indptr.size());
    std::copy(indptr.begin(), indptr.end(), ip->data());
    auto ix = std::make_shared<Buffer<I, host>>(indices.size());
    std::copy(indices.begin(), indices.end(), ix->data());
    auto w = std::make_shared<Buffer<T, host>>(weights.size());
    std::copy(weights.begin(), weights.end(), w->data());
    c.indptr = std::move(ip);
    c.indices = std::move(ix);
    c.weights = std::move(w);
    return c;
}

/// The same matrix compressed along the other dimension (a counting sort: O(nnz + n)); the
/// result's indices are sorted within every line.
template <class T, class I, class O>
Compressed<T, host, I, O> recompress(const Compressed<T, host, I, O>& a) {
    const std::size_t nnz = a.nnz();
    auto ip = std::make_shared<Buffer<O, host>>(a.n_minor + 1, O(0));
    auto ix = std::make_shared<Buffer<I, host>>(nnz);
    auto w = std::make_shared<Buffer<T, host>>(a.homogeneous ? 1 : nnz);
    const auto lines = lines_of(a);
    O* p = ip->data();
    count_by_minor(lines, p);
    place_by_minor(lines, p, [&](std::size_t dst, std::size_t r, std::size_t k) {
        ix->data()[dst] = static_cast<I>(r);
        if (!a.homogeneous) w->data()[dst] = a.weights->data()[k];
    });
    if (a.homogeneous) w->data()[0] = a.weights->data()[0];
    Compressed<T, host, I, O> c;
    c.n_major = a.n_minor;
    c.n_minor = a.n_major;
    c.homogeneous = a.homogeneous;
    c.sorted = true;  // rows were visited in order; repeats of (r, j) stay adjacent
    for (std::size_t j = 0; j < c.n_major && c.sorted; ++j)
        for (auto k = static_cast<std::size_t>(p[j]) + 1; k < static_cast<std::size_t>(p[j + 1]); ++k)
            if (ix->data()[k - 1] >= ix->data()[k]) c.sorted = false;
    c.indptr = std::move(ip);
    c.indices = std::move(ix);
    c.weights = std::move(w);
    return c;
}

/// Adds every entry into a row-major dense array; `row_major_lines` says whether lines are rows.
template <class T, class I, class O>
void add_to_dense(const Compressed<T, host, I, O>& a, T* dense, bool lines_are_rows) {
    const O* ip = a.indptr->data();
    const I* ix = a.indices->data();
    const T* w = a.weights->data();
    for (std::size_t r = 0; r < a.n_major; ++r)
        for (auto k = static_cast<std::size_t>(ip[r]); k < static_cast<std::size_t>(ip[r + 1]); ++k) {
            const auto j = static_cast<std::size_t>(ix[k]);
            const T v = a.homogeneous ? w[0] : w[k];
            if (lines_are_rows)
                dense[r * a.n_minor + j] += v;
            else
                dense[j * a.n_major + r] += v;
        }
}

}  // namespace brainevent::detail

namespace brainevent {

/// Format tag of CSR (formats/csr.hpp).
struct csr_format {
    static constexpr const char* name = "CSR";
    static constexpr bool lines_are_rows = true;
};
/// Format tag of CSC (formats/csc.hpp).
struct csc_format {
    static constexpr const char* name = "CSC";
    static constexpr bool lines_are_rows = false;
};

/// What CSR and CSC share: the arrays, their accessors, and conversions. `RowLines` says whether
/// the compressed lines are rows of W (CSR) or columns (CSC). Copies share the arrays (a handle,
/// like a view): the structure never changes after validation; weights changed through one copy
/// are seen by all copies and transposes.
template <class T, class Space, class I, class O, bool RowLines>
class CompressedBase {
public:
    using value_type = T;
    using index_type = I;
    using offset_type = O;
    using space = Space;
    static_assert(Real<T>, "brainevent: sparse weights are float or double");
    static_assert(Index<I> && Index<O>, "brainevent: sparse indices and offsets are int32 or int64");

    [[nodiscard]] std::size_t n_pre() const noexcept { return RowLines ? c_.n_major : c_.n_minor; }
    [[nodiscard]] std::size_t n_post() const noexcept { return RowLines ? c_.n_minor : c_.n_major; }
    /// Number of stored synapses.
    [[nodiscard]] std::size_t nnz() const noexcept { return c_.nnz(); }
    /// True if one weight, stored once, serves every synapse.
    [[nodiscard]] bool is_homogeneous() const noexcept { return c_.homogeneous; }
    /// True if indices increase strictly within every line (no repeats).
    [[nodiscard]] bool has_sorted_indices() const noexcept { return c_.sorted; }
    /// True if this (device) copy holds a range index of its lines (formats/lines.hpp: made by
    /// to_device where it costs at most a quarter of the indices' memory).
    [[nodiscard]] bool has_range_index() const noexcept { return c_.ranges != nullptr; }
    /// True if this (device) copy holds the transpose of its lines' structure (made by to_device
    /// for small matrices, formats/lines.hpp: kTransposedLines), which the scatter gathers over.
    [[nodiscard]] bool has_transposed_lines() const noexcept { return c_.transposed != nullptr; }
    [[nodiscard]] std::span<const O> indptr() const noexcept { return c_.indptr->span(); }
    [[nodiscard]] std::span<const I> indices() const noexcept { return c_.indices->span(); }
    /// One weight per synapse, or a single weight if homogeneous. Writable (plasticity).
    [[nodiscard]] std::span<T> weights() const noexcept { return c_.weights->span(); }

    /// The dense n_pre × n_post matrix (repeated entries add up).
    [[nodiscard]] Dense<T> todense() const requires std::same_as<Space, host> {
        Dense<T> d(n_pre(), n_post());
        detail::add_to_dense(c_, d.data(), RowLines);
        return d;
    }
    /// An Eigen copy in the same storage order (row-major for CSR, column-major for CSC).
    [[nodiscard]] auto to_eigen() const requires std::same_as<Space, host> {
        using M = Eigen::SparseMatrix<T, RowLines ? Eigen::RowMajor : Eigen::ColMajor, I>;
        std::vector<Eigen::Triplet<T, I>> t;
        t.reserve(nnz());
        const auto ip = indptr();
        const auto ix = indices();
        const auto w = weights();
        for (std::size_t r = 0; r < c_.n_major; ++r)
            for (auto k = static_cast<std::size_t>(ip[r]); k < static_cast<std::size_t>(ip[r + 1]); ++k) {
                const T v = is_homogeneous() ? w[0] : w[k];
                if (RowLines)
                    t.emplace_back(static_cast<I>(r), ix[k], v);
                else
                    t.emplace_back(ix[k], static_cast<I>(r), v);
            }
        M m(static_cast<Eigen::Index>(n_pre()), static_cast<Eigen::Index>(n_post()));
        m.setFromTriplets(t.begin(), t.end());  // sums repeated entries, as products do
        return m;
    }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept { return c_.reads(lo, hi); }
    /// The underlying storage, for conversions and transfers.
    [[nodiscard]] const detail::Compressed<T, Space, I, O>& storage() const noexcept { return c_; }
    /// The lines (rows of CSR, columns of CSC) as the kernels traverse them.
    [[nodiscard]] detail::Lines<T, I, detail::StoredOffsets<O>> lines() const noexcept { return detail::lines_of(c_); }

protected:
    CompressedBase() = default;
    explicit CompressedBase(detail::Compressed<T, Space, I, O> c) : c_(std::move(c)) {}

    /// Validated storage from an Eigen sparse matrix of either storage order.
    template <int Options, class SI>
    static detail::Compressed<T, host, I, O> from_eigen(const detail::Axes& ax,
                                                        const Eigen::SparseMatrix<T, Options, SI>& m) {
        Eigen::SparseMatrix<T, RowLines ? Eigen::RowMajor : Eigen::ColMajor, SI> r = m;  // reorders if needed
        r.makeCompressed();
        const auto outer = static_cast<std::size_t>(r.outerSize());
        const auto nz = static_cast<std::size_t>(r.nonZeros());
        std::vector<O> ip(outer + 1);
        std::vector<I> ix(nz);
        for (std::size_t k = 0; k <= outer; ++k) ip[k] = static_cast<O>(r.outerIndexPtr()[k]);
        for (std::size_t k = 0; k < nz; ++k) ix[k] = static_cast<I>(r.innerIndexPtr()[k]);
        return detail::make_compressed<T, I, O>(ax, r.outerSize(), r.innerSize(), ip, ix,
                                                std::span<const T>(r.valuePtr(), nz), false);
    }

    detail::Compressed<T, Space, I, O> c_;
};

}  // namespace brainevent
