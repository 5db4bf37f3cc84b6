// Explicit copies between host and device: to_device(x) and to_host(x). Nothing else moves data
// between memory spaces. Compiled by nvcc only.
#pragma once

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"

namespace brainevent {

namespace detail {
template <class To, class From>
Buffer<From, To> moved(const From* src, std::size_t n, Stream st) {
    Buffer<From, To> b(n);
    if constexpr (std::is_same_v<To, cuda>)
        copy_to_device(b.data(), src, n, stream_of(st));
    else
        copy_to_host(b.data(), src, n, stream_of(st));
    return b;
}
template <class To, class T, class From, class I, class O>
Compressed<T, To, I, O> moved(const Compressed<T, From, I, O>& c, Stream st) {
    Compressed<T, To, I, O> r;
    r.n_major = c.n_major;
    r.n_minor = c.n_minor;
    r.homogeneous = c.homogeneous;
    r.sorted = c.sorted;
    r.indptr = std::make_shared<Buffer<O, To>>(moved<To>(c.indptr->data(), c.indptr->size(), st));
    r.indices = std::make_shared<Buffer<I, To>>(moved<To>(c.indices->data(), c.indices->size(), st));
    r.weights = std::make_shared<Buffer<T, To>>(moved<To>(c.weights->data(), c.weights->size(), st));
    return r;
}
}  // namespace detail

/// A device copy of x, made on `stream` (the host data may be reused when the call returns).
template <class T>
[[nodiscard]] Array<T, cuda> to_device(const Array<T, host>& x, Stream st = {}) {
    return {x.shape(), detail::moved<cuda>(x.data(), x.size(), st)};
}
[[nodiscard]] inline BinaryArray<cuda> to_device(const BinaryArray<host>& x, Stream st = {}) {
    return {x.shape(), detail::moved<cuda>(x.data(), x.size(), st)};
}
template <class T>
[[nodiscard]] Dense<std::remove_const_t<T>, cuda> to_device(const Dense<T, host>& w, Stream st = {}) {
    return {w.n_pre(), w.n_post(), detail::moved<cuda>(w.data(), w.n_pre() * w.n_post(), st)};
}
template <class T, class I, class O>
[[nodiscard]] CSR<T, cuda, I, O> to_device(const CSR<T, host, I, O>& w, Stream st = {}) {
    return CSR<T, cuda, I, O>(detail::moved<cuda>(w.storage(), st));
}
template <class T, class I, class O>
[[nodiscard]] CSC<T, cuda, I, O> to_device(const CSC<T, host, I, O>& w, Stream st = {}) {
    return CSC<T, cuda, I, O>(detail::moved<cuda>(w.storage(), st));
}

/// A host copy of x; waits for `stream` to finish, since the caller reads the result next.
template <class T>
[[nodiscard]] Array<T, host> to_host(const Array<T, cuda>& x, Stream st = {}) {
    return {x.shape(), detail::moved<host>(x.data(), x.size(), st)};
}
[[nodiscard]] inline BinaryArray<host> to_host(const BinaryArray<cuda>& x, Stream st = {}) {
    return {x.shape(), detail::moved<host>(x.data(), x.size(), st)};
}
template <class T>
[[nodiscard]] Dense<T, host> to_host(const Dense<T, cuda>& w, Stream st = {}) {
    return {w.n_pre(), w.n_post(), detail::moved<host>(w.data(), w.n_pre() * w.n_post(), st)};
}
template <class T, class I, class O>
[[nodiscard]] CSR<T, host, I, O> to_host(const CSR<T, cuda, I, O>& w, Stream st = {}) {
    return CSR<T, host, I, O>(detail::moved<host>(w.storage(), st));
}
template <class T, class I, class O>
[[nodiscard]] CSC<T, host, I, O> to_host(const CSC<T, cuda, I, O>& w, Stream st = {}) {
    return CSC<T, host, I, O>(detail::moved<host>(w.storage(), st));
}

}  // namespace brainevent
