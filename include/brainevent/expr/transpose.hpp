// transpose(W): a free view that swaps the roles of rows and columns in products.
#pragma once

#include "brainevent/core/concepts.hpp"

namespace brainevent {

/// The transpose of a connectivity matrix M, as a reference; `s * transpose(W)` runs the
/// `W * s` kernel and vice versa. No data moves.
template <Connectivity M>
class Transposed {
public:
    explicit Transposed(const M& m) noexcept : m_(&m) {}
    [[nodiscard]] const M& base() const noexcept { return *m_; }
    [[nodiscard]] std::size_t n_pre() const noexcept { return m_->n_post(); }
    [[nodiscard]] std::size_t n_post() const noexcept { return m_->n_pre(); }

private:
    const M* m_;
};

/// The transpose of W (a view; W must outlive it).
template <Connectivity M>
[[nodiscard]] Transposed<M> transpose(const M& m) noexcept {
    return Transposed<M>(m);
}
/// transpose(transpose(W)) is W.
template <Connectivity M>
[[nodiscard]] const M& transpose(const Transposed<M>& t) noexcept {
    return t.base();
}
/// Deleted: the view would outlive the temporary it refers to.
template <Connectivity M>
void transpose(const M&&) = delete;

}  // namespace brainevent
