// CSR: W (n_pre × n_post) compressed by rows: row i lists the targets of presynaptic neuron i.
#pragma once

#include <cstdint>
#include <span>

#include "brainevent/formats/compressed.hpp"

namespace brainevent {

/// W as compressed sparse rows: the synapses of presynaptic neuron i are entries
/// [indptr[i], indptr[i + 1]) of `indices` (postsynaptic targets) and `weights`, or one
/// homogeneous weight for all. Validated at construction (format_error names the problem and the
/// position); indices within a row may be unsorted and may repeat (repeats add up).
/// `s * W` scatters the rows of the spiking neurons (cost: spikes × fan-out); `W * s` gathers
/// every row, reading each synapse once for a whole batch. `transpose(W)` is a CSC of the same
/// arrays.
///
///     brainevent::CSR<float> W(n_pre, n_post, indptr, indices, weights);
///     y = s * W;
template <Real T, MemorySpace Space = host, Index I = std::int32_t, Index O = I>
class CSR : public CompressedBase<T, Space, I, O, true> {
    using Base = CompressedBase<T, Space, I, O, true>;

public:
    using format = csr_format;

    /// An empty 0 × 0 matrix.
    CSR() = default;
    /// Heterogeneous weights: one per synapse.
    CSR(std::int64_t n_pre, std::int64_t n_post, std::span<const O> indptr, std::span<const I> indices,
        std::span<const T> weights)
    requires std::same_as<Space, host>
        : Base(detail::make_compressed<T, I, O>(detail::csr_axes, n_pre, n_post, indptr, indices, weights, false)) {}
    /// Homogeneous: one weight for every synapse, stored once.
    CSR(std::int64_t n_pre, std::int64_t n_post, std::span<const O> indptr, std::span<const I> indices, T weight)
    requires std::same_as<Space, host>
        : Base(detail::make_compressed<T, I, O>(detail::csr_axes, n_pre, n_post, indptr, indices,
                                                std::span<const T>(&weight, 1), true)) {}
    /// A copy of an Eigen sparse matrix (either storage order).
    template <int Options, class SI>
    requires std::same_as<Space, host>
    explicit CSR(const Eigen::SparseMatrix<T, Options, SI>& m) : Base(Base::from_eigen(detail::csr_axes, m)) {}
    /// Wraps storage whose lines are rows (conversions and transposes; already validated).
    explicit CSR(detail::Compressed<T, Space, I, O> c) : Base(std::move(c)) {}
};

}  // namespace brainevent

#include "brainevent/formats/conversions.hpp"     // transpose() and conversions come with the format
#include "brainevent/kernels/cpu/compressed.hpp"  // and so do the host kernels

#if defined(__CUDACC__)
#include "brainevent/kernels/cuda/compressed.cuh"  // and, under nvcc, the CUDA kernels
#endif
