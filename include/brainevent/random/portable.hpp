// Floating-point steps that give the same bits on the host and on a CUDA device: only IEEE
// operations that are correctly rounded on both (+, −, ×, ÷, sqrt, fma) in a fixed order, with
// every multiply-add written as an explicit fma so that no compiler can contract it differently.
// Library functions such as std::log are not used: their last bit differs between libm and CUDA.
// (-ffast-math or --use_fast_math on the including translation unit voids the guarantee.)
#pragma once

#include <cmath>
#include <cstdint>

#if !defined(__CUDA_ARCH__)
#include <bit>
#endif

#include "brainevent/core/config.hpp"
#include "brainevent/random/philox.hpp"

namespace brainevent::random {

namespace detail {

BRAINEVENT_HOST_DEVICE inline double fma_rn(double a, double b, double c) {
#if defined(__CUDA_ARCH__)
    return __fma_rn(a, b, c);
#else
    return std::fma(a, b, c);
#endif
}

BRAINEVENT_HOST_DEVICE inline std::uint64_t bits_of(double x) {
#if defined(__CUDA_ARCH__)
    return static_cast<std::uint64_t>(__double_as_longlong(x));
#else
    return std::bit_cast<std::uint64_t>(x);
#endif
}

BRAINEVENT_HOST_DEVICE inline double from_bits(std::uint64_t b) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double(static_cast<long long>(b));
#else
    return std::bit_cast<double>(b);
#endif
}

}  // namespace detail

/// The natural logarithm of a positive normal double, identical on host and device (within
/// 2 ulp of the true value; what matters here is that both sides round the same way).
/// x = 2^e · m with m in [√½, √2); log m = 2 atanh(s), s = (m − 1) / (m + 1), summed as an odd
/// series in s up to s^23 (|s| ≤ 0.1716, so the first omitted term is below 2^-60 of the sum).
BRAINEVENT_HOST_DEVICE inline double portable_log(double x) {
    const std::uint64_t b = detail::bits_of(x);
    auto e = static_cast<std::int64_t>((b >> 52) & 0x7ff) - 1023;
    double m = detail::from_bits((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);  // [1, 2)
    if (m > 1.4142135623730951) {
        m = m * 0.5;  // exact
        e += 1;
    }
    const double s = (m - 1.0) / (m + 1.0);
    const double z = s * s;
    // 2 · (1 + z/3 + z²/5 + … + z^11/23), Horner with fma.
    double p = 2.0 / 23.0;
    p = detail::fma_rn(p, z, 2.0 / 21.0);
    p = detail::fma_rn(p, z, 2.0 / 19.0);
    p = detail::fma_rn(p, z, 2.0 / 17.0);
    p = detail::fma_rn(p, z, 2.0 / 15.0);
    p = detail::fma_rn(p, z, 2.0 / 13.0);
    p = detail::fma_rn(p, z, 2.0 / 11.0);
    p = detail::fma_rn(p, z, 2.0 / 9.0);
    p = detail::fma_rn(p, z, 2.0 / 7.0);
    p = detail::fma_rn(p, z, 2.0 / 5.0);
    p = detail::fma_rn(p, z, 2.0 / 3.0);
    p = detail::fma_rn(p, z, 2.0);
    const double log_m = s * p;
    return detail::fma_rn(static_cast<double>(e), 0.69314718055994530942, log_m);
}

/// A uniform double in (0, 1] with 53 random bits: ((r >> 11) + 1) · 2^-53, exact.
BRAINEVENT_HOST_DEVICE inline double uniform_open0(std::uint64_t r) {
    return static_cast<double>((r >> 11) + 1) * 0x1p-53;
}
/// A uniform double in [0, 1) with 53 random bits, exact.
BRAINEVENT_HOST_DEVICE inline double uniform_open1(std::uint64_t r) {
    return static_cast<double>(r >> 11) * 0x1p-53;
}

/// A standard normal variate by Marsaglia's polar method (no trigonometry): pairs (a, b) uniform
/// in the square until a² + b² ∈ (0, 1), then a · sqrt(−2 log(s) / s). Uses a variable number of
/// draws from `rng`, the same number on every platform.
BRAINEVENT_HOST_DEVICE inline double standard_normal(Stream64& rng) {
    for (;;) {
        const double a = detail::fma_rn(2.0, uniform_open1(rng.next()), -1.0);
        const double b = detail::fma_rn(2.0, uniform_open1(rng.next()), -1.0);
        const double s = detail::fma_rn(a, a, b * b);
        if (s > 0.0 && s < 1.0) return a * std::sqrt(-2.0 * portable_log(s) / s);
    }
}

}  // namespace brainevent::random
