// Lazy product expressions. `s * W`, `W * s`, `a * (s * W)` and sums of them only record their
// operands; the work happens when the expression is assigned to an output (core/array.hpp), as
// one accumulating kernel call per product into the output, with no temporaries.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "brainevent/core/array.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/expr/transpose.hpp"

namespace brainevent {

namespace detail {

/// The stream an expression is bound to by on(), if any: a product on its own is bound to none.
template <class X>
[[nodiscard]] std::optional<Stream> bound_stream(const X& x) {
    if constexpr (requires { x.bound_stream(); })
        return x.bound_stream();
    else
        return std::nullopt;
}

}  // namespace detail

/// `s * W` (Orientation = events_left) or `W * s` (events_right). EventsT and MatrixT are either
/// `const X&` (an lvalue operand, referenced) or `X` (a temporary, moved in).
template <class EventsT, class MatrixT, class Orientation>
class Product {
public:
    using events_type = std::remove_cvref_t<EventsT>;
    using matrix_type = std::remove_cvref_t<MatrixT>;
    using value_type = typename matrix_type::value_type;
    using space = typename matrix_type::space;
    using expression_tag = void;
    using kernel = kernel_for<events_type, matrix_type, Orientation>;

    template <class E, class M>
    Product(E&& s, M&& w) : s_(std::forward<E>(s)), w_(std::forward<M>(w)) {
        constexpr bool left = std::is_same_v<Orientation, events_left>;
        const std::size_t inner = left ? w_.n_pre() : w_.n_post();
        if (s_.cols() != inner)
            detail::raise<shape_error>(left ? "s * W" : "W * s", ": events of shape ", s_.shape(),
                                       " do not match W of shape (", w_.n_pre(), ", ", w_.n_post(), "): W has ", inner,
                                       left ? " rows" : " columns");
    }

    /// Shape of the result: like the events (vector or batch), with the other side of W.
    [[nodiscard]] Shape shape() const noexcept {
        const std::size_t n = std::is_same_v<Orientation, events_left> ? w_.n_post() : w_.n_pre();
        return s_.is_batch() ? Shape::matrix(s_.rows(), n) : Shape::vector(n);
    }
    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        return s_.reads(lo, hi) || w_.reads(lo, hi);
    }
    void evaluate_into(ArrayView<value_type, space> y, value_type alpha, bool accumulate, Stream st) const {
        kernel::run(y, s_, w_, alpha, accumulate, st);
    }

    [[nodiscard]] const events_type& events() const noexcept { return s_; }
    [[nodiscard]] const matrix_type& matrix() const noexcept { return w_; }

private:
    stored_t<EventsT> s_;
    stored_t<MatrixT> w_;
};

/// `a * x`: a scalar times an expression.
template <class X>
class Scaled {
public:
    using value_type = typename X::value_type;
    using space = typename X::space;
    using expression_tag = void;

    Scaled(value_type a, X x) : a_(a), x_(std::move(x)) {}
    [[nodiscard]] Shape shape() const { return x_.shape(); }
    [[nodiscard]] bool reads(const void* lo, const void* hi) const { return x_.reads(lo, hi); }
    [[nodiscard]] std::optional<Stream> bound_stream() const { return detail::bound_stream(x_); }
    void evaluate_into(ArrayView<value_type, space> y, value_type alpha, bool accumulate, Stream st) const {
        x_.evaluate_into(y, alpha * a_, accumulate, st);
    }

private:
    value_type a_;
    X x_;
};

/// `a + b` or `a - b` (Sign = -1) of two expressions of the same shape: evaluated as the first
/// kernel writing the output and the second accumulating into it, both on one stream: the one a
/// term is bound to by on() (`on(st, S * W1) - S * W2` runs both products on st), else the
/// assignment's. Terms bound to two different streams are refused (value_error): the second
/// kernel would not be ordered after the first.
template <class A, class B, int Sign>
class Sum {
public:
    using value_type = typename A::value_type;
    using space = typename A::space;
    using expression_tag = void;

    Sum(A a, B b) : a_(std::move(a)), b_(std::move(b)) {
        if (a_.shape() != b_.shape())
            detail::raise<shape_error>("sum of products: the terms have shapes ", a_.shape(), " and ", b_.shape());
        const auto sa = detail::bound_stream(a_), sb = detail::bound_stream(b_);
        if (sa && sb && *sa != *sb)
            detail::raise<value_error>("sum of products: the terms are bound to different CUDA streams (", sa->handle,
                                       " and ", sb->handle, "); bind the whole sum to one instead: on(stream, a + b)");
        bound_ = sa ? sa : sb;
    }
    [[nodiscard]] Shape shape() const { return a_.shape(); }
    [[nodiscard]] bool reads(const void* lo, const void* hi) const { return a_.reads(lo, hi) || b_.reads(lo, hi); }
    [[nodiscard]] std::optional<Stream> bound_stream() const { return bound_; }
    void evaluate_into(ArrayView<value_type, space> y, value_type alpha, bool accumulate, Stream st) const {
        const Stream one = bound_.value_or(st);
        a_.evaluate_into(y, alpha, accumulate, one);
        b_.evaluate_into(y, Sign * alpha, true, one);
    }

private:
    A a_;
    B b_;
    std::optional<Stream> bound_;
};

/// An expression bound to a CUDA stream: `y = on(stream, s * W);` launches on `stream`,
/// asynchronously. Without it, device products run on the default stream. One assignment runs on
/// one stream: binding a term of a sum binds the sum (Sum), and binding an expression already
/// bound to another stream throws value_error.
template <class X>
class OnStream {
public:
    using value_type = typename X::value_type;
    using space = typename X::space;
    using expression_tag = void;

    OnStream(Stream st, X x) : st_(st), x_(std::move(x)) {
        if (const auto inner = detail::bound_stream(x_); inner && *inner != st_)
            detail::raise<value_error>("on(stream, x): x is already bound to another CUDA stream (", inner->handle,
                                       ", not ", st_.handle, ")");
    }
    [[nodiscard]] Shape shape() const { return x_.shape(); }
    [[nodiscard]] bool reads(const void* lo, const void* hi) const { return x_.reads(lo, hi); }
    [[nodiscard]] std::optional<Stream> bound_stream() const { return st_; }
    void evaluate_into(ArrayView<value_type, space> y, value_type alpha, bool accumulate, Stream) const {
        x_.evaluate_into(y, alpha, accumulate, st_);
    }

private:
    Stream st_;
    X x_;
};

template <class X>
    requires Expression<std::remove_cvref_t<X>>
[[nodiscard]] auto on(Stream st, X&& x) {
    return OnStream<std::remove_cvref_t<X>>(st, std::forward<X>(x));
}

// ---- operators, found by argument-dependent lookup -------------------------------------------

/// `s * W`: events as row vectors, y[b, j] = sum_i s[b, i] W[i, j]. No work happens here.
template <class E, class M>
requires Multipliable<std::remove_cvref_t<E>, std::remove_cvref_t<M>, events_left>
[[nodiscard]] auto operator*(E&& s, M&& w) {
    return Product<E, M, events_left>(std::forward<E>(s), std::forward<M>(w));
}

/// `W * s`: events as column vectors, y[b, i] = sum_j W[i, j] s[b, j].
template <class M, class E>
requires Multipliable<std::remove_cvref_t<E>, std::remove_cvref_t<M>, events_right>
[[nodiscard]] auto operator*(M&& w, E&& s) {
    return Product<E, M, events_right>(std::forward<E>(s), std::forward<M>(w));
}

/// `s * transpose(W)` is `W * s`.
template <class E, class M>
requires Multipliable<std::remove_cvref_t<E>, M, events_right>
[[nodiscard]] auto operator*(E&& s, const Transposed<M>& wt) {
    return Product<E, const M&, events_right>(std::forward<E>(s), wt.base());
}

/// `transpose(W) * s` is `s * W`.
template <class M, class E>
requires Multipliable<std::remove_cvref_t<E>, M, events_left>
[[nodiscard]] auto operator*(const Transposed<M>& wt, E&& s) {
    return Product<E, const M&, events_left>(std::forward<E>(s), wt.base());
}

/// `a * x` and `x * a` for a scalar a.
template <class S, class X>
requires Expression<std::remove_cvref_t<X>> && std::is_arithmetic_v<S>
[[nodiscard]] auto operator*(S a, X&& x) {
    using P = std::remove_cvref_t<X>;
    return Scaled<P>(static_cast<typename P::value_type>(a), std::forward<X>(x));
}
template <class X, class S>
requires Expression<std::remove_cvref_t<X>> && std::is_arithmetic_v<S>
[[nodiscard]] auto operator*(X&& x, S a) {
    using P = std::remove_cvref_t<X>;
    return Scaled<P>(static_cast<typename P::value_type>(a), std::forward<X>(x));
}
template <class X>
requires Expression<std::remove_cvref_t<X>>
[[nodiscard]] auto operator-(X&& x) {
    using P = std::remove_cvref_t<X>;
    return Scaled<P>(typename P::value_type(-1), std::forward<X>(x));
}

/// Sums and differences of expressions with the same value type and memory space.
template <class A, class B>
concept Summable = Expression<std::remove_cvref_t<A>> && Expression<std::remove_cvref_t<B>> &&
                   std::same_as < typename std::remove_cvref_t<A>::value_type,
typename std::remove_cvref_t<B>::value_type >
    &&std::same_as<typename std::remove_cvref_t<A>::space, typename std::remove_cvref_t<B>::space>;

template <class A, class B>
requires Summable<A, B>
[[nodiscard]] auto operator+(A&& a, B&& b) {
    return Sum<std::remove_cvref_t<A>, std::remove_cvref_t<B>, 1>(std::forward<A>(a), std::forward<B>(b));
}
template <class A, class B>
requires Summable<A, B>
[[nodiscard]] auto operator-(A&& a, B&& b) {
    return Sum<std::remove_cvref_t<A>, std::remove_cvref_t<B>, -1>(std::forward<A>(a), std::forward<B>(b));
}

}  // namespace brainevent
