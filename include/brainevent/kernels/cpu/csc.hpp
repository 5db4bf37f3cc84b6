// Dispatch entries for CSC on the host: W * s scatters the columns of active inputs, s * W gathers.
#pragma once

#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"

namespace brainevent {

template <EventKind Kind>
struct dispatch<Kind, csc_format, events_left, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::compressed_gather(y, s, w.storage(), alpha, accumulate);
    }
};

template <EventKind Kind>
struct dispatch<Kind, csc_format, events_right, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::compressed_scatter(y, s, w.storage(), alpha, accumulate);
    }
};

}  // namespace brainevent
