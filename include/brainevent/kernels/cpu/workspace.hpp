// Per-thread scratch memory for host kernels: grown on demand, never shrunk, so a product run
// every simulation step allocates only on its first call (or when its inputs grow).
#pragma once

#include <cstddef>

#include "brainevent/core/buffer.hpp"

namespace brainevent::kernels::cpu {

/// Scratch of at least n elements of T. `Slot` tells apart buffers that are live at the same time.
/// Contents are unspecified; the pointer is valid until the next call with the same T and Slot on
/// this thread.
template <class T, int Slot>
[[nodiscard]] T* scratch(std::size_t n) {
    thread_local Buffer<T, host> buffer;
    if (buffer.size() < n) buffer.resize(n);
    return buffer.data();
}

}  // namespace brainevent::kernels::cpu
