// Random sparse structures for tests: awkward patterns on purpose.
#pragma once

#include <algorithm>
#include <numeric>

#include "helpers.hpp"

namespace testing {

enum class Pattern { random, empty_rows, one_per_row, single_dense_row, no_synapses, unsorted_repeats };

inline const char* name(Pattern p) {
    switch (p) {
        case Pattern::random:
            return "random";
        case Pattern::empty_rows:
            return "mostly empty rows";
        case Pattern::one_per_row:
            return "one synapse per row";
        case Pattern::single_dense_row:
            return "one dense row among empty ones";
        case Pattern::no_synapses:
            return "nnz = 0";
        default:
            return "unsorted with repeats";
    }
}

/// CSR arrays (indptr, indices, weights) of a random n_rows × n_cols structure.
template <class T, class I = std::int32_t, class O = I>
struct Arrays {
    std::vector<O> indptr;
    std::vector<I> indices;
    std::vector<T> weights;
};

template <class T, class I = std::int32_t, class O = I>
Arrays<T, I, O> random_arrays(std::size_t n_rows, std::size_t n_cols, Pattern p) {
    Arrays<T, I, O> a;
    a.indptr.push_back(0);
    std::uniform_int_distribution<std::size_t> pick(0, n_cols ? n_cols - 1 : 0);
    std::bernoulli_distribution coin(0.5);
    const std::size_t dense_row = n_rows ? n_rows / 2 : 0;
    for (std::size_t r = 0; r < n_rows; ++r) {
        std::vector<I> row;
        if (n_cols != 0) {
            switch (p) {
                case Pattern::random:
                    for (std::size_t j = 0; j < n_cols; ++j)
                        if (std::bernoulli_distribution(0.3)(rng())) row.push_back(static_cast<I>(j));
                    break;
                case Pattern::empty_rows:
                    if (std::bernoulli_distribution(0.2)(rng()))
                        for (std::size_t j = 0; j < n_cols; ++j)
                            if (coin(rng())) row.push_back(static_cast<I>(j));
                    break;
                case Pattern::one_per_row:
                    row.push_back(static_cast<I>(pick(rng())));
                    break;
                case Pattern::single_dense_row:
                    if (r == dense_row)
                        for (std::size_t j = 0; j < n_cols; ++j) row.push_back(static_cast<I>(j));
                    break;
                case Pattern::no_synapses:
                    break;
                case Pattern::unsorted_repeats: {
                    const std::size_t k = std::uniform_int_distribution<std::size_t>(0, 2 * n_cols)(rng());
                    for (std::size_t q = 0; q < k; ++q) row.push_back(static_cast<I>(pick(rng())));
                    break;
                }
            }
        }
        a.indices.insert(a.indices.end(), row.begin(), row.end());
        a.indptr.push_back(static_cast<O>(a.indices.size()));
    }
    a.weights = uniform<T>(a.indices.size());
    return a;
}

/// A CSR or CSC (host) of shape n_pre × n_post with the given structure pattern, per-synapse
/// random weights or one homogeneous weight.
template <class M, class T = typename M::value_type>
M random_matrix(std::size_t n_pre, std::size_t n_post, Pattern p, bool homogeneous) {
    constexpr bool csr = std::is_same_v<typename M::format, brainevent::csr_format>;
    using I = typename M::index_type;
    using O = typename M::offset_type;
    const auto a = random_arrays<T, I, O>(csr ? n_pre : n_post, csr ? n_post : n_pre, p);
    const auto np = static_cast<std::int64_t>(n_pre), nq = static_cast<std::int64_t>(n_post);
    if (homogeneous) return M(np, nq, a.indptr, a.indices, T(0.75));
    return M(np, nq, a.indptr, a.indices, std::span<const T>(a.weights));
}

/// How the index table of a random fixed-number matrix is drawn.
enum class FixedPattern { distinct_sorted, unsorted_repeats };

/// A FixedPostNumConn or FixedPreNumConn (host) of shape n_pre × n_post with k entries per line:
/// distinct sorted indices, or unsorted ones that may repeat; per-synapse random weights or one
/// homogeneous weight. The index table is drawn here, independently of the library's generator.
template <class M, class T = typename M::value_type>
M random_fixed(std::size_t n_pre, std::size_t n_post, std::size_t k, FixedPattern p, bool homogeneous) {
    using I = typename M::index_type;
    const bool rows = M::format::lines_are_rows;
    const std::size_t lines = rows ? n_pre : n_post, choices = rows ? n_post : n_pre;
    std::vector<I> ix(lines * k);
    std::vector<I> all(choices);
    std::iota(all.begin(), all.end(), I(0));
    for (std::size_t r = 0; r < lines; ++r) {
        if (p == FixedPattern::distinct_sorted) {
            std::shuffle(all.begin(), all.end(), rng());
            std::sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
            std::copy_n(all.begin(), k, ix.begin() + static_cast<std::ptrdiff_t>(r * k));
        } else {
            std::uniform_int_distribution<std::size_t> pick(0, choices - 1);
            for (std::size_t c = 0; c < k; ++c) ix[r * k + c] = static_cast<I>(pick(rng()));
        }
    }
    const auto np = static_cast<std::int64_t>(n_pre), nq = static_cast<std::int64_t>(n_post);
    const auto kk = static_cast<std::int64_t>(k);
    if (homogeneous) return M(np, nq, kk, ix, T(0.75));
    const auto w = uniform<T>(ix.size());
    return M(np, nq, kk, ix, std::span<const T>(w));
}

/// A host CSR (or CSC) whose lines suit a range index (formats/lines.hpp; device copies hold one): sorted distinct indices, a fifth of the
/// lines empty, the others 1 to 60 entries, one line full (every position) and one with its
/// entries in the last, partial range only. Its index and offset types are M's.
template <class M>
M ranged_matrix(std::size_t n_pre, std::size_t n_post, bool homogeneous) {
    using T = typename M::value_type;
    using I = typename M::index_type;
    using O = typename M::offset_type;
    constexpr bool csr = std::is_same_v<typename M::format, brainevent::csr_format>;
    const std::size_t lines = csr ? n_pre : n_post, n_minor = csr ? n_post : n_pre;
    const std::size_t last = (brainevent::detail::range_count(n_minor) - 1) << brainevent::detail::kRangeShift;
    std::vector<O> indptr{0};
    std::vector<I> indices;
    std::uniform_int_distribution<std::size_t> length(1, 60), pick(0, n_minor - 1), tail(last, n_minor - 1);
    for (std::size_t r = 0; r < lines; ++r) {
        std::vector<I> line;
        if (r == lines / 2) {
            for (std::size_t j = 0; j < n_minor; ++j) line.push_back(static_cast<I>(j));
        } else if (r == lines / 3) {
            for (int k = 0; k < 5; ++k) line.push_back(static_cast<I>(tail(rng())));
        } else if (!std::bernoulli_distribution(0.2)(rng())) {
            for (std::size_t k = length(rng()); k > 0; --k) line.push_back(static_cast<I>(pick(rng())));
        }
        std::sort(line.begin(), line.end());
        line.erase(std::unique(line.begin(), line.end()), line.end());
        indices.insert(indices.end(), line.begin(), line.end());
        indptr.push_back(static_cast<O>(indices.size()));
    }
    const auto np = static_cast<std::int64_t>(n_pre), nq = static_cast<std::int64_t>(n_post);
    if (homogeneous) return M(np, nq, indptr, indices, T(0.75));
    const auto w = uniform<T>(indices.size());
    return M(np, nq, indptr, indices, std::span<const T>(w));
}

/// A copy of W, a host CSR, CSC, FixedPostNumConn or FixedPreNumConn, on the same structure with
/// the weights `weights`: one per synapse (std::span) or one shared (T).
template <class M, class Weights>
M restructured(const M& W, const Weights& weights) {
    using I = typename M::index_type;
    const auto c = W.lines();
    const std::vector<I> ix(c.ix, c.ix + c.nnz);
    const auto np = static_cast<std::int64_t>(W.n_pre()), nq = static_cast<std::int64_t>(W.n_post());
    if constexpr (requires { typename M::offset_type; }) {
        std::vector<typename M::offset_type> indptr(c.n_major + 1, 0);
        for (std::size_t l = 0; l < c.n_major; ++l)
            indptr[l + 1] = static_cast<typename M::offset_type>(c.offsets.end(l));
        return M(np, nq, indptr, ix, weights);
    } else {
        return M(np, nq, static_cast<std::int64_t>(c.n_major ? c.nnz / c.n_major : 0), ix, weights);
    }
}

/// W (as restructured) with per-synapse weights f(i, j, w) for each entry at row i and column j
/// of W, of weight w.
template <class M, class F>
M reweighted(const M& W, F&& f) {
    using T = typename M::value_type;
    const auto c = W.lines();
    const bool rows = M::format::lines_are_rows;
    std::vector<T> w(c.nnz);
    for (std::size_t l = 0; l < c.n_major; ++l)
        for (std::size_t e = c.offsets.begin(l); e < c.offsets.end(l); ++e) {
            const auto m = static_cast<std::size_t>(c.ix[e]);
            const T old = c.homogeneous ? c.w[0] : c.w[e];
            w[e] = rows ? f(l, m, old) : f(m, l, old);
        }
    return restructured(W, std::span<const T>(w));
}

/// How many places of a transpose of lines c (the host view of a matrix: ip, n_minor + 1 offsets;
/// major and entry, nnz each, host copies) differ from c's entries grouped by minor index one
/// at a time, lines in increasing order: 0 when it is right.
template <class T, class I, class Off>
std::size_t transpose_mismatches(const brainevent::detail::Lines<T, I, Off>& c, const std::uint32_t* ip,
                                 const std::uint32_t* major, const std::uint32_t* entry) {
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> want(c.n_minor);
    for (std::size_t r = 0; r < c.n_major; ++r)
        for (std::size_t e = c.offsets.begin(r); e < c.offsets.end(r); ++e)
            want[static_cast<std::size_t>(c.ix[e])].emplace_back(static_cast<std::uint32_t>(r),
                                                                  static_cast<std::uint32_t>(e));
    std::size_t wrong = ip[0] != 0;
    for (std::size_t j = 0; j < c.n_minor; ++j) {
        wrong += ip[j + 1] - ip[j] != want[j].size();
        for (std::size_t q = 0; q < want[j].size() && ip[j] + q < c.nnz; ++q)
            wrong += std::pair(major[ip[j] + q], entry[ip[j] + q]) != want[j][q];
    }
    return wrong;
}

}  // namespace testing
