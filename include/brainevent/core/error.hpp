// The error hierarchy. Every exception brainevent throws derives from brainevent::error, and its
// message names the operand and the values that were wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace brainevent {

/// Base of every exception thrown by brainevent.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Operands whose shapes do not fit together (inner dimensions, output shape, batch sizes).
class shape_error : public error {
public:
    using error::error;
};

/// User-supplied structure that breaks a format's invariants (indices out of range, duplicates,
/// inconsistent lengths).
class format_error : public error {
public:
    using error::error;
};

/// A parameter outside its domain (a negative size, a probability outside [0, 1]).
class value_error : public error {
public:
    using error::error;
};

/// An output that overlaps one of the operands it is computed from.
class aliasing_error : public error {
public:
    using error::error;
};

/// A failed CUDA runtime call or kernel launch: the message names the call and CUDA's message.
class cuda_error : public error {
public:
    using error::error;
};

namespace detail {

/// Concatenates anything streamable into one message.
template <class... Args>
[[nodiscard]] std::string concat(const Args&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}

template <class Error, class... Args>
[[noreturn]] void raise(const Args&... args) {
    throw Error(concat("brainevent: ", args...));
}

/// rows · cols, the element count of a shape a user gave: refuses an extent that can only come
/// from a negative number converted to std::size_t (above PTRDIFF_MAX), and a product that
/// overflows, instead of allocating a wrapped-around size.
inline std::size_t checked_size(std::size_t rows, std::size_t cols, const char* what) {
    constexpr auto most = static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max());
    for (const std::size_t e : {rows, cols})
        if (e > most)
            raise<value_error>(what, ": extent ", e, " is too large (", static_cast<std::ptrdiff_t>(e),
                               " converted to an unsigned size?)");
    if (cols != 0 && rows > most / cols) raise<value_error>(what, ": ", rows, " x ", cols, " elements overflow a size");
    return rows * cols;
}

/// Checks a user-given extent and returns it as std::size_t.
inline std::size_t checked_extent(std::int64_t n, const char* what) {
    if (n < 0) raise<value_error>(what, " must be non-negative, got ", n);
    return static_cast<std::size_t>(n);
}

}  // namespace detail
}  // namespace brainevent
