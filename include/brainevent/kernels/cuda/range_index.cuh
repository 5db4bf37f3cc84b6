// The range index of a device CSR, CSC or fixed-number matrix (formats/lines.hpp), made on the
// device by to_device where it pays: for each line, where its entries cross into each output
// range of 2^kRangeShift, so that the CUDA scatter can sum one range per thread block in shared
// memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <cuda_runtime.h>

#include "brainevent/core/buffer.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/formats/compressed.hpp"
#include "brainevent/formats/fixed.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

/// A warp per line: the lane holding entry k writes the index entries of the ranges from the one
/// after entry k − 1's up to entry k's (k entries of the line lie below each), then the lanes
/// give every range after the last entry's the line's length. Needs sorted lines.
template <class I, class Offsets>
__global__ void range_index_kernel(Offsets offsets, const I* __restrict__ ix, std::size_t n_major, std::size_t n_ranges,
                                   std::uint16_t* __restrict__ index) {
    constexpr unsigned shift = detail::kRangeShift;
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t r = warp; r < n_major; r += n_warps) {
        const std::size_t begin = offsets.begin(r), end = offsets.end(r);
        std::uint16_t* line = index + r * (n_ranges + 1);
        for (std::size_t k = begin + lane; k < end; k += 32) {
            const std::size_t to = static_cast<std::size_t>(ix[k]) >> shift;
            const std::size_t from = k == begin ? 0 : (static_cast<std::size_t>(ix[k - 1]) >> shift) + 1;
            for (std::size_t q = from; q <= to; ++q) line[q] = static_cast<std::uint16_t>(k - begin);
        }
        const std::size_t after = end == begin ? 0 : (static_cast<std::size_t>(ix[end - 1]) >> shift) + 1;
        for (std::size_t q = after + lane; q <= n_ranges; q += 32) line[q] = static_cast<std::uint16_t>(end - begin);
    }
}

/// Gives the device storage `d` (Compressed or Fixed), whose longest line has `longest` entries,
/// a range index made on `stream`, where detail::range_index_pays says so.
template <class Storage>
void add_range_index(Storage& d, std::size_t longest, cudaStream_t stream) {
    if (!detail::range_index_pays(d.n_major, d.n_minor, d.nnz(), sizeof(*d.indices->data()), d.sorted, longest)) return;
    const std::size_t ranges = detail::range_count(d.n_minor);
    auto index = std::make_shared<Buffer<std::uint16_t, cuda>>(d.n_major * (ranges + 1));
    constexpr unsigned block = 256;
    range_index_kernel<<<grid_for(d.n_major, block / 32), block, 0, stream>>>(
        detail::lines_of(d).offsets, d.indices->data(), d.n_major, ranges, index->data());
    BRAINEVENT_CUDA_CHECK_LAUNCH("range_index_kernel");
    d.ranges = std::move(index);
}

/// The same for the device copy `d` of the host storage `h`.
template <class T, class I, class O>
void add_range_index(detail::Compressed<T, cuda, I, O>& d, const detail::Compressed<T, host, I, O>& h,
                     cudaStream_t stream) {
    const O* ip = h.indptr->data();
    std::size_t longest = 0;
    for (std::size_t r = 0; r < h.n_major; ++r) {
        const auto len = static_cast<std::size_t>(ip[r + 1] - ip[r]);
        longest = len > longest ? len : longest;
    }
    add_range_index(d, longest, stream);
}

}  // namespace brainevent::kernels::cuda_impl
