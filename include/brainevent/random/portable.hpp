// Floating-point steps that give the same bits on the host and on a CUDA device: only IEEE
// operations that are correctly rounded on both (+, −, ×, ÷, sqrt, fma, integer → float) in a
// fixed order, with every multiply-add written as an explicit fma so that no compiler can contract
// it differently. Library functions such as std::log are not used: their last bit differs between
// libm and CUDA. The guarantee needs IEEE division and square root on the device (nvcc's defaults
// -prec-div=true, -prec-sqrt=true) and no fast-math on either side (-ffast-math,
// --use_fast_math, -ftz=true void it). Single precision: these run once per generated synapse,
// and a float logarithm costs a fraction of a double one on a GPU.
//
// The functions are forced inline: the host's batched loops (JitcLines::skip_run, draw_n) vectorise
// only when the whole logarithm is inlined into them, which GCC's heuristics otherwise decide
// differently from one instantiation to the next.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#if !defined(__CUDA_ARCH__)
#include <bit>
#endif

#include "brainevent/core/config.hpp"
#include "brainevent/random/philox.hpp"

namespace brainevent::random {

namespace detail {

BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE double fma_rn(double a, double b, double c) {
#if defined(__CUDA_ARCH__)
    return __fma_rn(a, b, c);
#else
    return std::fma(a, b, c);
#endif
}

BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float fma_rn(float a, float b, float c) {
#if defined(__CUDA_ARCH__)
    return __fmaf_rn(a, b, c);
#else
    return std::fma(a, b, c);
#endif
}

BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE std::uint32_t bits_of(float x) {
#if defined(__CUDA_ARCH__)
    return static_cast<std::uint32_t>(__float_as_uint(x));
#else
    return std::bit_cast<std::uint32_t>(x);
#endif
}

BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float float_from_bits(std::uint32_t b) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(b);
#else
    return std::bit_cast<float>(b);
#endif
}

/// e · log 2 + log(1 + f) for f in [√½ − 1, √2 − 1]: log(1 + f) = f + f² · r(f) with r a
/// polynomial of degree 8 (fitted to relative error 4·10^-9, far below a float's 6·10^-8; no
/// division); log 2 split so that e · hi is exact for |e| < 512.
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float log1p_reduced(float f, float e) {
    float r = -7.621275634e-02f;
    r = fma_rn(r, f, 1.290476471e-01f);
    r = fma_rn(r, f, -1.324344575e-01f);
    r = fma_rn(r, f, 1.418181658e-01f);
    r = fma_rn(r, f, -1.660901308e-01f);
    r = fma_rn(r, f, 2.000197023e-01f);
    r = fma_rn(r, f, -2.500158548e-01f);
    r = fma_rn(r, f, 3.333332539e-01f);
    r = fma_rn(r, f, -4.999998808e-01f);
    const float log_m = fma_rn(f, f * r, f);
    return fma_rn(e, 0.693145751953125f, fma_rn(e, 1.42860682030941723212e-6f, log_m));
}

}  // namespace detail

namespace detail {

/// The reduced argument of log: x = 2^e · (1 + f).
struct Reduced {
    float f, e;
};

/// a if `pick`, else b, as bits (compilers turn a ?: on floats into a branch, which a CPU
/// mispredicts here a third of the time).
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float pick(bool which, float a, float b) {
    const std::uint32_t mask = 0u - static_cast<std::uint32_t>(which);
    return float_from_bits(bits_of(b) ^ ((bits_of(a) ^ bits_of(b)) & mask));
}

/// (f, e) with x = 2^e · (1 + f), 1 + f in [√½, √2), for a positive normal float x: the reduced
/// argument of log.
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE Reduced reduce_log(float x) {
    const std::uint32_t b = bits_of(x);
    const std::uint32_t mant = (b & 0x007fffffu) | 0x3f800000u;       // m in [1, 2)
    const auto big = static_cast<std::uint32_t>(mant > 0x3fb504f3u);  // m > √2 (as float bits)
    const float m = float_from_bits(mant - (big << 23));              // m / 2 when big: exact
    const auto e = static_cast<int>((b >> 23) & 0xffu) - 127 + static_cast<int>(big);
    return {m - 1.0f, static_cast<float>(e)};  // m − 1 exact
}

/// (f, e) with 1 − v = 2^e · (1 + f), for v in [0, ½]: f = −v while 1 − v ≥ √½, else 1 − v =
/// ½ (1 + (1 − 2v)) (2v and 1 − 2v exact), so that small v keeps its relative precision.
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE Reduced reduce_log1m(float v) {
    const bool small = v <= 0.29289321f;
    return {pick(small, -v, 1.0f - 2.0f * v), pick(small, 0.0f, -1.0f)};
}

}  // namespace detail

/// The natural logarithm of a positive normal float, identical on host and device (within 1 ulp
/// of the true value in tests; what matters here is that both sides round the same way).
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float portable_log(float x) {
    const detail::Reduced r = detail::reduce_log(x);
    return detail::log1p_reduced(r.f, r.e);
}

/// log(1 − v) for v in [0, ½], accurate for small v (where log(1 − v) ≈ −v), same on host and
/// device.
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float portable_log1m(float v) {
    const detail::Reduced r = detail::reduce_log1m(v);
    return detail::log1p_reduced(r.f, r.e);
}

/// log(u) for the uniform variate u = (k + ½) / 2^B in (0, 1) given by a B-bit word k (B = 32 or
/// 64), in float, with resolution where it matters at both ends: for k < 2^(B−1) from u itself,
/// otherwise from 1 − u = (~k + ½) / 2^B as portable_log1m does. Either side is formed as
/// float(2j + 1) · 2^-(B+1) (one correctly rounded conversion, an exact scaling); one polynomial
/// serves both.
template <class K>
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float log_uniform(K k) {
    static_assert(std::is_same_v<K, std::uint32_t> || std::is_same_v<K, std::uint64_t>);
    constexpr int bits = sizeof(K) * 8;
    constexpr float scale = bits == 32 ? 0x1p-33f : 0x1p-65f;
    const bool low = k < (K{1} << (bits - 1));
    const K j = low ? k : static_cast<K>(~k);
    const float x = static_cast<float>(2 * j + 1) * scale;
    const detail::Reduced a = detail::reduce_log(x), b = detail::reduce_log1m(x);
    return detail::log1p_reduced(detail::pick(low, a.f, b.f), detail::pick(low, a.e, b.e));
}

/// A uniform float in [−1, 1) on the grid of 2^-23, exactly, from the top 24 bits of a word.
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float uniform_pm1(std::uint32_t word) {
    return detail::fma_rn(static_cast<float>(word >> 8), 0x1p-23f, -1.0f);
}

/// Two independent standard normal variates by Marsaglia's polar method (no trigonometry): pairs
/// (a, b) uniform in the square until s = a² + b² ∈ (0, 1), then (a, b) · sqrt(−2 log(s) / s).
/// Two words per attempt (π/4 of the attempts succeed), the same number on every platform.
struct NormalPair {
    float first, second;
};
/// The polar method's steps for a candidate (a, b): s = a² + b², accepted when s ∈ (0, 1), and
/// the argument −2 log(s) / s of the square root that scales (a, b) — shared by
/// standard_normal_pair and the host's batched draws (NormalWeight::draw_n).
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float polar_s(float a, float b) {
    return detail::fma_rn(a, a, b * b);
}
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE bool polar_accepts(float s) {
    return (s > 0.0f) & (s < 1.0f);
}
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE float polar_arg(float s) {
    return -2.0f * portable_log(s) / s;
}

template <class Words>
BRAINEVENT_HOST_DEVICE inline NormalPair standard_normal_pair(Words& rng) {
    for (;;) {
        const float a = uniform_pm1(rng.next());
        const float b = uniform_pm1(rng.next());
        const float s = polar_s(a, b);
        if (polar_accepts(s)) {
            const float f = std::sqrt(polar_arg(s));
            return {a * f, b * f};
        }
    }
}

}  // namespace brainevent::random
