// COO: W (n_pre × n_post) as a list of (row, column, weight) triplets, and coo2csr.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/formats/compressed.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"

namespace brainevent {

/// What coo2csr does with several triplets at the same (row, column).
enum class duplicates {
    sum,    ///< add their weights into one synapse (the matrix a product with the COO would see)
    reject  ///< throw format_error naming the first repeated position
};

/// W as coordinate triplets: synapse k goes from row[k] (presynaptic) to col[k] (postsynaptic)
/// with weight[k]. A construction and exchange format: convert with coo2csr for products.
/// Validated at construction: equal lengths, indices in range, non-negative sizes. Repeated
/// positions are allowed; todense() and coo2csr (by default) add them up.
template <Real T, Index I = std::int32_t>
class COO {
public:
    using value_type = T;
    using index_type = I;

    COO() = default;
    COO(std::int64_t n_pre, std::int64_t n_post, std::span<const I> row, std::span<const I> col,
        std::span<const T> weight)
        : n_pre_(detail::checked_size<I>("COO", "n_pre", n_pre)),
          n_post_(detail::checked_size<I>("COO", "n_post", n_post)) {
        if (row.size() != col.size() || row.size() != weight.size())
            detail::raise<format_error>("COO: row, col and weight have different lengths (", row.size(), ", ",
                                        col.size(), ", ", weight.size(), ")");
        for (std::size_t k = 0; k < row.size(); ++k) {
            if (row[k] < 0 || static_cast<std::size_t>(row[k]) >= n_pre_)
                detail::raise<format_error>("COO: row index ", row[k], " at position ", k,
                                            " is out of range for n_pre = ", n_pre_);
            if (col[k] < 0 || static_cast<std::size_t>(col[k]) >= n_post_)
                detail::raise<format_error>("COO: column index ", col[k], " at position ", k,
                                            " is out of range for n_post = ", n_post_);
        }
        row_.resize(row.size());
        col_.resize(col.size());
        weight_.resize(weight.size());
        std::copy(row.begin(), row.end(), row_.data());
        std::copy(col.begin(), col.end(), col_.data());
        std::copy(weight.begin(), weight.end(), weight_.data());
    }

    [[nodiscard]] std::size_t n_pre() const noexcept { return n_pre_; }
    [[nodiscard]] std::size_t n_post() const noexcept { return n_post_; }
    [[nodiscard]] std::size_t nnz() const noexcept { return row_.size(); }
    [[nodiscard]] std::span<const I> row() const noexcept { return row_.span(); }
    [[nodiscard]] std::span<const I> col() const noexcept { return col_.span(); }
    [[nodiscard]] std::span<const T> weight() const noexcept { return weight_.span(); }

    /// The dense n_pre × n_post matrix (repeated positions add up).
    [[nodiscard]] Dense<T> todense() const {
        Dense<T> d(n_pre_, n_post_);
        for (std::size_t k = 0; k < nnz(); ++k)
            d(static_cast<std::size_t>(row_.data()[k]), static_cast<std::size_t>(col_.data()[k])) += weight_.data()[k];
        return d;
    }

private:
    std::size_t n_pre_ = 0, n_post_ = 0;
    Buffer<I, host> row_, col_;
    Buffer<T, host> weight_;
};

/// CSR of the same matrix, indices sorted within rows; repeated positions summed (default) or
/// rejected. Offsets are of type O (int64 for more than 2^31 - 1 synapses; checked).
template <class O = void, class T, class I>
[[nodiscard]] auto coo2csr(const COO<T, I>& a, duplicates policy = duplicates::sum) {
    static_assert(std::is_void_v<O> || Index<O>, "coo2csr<O>: offsets are int32 or int64");
    using Off = std::conditional_t<std::is_void_v<O>, I, O>;
    detail::check_offsets_fit<Off>("coo2csr", a.nnz());
    const std::size_t n = a.n_pre(), nnz = a.nnz();
    const auto row = a.row();
    const auto col = a.col();
    const auto wt = a.weight();
    // Counting sort by row, then sort each row by column (stable: repeats keep their order).
    std::vector<Off> ip(n + 1, Off(0));
    for (std::size_t k = 0; k < nnz; ++k) ++ip[static_cast<std::size_t>(row[k]) + 1];
    for (std::size_t i = 0; i < n; ++i) ip[i + 1] += ip[i];
    std::vector<std::size_t> order(nnz);
    {
        std::vector<Off> next(ip.begin(), ip.end() - 1);
        for (std::size_t k = 0; k < nnz; ++k)
            order[static_cast<std::size_t>(next[static_cast<std::size_t>(row[k])]++)] = k;
    }
    std::vector<Off> out_ip(n + 1, Off(0));
    std::vector<I> out_ix;
    std::vector<T> out_w;
    out_ix.reserve(nnz);
    out_w.reserve(nnz);
    for (std::size_t i = 0; i < n; ++i) {
        auto first = order.begin() + static_cast<std::ptrdiff_t>(ip[i]);
        auto last = order.begin() + static_cast<std::ptrdiff_t>(ip[i + 1]);
        std::stable_sort(first, last, [&](std::size_t p, std::size_t q) { return col[p] < col[q]; });
        for (auto it = first; it != last; ++it) {
            if (it != first && col[*it] == col[*(it - 1)]) {
                if (policy == duplicates::reject)
                    detail::raise<format_error>("coo2csr: position (", i, ", ", col[*it], ") appears twice (triplets ",
                                                *(it - 1), " and ", *it, ")");
                out_w.back() += wt[*it];
                continue;
            }
            out_ix.push_back(col[*it]);
            out_w.push_back(wt[*it]);
        }
        out_ip[i + 1] = static_cast<Off>(out_ix.size());
    }
    return CSR<T, host, I, Off>(static_cast<std::int64_t>(n), static_cast<std::int64_t>(a.n_post()), out_ip, out_ix,
                                std::span<const T>(out_w));
}

}  // namespace brainevent
