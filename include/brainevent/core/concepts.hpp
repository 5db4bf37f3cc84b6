// Tags and concepts shared by every module: event kinds, orientations, and what makes a type an
// event operand, a connectivity operand or a product expression.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "brainevent/core/shape.hpp"
#include "brainevent/core/space.hpp"

namespace brainevent {

/// Value types of weights, float events and outputs.
template <class T>
concept Real = std::same_as<T, float> || std::same_as<T, double>;

/// Index types of event lists and sparse formats.
template <class I>
concept Index = std::same_as<I, std::int32_t> || std::same_as<I, std::int64_t>;

// Event kinds: the first dispatch axis.
struct binary_events {};   ///< one byte per neuron, non-zero = spike (BinaryArray)
struct indexed_events {};  ///< the list of active indices (IndexedBinary1d/2d)
struct float_events {};    ///< a real-valued dense vector or batch (ordinary weighted product)

/// One of the three event kinds.
template <class K>
concept EventKind = std::same_as<K, binary_events> || std::same_as<K, indexed_events> || std::same_as<K, float_events>;

// Orientations: which side of the matrix the events stand on.
struct events_left {};   ///< s * W:  y[b, j] = sum_i s[b, i] W[i, j]
struct events_right {};  ///< W * s:  y[b, i] = sum_j W[i, j] s[b, j]

/// A vector or batch of events: knows its kind, memory space and shape. `rows()` is the batch
/// size (1 for a vector), `cols()` the number of neurons.
template <class E>
concept EventLike = requires(const E& e) {
    typename E::event_kind;
    typename E::space;
    requires MemorySpace<typename E::space>;
    { e.shape() } -> std::same_as<Shape>;
    { e.rows() } -> std::convertible_to<std::size_t>;
    { e.cols() } -> std::convertible_to<std::size_t>;
};

/// A connectivity matrix W of shape n_pre × n_post in some format and memory space.
template <class M>
concept Connectivity = requires(const M& m) {
    typename M::format;
    typename M::space;
    typename M::value_type;
    requires MemorySpace<typename M::space>;
    requires Real<typename M::value_type>;
    { m.n_pre() } -> std::convertible_to<std::size_t>;
    { m.n_post() } -> std::convertible_to<std::size_t>;
};

/// A lazy expression (a product, a scaled product, a sum of them) that can be assigned to a
/// dense output: `y = expr`, `y += expr`, `y -= expr`.
template <class X>
concept Expression = requires(const X& x) {
    typename X::expression_tag;
    typename X::value_type;
    typename X::space;
    { x.shape() } -> std::same_as<Shape>;
};

template <class T>
using remove_cvref_t = std::remove_cvref_t<T>;

/// Storage for an operand captured by an expression: a const reference to an lvalue, or the
/// moved value of a temporary, so that `auto p = s * make_matrix();` does not dangle.
template <class T>
using stored_t =
    std::conditional_t<std::is_lvalue_reference_v<T>, const std::remove_cvref_t<T>&, std::remove_cvref_t<T>>;

}  // namespace brainevent
