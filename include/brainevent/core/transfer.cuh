// Explicit copies between host and device: to_device(x) and to_host(x). Nothing else moves data
// between memory spaces. Compiled by nvcc only.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/events/indexed_binary.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/formats/fixed.hpp"
#include "brainevent/formats/jitc.hpp"
#include "brainevent/kernels/cuda/events.cuh"
#include "brainevent/kernels/cuda/range_index.cuh"

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
/// The device transpose of host lines c where it pays (transpose_lines), else none.
template <class T, class I, class Off>
std::shared_ptr<const TransposedLines<cuda>> transposed_on_device(const Lines<T, I, Off>& c, Stream st) {
    const std::optional<TransposedLines<host>> t = transpose_lines(c);
    if (!t) return nullptr;
    return std::make_shared<const TransposedLines<cuda>>(
        TransposedLines<cuda>{moved<cuda>(t->indptr.data(), t->indptr.size(), st),
                              moved<cuda>(t->major.data(), t->major.size(), st),
                              moved<cuda>(t->entry.data(), t->entry.size(), st)});
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
    if constexpr (std::is_same_v<To, cuda>) {
        kernels::cuda_impl::add_range_index(r, c, stream_of(st));
        r.transposed = transposed_on_device(lines_of(c), st);
    }
    return r;
}
template <class To, class T, class From, class I>
Fixed<T, To, I> moved(const Fixed<T, From, I>& f, Stream st) {
    Fixed<T, To, I> r;
    r.n_major = f.n_major;
    r.n_minor = f.n_minor;
    r.k = f.k;
    r.homogeneous = f.homogeneous;
    r.sorted = f.sorted;
    r.indices = std::make_shared<Buffer<I, To>>(moved<To>(f.indices->data(), f.indices->size(), st));
    r.weights = std::make_shared<Buffer<T, To>>(moved<To>(f.weights->data(), f.weights->size(), st));
    if constexpr (std::is_same_v<To, cuda>) {
        kernels::cuda_impl::add_range_index(r, f.k, stream_of(st));
        r.transposed = transposed_on_device(lines_of(f), st);
    }
    return r;
}
/// x, once the work that made it on the default stream is done (a no-op for another stream).
template <class X>
X ready_if_default(X&& x, Stream st) {
    if (st.handle == nullptr) BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(nullptr));
    return std::forward<X>(x);
}
}  // namespace detail

/// A device copy of x, made on `stream` (the host data may be reused when the call returns).
/// Without a stream (the default stream) to_device waits for its copy, and for any index it builds,
/// so that the copy is ready for every stream, as a container made with a value is; with a stream
/// it waits for nothing, and the copy is ready in that stream's order (use it there, or wait).
/// A CSR, CSC, FixedPostNumConn or FixedPreNumConn copy also gets a range index of its lines where
/// that pays (formats/lines.hpp, range_index_pays: sorted lines of at most 65,535 entries over more
/// than 4,096 positions, and at most a quarter of the indices' memory), which the scatter uses.
/// Such a copy whose lines span at most 4,096 positions also gets the transpose of its structure
/// where it has at most 2^19 entries and no position more than 512 (formats/lines.hpp,
/// kTransposedLines: 8 bytes per entry), over which the scatter gathers.
template <class T>
[[nodiscard]] Array<T, cuda> to_device(const Array<T, host>& x, Stream st = {}) {
    return detail::ready_if_default(Array<T, cuda>{x.shape(), detail::moved<cuda>(x.data(), x.size(), st)}, st);
}
[[nodiscard]] inline BinaryArray<cuda> to_device(const BinaryArray<host>& x, Stream st = {}) {
    return detail::ready_if_default(BinaryArray<cuda>{x.shape(), detail::moved<cuda>(x.data(), x.size(), st)}, st);
}
template <class T>
[[nodiscard]] Dense<std::remove_const_t<T>, cuda> to_device(const Dense<T, host>& w, Stream st = {}) {
    return detail::ready_if_default(
        Dense<std::remove_const_t<T>, cuda>{w.n_pre(), w.n_post(), detail::moved<cuda>(w.data(), w.n_pre() * w.n_post(), st)},
        st);
}
template <class T, class I, class O>
[[nodiscard]] CSR<T, cuda, I, O> to_device(const CSR<T, host, I, O>& w, Stream st = {}) {
    return detail::ready_if_default(CSR<T, cuda, I, O>(detail::moved<cuda>(w.storage(), st)), st);
}
template <class T, class I, class O>
[[nodiscard]] CSC<T, cuda, I, O> to_device(const CSC<T, host, I, O>& w, Stream st = {}) {
    return detail::ready_if_default(CSC<T, cuda, I, O>(detail::moved<cuda>(w.storage(), st)), st);
}
template <class T, class I, bool R>
[[nodiscard]] FixedNumConn<T, cuda, I, R> to_device(const FixedNumConn<T, host, I, R>& w, Stream st = {}) {
    return detail::ready_if_default(FixedNumConn<T, cuda, I, R>(detail::moved<cuda>(w.storage(), st)), st);
}
/// A JITC matrix on the device: its parameters only (no data moves; `stream` is unused).
template <class D, bool R>
[[nodiscard]] JITC<D, cuda, R> to_device(const JITC<D, host, R>& w, Stream = {}) {
    return moved_to<cuda>(w);
}

template <class I>
[[nodiscard]] IndexedBinary1d<cuda, I> to_device(const IndexedBinary1d<host, I>& x, Stream st = {}) {
    IndexedBinary1d<cuda, I> d;
    d.reshape(x.cols(), x.count());
    detail::copy_to_device(d.indices_data(), x.indices_data(), x.count(), detail::stream_of(st));
    const auto count = static_cast<I>(x.count());  // pageable: copied before the call returns
    detail::copy_to_device(d.count_data(), &count, 1, detail::stream_of(st));
    return detail::ready_if_default(std::move(d), st);
}
template <class I>
[[nodiscard]] IndexedBinary2d<cuda, I> to_device(const IndexedBinary2d<host, I>& x, Stream st = {}) {
    IndexedBinary2d<cuda, I> d;
    d.reshape(x.rows(), x.cols(), x.stride());
    detail::copy_to_device(d.indices_data(), x.indices_data(), x.rows() * x.stride(), detail::stream_of(st));
    detail::copy_to_device(d.count_data(), x.count_data(), x.rows(), detail::stream_of(st));
    return detail::ready_if_default(std::move(d), st);
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
template <class T, class I, bool R>
[[nodiscard]] FixedNumConn<T, host, I, R> to_host(const FixedNumConn<T, cuda, I, R>& w, Stream st = {}) {
    return FixedNumConn<T, host, I, R>(detail::moved<host>(w.storage(), st));
}
template <class D, bool R>
[[nodiscard]] JITC<D, host, R> to_host(const JITC<D, cuda, R>& w, Stream = {}) {
    return moved_to<host>(w);
}

template <class I>
[[nodiscard]] IndexedBinary1d<host, I> to_host(const IndexedBinary1d<cuda, I>& x, Stream st = {}) {
    I count = 0;
    detail::copy_to_host(&count, x.count_data(), 1, detail::stream_of(st));
    if (count < 0 || static_cast<std::size_t>(count) > x.stride())
        detail::raise<format_error>("to_host: a device IndexedBinary1d counts ", count, " events, outside [0, ",
                                    x.stride(), "]");
    std::vector<I> idx(static_cast<std::size_t>(count));
    detail::copy_to_host(idx.data(), x.indices_data(), idx.size(), detail::stream_of(st));
    return IndexedBinary1d<host, I>(x.cols(), idx);
}
/// Copies only the listed indices: the rows are packed on the device first (in scratch kept for
/// the thread and stream, as the products' lists are), so the bytes moved follow the number of
/// events, not rows × stride() (the room a compaction leaves is never read).
template <class I>
[[nodiscard]] IndexedBinary2d<host, I> to_host(const IndexedBinary2d<cuda, I>& x, Stream st = {}) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t rows = x.rows();
    std::vector<I> counts(rows);
    detail::copy_to_host(counts.data(), x.count_data(), rows, stream);
    std::vector<std::size_t> offset(rows + 1, 0);
    for (std::size_t b = 0; b < rows; ++b) {
        if (counts[b] < 0 || static_cast<std::size_t>(counts[b]) > x.stride())
            detail::raise<format_error>("to_host: row ", b, " of a device IndexedBinary2d counts ", counts[b],
                                        " events, outside [0, ", x.stride(), "]");
        offset[b + 1] = offset[b] + static_cast<std::size_t>(counts[b]);
    }
    std::vector<I> flat(offset[rows]);
    if (!flat.empty()) {
        using kernels::cuda_impl::device_scratch;
        std::size_t* d_offset = device_scratch<std::size_t, 6>(rows + 1, stream);
        I* d_flat = device_scratch<I, 7>(flat.size(), stream);
        detail::copy_to_device(d_offset, offset.data(), rows + 1, stream);
        kernels::cuda_impl::pack_lists<<<kernels::cuda_impl::grid_for(rows, 1), 256, 0, stream>>>(
            x.indices_data(), rows, x.stride(), d_offset, d_flat);
        BRAINEVENT_CUDA_CHECK_LAUNCH("pack_lists");
        detail::copy_to_host(flat.data(), d_flat, flat.size(), stream);
    }
    return IndexedBinary2d<host, I>(x.cols(), counts, flat);
}

}  // namespace brainevent
