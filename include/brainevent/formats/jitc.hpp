// Just-in-time connectivity: W is never stored. Only (weight parameters, prob, seed, shape) are
// kept, and kernels regenerate the entries they need from a counter-based generator.
//
// The matrix, by definition (identical for every product, batch size, kernel and device):
//   - `…R` generates W line by line along rows; `JITCxC(params, {m, n})` is exactly
//     `transpose(JITCxR(params, {n, m}))`: its lines are columns.
//   - A line of length n_minor is cut into column blocks of jitc_block = 8,192 positions (a
//     constant of the format). Block c of line r owns the Philox4x32-10 stream keyed by the seed
//     with stream id (r · 2^24 + c); lane 0 of the stream places the entries, lane 1 draws their
//     weights (random/philox.hpp: philox_block, Words32).
//   - Positions: starting at the block's first position, a geometric skip
//     G = floor(log(u) · q), q = float(1 / log(1 − prob)) (computed once, on the host, and
//     stored with the matrix), moves to the next entry; the position after it starts the next
//     skip, until a skip passes the block's end. u = (k + ½) / 2^B from a B-bit word k of lane 0:
//     B = 32 (each 4-word block gives four skips, in word order) when prob ≥ 2^-12, B = 64 (words
//     2i + 1, 2i as high, low half: two skips per block) below, so that u resolves prob finely;
//     log(u) in float (random::log_uniform). Every entry (i, j) therefore exists independently
//     with probability prob, up to the float resolution of log(u); prob = 0 gives no entry,
//     prob = 1 all of them (without drawing skips).
//   - Weights, drawn from lane 1 in the order of the entries: the scalar w; loc + scale · z with z
//     a float standard normal (Marsaglia's polar method, two words per attempt, each accepted pair
//     giving the z of two consecutive entries); low + u · (high − low) with u = k / 2^32 from one
//     word. The last step in double, rounded to T, so that the
//     float and double matrices of the same parameters hold the same connections and weights up to
//     T's rounding.
// Every step uses only correctly rounded IEEE operations in a fixed order (random/portable.hpp), so
// host and device generate bit-identical connections and weights. (The device takes most skips
// from its hardware logarithm, where a margin proves the floor the same: JitcLines::skip_fast.)
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "brainevent/core/concepts.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/formats/conversions.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/random/philox.hpp"
#include "brainevent/random/portable.hpp"

namespace brainevent {

/// Positions per column block of a JITC line (part of the definition of the matrix).
inline constexpr std::size_t jitc_block = std::size_t{1} << 13;

/// The shape {n_pre, n_post} of a JITC matrix, from any two integers (checked non-negative).
struct MatrixShape {
    std::int64_t n_pre = 0, n_post = 0;
    template <std::integral A, std::integral B>
    MatrixShape(A a, B b) : n_pre(to_signed(a, "n_pre")), n_post(to_signed(b, "n_post")) {}

private:
    template <std::integral A>
    static std::int64_t to_signed(A a, const char* what) {
        if constexpr (std::is_signed_v<A>) {
            if (a < 0) detail::raise<value_error>("JITC: ", what, " must be non-negative, got ", a);
        } else {
            if (static_cast<std::uint64_t>(a) > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                detail::raise<value_error>("JITC: ", what, " = ", a, " is too large");
        }
        return static_cast<std::int64_t>(a);
    }
};

/// Weight laws of JITC matrices. `start` makes the per-block state (the block's weight stream,
/// lane 1); `draw` is called once per entry, in order. Infinite parameters, and a NaN scalar
/// weight or loc, are accepted and give the weights IEEE arithmetic makes of them (inf or NaN, as
/// a CSR may hold); a NaN scale or uniform bound fails validation. Finite uniform bounds give
/// weights in [low, high] even where high − low overflows.
template <Real T>
struct ScalarWeight {
    using value_type = T;
    static constexpr int arity = 1;
    static constexpr const char* name = "JITCScalar";
    struct State {};
    T w;
    void validate() const {}
    BRAINEVENT_HOST_DEVICE State start(std::uint64_t, std::uint64_t) const { return {}; }
    BRAINEVENT_HOST_DEVICE T draw(State&) const { return w; }
};
template <Real T>
struct NormalWeight {
    using value_type = T;
    static constexpr int arity = 2;
    static constexpr const char* name = "JITCNormal";
    /// Each polar-method pair serves two entries: the first, then the second.
    struct State {
        random::Words32 words;
        float spare = 0;
        bool has_spare = false;
    };
    T loc, scale;
    void validate() const {
        if (!(scale >= T(0))) detail::raise<value_error>(name, ": scale must be non-negative, got ", scale);
    }
    BRAINEVENT_HOST_DEVICE State start(std::uint64_t seed, std::uint64_t stream) const {
        return {random::Words32(seed, stream, 1)};
    }
    BRAINEVENT_HOST_DEVICE T draw(State& st) const {
        float z = st.spare;
        if (st.has_spare) {
            st.has_spare = false;
        } else {
            const random::NormalPair p = random::standard_normal_pair(st.words);
            z = p.first;
            st.spare = p.second;
            st.has_spare = true;
        }
        return finish(z);
    }
    /// The first m draws of a fresh start(seed, stream), into out (host): the same values as m
    /// calls of draw. The polar pairs of 8 Philox blocks at a time (16 candidates, in stream
    /// order) are computed in loops the compiler vectorises; only the square root stays scalar
    /// (GCC keeps std::sqrt scalar under -fmath-errno), then the accepted pairs are taken in order.
    void draw_n(std::uint64_t seed, std::uint64_t stream, std::size_t m, T* out) const {
        constexpr std::size_t B = 8, P = 2 * B;  // Philox blocks per round, candidate pairs
        float a[P], b[P], arg[P];
        std::int32_t ok[P];
        std::size_t q = 0;
        for (std::uint32_t k0 = 0; q < m; k0 += B) {
            for (std::size_t i = 0; i < B; ++i) {  // words in stream order: pairs (v0, v1), (v2, v3)
                const random::Words4 w = random::philox_block(seed, stream, 1, k0 + static_cast<std::uint32_t>(i));
                a[2 * i] = random::uniform_pm1(w.v[0]);
                b[2 * i] = random::uniform_pm1(w.v[1]);
                a[2 * i + 1] = random::uniform_pm1(w.v[2]);
                b[2 * i + 1] = random::uniform_pm1(w.v[3]);
            }
            for (std::size_t i = 0; i < P; ++i) {  // every candidate, branch-free so that it vectorises
                const float sq = random::polar_s(a[i], b[i]);
                const bool good = random::polar_accepts(sq);
                ok[i] = good;
                arg[i] = random::polar_arg(random::detail::pick(good, sq, 0.5f));  // finite when rejected
            }
            for (std::size_t i = 0; i < P && q < m; ++i) {
                if (!ok[i]) continue;
                const float f = std::sqrt(arg[i]);
                out[q++] = finish(a[i] * f);
                if (q < m) out[q++] = finish(b[i] * f);
            }
        }
    }

private:
    BRAINEVENT_HOST_DEVICE T finish(float z) const {
        return static_cast<T>(
            random::detail::fma_rn(static_cast<double>(scale), static_cast<double>(z), static_cast<double>(loc)));
    }
};
template <Real T>
struct UniformWeight {
    using value_type = T;
    static constexpr int arity = 2;
    static constexpr const char* name = "JITCUniform";
    using State = random::Words32;
    T low, high;
    void validate() const {
        if (!(low <= high)) detail::raise<value_error>(name, ": low must not exceed high, got ", low, " > ", high);
    }
    BRAINEVENT_HOST_DEVICE State start(std::uint64_t seed, std::uint64_t stream) const {
        return random::Words32(seed, stream, 1);
    }
    BRAINEVENT_HOST_DEVICE T draw(State& words) const {
        const double lo = static_cast<double>(low), span = static_cast<double>(high) - lo;
        const double u = static_cast<double>(words.next()) * 0x1p-32;  // exact
        if (span <= DBL_MAX) return static_cast<T>(random::detail::fma_rn(u, span, lo));
        // Bounds of double weights more than DBL_MAX apart: the same formula on halves (halving and
        // doubling are exact; the result stays in [low, high]).
        return static_cast<T>(2.0 * random::detail::fma_rn(u, 0.5 * static_cast<double>(high) - 0.5 * lo, 0.5 * lo));
    }
};

namespace detail {
template <class Dist>
inline constexpr bool is_scalar_weight = false;
template <class T>
inline constexpr bool is_scalar_weight<ScalarWeight<T>> = true;
}  // namespace detail

/// Format tags: lines are rows (…R) or columns (…C).
struct jitc_row_format {
    static constexpr const char* name = "JITC…R";
    static constexpr bool generated_rows = true;
};
struct jitc_col_format {
    static constexpr const char* name = "JITC…C";
    static constexpr bool generated_rows = false;
};
template <class F>
concept JitcFormat = requires {
    { F::generated_rows } -> std::convertible_to<bool>;
};

}  // namespace brainevent

namespace brainevent::detail {

/// The generator of n_major lines over n_minor positions: what kernels see of a JITC matrix.
template <class Dist>
struct JitcLines {
    using T = typename Dist::value_type;
    std::size_t n_major = 0, n_minor = 0;
    double prob = 0;
    float skip_scale = 0;  ///< float(1 / log(1 − prob)), computed once on the host: part of the matrix
    bool wide = false;     ///< 64-bit words per skip (prob < 2^-12), else 32-bit
    std::uint64_t seed = 0;
    Dist dist{};

    [[nodiscard]] BRAINEVENT_HOST_DEVICE std::size_t blocks() const { return (n_minor + jitc_block - 1) / jitc_block; }
    /// The Philox stream id of line r, column block c.
    [[nodiscard]] BRAINEVENT_HOST_DEVICE static std::uint64_t stream_of(std::size_t r, std::size_t c) {
        return (std::uint64_t{r} << 24) | c;
    }
    /// Positions in column block c: jitc_block, or fewer for the last block.
    [[nodiscard]] BRAINEVENT_HOST_DEVICE std::uint32_t block_length(std::size_t c) const {
        const std::size_t rest = n_minor - c * jitc_block;
        return static_cast<std::uint32_t>(rest < jitc_block ? rest : jitc_block);
    }

    /// The entries of line r in column block c, produced one Philox block (up to four entries) at
    /// a time, so that a GPU thread can move on to another block as soon as one ends.
    class BlockWalker {
    public:
        BRAINEVENT_HOST_DEVICE BlockWalker(const JitcLines& g, std::size_t r, std::size_t c)
            : stream_(stream_of(r, c)),
              begin_(c * jitc_block),
              len_(g.block_length(c)),
              live_(g.prob > 0.0),
              weights_(g.dist.start(g.seed, stream_)) {}

        /// Calls f(position, weight) for the next entries, in increasing position; false once the
        /// block has no more. `g` is the generator the walker was made from. `Hardware`: the
        /// device may take skips from its hardware logarithm (skip_of; the same skips either way).
        template <bool Hardware = true, class F>
        BRAINEVENT_HOST_DEVICE bool step(const JitcLines& g, F&& f) {
            if (!live_) return false;
            if (g.prob >= 1.0) {  // every position: four per step
                const std::uint32_t stop = len_ - j_ < 4 ? len_ : j_ + 4;
                for (; j_ < stop; ++j_) f(begin_ + j_, g.dist.draw(weights_));
                return live_ = j_ < len_;
            }
            return live_ = g.wide ? skips<true, Hardware>(g, f) : skips<false, Hardware>(g, f);
        }

        /// The same as step for a walker with 0 < prob < 1 and `Wide` equal to g.wide, to be
        /// called until it returns false: for_each_in_block's loops call it, holding no branch on
        /// the generator's parameters (host, JITCScalarR 100k at 1%, prob 10^-4 and 3·10^-4: 13-16%
        /// faster; H200: the device's batched JITC gathers over bit columns 10% faster; the tile
        /// scatter, whose threads move from line to line, 11% slower, and the gather over value
        /// columns 16% slower at batch 32: those two keep step).
        template <bool Wide, bool Hardware = true, class F>
        BRAINEVENT_HOST_DEVICE bool skips(const JitcLines& g, F&& f) {
            // The skips of one Philox block are computed before any is used, so that their
            // logarithms are independent work for the processor.
            const random::Words4 w = random::philox_block(g.seed, stream_, 0, n_++);
            if constexpr (Wide) {
                const float g0 = g.skip_of((std::uint64_t{w.v[1]} << 32) | w.v[0]);
                const float g1 = g.skip_of((std::uint64_t{w.v[3]} << 32) | w.v[2]);
                return place(g, g0, f) && place(g, g1, f);
            } else {
                const float g0 = g.template skip_of<Hardware>(w.v[0]), g1 = g.template skip_of<Hardware>(w.v[1]),
                            g2 = g.template skip_of<Hardware>(w.v[2]), g3 = g.template skip_of<Hardware>(w.v[3]);
                return place(g, g0, f) && place(g, g1, f) && place(g, g2, f) && place(g, g3, f);
            }
        }

    private:
        template <class F>
        BRAINEVENT_HOST_DEVICE bool place(const JitcLines& g, float skip, F& f) {
            if (!(skip < static_cast<float>(len_ - j_))) return false;
            j_ += static_cast<std::uint32_t>(skip);
            f(begin_ + j_, g.dist.draw(weights_));
            ++j_;
            return true;
        }

        std::uint64_t stream_;
        std::size_t begin_;
        std::uint32_t len_, j_ = 0, n_ = 0;  // block length, next position a skip starts from, Philox block
        bool live_;
        typename Dist::State weights_;
    };

    /// Calls f(position, weight) for every entry of line r in column block c, in increasing
    /// position.
    template <class F>
    BRAINEVENT_HOST_DEVICE void for_each_in_block(std::size_t r, std::size_t c, F&& f) const {
        BlockWalker walker(*this, r, c);
        if (prob > 0.0 && prob < 1.0) {
            if (wide)
                while (walker.template skips<true>(*this, f)) {
                }
            else
                while (walker.template skips<false>(*this, f)) {
                }
            return;
        }
        while (walker.step(*this, f)) {
        }
    }
    /// Calls f(position, weight) for every entry of line r, in increasing position (host).
    /// Column blocks that expect kBatchedMinWords words or more take the batched walk (32-bit
    /// words), sparser ones the block walker: one Philox block per step costs less there than a
    /// batch of 8 (JITCScalarR 100k, 1% firing, one core: prob 3·10^-4 0.86 ms walked against
    /// 1.24 batched; 10^-3 2.5 ms walked against 1.4–1.5 batched).
    template <class F>
    void for_each(std::size_t r, F&& f) const {
        const bool batched = !wide && prob < 1.0 && prob * jitc_block >= kBatchedMinWords;
        for (std::size_t c = 0, nb = blocks(); c < nb; ++c) {
            if (batched)
                for_each_in_block_batched(r, c, f);
            else
                for_each_in_block(r, c, f);
        }
    }
    static constexpr double kBatchedMinWords = 4.0;

    /// Philox blocks a batched walk generates at once: at most kHostBatch, a multiple of
    /// kHostGrain (vector loops with no scalar remainder).
    static constexpr std::uint32_t kHostBatch = 32;
    static constexpr std::uint32_t kHostGrain = 8;

    /// The same entries as for_each_in_block, for the host (0 < prob < 1, 32-bit words): the
    /// positions from block_positions, the weights drawn in their order — all at once after the
    /// positions where the law has a batched draw (NormalWeight::draw_n), else one by one.
    template <class F>
    void for_each_in_block_batched(std::size_t r, std::size_t c, F& f) const {
        const std::uint64_t stream = stream_of(r, c);
        const std::size_t begin = c * jitc_block;
        if constexpr (batched_weights) {
            thread_local std::vector<std::uint32_t> at;
            thread_local std::vector<T> weights;
            at.clear();
            block_positions(stream, block_length(c), [&](std::uint32_t j) { at.push_back(j); });
            weights.resize(at.size());
            dist.draw_n(seed, stream, at.size(), weights.data());
            for (std::size_t e = 0; e < at.size(); ++e) f(begin + at[e], weights[e]);
        } else {
            auto weights = dist.start(seed, stream);
            block_positions(stream, block_length(c), [&](std::uint32_t j) { f(begin + j, dist.draw(weights)); });
        }
    }
    /// Laws whose draws a host walk makes all at once (NormalWeight::draw_n).
    static constexpr bool batched_weights = requires(const Dist& d, T* out) { d.draw_n(0, 0, 0, out); };

    /// Calls place(j) for the positions j < len of the entries of `stream`, in order (host, 32-bit
    /// words): the skips of a batch of Philox blocks are computed in elementwise loops that the
    /// compiler vectorises (the Philox rounds across blocks, the logarithms across words), then
    /// placed in order. The first batch covers the expected number of words, later ones
    /// kHostGrain blocks; words past the block's end are wasted work only. bench_sparse,
    /// JITCScalarR 100k, p = 0.01, 1%, one core: 11.7 ms one block at a time; 6.0 ms batched with
    /// the logarithm left scalar by GCC; 3.9 ms with every loop vectorised and batches rounded to
    /// multiples of 8. A skip is clamped to 16,384 before its conversion to an integer: larger
    /// ones end a block (at most 8,192 positions) exactly as the float comparison of BlockWalker
    /// does, and the clamp and conversion vectorise where floor does not (without
    /// -fno-trapping-math).
    template <class P>
    void block_positions(std::uint64_t stream, std::uint32_t len, P&& place) const {
        const double expected = prob * static_cast<double>(len) + 1.0;  // words: entries + the one that ends
        const auto want =
            static_cast<std::uint32_t>(std::clamp(std::ceil(expected / 4), 1.0, static_cast<double>(kHostBatch)));
        std::uint32_t batch = (want + kHostGrain - 1) / kHostGrain * kHostGrain;
        std::uint32_t w[4 * kHostBatch] = {};  // word k of Philox block i at w[k * kHostBatch + i]
        std::int32_t skip[4 * kHostBatch];
        std::uint32_t j = 0;
        for (std::uint32_t n = 0;; n += batch, batch = kHostGrain) {
            std::uint32_t *w0 = w, *w1 = w + kHostBatch, *w2 = w + 2 * kHostBatch, *w3 = w + 3 * kHostBatch;
            for (std::size_t i = 0; i < batch; ++i) {  // one loop nest, so that it vectorises
                const random::Words4 b = random::philox_block(seed, stream, 0, n + static_cast<std::uint32_t>(i));
                w0[i] = b.v[0];
                w1[i] = b.v[1];
                w2[i] = b.v[2];
                w3[i] = b.v[3];
            }
            for (std::size_t k = 0; k < 4; ++k) skip_run(w + k * kHostBatch, skip + k * kHostBatch, batch, skip_scale);
            for (std::uint32_t i = 0; i < batch; ++i)
                for (std::uint32_t k = 0; k < 4; ++k) {
                    const std::int32_t gap = skip[k * kHostBatch + i];
                    if (static_cast<std::uint32_t>(gap) >= len - j) return;
                    j += static_cast<std::uint32_t>(gap);
                    place(j);
                    ++j;
                }
        }
    }

    /// out[i] = skip_of(w[i]) clamped to 16,384, for i < n: one vectorisable loop (a single loop
    /// nest, size_t indices, the scale in a register).
    static void skip_run(const std::uint32_t* BRAINEVENT_RESTRICT w, std::int32_t* BRAINEVENT_RESTRICT out,
                         std::size_t n, float scale) {
        for (std::size_t i = 0; i < n; ++i) {
            const float x = random::log_uniform(w[i]) * scale;
            out[i] = static_cast<std::int32_t>(x < 16384.0f ? x : 16384.0f);
        }
    }

    /// The geometric skip drawn from one word (32-bit, or 64-bit when `wide`): floor(log(u) ·
    /// skip_scale), a whole number ≥ 0 as a float (may be huge). On the device a 32-bit word is
    /// first tried with the hardware logarithm (skip_fast), the portable one computed only where
    /// that cannot decide the floor: the same skip, bit for bit.
    template <bool Hardware = true, class K>
    [[nodiscard]] BRAINEVENT_HOST_DEVICE float skip_of(K word) const {
#ifdef __CUDA_ARCH__
        if constexpr (Hardware && std::is_same_v<K, std::uint32_t>) {
            float skip;
            if (skip_fast(word, skip)) return skip;
        }
#endif
        return std::floor(random::log_uniform(word) * skip_scale);
    }

#ifdef __CUDACC__
    /// The skip of a 32-bit word from the hardware logarithm, where that decides it: true, with
    /// skip = floor(log_uniform(word) · skip_scale) exactly; false (about one word in a few
    /// hundred at prob = 0.001) where the product lies too near a whole number. Why it is exact:
    /// L = fast_log_uniform(word) and log_uniform(word) differ by less than |L| · 2^-21 +
    /// 2^-22 (lg2.approx is documented within 2 ulp below ½ and within 2^-22 on [½, 1),
    /// log_uniform is within 1 ulp of log, 1 − u is rounded once, the products by ln 2 and
    /// skip_scale once each), so the two values v of L · skip_scale lie within
    /// |v| · 1.2 · 2^-21 + |skip_scale| · 2^-22 of each other; the margin e is 1.6 times that,
    /// and a floor that is the same at v − e and at v + e is the floor of both. A CUDA test checks
    /// the bound on |L| over all 2^32 words and the skips themselves over all words at several
    /// probabilities.
    __device__ __forceinline__ bool skip_fast(std::uint32_t word, float& skip) const {
        const float v = fast_log_uniform(word) * skip_scale;
        const float e = fabsf(v) * 0x1p-20f + fabsf(skip_scale) * 0x1p-21f;
        skip = floorf(v - e);
        return skip == floorf(v + e);
    }
    /// log(u) for the u of log_uniform(word), from the hardware base-2 logarithm: of u itself
    /// below ½, of the float 1 − x above (x = 1 − u as log_uniform forms it, rounded once more).
    /// It forms x as log_uniform does, in its own two lines: a helper returning (low, x) to both
    /// kept GCC from vectorising the host's skip_run (JITCScalarR 100k at 1%, prob 0.01: 3.9 →
    /// 10.7 ms).
    __device__ __forceinline__ static float fast_log_uniform(std::uint32_t word) {
        const bool low = word < (std::uint32_t{1} << 31);
        const float x = static_cast<float>(2 * (low ? word : ~word) + 1) * 0x1p-33f;
        return __log2f(low ? x : 1.0f - x) * 0.693147182f;  // float(ln 2)
    }
#endif
};

}  // namespace brainevent::detail

namespace brainevent {

/// A just-in-time connectivity matrix W (n_pre × n_post): see the top of formats/jitc.hpp for
/// the exact definition. `RowLines`: generated by rows (…R: `s * W` is event-driven, visiting only
/// the rows of active inputs; `W * s` regenerates every row, cost ∝ nnz, no storage) or by columns
/// (…C: the reverse). Holds no arrays: copies and device copies are free.
///
///     brainevent::JITCNormalR<float> W(0.0f, 0.1f, /*prob*/ 0.01, /*seed*/ 42, {n_pre, n_post});
///     y = s * W;
template <class Dist, MemorySpace Space, bool RowLines>
class JITC {
public:
    using value_type = typename Dist::value_type;
    using space = Space;
    using format = std::conditional_t<RowLines, jitc_row_format, jitc_col_format>;
    using distribution = Dist;

    /// Scalar weight w.
    JITC(value_type w, double prob, std::uint64_t seed, MatrixShape shape)
        requires(Dist::arity == 1)
        : JITC(Dist{w}, prob, seed, shape) {}
    /// Normal (loc, scale) or uniform (low, high) weights.
    JITC(value_type a, value_type b, double prob, std::uint64_t seed, MatrixShape shape)
        requires(Dist::arity == 2)
        : JITC(Dist{a, b}, prob, seed, shape) {}
    /// From the weight law's parameters (also how to_device/to_host and transpose rebuild one).
    JITC(Dist dist, double prob, std::uint64_t seed, MatrixShape shape) {
        dist.validate();
        if (!(prob >= 0.0 && prob <= 1.0))
            detail::raise<value_error>(Dist::name, ": prob must lie in [0, 1], got ", prob);
        const auto n_major = static_cast<std::size_t>(RowLines ? shape.n_pre : shape.n_post);
        const auto n_minor = static_cast<std::size_t>(RowLines ? shape.n_post : shape.n_pre);
        if (n_major >= (std::size_t{1} << 40))
            detail::raise<value_error>(Dist::name, ": ", RowLines ? "n_pre" : "n_post", " = ", n_major,
                                       " exceeds the 2^40 lines a seed can address");
        if (n_minor >= (std::size_t{1} << 24) * jitc_block)
            detail::raise<value_error>(Dist::name, ": ", RowLines ? "n_post" : "n_pre", " = ", n_minor,
                                       " exceeds the 2^37 positions a line can address");
        const bool proper = prob > 0.0 && prob < 1.0;
        g_ = {n_major, n_minor, prob, proper ? static_cast<float>(1.0 / std::log1p(-prob)) : 0.0f,
              prob < 0x1p-12, seed, dist};
    }

    [[nodiscard]] std::size_t n_pre() const noexcept { return RowLines ? g_.n_major : g_.n_minor; }
    [[nodiscard]] std::size_t n_post() const noexcept { return RowLines ? g_.n_minor : g_.n_major; }
    [[nodiscard]] double prob() const noexcept { return g_.prob; }
    [[nodiscard]] std::uint64_t seed() const noexcept { return g_.seed; }
    [[nodiscard]] const Dist& weights() const noexcept { return g_.dist; }
    /// Holds no arrays: never aliases an output.
    [[nodiscard]] bool reads(const void*, const void*) const noexcept { return false; }
    /// The generator, as the kernels traverse it.
    [[nodiscard]] const detail::JitcLines<Dist>& lines() const noexcept { return g_; }

    /// The dense n_pre × n_post matrix.
    [[nodiscard]] Dense<value_type> todense() const
        requires std::same_as<Space, host>
    {
        Dense<value_type> d(n_pre(), n_post());
        for (std::size_t r = 0; r < g_.n_major; ++r)
            g_.for_each(r, [&](std::size_t j, value_type w) { (RowLines ? d(r, j) : d(j, r)) = w; });
        return d;
    }
    /// The same matrix stored as CSR (indices sorted within rows).
    template <Index I = std::int32_t, Index O = I>
    [[nodiscard]] CSR<value_type, host, I, O> tocsr() const
        requires std::same_as<Space, host>
    {
        if constexpr (RowLines)
            return CSR<value_type, host, I, O>(compressed<I, O>());
        else
            return csc2csr(CSC<value_type, host, I, O>(compressed<I, O>()));
    }
    /// The same matrix stored as CSC (indices sorted within columns).
    template <Index I = std::int32_t, Index O = I>
    [[nodiscard]] CSC<value_type, host, I, O> tocsc() const
        requires std::same_as<Space, host>
    {
        if constexpr (RowLines)
            return csr2csc(CSR<value_type, host, I, O>(compressed<I, O>()));
        else
            return CSC<value_type, host, I, O>(compressed<I, O>());
    }

private:
    /// Every line generated into validated compressed storage.
    template <class I, class O>
    detail::Compressed<value_type, host, I, O> compressed() const {
        std::vector<O> ip{0};
        std::vector<I> ix;
        std::vector<value_type> w;
        for (std::size_t r = 0; r < g_.n_major; ++r) {
            g_.for_each(r, [&](std::size_t j, value_type v) {
                ix.push_back(static_cast<I>(j));
                w.push_back(v);
            });
            detail::check_offsets_fit<O>(Dist::name, ix.size());
            ip.push_back(static_cast<O>(ix.size()));
        }
        return detail::make_compressed<value_type, I, O>(RowLines ? detail::csr_axes : detail::csc_axes,
                                                         static_cast<std::int64_t>(g_.n_major),
                                                         static_cast<std::int64_t>(g_.n_minor), ip, ix, w, false);
    }

    detail::JitcLines<Dist> g_;
};

template <Real T, MemorySpace Space = host>
using JITCScalarR = JITC<ScalarWeight<T>, Space, true>;
template <Real T, MemorySpace Space = host>
using JITCScalarC = JITC<ScalarWeight<T>, Space, false>;
template <Real T, MemorySpace Space = host>
using JITCNormalR = JITC<NormalWeight<T>, Space, true>;
template <Real T, MemorySpace Space = host>
using JITCNormalC = JITC<NormalWeight<T>, Space, false>;
template <Real T, MemorySpace Space = host>
using JITCUniformR = JITC<UniformWeight<T>, Space, true>;
template <Real T, MemorySpace Space = host>
using JITCUniformC = JITC<UniformWeight<T>, Space, false>;

/// transpose(JITCxR(params, {n, m})) is JITCxC(params, {m, n}): the same generator. W by value,
/// as for CSR (formats/conversions.hpp): of temporaries too, since the result holds the parameters.
template <class D, class S, bool R>
[[nodiscard]] JITC<D, S, !R> transpose(JITC<D, S, R> w) {
    return JITC<D, S, !R>(w.weights(), w.prob(), w.seed(), {w.n_post(), w.n_pre()});
}

/// The same matrix in memory space To (nothing to copy: a JITC matrix is its parameters).
template <class To, class D, class S, bool R>
[[nodiscard]] JITC<D, To, R> moved_to(const JITC<D, S, R>& w) {
    return JITC<D, To, R>(w.weights(), w.prob(), w.seed(), {w.n_pre(), w.n_post()});
}

}  // namespace brainevent

#include "brainevent/kernels/cpu/jitc.hpp"  // the host kernels

#if defined(__CUDACC__)
#include "brainevent/kernels/cuda/jitc.cuh"  // and, under nvcc, the CUDA kernels
#endif
