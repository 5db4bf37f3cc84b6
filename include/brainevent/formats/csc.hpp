// CSC: W (n_pre × n_post) compressed by columns: column j lists the sources of neuron j.
#pragma once

#include <cstdint>
#include <span>

#include "brainevent/formats/compressed.hpp"

namespace brainevent {

/// W as compressed sparse columns: the synapses onto postsynaptic neuron j are entries
/// [indptr[j], indptr[j + 1]) of `indices` (presynaptic sources) and `weights`, or one
/// homogeneous weight for all. Validation as for CSR. `W * s` scatters the columns of the
/// spiking inputs; `s * W` gathers every column. CSC of W holds the same arrays as CSR of
/// transpose(W), and `transpose` converts between them for free.
///
///     brainevent::CSC<float> W(n_pre, n_post, indptr, indices, weights);  // indptr: n_post + 1
///     y = s * W;
template <Real T, MemorySpace Space = host, Index I = std::int32_t, Index O = I>
class CSC : public CompressedBase<T, Space, I, O, false> {
    using Base = CompressedBase<T, Space, I, O, false>;

public:
    using format = csc_format;

    /// An empty 0 × 0 matrix.
    CSC() = default;
    /// Heterogeneous weights: one per synapse. indptr has n_post + 1 entries.
    CSC(std::int64_t n_pre, std::int64_t n_post, std::span<const O> indptr, std::span<const I> indices,
        std::span<const T> weights)
    requires std::same_as<Space, host>
        : Base(detail::make_compressed<T, I, O>(detail::csc_axes, n_post, n_pre, indptr, indices, weights, false)) {}
    /// Homogeneous: one weight for every synapse, stored once.
    CSC(std::int64_t n_pre, std::int64_t n_post, std::span<const O> indptr, std::span<const I> indices, T weight)
    requires std::same_as<Space, host>
        : Base(detail::make_compressed<T, I, O>(detail::csc_axes, n_post, n_pre, indptr, indices,
                                                std::span<const T>(&weight, 1), true)) {}
    /// A copy of an Eigen sparse matrix (either storage order).
    template <int Options, class SI>
    requires std::same_as<Space, host>
    explicit CSC(const Eigen::SparseMatrix<T, Options, SI>& m) : Base(Base::from_eigen(detail::csc_axes, m)) {}
    /// Wraps storage whose lines are columns (conversions and transposes; already validated).
    explicit CSC(detail::Compressed<T, Space, I, O> c) : Base(std::move(c)) {}
};

}  // namespace brainevent

#include "brainevent/formats/conversions.hpp"     // transpose() and conversions come with the format
#include "brainevent/kernels/cpu/compressed.hpp"  // and so do the host kernels

#if defined(__CUDACC__)
#include "brainevent/kernels/cuda/compressed.cuh"  // and, under nvcc, the CUDA kernels
#endif
