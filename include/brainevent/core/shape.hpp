// Shape of a dense operand or result: a vector (n) or a row-major batch matrix (rows × cols).
#pragma once

#include <cstddef>
#include <ostream>

namespace brainevent {

/// A vector of n elements has rank 1, rows 1, cols n; a batch matrix has rank 2.
struct Shape {
    std::size_t rank = 1;
    std::size_t rows = 1;
    std::size_t cols = 0;

    static constexpr Shape vector(std::size_t n) noexcept { return {1, 1, n}; }
    static constexpr Shape matrix(std::size_t r, std::size_t c) noexcept { return {2, r, c}; }

    [[nodiscard]] constexpr std::size_t size() const noexcept { return rows * cols; }
    [[nodiscard]] constexpr bool is_batch() const noexcept { return rank == 2; }

    friend constexpr bool operator==(const Shape&, const Shape&) = default;

    /// Prints "(n)" for a vector and "(rows, cols)" for a batch matrix.
    friend std::ostream& operator<<(std::ostream& os, const Shape& s) {
        if (s.rank == 1) return os << '(' << s.cols << ')';
        return os << '(' << s.rows << ", " << s.cols << ')';
    }
};

}  // namespace brainevent
