// Dense: connectivity stored as a row-major n_pre × n_post matrix of weights.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

#include <Eigen/Core>

#include "brainevent/core/array.hpp"  // detail::is_const_eigen_ref_v
#include "brainevent/core/buffer.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/error.hpp"

namespace brainevent {

/// Format tag of Dense.
struct dense_format {
    static constexpr const char* name = "Dense";
};

/// W as a row-major n_pre × n_post matrix: row i holds the weights of presynaptic neuron i.
/// A Dense either owns its weights or views memory it does not own (an Eigen row-major matrix,
/// Map or Ref, or a raw pointer); a view never copies. `Dense<const float>` is a read-only view.
///
///     Eigen::Matrix<float, -1, -1, Eigen::RowMajor> w = ...;
///     brainevent::Dense<float> W(w);          // views w, no copy
///     y = s * W;                              // event-driven: reads only the spiking rows
///     W.as_eigen() *= 0.5f;                   // and back to Eigen, no copy
template <class T, MemorySpace Space = host>
class Dense {
public:
    using value_type = std::remove_const_t<T>;
    using element_type = T;
    using format = dense_format;
    using space = Space;
    static_assert(Real<value_type>, "brainevent::Dense holds float or double weights");

    /// An empty 0 × 0 matrix.
    Dense() = default;
    /// An owning n_pre × n_post matrix of zeros.
    Dense(std::size_t n_pre, std::size_t n_post) requires(!std::is_const_v<T>)
        : owned_(detail::checked_size(n_pre, n_post, "Dense"), value_type(0)),
          data_(owned_.data()),
          n_pre_(n_pre),
          n_post_(n_post) {}
    /// An owning copy of row-major `weights`.
    Dense(std::size_t n_pre, std::size_t n_post, std::span<const value_type> weights) requires(!std::is_const_v<T>) &&
        std::same_as<Space, host> : owned_(detail::checked_size(n_pre, n_post, "Dense")),
        data_(owned_.data()), n_pre_(n_pre), n_post_(n_post) {
        if (weights.size() != n_pre * n_post)
            detail::raise<shape_error>("Dense: ", weights.size(), " weights given for shape (", n_pre, ", ", n_post,
                                       ")");
        std::copy(weights.begin(), weights.end(), owned_.data());
    }
    /// A view of n_pre × n_post row-major weights at `data`; the memory must outlive the view.
    static Dense view(T* data, std::size_t n_pre, std::size_t n_post) {
        if (detail::checked_size(n_pre, n_post, "Dense::view") != 0 && data == nullptr)
            detail::raise<value_error>("Dense::view: null data for shape (", n_pre, ", ", n_post, ")");
        if constexpr (std::same_as<Space, cuda>)  // a host pointer throws here, not in a kernel
            if (data != nullptr && detail::check_device_pointer) detail::check_device_pointer(data, "Dense::view");
        Dense d;
        d.data_ = data;
        d.n_pre_ = n_pre;
        d.n_post_ = n_post;
        return d;
    }
    /// A view of a row-major Eigen matrix, Map or Ref (no copy). Column-major storage is
    /// W's transpose: view that, `const Dense<float> Wt(m.transpose());`, and multiply by
    /// `transpose(Wt)` (a view of the named Wt: the transpose of a temporary Dense is refused).
    template <class E>
    requires std::same_as<Space, host> &&
        std::is_base_of_v<Eigen::DenseBase<std::remove_cvref_t<E>>, std::remove_cvref_t<E>> && requires(E& e) {
        { e.data() } -> std::convertible_to<T*>;
    }
    explicit Dense(E&& m) {
        using Plain = std::remove_cvref_t<E>;
        static_assert(std::is_lvalue_reference_v<E> || !std::is_base_of_v<Eigen::PlainObjectBase<Plain>, Plain>,
                      "brainevent::Dense: viewing a temporary Eigen matrix would dangle");
        static_assert(std::is_lvalue_reference_v<E> || !detail::is_const_eigen_ref_v<Plain>,
                      "brainevent::Dense: a temporary Eigen::Ref<const ...> may hold its own copy of the data; "
                      "viewing it would dangle (name the Ref, or view the matrix itself)");
        static_assert(Plain::IsRowMajor || Plain::IsVectorAtCompileTime,
                      "brainevent::Dense views row-major Eigen matrices only (Eigen::RowMajor)");
        // A vector (either orientation) is contiguous when its elements are; a matrix when its
        // rows also follow each other.
        const bool contiguous =
            m.innerStride() == 1 && (Plain::IsVectorAtCompileTime || m.rows() <= 1 || m.outerStride() == m.cols());
        if (!contiguous)
            detail::raise<value_error>("Dense: the Eigen matrix (", m.rows(), ", ", m.cols(),
                                       ") is not contiguous (inner stride ", m.innerStride(), ", outer stride ",
                                       m.outerStride(), ")");
        data_ = m.data();
        n_pre_ = static_cast<std::size_t>(m.rows());
        n_post_ = static_cast<std::size_t>(m.cols());
    }

    /// Adopts n_pre × n_post weights (transfers between memory spaces).
    Dense(std::size_t n_pre, std::size_t n_post, Buffer<value_type, Space>&& weights) requires(!std::is_const_v<T>)
        : owned_(std::move(weights)), data_(owned_.data()), n_pre_(n_pre), n_post_(n_post) {
        if (owned_.size() != detail::checked_size(n_pre, n_post, "Dense"))
            detail::raise<shape_error>("Dense: storage of ", owned_.size(), " weights for shape (", n_pre, ", ", n_post,
                                       ")");
    }

    Dense(const Dense& o) : owned_(o.owned_), n_pre_(o.n_pre_), n_post_(o.n_post_) {
        data_ = o.owns() ? owned_.data() : o.data_;
    }
    Dense(Dense&& o) noexcept : n_pre_(o.n_pre_), n_post_(o.n_post_) {
        const bool owning = o.owns();
        data_ = o.data_;
        owned_ = std::move(o.owned_);
        if (owning) data_ = owned_.data();
        o.data_ = nullptr;
        o.n_pre_ = o.n_post_ = 0;
    }
    Dense& operator=(Dense o) noexcept {
        swap(o);
        return *this;
    }
    ~Dense() = default;

    /// True if this object owns its weights (false for a view).
    [[nodiscard]] bool owns() const noexcept { return data_ != nullptr && data_ == owned_.data(); }

    [[nodiscard]] std::size_t n_pre() const noexcept { return n_pre_; }
    [[nodiscard]] std::size_t n_post() const noexcept { return n_post_; }
    [[nodiscard]] std::size_t rows() const noexcept { return n_pre_; }
    [[nodiscard]] std::size_t cols() const noexcept { return n_post_; }
    [[nodiscard]] T* data() const noexcept { return data_; }
    /// Row i: the outgoing weights of presynaptic neuron i.
    [[nodiscard]] T* row(std::size_t i) const noexcept { return data_ + i * n_post_; }
    [[nodiscard]] T& operator()(std::size_t i, std::size_t j) const requires std::same_as<Space, host> {
        return data_[i * n_post_ + j];
    }

    /// A row-major Eigen map of the same memory (no copy).
    [[nodiscard]] auto as_eigen() const requires std::same_as<Space, host> {
        using M = Eigen::Matrix<value_type, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        using Map = Eigen::Map<std::conditional_t<std::is_const_v<T>, const M, M>>;
        return Map(data_, static_cast<Eigen::Index>(n_pre_), static_cast<Eigen::Index>(n_post_));
    }

    [[nodiscard]] bool reads(const void* lo, const void* hi) const noexcept {
        return n_pre_ * n_post_ != 0 && detail::overlaps(data_, data_ + n_pre_ * n_post_, lo, hi);
    }

    void swap(Dense& o) noexcept {
        const bool a = owns(), b = o.owns();
        std::swap(owned_, o.owned_);
        std::swap(data_, o.data_);
        std::swap(n_pre_, o.n_pre_);
        std::swap(n_post_, o.n_post_);
        if (a) o.data_ = o.owned_.data();
        if (b) data_ = owned_.data();
    }

private:
    Buffer<value_type, Space> owned_;
    T* data_ = nullptr;
    std::size_t n_pre_ = 0, n_post_ = 0;
};

/// Dense(eigen_matrix) deduces the element type, const for a const matrix.
template <class E>
    requires std::is_base_of_v<Eigen::DenseBase<std::remove_cvref_t<E>>, std::remove_cvref_t<E>>
Dense(E&&) -> Dense<std::remove_pointer_t<decltype(std::declval<E&>().data())>>;

}  // namespace brainevent

#include "brainevent/kernels/cpu/dense.hpp"  // host kernels come with the format

#if defined(__CUDACC__)
#include "brainevent/kernels/cuda/dense.cuh"  // and, under nvcc, the CUDA kernels
#endif
