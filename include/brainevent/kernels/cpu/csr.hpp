// Dispatch entries for CSR on the host: s * W scatters the rows of active inputs, W * s gathers.
#pragma once

#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"

namespace brainevent {

template <EventKind Kind>
struct dispatch<Kind, csr_format, events_left, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::compressed_scatter(y, s, w.storage(), alpha, accumulate);
    }
};

template <EventKind Kind>
struct dispatch<Kind, csr_format, events_right, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        kernels::cpu::compressed_gather(y, s, w.storage(), alpha, accumulate);
    }
};

}  // namespace brainevent
