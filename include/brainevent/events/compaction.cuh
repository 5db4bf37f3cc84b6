// Compaction on the device: BinaryArray<cuda> -> IndexedBinary1d/2d<cuda>, with CUB. The active
// indices of each row come out sorted; the counts stay on the device (no synchronisation).
// Compiled by nvcc only.
#pragma once

#include <cub/device/device_select.cuh>
#include <thrust/iterator/counting_iterator.h>

#include "brainevent/core/cuda.cuh"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/events/indexed_binary.hpp"
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent {

namespace detail {

/// out[0, *count) = indices of the non-zero bytes of flags[0, n), on `stream`.
template <class I>
void compact_row(const std::uint8_t* flags, std::size_t n, I* out, I* count, cudaStream_t stream) {
    const thrust::counting_iterator<I> first(0);
    std::size_t temp = 0;
    BRAINEVENT_CUDA_CHECK(cub::DeviceSelect::Flagged(nullptr, temp, first, flags, out, count,
                                                     static_cast<std::int64_t>(n), stream));
    void* scratch = kernels::cuda_impl::device_scratch<unsigned char, 9>(temp + 1, stream);
    BRAINEVENT_CUDA_CHECK(cub::DeviceSelect::Flagged(scratch, temp, first, flags, out, count,
                                                     static_cast<std::int64_t>(n), stream));
}

}  // namespace detail

/// out = the active indices of the vector s, on `stream`. Reuses out's storage (allocates only
/// when s has grown), so a simulation step compacts without allocating.
template <Index I>
void compact(const BinaryArray<cuda>& s, IndexedBinary1d<cuda, I>& out, Stream st = {}) {
    if (s.is_batch())
        detail::raise<shape_error>("compact: a batch of shape ", s.shape(), " needs an IndexedBinary2d");
    out.reshape(s.cols(), s.cols());
    if (s.cols() == 0) {
        BRAINEVENT_CUDA_CHECK(cudaMemsetAsync(out.count_data(), 0, sizeof(I), detail::stream_of(st)));
        return;
    }
    detail::compact_row(s.data(), s.cols(), out.indices_data(), out.count_data(), detail::stream_of(st));
}

/// out = the active indices of every row of s (a vector is a batch of one), on `stream`: one
/// CUB selection per row.
template <Index I>
void compact(const BinaryArray<cuda>& s, IndexedBinary2d<cuda, I>& out, Stream st = {}) {
    const std::size_t rows = s.rows(), n = s.cols();
    out.reshape(rows, n, n);
    const cudaStream_t stream = detail::stream_of(st);
    if (n == 0) {
        if (rows) BRAINEVENT_CUDA_CHECK(cudaMemsetAsync(out.count_data(), 0, rows * sizeof(I), stream));
        return;
    }
    for (std::size_t b = 0; b < rows; ++b)
        detail::compact_row(s.data() + b * n, n, out.indices_data() + b * n, out.count_data() + b, stream);
}

}  // namespace brainevent
