// Conversions between CSR and CSC: csr2csc / csc2csr rebuild the arrays along the other
// dimension (same W); transpose() reinterprets the same arrays (W^T) at no cost.
#pragma once

#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"

namespace brainevent {

/// The same matrix W stored by columns. O(nnz + n_pre + n_post); indices come out sorted.
template <class T, class I, class O>
[[nodiscard]] CSC<T, host, I, O> csr2csc(const CSR<T, host, I, O>& w) {
    return CSC<T, host, I, O>(detail::recompress(w.storage()));
}

/// The same matrix W stored by rows. O(nnz + n_pre + n_post); indices come out sorted.
template <class T, class I, class O>
[[nodiscard]] CSR<T, host, I, O> csc2csr(const CSC<T, host, I, O>& w) {
    return CSR<T, host, I, O>(detail::recompress(w.storage()));
}

/// transpose(W) for W in CSR is a CSC (shape n_post × n_pre) sharing W's arrays: no copy of them.
/// W by value (a few shared pointers): lvalues and temporaries, const or not, alike, since the
/// result shares ownership of the arrays; being more specialised, this overload wins over the
/// generic view of expr/transpose.hpp and over its deleted overload for temporaries.
template <class T, class S, class I, class O>
[[nodiscard]] CSC<T, S, I, O> transpose(CSR<T, S, I, O> w) {
    return CSC<T, S, I, O>(w.storage());
}
/// transpose(W) for W in CSC is a CSR (shape n_post × n_pre) sharing W's arrays, likewise.
template <class T, class S, class I, class O>
[[nodiscard]] CSR<T, S, I, O> transpose(CSC<T, S, I, O> w) {
    return CSR<T, S, I, O>(w.storage());
}

}  // namespace brainevent
