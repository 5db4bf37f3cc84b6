// JITC matrices: the definition (C is the transpose of R, one object is one matrix), validation,
// the portable logarithm, and statistical properties with fixed seeds. Each statistical check
// states its false-failure probability; all are below 2e-5.
#include <cmath>
#include <utility>

#include "helpers.hpp"

using namespace brainevent;
using Catch::Matchers::Contains;

namespace {

template <class D>
std::vector<double> dense_values(const D& d) {
    std::vector<double> v;
    for (std::size_t i = 0; i < d.n_pre(); ++i)
        for (std::size_t j = 0; j < d.n_post(); ++j) v.push_back(d(i, j));
    return v;
}

/// Every entry of W as (line, position, weight), through the generator.
template <class M>
std::vector<std::tuple<std::size_t, std::size_t, double>> entries(const M& w) {
    std::vector<std::tuple<std::size_t, std::size_t, double>> e;
    const auto& g = w.lines();
    for (std::size_t r = 0; r < g.n_major; ++r)
        g.for_each(r, [&](std::size_t j, auto v) { e.emplace_back(r, j, static_cast<double>(v)); });
    return e;
}

}  // namespace

TEST_CASE("The portable float logarithms agree with std::log to 4 ulp", "[jitc][random]") {
    // Relative error against the double-precision logarithm of the same float argument.
    const double tol = 4 * std::numeric_limits<float>::epsilon();
    auto close = [&](float got, double want) { return std::abs(got - want) <= tol * std::abs(want); };
    random::Stream64 rng(1, 2);
    for (int i = 0; i < 200000; ++i) {
        const auto word = static_cast<std::uint32_t>(rng.next());
        // Normal floats over the whole exponent range, and [0, ½] for log1m.
        const float x = std::ldexp(1.0f + static_cast<float>(word >> 9) * 0x1p-23f, static_cast<int>(word % 250) - 125);
        REQUIRE(close(random::portable_log(x), std::log(static_cast<double>(x))));
        const float v = static_cast<float>(word >> 8) * 0x1p-25f;
        REQUIRE(close(random::portable_log1m(v), std::log1p(-static_cast<double>(v))));
        // log_uniform(k) = log((k + ½) / 2^B); the float of 2k + 1 adds up to ½ ulp of u (or of 1 − u).
        const double u32 = (static_cast<double>(word) + 0.5) * 0x1p-32;
        REQUIRE(std::abs(random::log_uniform(word) - std::log(u32)) <=
                (tol + std::numeric_limits<float>::epsilon() / 2) * std::abs(std::log(u32)));
        const std::uint64_t big = rng.next();
        const double want = big >> 63 ? std::log1p(-(static_cast<double>(~big) + 0.5) * 0x1p-64)
                                      : std::log((static_cast<double>(big) + 0.5) * 0x1p-64);
        REQUIRE(std::abs(random::log_uniform(big) - want) <= 1e-6 * std::abs(want) + 1e-15);
    }
    CHECK(random::portable_log(1.0f) == 0.0f);
    CHECK(random::portable_log1m(0.0f) == 0.0f);
    CHECK(random::portable_log(std::numeric_limits<float>::min()) ==
          Approx(std::log(static_cast<double>(std::numeric_limits<float>::min()))));
    // The extremes of the word: u = 2^-33 and 1 − 2^-33; and of the 64-bit word.
    CHECK(random::log_uniform(std::uint32_t{0}) == Approx(std::log(0x1p-33)));
    CHECK(random::log_uniform(~std::uint32_t{0}) == Approx(-0x1p-33).epsilon(1e-6));
    CHECK(random::log_uniform(~std::uint64_t{0}) == Approx(-0x1p-65).epsilon(1e-6));
    CHECK(random::log_uniform(std::uint64_t{0}) == Approx(std::log(0x1p-65)));
}

TEST_CASE("JITC C is exactly the transpose of R, and one object is one matrix", "[jitc]") {
    const JITCNormalR<float> R(0.5f, 2.0f, 0.2, 7, {23, 41});
    const JITCNormalC<float> C(0.5f, 2.0f, 0.2, 7, {41, 23});
    const auto r = R.todense(), c = C.todense();
    for (std::size_t i = 0; i < 23; ++i)
        for (std::size_t j = 0; j < 41; ++j) CHECK(r(i, j) == c(j, i));
    const auto t = transpose(R);
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(t)>, JITCNormalC<float>>);
    CHECK(dense_values(t.todense()) == dense_values(c));
    CHECK(dense_values(transpose(t).todense()) == dense_values(r));
    const auto made = [&]() -> const JITCNormalR<float> { return R; };  // const temporaries too
    CHECK(dense_values(transpose(made()).todense()) == dense_values(c));
    CHECK(dense_values(transpose(std::move(std::as_const(t))).todense()) == dense_values(r));
    // The same parameters give the same matrix; another seed another one.
    CHECK(dense_values(JITCNormalR<float>(0.5f, 2.0f, 0.2, 7, {23, 41}).todense()) == dense_values(r));
    CHECK(dense_values(JITCNormalR<float>(0.5f, 2.0f, 0.2, 8, {23, 41}).todense()) != dense_values(r));
    // tocsr / tocsc hold exactly todense()'s entries.
    CHECK(dense_values(R.tocsr().todense()) == dense_values(r));
    CHECK(dense_values(R.tocsc<std::int64_t>().todense()) == dense_values(r));
    CHECK(dense_values(C.tocsr().todense()) == dense_values(c));
    CHECK(R.tocsr().has_sorted_indices());
    // A wider matrix starts with the same entries: line r, block c depends only on (seed, r, c).
    const JITCScalarR<double> narrow(1.0, 0.3, 5, {10, 20000}), wide(1.0, 0.3, 5, {12, 20000});
    const auto a = narrow.todense(), b = wide.todense();
    for (std::size_t i = 0; i < 10; ++i)
        for (std::size_t j = 0; j < 20000; ++j) REQUIRE(a(i, j) == b(i, j));
}

namespace {

/// Line r of g through BlockWalker, one Philox block per step (the walk the device kernels take).
template <class G>
std::vector<std::pair<std::size_t, double>> walked(const G& g, std::size_t r) {
    std::vector<std::pair<std::size_t, double>> e;
    for (std::size_t c = 0; c < g.blocks(); ++c) {
        typename G::BlockWalker walker(g, r, c);
        while (walker.step(g, [&](std::size_t j, auto v) { e.emplace_back(j, static_cast<double>(v)); })) {
        }
    }
    return e;
}

template <class M>
void check_batched_walk(const M& w) {
    const auto& g = w.lines();
    for (std::size_t r = 0; r < g.n_major; ++r) {
        std::vector<std::pair<std::size_t, double>> got;
        g.for_each(r, [&](std::size_t j, auto v) { got.emplace_back(j, static_cast<double>(v)); });
        REQUIRE(got == walked(g, r));
    }
}

}  // namespace

TEST_CASE("JITC host walks (batched skips) give exactly the block walker's entries", "[jitc]") {
    // Batched from 4 expected words per column block (prob 5e-4 and up): one batch of 8 Philox
    // blocks, several, a full batch of 32; column blocks cut short (n not a multiple of 8,192).
    // Sparser lines (and 64-bit words, below 2^-12) take the walker itself.
    for (double prob : {1e-6, 1e-4, 0x1p-12, 5e-4, 0.003, 0.05, 0.3, 0.9, 0.999}) {
        INFO("prob = " << prob);
        for (std::size_t n : {1, 7, 8192, 8193, 30000}) {
            INFO("n = " << n);
            const std::size_t lines = n > 10000 ? 5 : 40;
            check_batched_walk(JITCScalarR<float>(0.5f, prob, 11, {lines, n}));
            check_batched_walk(JITCNormalR<double>(0.0, 1.0, prob, 12, {lines, n}));
            check_batched_walk(JITCUniformC<float>(-1.0f, 2.0f, prob, 13, {n, lines}));
        }
    }
    // Many lines at a prob whose blocks need more than one batch.
    check_batched_walk(JITCScalarR<float>(1.0f, 0.02, 99, {300, 20000}));
}

TEST_CASE("JITC prob = 0 gives no entries and prob = 1 all of them", "[jitc]") {
    CHECK(entries(JITCScalarR<float>(1.0f, 0.0, 3, {50, 70000})).empty());
    const auto all = entries(JITCUniformC<double>(-1.0, 1.0, 1.0, 3, {20000, 3}));
    REQUIRE(all.size() == 60000);
    for (std::size_t k = 0; k < all.size(); ++k) {
        CHECK(std::get<1>(all[k]) == k % 20000);  // every position of every line, in order
        CHECK(std::get<2>(all[k]) >= -1.0);
        CHECK(std::get<2>(all[k]) < 1.0);
    }
}

TEST_CASE("JITC rejects invalid parameters", "[jitc][errors]") {
    CHECK_THROWS_MSG(JITCScalarR<float>(1.0f, 1.5, 0, {3, 3}), value_error,
                     Contains("prob must lie in [0, 1], got 1.5"));
    CHECK_THROWS_MSG(JITCScalarR<float>(1.0f, -0.1, 0, {3, 3}), value_error, Contains("prob must lie in [0, 1]"));
    CHECK_THROWS_MSG(JITCScalarC<float>(1.0f, std::nan(""), 0, {3, 3}), value_error, Contains("prob"));
    CHECK_THROWS_MSG(JITCNormalR<float>(0.0f, -1.0f, 0.1, 0, {3, 3}), value_error,
                     Contains("JITCNormal: scale must be non-negative, got -1"));
    CHECK_THROWS_MSG(JITCUniformC<double>(2.0, 1.0, 0.1, 0, {3, 3}), value_error,
                     Contains("JITCUniform: low must not exceed high, got 2 > 1"));
    CHECK_THROWS_MSG(JITCScalarR<float>(1.0f, 0.1, 0, {-3, 3}), value_error,
                     Contains("n_pre must be non-negative, got -3"));
    CHECK_THROWS_MSG(JITCScalarR<float>(1.0f, 0.1, 0, {3, -1}), value_error,
                     Contains("n_post must be non-negative, got -1"));
    CHECK_THROWS_MSG(JITCScalarR<float>(1.0f, 0.1, 0, {3, std::int64_t{1} << 40}), value_error,
                     Contains("exceeds the 2^37 positions"));
    CHECK_NOTHROW(JITCNormalR<float>(0.0f, 0.0f, 0.1, 0, {0, 0}));
}

TEST_CASE("JITCUniform weights stay in [low, high] for bounds more than DBL_MAX apart", "[jitc]") {
    // high − low overflows a double here; the weights must still be finite and inside the bounds,
    // and spread over them (both signs).
    constexpr double most = std::numeric_limits<double>::max();
    for (const auto& [low, high] : {std::pair{-most, most}, std::pair{-1e308, 1e308}, std::pair{-most, 0.9 * most}}) {
        const auto W = JITCUniformR<double>(low, high, 1.0, 7, {4, 500}).todense();
        std::size_t negative = 0, positive = 0;
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t j = 0; j < 500; ++j) {
                const double w = W(i, j);
                REQUIRE(std::isfinite(w));
                REQUIRE(w >= low);
                REQUIRE(w <= high);
                negative += w < 0;
                positive += w > 0;
            }
        CHECK(negative > 100);
        CHECK(positive > 100);
    }
    // Ordinary bounds keep their weights (the plain formula): u · (high − low) + low.
    const auto W = JITCUniformR<double>(-1.0, 3.0, 1.0, 7, {1, 50}).todense();
    for (std::size_t j = 0; j < 50; ++j) {
        CHECK(W(0, j) >= -1.0);
        CHECK(W(0, j) < 3.0);
    }
}

TEMPLATE_TEST_CASE("Every JITC…C is exactly the transpose of its …R", "[jitc]", float, double) {
    // All three laws, one position to several column blocks either way, prob 0, between, and 1.
    using T = TestType;
    auto same_transposed = [](const auto& R, const auto& C) {
        const auto r = R.todense(), c = C.todense();
        REQUIRE(c.n_pre() == r.n_post());
        REQUIRE(c.n_post() == r.n_pre());
        std::size_t wrong = 0, nonzero = 0;
        for (std::size_t i = 0; i < r.n_pre(); ++i)
            for (std::size_t j = 0; j < r.n_post(); ++j) {
                wrong += !(r(i, j) == c(j, i));
                nonzero += r(i, j) != T(0);
            }
        CHECK(wrong == 0);
        CHECK(dense_values(transpose(R).todense()) == dense_values(c));
        return nonzero;
    };
    const std::size_t long_line = 2 * jitc_block + 17;
    for (auto [m, n] : {std::pair<std::size_t, std::size_t>{1, 1}, {37, 5}, {3, long_line}, {long_line, 4}})
        for (double p : {0.0, 0.3, 1.0}) {
            INFO(m << " x " << n << ", prob " << p);
            const std::size_t scalar = same_transposed(JITCScalarR<T>(T(1.5), p, 5, {m, n}),
                                                       JITCScalarC<T>(T(1.5), p, 5, {n, m}));
            same_transposed(JITCNormalR<T>(T(0.5), T(2), p, 6, {m, n}), JITCNormalC<T>(T(0.5), T(2), p, 6, {n, m}));
            same_transposed(JITCUniformR<T>(T(-1), T(3), p, 7, {m, n}), JITCUniformC<T>(T(-1), T(3), p, 7, {n, m}));
            if (p == 0.0) CHECK(scalar == 0);
            if (p == 1.0) CHECK(scalar == m * n);
        }
}

TEST_CASE("JITC per-row counts follow Binomial(n, prob) in distribution", "[jitc][statistics]") {
    // 4,000 rows of 20,000 positions (three column blocks, the last partial), prob 0.01: the
    // rows' counts against Binomial(20,000, 0.01) (mean 200, sd 14.1) in 14 bins (≤ 170, twelve
    // of width 5, > 230; each expects ≥ 64 rows). Chi-square with 13 dof beyond 58 has
    // probability 1.2e-7.
    const std::size_t rows = 4000, n = 20000;
    const double p = 0.01;
    const JITCScalarR<float> W(1.0f, p, 77, {rows, n});
    std::vector<std::size_t> count(rows);
    for (std::size_t r = 0; r < rows; ++r) W.lines().for_each(r, [&](std::size_t, float) { ++count[r]; });
    auto pmf = [&](std::size_t k) {
        const double kk = static_cast<double>(k), nn = static_cast<double>(n);
        return std::exp(std::lgamma(nn + 1) - std::lgamma(kk + 1) - std::lgamma(nn - kk + 1) + kk * std::log(p) +
                        (nn - kk) * std::log1p(-p));
    };
    auto bin_of = [](std::size_t k) -> std::size_t { return k <= 170 ? 0 : k > 230 ? 13 : (k - 171) / 5 + 1; };
    std::vector<double> expect(14), got(14);
    for (std::size_t k = 0; k <= n; ++k) expect[bin_of(k)] += pmf(k) * static_cast<double>(rows);
    for (std::size_t c : count) ++got[bin_of(c)];
    double chi2 = 0;
    for (std::size_t b = 0; b < 14; ++b) {
        REQUIRE(expect[b] >= 60);
        chi2 += (got[b] - expect[b]) * (got[b] - expect[b]) / expect[b];
    }
    CHECK(chi2 < 58);
}

TEST_CASE("JITC neighbouring rows are independent, shifted or not, in pattern and weights", "[jitc][statistics]") {
    // 400 rows × 50,000 positions, prob 0.01, every law. Pattern: for each shift d in [−16, 16],
    // the entries of row r + 1 at j + d that row r has at j, summed over the 399 pairs: mean
    // 399 · (n − |d|) · p², about 1,995, Poisson-like sd about 45; 33 bounds at 5.3 sd have
    // probability below 4e-6 together (a row that copies its neighbour, shifted or not, gives
    // ~200,000 at one shift). Weights (Normal, Uniform): the correlation of the k-th weight of row
    // r with the k-th of row r + 1 over ~200,000 pairs has sd 0.0022; |ρ| > 0.012 is beyond 5.3 sd.
    const std::size_t rows = 400, n = 50000;
    const double p = 0.01;
    auto check_rows = [&](const auto& W, bool weights) {
        std::vector<std::vector<std::size_t>> at(rows);
        std::vector<std::vector<double>> w(rows);
        for (std::size_t r = 0; r < rows; ++r)
            W.lines().for_each(r, [&](std::size_t j, auto v) {
                at[r].push_back(j);
                w[r].push_back(static_cast<double>(v));
            });
        std::vector<char> next(n);
        std::vector<double> overlap(33);
        for (std::size_t r = 0; r + 1 < rows; ++r) {
            std::fill(next.begin(), next.end(), 0);
            for (std::size_t j : at[r + 1]) next[j] = 1;
            for (std::size_t j : at[r])
                for (int d = -16; d <= 16; ++d) {
                    const auto k = static_cast<std::ptrdiff_t>(j) + d;
                    if (k >= 0 && k < static_cast<std::ptrdiff_t>(n)) overlap[static_cast<std::size_t>(d + 16)] += next[k];
                }
        }
        for (int d = -16; d <= 16; ++d) {
            INFO("shift " << d);
            const double mean = 399.0 * static_cast<double>(n - static_cast<std::size_t>(std::abs(d))) * p * p;
            CHECK(std::abs(overlap[static_cast<std::size_t>(d + 16)] - mean) < 5.3 * std::sqrt(mean));
        }
        if (!weights) return;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, pairs = 0;
        for (std::size_t r = 0; r + 1 < rows; ++r)
            for (std::size_t k = 0; k < std::min(w[r].size(), w[r + 1].size()); ++k) {
                const double x = w[r][k], y = w[r + 1][k];
                sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, ++pairs;
            }
        REQUIRE(pairs > 190000);
        const double cov = sxy / pairs - sx / pairs * sy / pairs;
        const double rho = cov / std::sqrt((sxx / pairs - sx / pairs * sx / pairs) * (syy / pairs - sy / pairs * sy / pairs));
        CHECK(std::abs(rho) < 0.012);
    };
    {
        INFO("scalar");
        check_rows(JITCScalarR<float>(1.0f, p, 31, {rows, n}), false);
    }
    {
        INFO("normal");
        check_rows(JITCNormalR<double>(0.5, 2.0, p, 32, {rows, n}), true);
    }
    {
        INFO("uniform");
        check_rows(JITCUniformR<double>(-1.0, 3.0, p, 33, {rows, n}), true);
    }
}

TEST_CASE("JITC realised density and per-line counts follow Binomial(n, prob)", "[jitc][statistics]") {
    // 400 rows × 50,000 positions (7 column blocks, the last partial), prob 0.01:
    // nnz ~ Binomial(2·10^7, 0.01): mean 200,000, sd 445; |z| > 5.3 has probability 1e-7.
    const std::size_t rows = 400, n = 50000;
    const double p = 0.01;
    const JITCScalarR<float> W(1.0f, p, 2026, {rows, n});
    std::vector<double> count(rows);
    std::vector<double> per_bucket(100);  // entries by position, 100 buckets of 500
    double at_block_start = 0;
    for (const auto& [r, j, w] : entries(W)) {
        ++count[r];
        ++per_bucket[j / 500];
        if (j % jitc_block == 0) ++at_block_start;
    }
    double nnz = 0;
    for (double c : count) nnz += c;
    const double mean = static_cast<double>(rows * n) * p, sd = std::sqrt(mean * (1 - p));
    CHECK(std::abs(nnz - mean) < 5.3 * sd);
    // Per-row counts: sample variance of 400 counts against n p (1 − p) = 495: the ratio's sd is
    // about sqrt(2 / 399) = 0.071; |ratio − 1| > 0.38 is beyond 5.3 sd.
    double m = nnz / rows, var = 0;
    for (double c : count) var += (c - m) * (c - m);
    var /= rows - 1;
    CHECK(std::abs(var / (n * p * (1 - p)) - 1) < 0.38);
    // Positions are uniform: chi-square over 100 buckets (99 dof) exceeds 170 with p = 1.2e-5.
    double chi2 = 0;
    const double expect = static_cast<double>(rows) * 500 * p;
    for (double c : per_bucket) chi2 += (c - expect) * (c - expect) / expect;
    CHECK(chi2 < 170);
    // The first position of each block is no more or less likely than any other: rows × blocks
    // trials of prob 0.01; beyond 6 sd has probability ~1e-9.
    const double starts = static_cast<double>(rows * ((n + jitc_block - 1) / jitc_block));
    CHECK(std::abs(at_block_start - starts * p) <= 6 * std::sqrt(starts * p * (1 - p)));
    // Neighbouring rows are independent: their overlap Σ_j a[r, j] a[r + 1, j] summed over 399
    // pairs has mean 399 · n · p² = 1,995 and sd about 45; and the correlation of neighbouring
    // counts has sd 0.05 (|r| > 0.27 is beyond 5.3 sd).
    const auto d = JITCScalarR<float>(1.0f, p, 2026, {rows, n}).todense();
    double overlap = 0;
    for (std::size_t r = 0; r + 1 < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) overlap += d(r, j) * d(r + 1, j);
    CHECK(std::abs(overlap - 399.0 * n * p * p) < 5.3 * std::sqrt(399.0 * n * p * p));
    double sxy = 0, sxx = 0;
    for (std::size_t r = 0; r + 1 < rows; ++r) {
        sxy += (count[r] - m) * (count[r + 1] - m);
        sxx += (count[r] - m) * (count[r] - m);
    }
    CHECK(std::abs(sxy / sxx) < 0.27);
}

TEST_CASE("JITC density holds on both sides of the 64-bit-skip threshold and for tiny prob", "[jitc][statistics]") {
    // Realised nnz against Binomial(positions, prob), beyond 5.3 sd with probability 1e-7 each;
    // positions within a column block uniform (chi-square, 15 dof, beyond 60 with p = 2.5e-7).
    auto check = [](double p, std::size_t rows, std::size_t n) {
        INFO("prob " << p << ", " << rows << " x " << n);
        const JITCScalarR<float> W(1.0f, p, 99, {rows, n});
        CHECK(W.lines().wide == (p < 0x1p-12));
        double nnz = 0;
        std::vector<double> bucket(16);
        for (std::size_t r = 0; r < rows; ++r)
            W.lines().for_each(r, [&](std::size_t j, float) {
                ++nnz;
                ++bucket[(j % jitc_block) / (jitc_block / 16)];
            });
        const double mean = static_cast<double>(rows) * static_cast<double>(n) * p;
        CHECK(std::abs(nnz - mean) < 5.3 * std::sqrt(mean * (1 - p)));
        double chi2 = 0;
        for (double c : bucket) chi2 += (c - nnz / 16) * (c - nnz / 16) / (nnz / 16);
        CHECK(chi2 < 60);
    };
    check(0x1p-12, 500, 8 * jitc_block);          // 32-bit words, mean 8,192
    check(0x1p-12 * 0.999, 500, 8 * jitc_block);  // 64-bit words
    check(1e-4, 2000, 12 * jitc_block);           // mean 19,661
    check(1e-8, 20000, 600 * jitc_block);         // mean 983
}

TEST_CASE("JITC weights follow their laws", "[jitc][statistics]") {
    // N ≈ 100,000 weights. Normal(0.5, 2): the mean's sd is 2 / sqrt(N) = 0.0063, the variance's
    // sd 4 · sqrt(2 / N) = 0.018; Uniform(-1, 3): mean 1 (sd 0.0037), variance 4/3 (sd 0.0038).
    // Bounds at 5.3 sd.
    auto moments = [](const auto& e) {
        double s = 0, s2 = 0;
        for (const auto& t : e) s += std::get<2>(t);
        const double mean = s / static_cast<double>(e.size());
        for (const auto& t : e) s2 += (std::get<2>(t) - mean) * (std::get<2>(t) - mean);
        return std::pair{mean, s2 / static_cast<double>(e.size() - 1)};
    };
    const auto normal = entries(JITCNormalR<double>(0.5, 2.0, 0.05, 11, {200, 10000}));
    REQUIRE(normal.size() > 90000);
    const auto [nm, nv] = moments(normal);
    const double nn = static_cast<double>(normal.size());
    CHECK(std::abs(nm - 0.5) < 5.3 * 2 / std::sqrt(nn));
    CHECK(std::abs(nv - 4.0) < 5.3 * 4 * std::sqrt(2 / nn));
    // Tails: |z| > 3 has probability 0.0027 (mean 270, sd 16.4).
    double tail = 0;
    for (const auto& t : normal) tail += std::abs(std::get<2>(t) - 0.5) > 6.0;
    CHECK(std::abs(tail - 0.0027 * nn) < 5.3 * std::sqrt(0.0027 * nn));

    const auto uniform = entries(JITCUniformC<double>(-1.0, 3.0, 0.05, 12, {10000, 200}));
    const auto [um, uv] = moments(uniform);
    const double un = static_cast<double>(uniform.size());
    for (const auto& t : uniform) {
        REQUIRE(std::get<2>(t) >= -1.0);
        REQUIRE(std::get<2>(t) < 3.0);
    }
    CHECK(std::abs(um - 1.0) < 5.3 * std::sqrt(4.0 / 3.0 / un));
    CHECK(std::abs(uv - 4.0 / 3.0) < 5.3 * std::sqrt((256.0 / 80.0 - 16.0 / 9.0) / un));  // (mu4 - sigma^4) / N
}
