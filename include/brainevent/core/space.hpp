// Memory-space tags. Every container names where its data lives; nothing copies between spaces
// implicitly, and an expression whose operands live in different spaces does not compile.
#pragma once

#include <concepts>

struct CUstream_st;  // what cudaStream_t points to (driver_types.h), declared so that host code needs no CUDA header

namespace brainevent {

/// Data in ordinary host memory, processed by the CPU (xsimd) kernels.
struct host {
    static constexpr const char* name = "host";
};

/// Data in CUDA device memory, processed by the CUDA kernels (reserved; see kernels/cuda/).
struct cuda {
    static constexpr const char* name = "cuda";
};

/// The CUDA stream an operation runs on, without naming CUDA types in host code: built from a
/// cudaStream_t (and from nothing else: a pointer to data is not a stream). Default: the default
/// stream. Host kernels ignore it.
struct Stream {
    void* handle = nullptr;
    Stream() = default;
    Stream(CUstream_st* stream) noexcept : handle(stream) {}  // NOLINT: implicit from cudaStream_t
    friend bool operator==(Stream a, Stream b) noexcept { return a.handle == b.handle; }
};

namespace detail {

/// Throws value_error unless `p` is memory the current CUDA device can address (its own memory, a
/// peer device's where peer access is enabled, managed or mapped page-locked memory; any memory
/// where the device reads pageable memory). Installed by
/// core/cuda.cuh, the one header that knows CUDA, before main; null in a program that has no CUDA
/// translation unit, and so no device memory from brainevent either. Raw pointers given to a
/// device view pass through it; containers the library allocated do not.
inline void (*check_device_pointer)(const void* p, const char* what) = nullptr;

/// Tag of the constructors that skip check_device_pointer, for pointers the library allocated.
struct unchecked_t {};
inline constexpr unchecked_t unchecked{};

}  // namespace detail

template <class S>
concept MemorySpace = std::same_as<S, host> || std::same_as<S, cuda>;

}  // namespace brainevent
