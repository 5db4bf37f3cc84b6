// Dense real arrays: Array (owning) and ArrayView (borrowed), each a vector or a row-major batch
// matrix. They are the outputs of every product and may stand where events stand (float events).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

#include <Eigen/Core>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/core/shape.hpp"

namespace brainevent {

template <class T, MemorySpace Space = host>
class ArrayView;

namespace detail {

/// y = (accumulate ? y : 0) + alpha * x, after checking shape and aliasing.
template <class T, class Space, Expression X>
void assign_expression(ArrayView<T, Space> y, const X& x, T alpha, bool accumulate) {
    if (x.shape() != y.shape())
        raise<shape_error>("the output has shape ", y.shape(), " but the expression assigned to it has shape ",
                           x.shape());
    const auto* lo = static_cast<const void*>(y.data());
    const auto* hi = static_cast<const void*>(y.data() + y.size());
    if (y.size() != 0 && x.reads(lo, hi))
        raise<aliasing_error>("the output of shape ", y.shape(),
                              " overlaps an operand of the expression assigned to it;"
                              " write into a separate array");
    x.evaluate_into(y, alpha, accumulate, Stream{});
}

}  // namespace detail

/// Operations shared by Array and ArrayView: element access, Eigen views and assignment from
/// product expressions.
template <class Derived, class T, class Space>
class DenseArrayOps {
public:
    using event_kind = float_events;
    using space = Space;

    [[nodiscard]] std::size_t rows() const noexcept { return self().shape().rows; }
    [[nodiscard]] std::size_t cols() const noexcept { return self().shape().cols; }
    [[nodiscard]] std::size_t size() const noexcept { return self().shape().size(); }
    [[nodiscard]] std::size_t rank() const noexcept { return self().shape().rank; }
    [[nodiscard]] bool is_batch() const noexcept { return self().shape().is_batch(); }

    /// Element i of a vector (or of the flattened batch matrix).
    [[nodiscard]] T& operator()(std::size_t i) const requires std::same_as<Space, host> { return self().data()[i]; }
    /// Element (r, c) of a batch matrix, row-major.
    [[nodiscard]] T& operator()(std::size_t r, std::size_t c) const requires std::same_as<Space, host> {
        return self().data()[r * cols() + c];
    }

    /// A rows() × cols() row-major Eigen map of the same memory (a vector is 1 × n).
    [[nodiscard]] auto as_eigen_matrix() const requires std::same_as<Space, host> {
        using M = Eigen::Matrix<std::remove_const_t<T>, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        using Map = Eigen::Map<std::conditional_t<std::is_const_v<T>, const M, M>>;
        return Map(self().data(), static_cast<Eigen::Index>(rows()), static_cast<Eigen::Index>(cols()));
    }
    /// A column-vector Eigen map over all size() elements.
    [[nodiscard]] auto as_eigen_vector() const requires std::same_as<Space, host> {
        using V = Eigen::Matrix<std::remove_const_t<T>, Eigen::Dynamic, 1>;
        using Map = Eigen::Map<std::conditional_t<std::is_const_v<T>, const V, V>>;
        return Map(self().data(), static_cast<Eigen::Index>(size()));
    }

    /// True if [lo, hi) overlaps this array's memory (aliasing checks).
    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        return size() != 0 && detail::overlaps(self().data(), self().data() + size(), lo, hi);
    }

private:
    const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

/// A borrowed vector or row-major batch matrix: pointer plus shape, no ownership. T may be const
/// (a read-only operand). Writing `view(y) = s * W;` evaluates into the viewed memory.
template <class T, MemorySpace Space>
class ArrayView : public DenseArrayOps<ArrayView<T, Space>, T, Space> {
public:
    static_assert(Real<std::remove_const_t<T>>, "brainevent::ArrayView holds float or double");
    using value_type = std::remove_const_t<T>;
    using element_type = T;

    ArrayView() = default;
    /// A view of `shape.size()` elements at `data`. A device view checks that `data` is memory the
    /// device can address (detail::check_device_pointer): a host pointer throws value_error here
    /// rather than faulting in a kernel.
    ArrayView(T* data, Shape shape) : ArrayView(data, shape, detail::unchecked) {
        if constexpr (std::same_as<Space, cuda>)
            if (data != nullptr && detail::check_device_pointer) detail::check_device_pointer(data, "ArrayView");
    }
    /// The same without the device check, for memory the library allocated (Array::view).
    ArrayView(T* data, Shape shape, detail::unchecked_t) : data_(data), shape_(shape) {
        if (data == nullptr && shape.size() != 0)
            detail::raise<value_error>("ArrayView: null data for a non-empty shape ", shape);
    }
    /// A const view of a mutable one.
    template <class U>
    requires std::same_as<const U, T> &&
        (!std::same_as<U, T>)ArrayView(const ArrayView<U, Space>& other)  // NOLINT: implicit like span's
        : data_(other.data()), shape_(other.shape()) {}

    [[nodiscard]] T* data() const noexcept { return data_; }
    [[nodiscard]] Shape shape() const noexcept { return shape_; }

    /// Shallow copy (re-seats the view), as for std::span.
    ArrayView(const ArrayView&) = default;
    ArrayView& operator=(const ArrayView&) = default;

    /// Evaluates a product expression into the viewed memory. Usable on a temporary view:
    /// `view(y) = s * W;`
    template <Expression X>
    requires(!std::is_const_v<T>) &&
        std::same_as<typename X::value_type, value_type>&& std::same_as<typename X::space, Space> const ArrayView&
        operator=(const X& x) const {
        detail::assign_expression(*this, x, value_type(1), false);
        return *this;
    }
    template <Expression X>
    requires(!std::is_const_v<T>) &&
        std::same_as<typename X::value_type, value_type>&& std::same_as<typename X::space, Space> const ArrayView&
        operator+=(const X& x) const {
        detail::assign_expression(*this, x, value_type(1), true);
        return *this;
    }
    template <Expression X>
    requires(!std::is_const_v<T>) &&
        std::same_as<typename X::value_type, value_type>&& std::same_as<typename X::space, Space> const ArrayView&
        operator-=(const X& x) const {
        detail::assign_expression(*this, x, value_type(-1), true);
        return *this;
    }

    void fill(value_type v) const requires(!std::is_const_v<T>) && std::same_as<Space, host> {
        std::fill_n(data_, shape_.size(), v);
    }

private:
    T* data_ = nullptr;
    Shape shape_{};
};

/// An owning vector or row-major batch matrix of float or double.
///
///     brainevent::Array<float> y(n_post);          // zeros
///     y = s * W;                                  // evaluated here
///     brainevent::Array<float> Y(batch, n_post);   // a batch of outputs
template <class T, MemorySpace Space = host>
class Array : public DenseArrayOps<Array<T, Space>, T, Space> {
public:
    static_assert(Real<T>, "brainevent::Array holds float or double");
    using value_type = T;
    using element_type = T;

    /// An empty vector.
    Array() = default;
    /// A vector of n zeros.
    explicit Array(std::size_t n) : buffer_(detail::checked_size(1, n, "Array"), T(0)), shape_(Shape::vector(n)) {}
    /// A rows × cols batch matrix of zeros.
    Array(std::size_t rows, std::size_t cols)
        : buffer_(detail::checked_size(rows, cols, "Array"), T(0)), shape_(Shape::matrix(rows, cols)) {}
    /// A vector holding a copy of `values`.
    explicit Array(std::span<const T> values)
        requires std::same_as<Space, host>
        : buffer_(values.size()), shape_(Shape::vector(values.size())) {
        std::copy(values.begin(), values.end(), buffer_.data());
    }
    /// A rows × cols batch matrix holding a copy of row-major `values`.
    Array(std::size_t rows, std::size_t cols, std::span<const T> values) requires std::same_as<Space, host>
        : buffer_(detail::checked_size(rows, cols, "Array")), shape_(Shape::matrix(rows, cols)) {
        if (values.size() != rows * cols)
            detail::raise<shape_error>("Array: ", values.size(), " values given for shape ", shape_);
        std::copy(values.begin(), values.end(), buffer_.data());
    }

    /// Adopts storage of shape.size() elements (transfers between memory spaces).
    Array(Shape shape, Buffer<T, Space>&& storage) : buffer_(std::move(storage)), shape_(shape) {
        if (buffer_.size() != detail::checked_size(shape.rows, shape.cols, "Array"))
            detail::raise<shape_error>("Array: storage of ", buffer_.size(), " elements for shape ", shape);
    }

    [[nodiscard]] T* data() noexcept { return buffer_.data(); }
    [[nodiscard]] const T* data() const noexcept { return buffer_.data(); }
    [[nodiscard]] Shape shape() const noexcept { return shape_; }
    [[nodiscard]] const Buffer<T, Space>& buffer() const noexcept { return buffer_; }

    [[nodiscard]] T& operator()(std::size_t i) { return data()[i]; }
    [[nodiscard]] const T& operator()(std::size_t i) const { return data()[i]; }
    [[nodiscard]] T& operator()(std::size_t r, std::size_t c) { return data()[r * shape_.cols + c]; }
    [[nodiscard]] const T& operator()(std::size_t r, std::size_t c) const { return data()[r * shape_.cols + c]; }

    [[nodiscard]] ArrayView<T, Space> view() noexcept { return {data(), shape_, detail::unchecked}; }
    [[nodiscard]] ArrayView<const T, Space> view() const noexcept { return {data(), shape_, detail::unchecked}; }
    operator ArrayView<T, Space>() noexcept { return view(); }              // NOLINT: a view, like span
    operator ArrayView<const T, Space>() const noexcept { return view(); }  // NOLINT

    [[nodiscard]] auto as_eigen_matrix() { return view().as_eigen_matrix(); }
    [[nodiscard]] auto as_eigen_matrix() const { return view().as_eigen_matrix(); }
    [[nodiscard]] auto as_eigen_vector() { return view().as_eigen_vector(); }
    [[nodiscard]] auto as_eigen_vector() const { return view().as_eigen_vector(); }

    void fill(T v)
        requires std::same_as<Space, host>
    {
        view().fill(v);
    }

    Array(const Array&) = default;
    /// A moved-from array is empty (shape (0)).
    Array(Array&& o) noexcept : buffer_(std::move(o.buffer_)), shape_(std::exchange(o.shape_, Shape::vector(0))) {}
    /// Copy or move, then swap (as Dense): a failed copy leaves the array as it was, and a
    /// moved-from source is left empty.
    Array& operator=(Array o) noexcept {
        swap(o);
        return *this;
    }
    void swap(Array& o) noexcept {
        std::swap(buffer_, o.buffer_);
        std::swap(shape_, o.shape_);
    }
    ~Array() = default;

    template <Expression X>
    requires std::same_as<typename X::value_type, T> && std::same_as<typename X::space, Space> Array& operator=(
        const X& x) {
        view() = x;
        return *this;
    }
    template <Expression X>
    requires std::same_as<typename X::value_type, T> && std::same_as<typename X::space, Space> Array& operator+=(
        const X& x) {
        view() += x;
        return *this;
    }
    template <Expression X>
    requires std::same_as<typename X::value_type, T> && std::same_as<typename X::space, Space> Array& operator-=(
        const X& x) {
        view() -= x;
        return *this;
    }

private:
    Buffer<T, Space> buffer_;
    Shape shape_ = Shape::vector(0);
};

/// A vector view of contiguous host memory.
template <class T>
requires Real<std::remove_const_t<T>>
[[nodiscard]] ArrayView<T> view(std::span<T> values) {
    return {values.data(), Shape::vector(values.size())};
}
/// A rows × cols row-major batch view of contiguous host memory.
template <class T>
requires Real<std::remove_const_t<T>>
[[nodiscard]] ArrayView<T> view(std::span<T> values, std::size_t rows, std::size_t cols) {
    if (values.size() != detail::checked_size(rows, cols, "view"))
        detail::raise<shape_error>("view: ", values.size(), " values cannot be viewed as shape ",
                                   Shape::matrix(rows, cols));
    return {values.data(), Shape::matrix(rows, cols)};
}

template <class T, class Space>
[[nodiscard]] ArrayView<T, Space> view(Array<T, Space>& a) noexcept {
    return a.view();
}
template <class T, class Space>
[[nodiscard]] ArrayView<const T, Space> view(const Array<T, Space>& a) noexcept {
    return a.view();
}

namespace detail {
/// Eigen::Ref<const M, …>: a Ref that may hold a private copy of what it was bound to.
template <class E>
inline constexpr bool is_const_eigen_ref_v = false;
template <class P, int Options, class Stride>
inline constexpr bool is_const_eigen_ref_v<Eigen::Ref<P, Options, Stride>> = std::is_const_v<P>;

template <class E>
concept EigenDirectAccess = std::is_base_of_v<Eigen::DenseBase<std::remove_cvref_t<E>>, std::remove_cvref_t<E>> &&
    requires(E& e) {
    {e.data()};
    {e.innerStride()};
    {e.outerStride()};
};
}  // namespace detail

/// A view of an Eigen vector, or of a row-major Eigen matrix (each row one batch element),
/// without copying: `view(y_eigen) = s * W;`. Column-major matrices and strided maps cannot be
/// viewed as row-major batches and are rejected.
template <class E>
requires detail::EigenDirectAccess<E>
[[nodiscard]] auto view(E&& m) {
    using Plain = std::remove_cvref_t<E>;
    using Elem = std::remove_pointer_t<decltype(m.data())>;
    static_assert(Real<std::remove_const_t<Elem>>, "brainevent::view: Eigen scalar must be float or double");
    static_assert(std::is_lvalue_reference_v<E> || !std::is_base_of_v<Eigen::PlainObjectBase<Plain>, Plain>,
                  "brainevent::view: the view would outlive a temporary Eigen matrix");
    static_assert(std::is_lvalue_reference_v<E> || !detail::is_const_eigen_ref_v<Plain>,
                  "brainevent::view: a temporary Eigen::Ref<const ...> may hold its own copy of the data; the "
                  "view would outlive it (name the Ref, or view the matrix itself)");
    if constexpr (Plain::IsVectorAtCompileTime) {
        if (m.innerStride() != 1)
            detail::raise<value_error>("view: the Eigen vector has inner stride ", m.innerStride(),
                                       "; only contiguous vectors can be viewed");
        return ArrayView<Elem>(m.data(), Shape::vector(static_cast<std::size_t>(m.size())));
    } else {
        static_assert(Plain::IsRowMajor,
                      "brainevent::view: a batch must be a row-major Eigen matrix (one row per batch "
                      "element); use Eigen::RowMajor or view a vector");
        if (m.innerStride() != 1 || (m.rows() > 1 && m.outerStride() != m.cols()))
            detail::raise<value_error>("view: the Eigen matrix (", m.rows(), ", ", m.cols(),
                                       ") is not contiguous (inner stride ", m.innerStride(), ", outer stride ",
                                       m.outerStride(), ")");
        return ArrayView<Elem>(m.data(),
                               Shape::matrix(static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())));
    }
}

}  // namespace brainevent
