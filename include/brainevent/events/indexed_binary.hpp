// IndexedBinary1d / IndexedBinary2d: spikes stored as the indices of the active neurons. The
// fastest event form when few neurons spike: a product reads only the listed rows.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/core/shape.hpp"
#include "brainevent/events/binary_array.hpp"

namespace brainevent {

namespace detail {

/// Checks that every index of `idx` lies in [0, n) and appears once. `seen` is scratch of n
/// flags, returned cleared. `where` names the operand in the message.
template <class I>
void validate_event_indices(std::span<const I> idx, std::size_t n, std::vector<bool>& seen, const char* where,
                            std::size_t row) {
    seen.assign(n, false);
    for (std::size_t k = 0; k < idx.size(); ++k) {
        const I i = idx[k];
        if (i < 0 || static_cast<std::size_t>(i) >= n)
            raise<format_error>(where, ": index ", i, " at position ", k, " of row ", row, " is out of range for ", n,
                                " neurons");
        if (seen[static_cast<std::size_t>(i)])
            raise<format_error>(where, ": index ", i, " appears twice in row ", row, " (second at position ", k,
                                "); an event list holds each active neuron once");
        seen[static_cast<std::size_t>(i)] = true;
    }
}

}  // namespace detail

/// The active neurons of one event vector of `cols()` neurons, as a list of distinct indices.
/// Indices need not be sorted; compaction from a BinaryArray yields them sorted.
///
///     const std::vector<int> active{3, 17, 42};
///     brainevent::IndexedBinary1d<> s(n, active);
///     y = s * W;   // adds rows 3, 17 and 42 of W
template <MemorySpace Space = host, Index I = std::int32_t>
class IndexedBinary1d {
public:
    using event_kind = indexed_events;
    using space = Space;
    using index_type = I;

    IndexedBinary1d() = default;
    IndexedBinary1d(const IndexedBinary1d&) = default;
    /// A moved-from list is empty: no neurons, no events (and no count storage, which
    /// assign, compact or reshape make again).
    IndexedBinary1d(IndexedBinary1d&& o) noexcept
        : indices_(std::move(o.indices_)), counts_(std::move(o.counts_)), n_(std::exchange(o.n_, 0)) {}
    /// Copy or move, then swap: a failed copy leaves the list as it was, a moved-from one is empty.
    IndexedBinary1d& operator=(IndexedBinary1d o) noexcept {
        swap(o);
        return *this;
    }
    ~IndexedBinary1d() = default;
    void swap(IndexedBinary1d& o) noexcept {
        std::swap(indices_, o.indices_);
        std::swap(counts_, o.counts_);
        std::swap(n_, o.n_);
    }
    /// From a list of active indices among n neurons (validated: in range, no duplicates).
    IndexedBinary1d(std::size_t n, std::span<const I> active)
        requires std::same_as<Space, host>
    {
        assign(n, active);
    }
    /// Compaction of a BinaryArray vector (on the device: brainevent::compact, events/compaction.cuh).
    explicit IndexedBinary1d(const BinaryArray<Space>& s)
        requires std::same_as<Space, host>
    {
        compact(s);
    }

    void assign(std::size_t n, std::span<const I> active)
        requires std::same_as<Space, host>
    {
        check_extent(n);
        std::vector<bool> seen;
        detail::validate_event_indices(active, n, seen, "IndexedBinary1d", 0);
        n_ = n;
        indices_.resize(active.size());
        std::copy(active.begin(), active.end(), indices_.data());
        set_host_count();
    }
    /// Re-fills from a BinaryArray vector, reusing the allocation.
    void compact(const BinaryArray<Space>& s)
        requires std::same_as<Space, host>
    {
        if (s.is_batch())
            detail::raise<shape_error>("IndexedBinary1d: cannot compact a batch of shape ", s.shape(),
                                       "; use IndexedBinary2d");
        check_extent(s.cols());
        n_ = s.cols();
        indices_.resize(n_);
        indices_.resize(detail::compact_spikes(s.data(), n_, indices_.data()));
        set_host_count();
    }

    /// Sizes the device storage for n neurons with room for `capacity` indices (device compaction
    /// and transfers fill it; the count lives in count_data()[0]). Host lists are filled by
    /// assign and compact only, which keep the count and the indices together.
    void reshape(std::size_t n, std::size_t capacity) requires std::same_as<Space, cuda> {
        check_extent(n);
        try {
            indices_.resize(capacity);
            counts_.resize(1);
        } catch (...) {  // no storage half-sized under the old shape: empty, allocating nothing
            indices_ = Buffer<I, Space>();
            counts_ = Buffer<I, Space>();
            n_ = 0;
            throw;
        }
        n_ = n;
    }
    /// Raw storage, for kernels and transfers: the indices (capacity stride()) and the count.
    [[nodiscard]] I* indices_data() noexcept { return indices_.data(); }
    [[nodiscard]] const I* indices_data() const noexcept { return indices_.data(); }
    [[nodiscard]] I* count_data() noexcept { return counts_.data(); }
    [[nodiscard]] const I* count_data() const noexcept { return counts_.data(); }
    [[nodiscard]] std::size_t stride() const noexcept { return indices_.size(); }

    [[nodiscard]] Shape shape() const noexcept { return Shape::vector(n_); }
    [[nodiscard]] std::size_t rows() const noexcept { return 1; }
    [[nodiscard]] std::size_t cols() const noexcept { return n_; }
    [[nodiscard]] bool is_batch() const noexcept { return false; }
    /// Number of active neurons.
    [[nodiscard]] std::size_t count() const noexcept
        requires std::same_as<Space, host>
    {
        return indices_.size();
    }
    [[nodiscard]] std::size_t count(std::size_t /*row*/) const noexcept
        requires std::same_as<Space, host>
    {
        return count();
    }
    [[nodiscard]] std::span<const I> indices() const noexcept
        requires std::same_as<Space, host>
    {
        return indices_.span();
    }
    [[nodiscard]] std::span<const I> row(std::size_t /*row*/) const noexcept
        requires std::same_as<Space, host>
    {
        return indices();
    }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        return indices_.size() != 0 && detail::overlaps(indices_.data(), indices_.data() + indices_.size(), lo, hi);
    }

private:
    void set_host_count() {
        counts_.resize(1);
        counts_.data()[0] = static_cast<I>(indices_.size());
    }
    static void check_extent(std::size_t n) {
        if (n > static_cast<std::size_t>(std::numeric_limits<I>::max()))
            detail::raise<value_error>("IndexedBinary1d: ", n, " neurons do not fit the index type");
    }
    Buffer<I, Space> indices_;
    Buffer<I, Space> counts_ = Buffer<I, Space>(1, I(0));
    std::size_t n_ = 0;
};

/// The active neurons of a batch of `rows()` event vectors of `cols()` neurons each: per row a
/// count and a list of distinct indices. Row r's list is `row(r)`.
template <MemorySpace Space = host, Index I = std::int32_t>
class IndexedBinary2d {
public:
    using event_kind = indexed_events;
    using space = Space;
    using index_type = I;

    IndexedBinary2d() = default;
    IndexedBinary2d(const IndexedBinary2d&) = default;
    /// A moved-from list is empty (no rows).
    IndexedBinary2d(IndexedBinary2d&& o) noexcept { swap(o); }
    /// Copy or move, then swap: a failed copy leaves the list as it was, a moved-from one is empty.
    IndexedBinary2d& operator=(IndexedBinary2d o) noexcept {
        swap(o);
        return *this;
    }
    ~IndexedBinary2d() = default;
    void swap(IndexedBinary2d& o) noexcept {
        std::swap(counts_, o.counts_);
        std::swap(indices_, o.indices_);
        std::swap(rows_, o.rows_);
        std::swap(n_, o.n_);
        std::swap(stride_, o.stride_);
    }
    /// From one index list per batch row, among n neurons (validated per row).
    IndexedBinary2d(std::size_t n, const std::vector<std::vector<I>>& active)
        requires std::same_as<Space, host>
    {
        assign(n, active);
    }
    /// From per-row counts and the rows' lists concatenated (validated per row).
    IndexedBinary2d(std::size_t n, std::span<const I> counts, std::span<const I> concatenated)
        requires std::same_as<Space, host>
    {
        assign(n, counts, concatenated);
    }
    /// Compaction of a BinaryArray batch (a vector counts as a batch of one); on the device:
    /// brainevent::compact (events/compaction.cuh).
    explicit IndexedBinary2d(const BinaryArray<Space>& s)
        requires std::same_as<Space, host>
    {
        compact(s);
    }

    void assign(std::size_t n, const std::vector<std::vector<I>>& active)
        requires std::same_as<Space, host>
    {
        std::vector<I> counts, all;
        for (const auto& r : active) {
            counts.push_back(static_cast<I>(r.size()));
            all.insert(all.end(), r.begin(), r.end());
        }
        assign(n, counts, all);
    }
    void assign(std::size_t n, std::span<const I> counts, std::span<const I> concatenated)
        requires std::same_as<Space, host>
    {
        std::size_t total = 0, widest = 0;
        for (std::size_t r = 0; r < counts.size(); ++r) {
            if (counts[r] < 0)
                detail::raise<format_error>("IndexedBinary2d: count ", counts[r], " of row ", r, " is negative");
            if (static_cast<std::size_t>(counts[r]) > std::numeric_limits<std::size_t>::max() - total)
                detail::raise<format_error>("IndexedBinary2d: the counts up to row ", r,
                                            " add up to more than any size (", concatenated.size(),
                                            " indices were given)");
            total += static_cast<std::size_t>(counts[r]);
            widest = std::max(widest, static_cast<std::size_t>(counts[r]));
        }
        if (total != concatenated.size())
            detail::raise<format_error>("IndexedBinary2d: the counts add up to ", total, " but ", concatenated.size(),
                                        " indices were given");
        std::vector<bool> seen;
        std::size_t offset = 0;
        for (std::size_t r = 0; r < counts.size(); ++r) {
            const auto c = static_cast<std::size_t>(counts[r]);
            detail::validate_event_indices(concatenated.subspan(offset, c), n, seen, "IndexedBinary2d", r);
            offset += c;
        }
        size_storage(counts.size(), n, widest);
        offset = 0;
        for (std::size_t r = 0; r < counts.size(); ++r) {
            counts_.data()[r] = counts[r];
            std::copy_n(concatenated.data() + offset, counts[r], indices_.data() + r * stride_);
            offset += static_cast<std::size_t>(counts[r]);
        }
    }
    /// Re-fills from a BinaryArray, reusing the allocation.
    void compact(const BinaryArray<Space>& s)
        requires std::same_as<Space, host>
    {
        size_storage(s.rows(), s.cols(), s.cols());
        for (std::size_t r = 0; r < rows_; ++r)
            counts_.data()[r] = static_cast<I>(detail::compact_spikes(s.row(r), n_, indices_.data() + r * stride_));
    }

    [[nodiscard]] Shape shape() const noexcept { return Shape::matrix(rows_, n_); }
    [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
    [[nodiscard]] std::size_t cols() const noexcept { return n_; }
    [[nodiscard]] bool is_batch() const noexcept { return true; }
    /// Capacity of each row's slot in the index array.
    [[nodiscard]] std::size_t stride() const noexcept { return stride_; }
    [[nodiscard]] std::size_t count(std::size_t r) const noexcept
        requires std::same_as<Space, host>
    {
        return static_cast<std::size_t>(counts_.data()[r]);
    }
    [[nodiscard]] std::span<const I> row(std::size_t r) const noexcept
        requires std::same_as<Space, host>
    {
        return {indices_.data() + r * stride_, count(r)};
    }
    [[nodiscard]] std::span<const I> counts() const noexcept
        requires std::same_as<Space, host>
    {
        return counts_.span();
    }
    /// Raw storage, for kernels and transfers: row r's indices start at indices_data() + r * stride().
    [[nodiscard]] I* indices_data() noexcept { return indices_.data(); }
    [[nodiscard]] const I* indices_data() const noexcept { return indices_.data(); }
    [[nodiscard]] I* count_data() noexcept { return counts_.data(); }
    [[nodiscard]] const I* count_data() const noexcept { return counts_.data(); }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        const bool in_idx =
            indices_.size() != 0 && detail::overlaps(indices_.data(), indices_.data() + indices_.size(), lo, hi);
        const bool in_cnt = rows_ != 0 && detail::overlaps(counts_.data(), counts_.data() + rows_, lo, hi);
        return in_idx || in_cnt;
    }

    /// Sizes the device storage: `rows` rows of n neurons, room for `stride` indices per row
    /// (device compaction and transfers fill it). Host lists are filled by assign and compact
    /// only, which keep the counts and the indices together.
    void reshape(std::size_t rows, std::size_t n, std::size_t stride) requires std::same_as<Space, cuda> {
        size_storage(rows, n, stride);
    }

private:
    void size_storage(std::size_t rows, std::size_t n, std::size_t stride) {
        if (n > static_cast<std::size_t>(std::numeric_limits<I>::max()))
            detail::raise<value_error>("IndexedBinary2d: ", n, " neurons do not fit the index type");
        const std::size_t total = detail::checked_size(rows, stride, "IndexedBinary2d");
        try {
            counts_.resize(rows);
            indices_.resize(total);
        } catch (...) {
            *this = IndexedBinary2d();  // no storage half-sized under the old shape
            throw;
        }
        rows_ = rows;
        n_ = n;
        stride_ = stride;
    }

    Buffer<I, Space> counts_;
    Buffer<I, Space> indices_;
    std::size_t rows_ = 0, n_ = 0, stride_ = 0;
};

}  // namespace brainevent
