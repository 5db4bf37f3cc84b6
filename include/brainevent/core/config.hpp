// Library-wide macros: the only place brainevent defines any.
#pragma once

#if defined(__CUDACC__)
#define BRAINEVENT_HOST_DEVICE __host__ __device__
#else
#define BRAINEVENT_HOST_DEVICE
#endif

#if defined(_MSC_VER)
#define BRAINEVENT_FORCE_INLINE __forceinline
#else
#define BRAINEVENT_FORCE_INLINE inline __attribute__((always_inline))
#endif

#if defined(__GNUC__) || defined(__clang__)
#define BRAINEVENT_RESTRICT __restrict__
#else
#define BRAINEVENT_RESTRICT
#endif

/// Hint that `addr` will be read soon (no-op where the compiler has no prefetch builtin).
#if defined(__GNUC__) || defined(__clang__)
#define BRAINEVENT_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define BRAINEVENT_PREFETCH(addr) ((void)(addr))
#endif

#if defined(__CUDACC__)
/// Checks a CUDA runtime call; on failure throws brainevent::cuda_error naming the call and
/// CUDA's message (brainevent/core/cuda.cuh).
#define BRAINEVENT_CUDA_CHECK(call) ::brainevent::detail::cuda_check((call), #call, __FILE__, __LINE__)
/// Checks the launch just made (bad configuration, missing image for this GPU).
#define BRAINEVENT_CUDA_CHECK_LAUNCH(kernel) \
    ::brainevent::detail::cuda_check(cudaGetLastError(), "launch of " kernel, __FILE__, __LINE__)
#endif

#define BRAINEVENT_VERSION_MAJOR 0
#define BRAINEVENT_VERSION_MINOR 1
#define BRAINEVENT_VERSION_PATCH 0
