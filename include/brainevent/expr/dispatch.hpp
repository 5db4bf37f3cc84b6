// The kernel table: dispatch<EventKind, Format, Orientation, Space> is specialised next to each
// kernel (kernels/cpu/<format>.hpp, kernels/cuda/<format>.cuh). Nothing here lists formats.
#pragma once

#include "brainevent/core/concepts.hpp"

namespace brainevent {

namespace detail {
template <class...>
inline constexpr bool always_false = false;
}  // namespace detail

/// Primary template: no kernel for this combination. A specialisation sets `available = true`
/// and provides
///
///     static void run(ArrayView<T, Space> y, const Events& s, const Matrix& W, T alpha, bool accumulate,
///                     Stream stream);
///
/// computing y = (accumulate ? y : 0) + alpha * (s * W) (or W * s for events_right), launched on
/// `stream` for device kernels (asynchronously) and ignored by host kernels.
template <class EventKind, class Format, class Orientation, class Space>
struct dispatch {
    static constexpr bool available = false;

    template <class... Args>
    static void run(Args&&...) {
        static_assert(detail::always_false<Args...>,
                      "brainevent: no kernel for this (event kind, format, orientation, memory space): see the "
                      "template arguments of dispatch<> in the instantiation trace");
    }
};

/// The kernel for events E and matrix M in orientation O.
template <class E, class M, class O>
using kernel_for = dispatch<typename E::event_kind, typename M::format, O, typename M::space>;

/// Events E and matrix M can be multiplied in orientation O: same memory space, matching value
/// types for float events, and a kernel exists.
template <class E, class M, class O>
concept Multipliable = EventLike<E> && Connectivity<M> && std::same_as<typename E::space, typename M::space> &&
    (!std::same_as<typename E::event_kind, float_events> ||
     std::same_as<typename E::value_type, typename M::value_type>)&&kernel_for<E, M, O>::available;

}  // namespace brainevent
