// Memory-space tags. Every container names where its data lives; nothing copies between spaces
// implicitly, and an expression whose operands live in different spaces does not compile.
#pragma once

#include <concepts>

namespace brainevent {

/// Data in ordinary host memory, processed by the CPU (xsimd) kernels.
struct host {
    static constexpr const char* name = "host";
};

/// Data in CUDA device memory, processed by the CUDA kernels (reserved; see kernels/cuda/).
struct cuda {
    static constexpr const char* name = "cuda";
};

template <class S>
concept MemorySpace = std::same_as<S, host> || std::same_as<S, cuda>;

}  // namespace brainevent
