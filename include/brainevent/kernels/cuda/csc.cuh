// Dispatch entries for CSC on CUDA: W * s scatters the columns of active inputs, s * W gathers.
#pragma once

#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/kernels/cuda/compressed.cuh"

namespace brainevent {

template <class Kind>
    requires std::same_as<Kind, binary_events> || std::same_as<Kind, float_events>
struct dispatch<Kind, csc_format, events_left, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        kernels::cuda_impl::compressed_gather(y, s, w.storage(), alpha, accumulate, st);
    }
};

template <class Kind>
    requires std::same_as<Kind, binary_events> || std::same_as<Kind, float_events>
struct dispatch<Kind, csc_format, events_right, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        kernels::cuda_impl::compressed_scatter(y, s, w.storage(), alpha, accumulate, st);
    }
};

}  // namespace brainevent
