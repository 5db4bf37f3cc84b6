// BinaryArray: a vector or batch matrix of spikes, one byte per neuron.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "brainevent/core/array.hpp"
#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/core/shape.hpp"

namespace brainevent {

namespace detail {

/// Indices of the non-zero bytes of s[0, n) into out, in increasing order; returns the count. Skips eight silent
/// neurons per load, which is what makes a sparse BinaryArray cheap to scan.
template <class I>
std::size_t compact_spikes(const std::uint8_t* s, std::size_t n, I* out) {
    std::size_t k = 0, i = 0;
    for (; std::endian::native == std::endian::little && i + 8 <= n; i += 8) {
        std::uint64_t word;  // byte b of the word is neuron i + b (little-endian)
        std::memcpy(&word, s + i, 8);
        while (word != 0) {
            const int bit = std::countr_zero(word);
            out[k++] = static_cast<I>(i + static_cast<std::size_t>(bit >> 3));
            word &= ~(std::uint64_t{0xff} << (bit & ~7));
        }
    }
    for (; i < n; ++i) {
        out[k] = static_cast<I>(i);
        k += s[i] != 0;
    }
    return k;
}

}  // namespace detail

/// Spikes of `cols()` neurons, as a vector or as a `rows() × cols()` batch matrix (row b holds
/// the spikes of batch element b). One byte per neuron; a byte is a spike iff it is non-zero, the
/// one rule every kernel uses. Built from bool or byte arrays, or from real values with the rule
/// "active iff value > 0" (NaN is not active).
///
///     brainevent::BinaryArray s(n);   // no spikes
///     s.data()[i] = 1;                // neuron i spikes
///     y = s * W;                      // sums the rows of W of the spiking neurons
template <MemorySpace Space = host>
class BinaryArray {
public:
    using event_kind = binary_events;
    using space = Space;

    /// An empty vector.
    BinaryArray() = default;
    /// A vector of n neurons, none spiking.
    explicit BinaryArray(std::size_t n)
        : bytes_(detail::checked_size(1, n, "BinaryArray"), 0), shape_(Shape::vector(n)) {}
    /// A batch of `rows` vectors of n neurons, none spiking.
    BinaryArray(std::size_t rows, std::size_t n)
        : bytes_(detail::checked_size(rows, n, "BinaryArray"), 0), shape_(Shape::matrix(rows, n)) {}

    BinaryArray(const BinaryArray&) = default;
    /// A moved-from BinaryArray is empty (shape (0)).
    BinaryArray(BinaryArray&& o) noexcept
        : bytes_(std::move(o.bytes_)), shape_(std::exchange(o.shape_, Shape::vector(0))) {}
    /// Copy or move, then swap (as Dense): a failed copy leaves the array as it was, and a
    /// moved-from source is left empty.
    BinaryArray& operator=(BinaryArray o) noexcept {
        swap(o);
        return *this;
    }
    void swap(BinaryArray& o) noexcept {
        std::swap(bytes_, o.bytes_);
        std::swap(shape_, o.shape_);
    }
    ~BinaryArray() = default;

    /// A vector from bools / bytes (non-zero = spike) / real values (> 0 = spike).
    explicit BinaryArray(std::span<const bool> s)
        requires std::same_as<Space, host>
        : shape_(Shape::vector(s.size())) { fill_from(s); }
    explicit BinaryArray(std::span<const std::uint8_t> s)
        requires std::same_as<Space, host>
        : shape_(Shape::vector(s.size())) { fill_from(s); }
    explicit BinaryArray(std::span<const float> v)
        requires std::same_as<Space, host>
        : shape_(Shape::vector(v.size())) { fill_from(v); }
    explicit BinaryArray(std::span<const double> v)
        requires std::same_as<Space, host>
        : shape_(Shape::vector(v.size())) { fill_from(v); }

    /// A rows × n batch from row-major bools / bytes / real values.
    BinaryArray(std::size_t rows, std::size_t n, std::span<const bool> s)
        requires std::same_as<Space, host>
        : shape_(checked(rows, n, s.size())) {
        fill_from(s);
    }
    BinaryArray(std::size_t rows, std::size_t n, std::span<const std::uint8_t> s)
        requires std::same_as<Space, host>
        : shape_(checked(rows, n, s.size())) {
        fill_from(s);
    }
    BinaryArray(std::size_t rows, std::size_t n, std::span<const float> v)
        requires std::same_as<Space, host>
        : shape_(checked(rows, n, v.size())) {
        fill_from(v);
    }
    BinaryArray(std::size_t rows, std::size_t n, std::span<const double> v)
        requires std::same_as<Space, host>
        : shape_(checked(rows, n, v.size())) {
        fill_from(v);
    }

    /// Spikes where a real array is > 0, with the array's shape.
    template <class T>
    explicit BinaryArray(const Array<T, host>& values)
        requires std::same_as<Space, host>
        : shape_(values.shape()) {
        fill_from(std::span<const T>(values.data(), values.size()));
    }

    /// Adopts storage of shape.size() bytes (transfers between memory spaces).
    BinaryArray(Shape shape, Buffer<std::uint8_t, Space>&& bytes) : bytes_(std::move(bytes)), shape_(shape) {
        if (bytes_.size() != shape.size())
            detail::raise<shape_error>("BinaryArray: storage of ", bytes_.size(), " bytes for shape ", shape);
    }

    [[nodiscard]] Shape shape() const noexcept { return shape_; }
    [[nodiscard]] const Buffer<std::uint8_t, Space>& buffer() const noexcept { return bytes_; }
    [[nodiscard]] std::size_t rows() const noexcept { return shape_.rows; }
    [[nodiscard]] std::size_t cols() const noexcept { return shape_.cols; }
    [[nodiscard]] std::size_t size() const noexcept { return shape_.size(); }
    [[nodiscard]] bool is_batch() const noexcept { return shape_.is_batch(); }

    /// Raw bytes, row-major; write non-zero to make a neuron spike.
    [[nodiscard]] std::uint8_t* data() noexcept { return bytes_.data(); }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return bytes_.data(); }
    /// Bytes of batch row r (of the vector when r = 0).
    [[nodiscard]] const std::uint8_t* row(std::size_t r) const noexcept { return data() + r * cols(); }

    [[nodiscard]] bool operator()(std::size_t i) const requires std::same_as<Space, host> { return data()[i] != 0; }
    [[nodiscard]] bool operator()(std::size_t r, std::size_t i) const requires std::same_as<Space, host> {
        return data()[r * cols() + i] != 0;
    }
    void set(std::size_t i, bool spike) requires std::same_as<Space, host> { data()[i] = spike ? 1 : 0; }
    void set(std::size_t r, std::size_t i, bool spike) requires std::same_as<Space, host> {
        data()[r * cols() + i] = spike ? 1 : 0;
    }

    /// Refills from an array of the same total size without reallocating.
    template <class U>
    requires std::same_as<U, bool> || std::same_as<U, std::uint8_t> || Real<U>
    void assign(std::span<const U> s) {
        if (s.size() != size())
            detail::raise<shape_error>("BinaryArray::assign: ", s.size(), " values for shape ", shape_);
        fill_from(s);
    }

    /// Number of spikes (in the whole batch).
    [[nodiscard]] std::size_t count() const requires std::same_as<Space, host> {
        return static_cast<std::size_t>(std::count_if(data(), data() + size(), [](std::uint8_t b) { return b != 0; }));
    }
    /// Number of spikes in batch row r.
    [[nodiscard]] std::size_t count(std::size_t r) const requires std::same_as<Space, host> {
        return static_cast<std::size_t>(std::count_if(row(r), row(r) + cols(), [](std::uint8_t b) { return b != 0; }));
    }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        return size() != 0 && detail::overlaps(data(), data() + size(), lo, hi);
    }

private:
    static Shape checked(std::size_t rows, std::size_t n, std::size_t given) {
        if (detail::checked_size(rows, n, "BinaryArray") != given)
            detail::raise<shape_error>("BinaryArray: ", given, " values given for shape ", Shape::matrix(rows, n));
        return Shape::matrix(rows, n);
    }

    template <class U>
    void fill_from(std::span<const U> s) {
        bytes_.resize(s.size());
        std::uint8_t* out = bytes_.data();
        for (std::size_t i = 0; i < s.size(); ++i) {
            if constexpr (Real<U>)
                out[i] = s[i] > U(0) ? 1 : 0;
            else
                out[i] = s[i] ? 1 : 0;
        }
    }

    Buffer<std::uint8_t, Space> bytes_;
    Shape shape_ = Shape::vector(0);
};

}  // namespace brainevent
