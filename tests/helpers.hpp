// Shared test helpers: random inputs and independent double-precision dense references.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "brainevent/brainevent.hpp"
#include "knob_scope.hpp"

namespace testing {

inline std::mt19937_64& rng() {
    static std::mt19937_64 g(20261127);
    return g;
}

/// n uniform values in [lo, hi).
template <class T>
std::vector<T> uniform(std::size_t n, double lo = -1.0, double hi = 1.0) {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(d(rng()));
    return v;
}

/// n values that are 1 with probability rate, else 0.
inline std::vector<std::uint8_t> spikes(std::size_t n, double rate) {
    std::bernoulli_distribution d(rate);
    std::vector<std::uint8_t> v(n);
    for (auto& x : v) x = d(rng()) ? 1 : 0;
    return v;
}

/// A dense matrix in double, row-major, for references.
struct Ref {
    std::size_t rows = 0, cols = 0;
    std::vector<double> v;
    double operator()(std::size_t r, std::size_t c) const { return v[r * cols + c]; }
};

/// Y = E * W (left) or Y[b, i] = sum_j W[i, j] E[b, j] (right), in double, plus the sum of
/// absolute values of the terms of each output, the scale of its rounding error.
struct RefProduct {
    Ref y, abs;
};
inline RefProduct reference(const Ref& e, const Ref& w, bool left) {
    const std::size_t out = left ? w.cols : w.rows, inner = left ? w.rows : w.cols;
    RefProduct p{{e.rows, out, std::vector<double>(e.rows * out)}, {e.rows, out, std::vector<double>(e.rows * out)}};
    for (std::size_t b = 0; b < e.rows; ++b)
        for (std::size_t o = 0; o < out; ++o) {
            double s = 0, a = 0;
            for (std::size_t k = 0; k < inner; ++k) {
                const double t = e(b, k) * (left ? w(k, o) : w(o, k));
                s += t;
                a += std::abs(t);
            }
            p.y.v[b * out + o] = s;
            p.abs.v[b * out + o] = a;
        }
    return p;
}

/// Checks got[i] against want[i] within a rounding bound: any summation order of `terms` terms
/// in T is within terms * eps * (sum of |terms|) of the exact sum.
template <class T>
void check_close(const T* got, const std::vector<double>& want, const std::vector<double>& scale, std::size_t terms,
                 const std::string& what) {
    const double eps = std::numeric_limits<T>::epsilon();
    std::size_t bad = 0, first = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double tol = (static_cast<double>(terms) + 8) * eps * (scale[i] + 1e-30) + 1e-30;
        if (!(std::abs(static_cast<double>(got[i]) - want[i]) <= tol)) {
            if (bad++ == 0) first = i;
        }
    }
    INFO(what << ": " << bad << " of " << want.size() << " outputs wrong; first at " << first << ": got "
              << (want.empty() ? 0.0 : static_cast<double>(got[first])) << ", want "
              << (want.empty() ? 0.0 : want[first]));
    CHECK(bad == 0);
}

}  // namespace testing

/// The expression throws Type, and its message matches (Catch2 v2 string matchers).
#define CHECK_THROWS_MSG(expr, Type, matcher) \
    do {                                      \
        CHECK_THROWS_AS(expr, Type);          \
        CHECK_THROWS_WITH(expr, matcher);     \
    } while (0)
