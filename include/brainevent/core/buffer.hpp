// Contiguous storage in a memory space. Containers hold a Buffer; kernels see raw pointers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>

#include "brainevent/core/space.hpp"

namespace brainevent {

namespace detail {
/// True if the byte ranges [a_lo, a_hi) and [b_lo, b_hi) overlap (aliasing checks).
inline bool overlaps(const void* a_lo, const void* a_hi, const void* b_lo, const void* b_hi) {
    // std::less gives a total order even on pointers into unrelated objects.
    return std::less<const void*>{}(a_lo, b_hi) && std::less<const void*>{}(b_lo, a_hi);
}
}  // namespace detail

/// Owning contiguous storage of `size()` elements of T in memory space `Space`. The host
/// specialisation lives here; the CUDA one comes with the CUDA backend.
template <class T, MemorySpace Space>
class Buffer;

/// Host storage. Unlike std::vector it does not value-initialise on resize (kernels overwrite
/// outputs anyway), and it grows only: `resize` to a smaller size keeps the allocation, so a
/// buffer reused every simulation step allocates once.
template <class T>
class Buffer<T, host> {
public:
    using value_type = T;
    using space = host;

    Buffer() = default;
    explicit Buffer(std::size_t n) { resize(n); }
    Buffer(std::size_t n, const T& value) {
        resize(n);
        std::fill_n(data_.get(), n, value);
    }

    Buffer(const Buffer& other) : Buffer(other.size_) { std::copy_n(other.data(), size_, data()); }
    Buffer(Buffer&& other) noexcept : data_(std::move(other.data_)), size_(other.size_), capacity_(other.capacity_) {
        other.size_ = other.capacity_ = 0;
    }
    Buffer& operator=(const Buffer& other) {
        if (this != &other) {
            resize(other.size_);
            std::copy_n(other.data(), size_, data());
        }
        return *this;
    }
    Buffer& operator=(Buffer&& other) noexcept {
        data_ = std::move(other.data_);
        size_ = other.size_;
        capacity_ = other.capacity_;
        other.size_ = other.capacity_ = 0;
        return *this;
    }
    ~Buffer() = default;

    /// Changes the size; contents up to min(old, new) size are kept only when no reallocation
    /// happens, which is the case whenever n <= capacity().
    void resize(std::size_t n) {
        if (n > capacity_) {
#if defined(__cpp_lib_smart_ptr_for_overwrite)
            data_ = std::make_unique_for_overwrite<T[]>(n);
#else  // libc++ before 16: the same default-initialised (for float: unset) elements
            data_ = std::unique_ptr<T[]>(new T[n]);
#endif
            capacity_ = n;
        }
        size_ = n;
    }

    [[nodiscard]] T* data() noexcept { return data_.get(); }
    [[nodiscard]] const T* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::span<T> span() noexcept { return {data(), size_}; }
    [[nodiscard]] std::span<const T> span() const noexcept { return {data(), size_}; }

private:
    std::unique_ptr<T[]> data_;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace brainevent
