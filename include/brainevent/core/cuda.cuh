// The CUDA memory space: error checks and device storage. Compiled by nvcc only.
#pragma once

#include <cuda_runtime.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <utility>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/core/space.hpp"

namespace brainevent {
namespace detail {

inline void cuda_check(cudaError_t e, const char* call, const char* file, int line) {
    if (e != cudaSuccess) {
        (void)cudaGetLastError();  // reset a non-sticky error, so that a later check does not report it again
        raise<cuda_error>(call, " failed: ", cudaGetErrorName(e), ": ", cudaGetErrorString(e), " (", file, ":", line,
                          ")");
    }
}

/// Whether the current device has peer access to device `peer` enabled. CUDA has no query
/// for it (the pointer's access flags say read-write either way, measured on two H200s), so this
/// asks to enable it: "already enabled" answers yes; where that enabled it, it is disabled again,
/// leaving the state as it was, and the answer is no (the checks take turns; a user enabling it on
/// another thread at that moment could see it undone). compute-sanitizer lists the "already
/// enabled" answer among API errors: expected, once per view of a peer's memory. Memory of
/// stream-ordered pools (cudaMallocAsync) follows the pool's own access settings, which this does
/// not read: such a view is judged by device peer access.
inline bool peer_access_enabled(int peer) {
    static std::mutex one_at_a_time;  // so that one check never undoes another's finding
    const std::lock_guard<std::mutex> lock(one_at_a_time);
    const cudaError_t e = cudaDeviceEnablePeerAccess(peer, 0);
    if (e == cudaSuccess) {
        BRAINEVENT_CUDA_CHECK(cudaDeviceDisablePeerAccess(peer));
        return false;
    }
    (void)cudaGetLastError();  // the "already enabled" answer (or a refusal) is not an error to report later
    return e == cudaErrorPeerAccessAlreadyEnabled;
}

/// check_device_pointer (core/space.hpp) for this program: memory of the current device and
/// managed memory pass, and memory of another device to which the current one has peer access
/// enabled; page-locked host memory mapped at the same address (kernels may read it); pageable host
/// memory only where the device reads pageable memory (cudaDevAttrPageableMemoryAccess).
inline void device_pointer_check(const void* p, const char* what) {
    cudaPointerAttributes a{};
    BRAINEVENT_CUDA_CHECK(cudaPointerGetAttributes(&a, p));
    int device = 0;
    BRAINEVENT_CUDA_CHECK(cudaGetDevice(&device));
    if (a.type == cudaMemoryTypeDevice && a.device != device) {
        int possible = 0;
        BRAINEVENT_CUDA_CHECK(cudaDeviceCanAccessPeer(&possible, device, a.device));
        if (possible && peer_access_enabled(a.device)) return;
        raise<value_error>(what, ": ", p, " is memory of device ", a.device, ", which device ", device,
                           possible ? " cannot address until peer access is enabled (cudaDeviceEnablePeerAccess)"
                                    : " cannot address (no peer access between them)",
                           "; copy it, or make the call on device ", a.device);
    }
    if (a.type == cudaMemoryTypeDevice || a.type == cudaMemoryTypeManaged) return;
    if (a.type == cudaMemoryTypeHost && a.devicePointer == p) return;
    int pageable = 0;
    BRAINEVENT_CUDA_CHECK(cudaDeviceGetAttribute(&pageable, cudaDevAttrPageableMemoryAccess, device));
    if (pageable) return;
    raise<value_error>(what, ": ", p, " is host memory, which device ", device,
                       " cannot address; copy it with to_device, or view device memory");
}
inline const bool device_pointer_check_installed = (check_device_pointer = &device_pointer_check, true);

inline cudaStream_t stream_of(Stream s) noexcept {
    return static_cast<cudaStream_t>(s.handle);
}

template <class T>
__global__ void fill_kernel(T* p, std::size_t n, T v) {
    for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
         i += std::size_t{gridDim.x} * blockDim.x)
        p[i] = v;
}

/// p[0, n) = v on `stream`, asynchronously.
template <class T>
void fill_device(T* p, std::size_t n, T v, cudaStream_t stream) {
    if (n == 0) return;
    if (v == T(0) && !std::signbit(v)) {  // -0 is not all zero bytes
        BRAINEVENT_CUDA_CHECK(cudaMemsetAsync(p, 0, n * sizeof(T), stream));
        return;
    }
    const unsigned blocks = static_cast<unsigned>(std::min<std::size_t>((n + 255) / 256, 4096));
    fill_kernel<<<blocks, 256, 0, stream>>>(p, n, v);
    BRAINEVENT_CUDA_CHECK_LAUNCH("fill_kernel");
}

}  // namespace detail

/// Device storage: `size()` elements of T in CUDA device memory (cudaMalloc). Allocation and
/// release happen only when a container is made, copied, resized or destroyed, never inside a
/// product. A buffer made with a value, or copied, holds its contents when the constructor or
/// assignment returns (it fills or copies on the default stream and waits for it), so that work
/// on any stream, non-blocking ones included, may use it next; a copy reads its source after the
/// default stream's earlier work, so a source written on a non-blocking stream must have been
/// synchronised by the caller.
template <class T>
class Buffer<T, cuda> {
public:
    using value_type = T;
    using space = cuda;

    Buffer() = default;
    explicit Buffer(std::size_t n) { resize(n); }
    Buffer(std::size_t n, const T& value) : Buffer(n) {  // delegating: freed if the fill throws
        if (n == 0) return;
        detail::fill_device(data_, n, value, nullptr);
        BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(nullptr));
    }
    Buffer(const Buffer& o) : Buffer(o.size_) { copy_from(o); }
    Buffer(Buffer&& o) noexcept
        : data_(std::exchange(o.data_, nullptr)),
          size_(std::exchange(o.size_, 0)),
          capacity_(std::exchange(o.capacity_, 0)) {}
    Buffer& operator=(const Buffer& o) {
        if (this != &o) {
            resize(o.size_);
            copy_from(o);
        }
        return *this;
    }
    Buffer& operator=(Buffer&& o) noexcept {
        std::swap(data_, o.data_);
        std::swap(size_, o.size_);
        std::swap(capacity_, o.capacity_);
        return *this;
    }
    ~Buffer() {
        if (data_) cudaFree(data_);  // no throw from a destructor; a failure here is a lost error
    }

    /// Changes the size; grows by reallocating (contents are then lost), never shrinks. If the
    /// allocation fails (cuda_error), the buffer is left empty, holding no memory.
    void resize(std::size_t n) {
        if (n > capacity_) {
            if (n > static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T))
                detail::raise<value_error>("device buffer: ", n, " elements of ", sizeof(T), " bytes overflow a size");
            T* old = std::exchange(data_, nullptr);
            size_ = capacity_ = 0;
            if (old) BRAINEVENT_CUDA_CHECK(cudaFree(old));
            BRAINEVENT_CUDA_CHECK(cudaMalloc(&data_, n * sizeof(T)));
            capacity_ = n;
        }
        size_ = n;
    }

    [[nodiscard]] T* data() noexcept { return data_; }
    [[nodiscard]] const T* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::span<T> span() noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<const T> span() const noexcept { return {data_, size_}; }

private:
    void copy_from(const Buffer& o) {
        if (size_ == 0) return;
        BRAINEVENT_CUDA_CHECK(cudaMemcpyAsync(data_, o.data_, size_ * sizeof(T), cudaMemcpyDeviceToDevice, nullptr));
        BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(nullptr));
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

namespace detail {

/// Copies n elements between spaces on `stream`. From pageable host memory (every host container
/// of the library) the call returns once the host side of the copy is done, and the host array
/// may then be reused; from page-locked memory (cudaMallocHost or cudaHostRegister, behind a view)
/// the copy is asynchronous as CUDA's own, and the host memory must stay unchanged until `stream`
/// has reached it.
template <class T>
void copy_to_device(T* dst, const T* src, std::size_t n, cudaStream_t stream) {
    if (n) BRAINEVENT_CUDA_CHECK(cudaMemcpyAsync(dst, src, n * sizeof(T), cudaMemcpyHostToDevice, stream));
}
/// Device to host; waits for the stream, since the caller reads the result next.
template <class T>
void copy_to_host(T* dst, const T* src, std::size_t n, cudaStream_t stream) {
    if (n) BRAINEVENT_CUDA_CHECK(cudaMemcpyAsync(dst, src, n * sizeof(T), cudaMemcpyDeviceToHost, stream));
    BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

template <class T, class FromSpace, class ToSpace>
Buffer<T, ToSpace> transfer(const Buffer<T, FromSpace>& from, cudaStream_t stream) {
    Buffer<T, ToSpace> to(from.size());
    if constexpr (std::is_same_v<ToSpace, cuda>)
        copy_to_device(to.data(), from.data(), from.size(), stream);
    else
        copy_to_host(to.data(), from.data(), from.size(), stream);
    return to;
}

}  // namespace detail
}  // namespace brainevent
