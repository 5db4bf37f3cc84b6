// Edge cases shared by the host and device product tests: batches of zero rows, the scatter's
// rule that an output no event reaches is an exact 0 whatever alpha (checked with alpha = inf),
// and the rule that an event of 0 contributes nothing, even where W holds inf or NaN.
#pragma once

#include <cmath>
#include <initializer_list>
#include <limits>
#include <random>

#include "product_check.hpp"
#include "sparse_helpers.hpp"

namespace testing {

/// Products of W over batches of zero rows, every event kind, both orientations, in space Space:
/// `=`, `+=` and a scaled difference give a 0 × n_out output without error, and a zero-row output
/// of the wrong width, or zero-row events of the wrong width, still throw shape_error.
template <class T, class Space = host, class M>
void check_zero_rows(const M& W_host) {
    const std::size_t n_pre = W_host.n_pre(), n_post = W_host.n_post();
    const auto& W = place<Space>(W_host);
    for (bool left : {true, false}) {
        const std::size_t n_in = left ? n_pre : n_post, n_out = left ? n_post : n_pre;
        for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
            INFO(name(kind) << ", " << (left ? "s * W" : "W * s") << ", W (" << n_pre << ", " << n_post << ")");
            auto run = [&](const auto& s, Array<T, Space>& y) {
                if (left) {
                    y = s * W;
                    y += T(2) * (s * W) - s * W;
                } else {
                    y = W * s;
                    y += T(2) * (W * s) - W * s;
                }
            };
            with_events<T>(kind, true, Ref{0, n_in, {}}, [&](const auto& s_host) {
                const auto& s = place<Space>(s_host);
                REQUIRE(s.rows() == 0);
                Array<T, Space> y = place<Space>(Array<T>(0, n_out));
                CHECK_NOTHROW(run(s, y));
                CHECK(y.rows() == 0);
                CHECK(y.cols() == n_out);
                Array<T, Space> wide = place<Space>(Array<T>(0, n_out + 1));
                CHECK_THROWS_AS(run(s, wide), shape_error);
            });
            with_events<T>(kind, true, Ref{0, n_in + 1, {}}, [&](const auto& s_host) {
                const auto& s = place<Space>(s_host);
                Array<T, Space> y = place<Space>(Array<T>(0, n_out));
                CHECK_THROWS_AS(run(s, y), shape_error);
            });
        }
    }
}

/// With P = s * W (`left`) or W * s, of events s in W's memory space: y = inf · P into a
/// poisoned y; y = 2, y += inf · P; and y = -0, y += inf · P; each fetched to the host. s is a
/// batch where `batched`.
template <class T>
struct AlphaProducts {
    Array<T> set, add, add_to_negative_zero;
};
template <class T, class W_, class S>
AlphaProducts<T> infinite_alpha_products(const W_& W, const S& s, bool left, bool batched, std::size_t n_out) {
    using Space = typename S::space;
    const T inf = std::numeric_limits<T>::infinity();
    auto output = [&](T fill) {
        Array<T> y = batched ? Array<T>(s.rows(), n_out) : Array<T>(n_out);
        y.fill(fill);
        return Array<T, Space>(place<Space>(y));
    };
    Array<T, Space> y = output(std::numeric_limits<T>::quiet_NaN());  // poisoned: unwritten outputs fail
    if (left)
        y = inf * (s * W);
    else
        y = inf * (W * s);
    Array<T> set = fetch(y);
    auto added_to = [&](T fill) {
        y = output(fill);
        if (left)
            y += inf * (s * W);
        else
            y += inf * (W * s);
        return fetch(y);
    };
    Array<T> add = added_to(T(2));
    return {std::move(set), std::move(add), added_to(-T(0))};
}

/// An exact -0 (an output left as it was, not +0 from an added +0).
template <class T>
bool negative_zero(T v) {
    return v == T(0) && std::signbit(v);
}

/// The scatter's rule (detail::store_reached, formats/lines.hpp): an output that no event reaches
/// is an exact 0, or unchanged when accumulating, whatever alpha, where alpha · 0 would be NaN for
/// an infinite alpha. Batch row b (or the vector, batch 0) has one event, on line lines[b] (value
/// 1, or 0.5 for float events); `left`: the orientation in which W's events index its lines (s * W
/// for CSR, W * s for CSC). With alpha = inf, y = inf · P is ±inf at that line's entries and an
/// exact 0 elsewhere, and y = 2; y += inf · P is 2 + (±inf) there and 2 elsewhere (-0 elsewhere,
/// from y = -0: not +0, so nothing is added to outputs no event reaches). W's lines must
/// hold distinct positions with nonzero weights, so that each output gets at most one addend.
template <class T, class Space = host, class M>
void check_infinite_alpha(const M& W_host, bool left, std::size_t batch, Kind kind,
                          const std::vector<std::size_t>& lines) {
    const std::size_t rows = batch ? batch : 1;
    REQUIRE(lines.size() == rows);
    const std::size_t n_in = left ? W_host.n_pre() : W_host.n_post(), n_out = left ? W_host.n_post() : W_host.n_pre();
    const double value = kind == Kind::real ? 0.5 : 1.0;
    Ref e{rows, n_in, std::vector<double>(rows * n_in, 0.0)};
    for (std::size_t b = 0; b < rows; ++b) e.v[b * n_in + lines[b]] = value;
    const T inf = std::numeric_limits<T>::infinity();
    const Ref dense = dense_of(W_host);
    std::vector<T> want_set(rows * n_out), want_add(rows * n_out);
    std::size_t reached = 0;
    for (std::size_t b = 0; b < rows; ++b)
        for (std::size_t o = 0; o < n_out; ++o) {
            const double w = left ? dense(lines[b], o) : dense(o, lines[b]);
            reached += w != 0.0;
            want_set[b * n_out + o] = w != 0.0 ? (w > 0 ? inf : -inf) : T(0);
            want_add[b * n_out + o] = T(2) + want_set[b * n_out + o];
        }
    INFO(name(kind) << ", " << (batch ? "batch " + std::to_string(batch) : std::string("vector")) << ", " << reached
                    << " outputs reached of " << rows * n_out);
    const auto& W = place<Space>(W_host);
    with_events<T>(kind, batch > 0, e, [&](const auto& s_host) {
        const auto got = infinite_alpha_products<T>(W, place<Space>(s_host), left, batch > 0, n_out);
        auto same = [](T v, T want) { return v == want || (std::isnan(v) && std::isnan(want)); };
        std::size_t wrong_set = 0, wrong_add = 0, wrong_zero = 0;
        for (std::size_t k = 0; k < rows * n_out; ++k) {
            wrong_set += !same(got.set(k), want_set[k]);
            wrong_add += !same(got.add(k), want_add[k]);
            const T z = got.add_to_negative_zero(k);
            wrong_zero += want_set[k] == T(0) ? !negative_zero(z) : z != want_set[k];
        }
        CHECK(wrong_set == 0);
        CHECK(wrong_add == 0);
        CHECK(wrong_zero == 0);
    });
}

/// check_infinite_alpha for the vector and each batch size in `batches`, every event kind, with
/// one event per row on a line drawn at random.
template <class Space = host, class M>
void check_infinite_alpha_every_kind(const M& W, bool left, std::initializer_list<std::size_t> batches) {
    using T = typename M::value_type;
    const std::size_t n_lines = left ? W.n_pre() : W.n_post();
    std::uniform_int_distribution<std::size_t> pick(0, n_lines - 1);
    for (std::size_t batch : batches)
        for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
            std::vector<std::size_t> lines(batch ? batch : 1);
            for (auto& l : lines) l = pick(rng());
            check_infinite_alpha<T, Space>(W, left, batch, kind, lines);
        }
}

/// The same rule with no event at all (every kind; the vector and a batch of 3): in the
/// orientation whose events index W's lines (`left`: s * W), y = inf · P is an exact 0 and
/// y = 2; y += inf · P leaves 2 (and -0 leaves -0).
template <class T, class Space = host, class M>
void check_no_event_infinite_alpha(const M& W_host, bool left) {
    const std::size_t n_in = left ? W_host.n_pre() : W_host.n_post(), n_out = left ? W_host.n_post() : W_host.n_pre();
    const auto& W = place<Space>(W_host);
    for (std::size_t batch : {0, 3})
        for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
            const std::size_t rows = batch ? batch : 1;
            INFO(name(kind) << ", " << (batch ? "batch 3" : "vector") << ", no event");
            with_events<T>(kind, batch > 0, Ref{rows, n_in, std::vector<double>(rows * n_in, 0.0)}, [&](const auto& h) {
                const auto got = infinite_alpha_products<T>(W, place<Space>(h), left, batch > 0, n_out);
                std::size_t wrong = 0;
                for (std::size_t k = 0; k < rows * n_out; ++k)
                    wrong += got.set(k) != T(0) || got.add(k) != T(2) || !negative_zero(got.add_to_negative_zero(k));
                CHECK(wrong == 0);
            });
        }
}

/// inf, -inf and NaN in turn (k modulo 3).
template <class T>
T nonfinite(std::size_t k) {
    const T inf = std::numeric_limits<T>::infinity();
    return k % 3 == 0 ? inf : (k % 3 == 1 ? -inf : std::numeric_limits<T>::quiet_NaN());
}

/// Every third of n inputs (1, 4, 7, …): where silent_inputs events are kept at 0 and W holds
/// non-finite weights.
inline std::vector<bool> silent_inputs(std::size_t n) {
    std::vector<bool> silent(n);
    for (std::size_t i = 0; i < n; ++i) silent[i] = i % 3 == 1;
    return silent;
}

/// W_host with its weights at the inputs marked `silent` (rows i for `left`, s * W; columns j
/// otherwise) made inf, -inf or NaN: a Dense, or a line format with per-synapse weights.
template <class M>
M poisoned(const M& W_host, bool left, const std::vector<bool>& silent) {
    using T = typename M::value_type;
    auto weight = [&](std::size_t i, std::size_t j, T w) { return silent[left ? i : j] ? nonfinite<T>(i + j) : w; };
    if constexpr (std::is_same_v<typename M::format, dense_format>) {
        std::vector<T> d(W_host.n_pre() * W_host.n_post());
        for (std::size_t i = 0; i < W_host.n_pre(); ++i)
            for (std::size_t j = 0; j < W_host.n_post(); ++j) d[i * W_host.n_post() + j] = weight(i, j, W_host(i, j));
        return M(W_host.n_pre(), W_host.n_post(), d);
    } else {
        return reweighted(W_host, weight);
    }
}

/// The rule that an event of 0 contributes nothing, even where W holds inf or NaN (README,
/// Semantics), whichever path a product of W takes: events random at `rate` in every kind, the
/// vector (batch 0) and each batch in `batches`, with zeros (-0.0 for float events) at the inputs
/// marked `silent` in every row but the first of a batch, which meets them (where W_host's
/// non-finite weights should sit, unless its weight is one shared by all), so that batch paths
/// also see inputs active in some rows and silent in others. The
/// reference sums in double only the terms of nonzero events, so IEEE arithmetic alone makes it
/// inf or NaN; a finite reference is compared within rounding, a non-finite one exactly. Where W
/// has one `shared` weight, `pattern` is W's structure with weight 1 and a gather may factor the
/// weight out (shared · Σ v where an event reaches the output, else 0): ±inf where the sum of
/// terms is inf − inf = NaN (events of both signs), accepted too. Checks y = P, y += P and
/// y = -2 · P, in orientation `left` (s * W) or not (W * s).
template <class T, class Space = host, class M, class P = M>
void check_silent_nonfinite(const M& W_host, bool left, const std::vector<bool>& silent, double rate,
                            std::initializer_list<std::size_t> batches, const P* pattern = nullptr,
                            double shared = 0.0) {
    const std::size_t n_in = left ? W_host.n_pre() : W_host.n_post(), n_out = left ? W_host.n_post() : W_host.n_pre();
    REQUIRE(silent.size() == n_in);
    const Ref dense = dense_of(W_host), abs = abs_dense_of(W_host);
    Ref count;  // W's entries per position, with a shared weight
    if (pattern) count = dense_of(*pattern);
    const auto& W = place<Space>(W_host);
    auto at = [&](const Ref& r, std::size_t i, std::size_t o) { return left ? r(i, o) : r(o, i); };
    for (std::size_t batch : batches)
        for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
            const std::size_t rows = batch ? batch : 1;
            Ref e = random_events(rows, n_in, rate, kind);
            for (std::size_t b = batch > 1 ? 1 : 0; b < rows; ++b)
                for (std::size_t i = 0; i < n_in; ++i)
                    if (silent[i]) e.v[b * n_in + i] = -0.0;
            // Per output: the sum of terms, the sum of their magnitudes (repeated entries apart:
            // the scale of rounding), and the sum of events over W's entries (a shared weight).
            std::vector<double> sum(rows * n_out, 0.0), scale(rows * n_out, 0.0), events(rows * n_out, 0.0);
            std::vector<bool> reached(rows * n_out, false);
            for (std::size_t b = 0; b < rows; ++b)
                for (std::size_t i = 0; i < n_in; ++i)
                    if (const double v = e(b, i); v != 0.0)
                        for (std::size_t o = 0; o < n_out; ++o) {
                            const std::size_t k = b * n_out + o;
                            sum[k] += v * at(dense, i, o);
                            if (const double a = std::abs(v) * at(abs, i, o); std::isfinite(a)) scale[k] += a;
                            if (pattern && at(count, i, o) != 0.0) {
                                events[k] += v * at(count, i, o);
                                reached[k] = true;
                            }
                        }
            const auto y0 = uniform<T>(rows * n_out);
            const double eps = std::numeric_limits<T>::epsilon();
            auto agree = [&](T got, double want, double size) {
                if (std::isnan(want)) return std::isnan(got);
                if (std::isinf(want)) return static_cast<double>(got) == want;
                return std::abs(static_cast<double>(got) - want) <= (3.0 * n_in + 8) * eps * (size + 1e-30) + 1e-30;
            };
            with_events<T>(kind, batch > 0, e, [&](const auto& s_host) {
                const auto& s = place<Space>(s_host);
                auto output = [&](bool keep) {
                    Array<T> y = batch ? Array<T>(rows, n_out) : Array<T>(n_out);
                    for (std::size_t k = 0; k < y.size(); ++k) y(k) = keep ? y0[k] : T(-12345.5);  // unwritten: fails
                    return Array<T, Space>(place<Space>(y));
                };
                auto check = [&](const Array<T, Space>& y, double a0, double a1, const char* form) {
                    const Array<T> got = fetch(y);
                    std::size_t wrong = 0, first = 0;
                    for (std::size_t k = 0; k < rows * n_out; ++k) {
                        const double size = std::abs(a0 * y0[k]) + std::abs(a1) * scale[k];
                        const double factored = reached[k] ? shared * events[k] : 0.0;
                        const bool ok = agree(got(k), a0 * y0[k] + a1 * sum[k], size) ||
                                        (pattern && agree(got(k), a0 * y0[k] + a1 * factored, size));
                        if (!ok && wrong++ == 0) first = k;
                    }
                    INFO(name(kind) << ", " << (batch ? "batch " + std::to_string(batch) : std::string("vector"))
                                    << ", " << (left ? "s * W" : "W * s") << ", firing " << rate << ", " << form << ": "
                                    << wrong << " of " << rows * n_out << " wrong; first " << first << ": got "
                                    << (wrong ? double(got(first)) : 0.0) << ", want "
                                    << (wrong ? a0 * y0[first] + a1 * sum[first] : 0.0));
                    CHECK(wrong == 0);
                };
                Array<T, Space> y = output(false);
                if (left)
                    y = s * W;
                else
                    y = W * s;
                check(y, 0, 1, "y = P");
                y = output(true);
                if (left)
                    y += s * W;
                else
                    y += W * s;
                check(y, 1, 1, "y += P");
                y = output(false);
                if (left)
                    y = T(-2) * (s * W);
                else
                    y = T(-2) * (W * s);
                check(y, 0, -2, "y = -2 * P");
            });
        }
}

/// check_silent_nonfinite over every format of shape n_pre × n_post in one orientation, in space
/// Space, the vector and batches 3, 12 and 33. First non-finite weights at every third input,
/// whose events are 0 (but in a batch's first row): those outputs are finite, unless a path
/// multiplies a silent event by its weight (a gather, or a dense W * s that streams rows). Then one shared weight of
/// inf, -inf or NaN (and JITC laws that make every weight NaN or -inf): inf or NaN where an event reaches an output, an
/// exact 0 (or y) where none does.
template <class T, class Space = host>
void check_nonfinite_every_format(std::size_t n_pre, std::size_t n_post, bool left, double rate) {
    using namespace brainevent;
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const auto silent = silent_inputs(left ? n_pre : n_post);
    const std::vector<bool> none(left ? n_pre : n_post, false);
    auto check = [&](const auto& W, const std::vector<bool>& quiet) {
        check_silent_nonfinite<T, Space>(W, left, quiet, rate, {0, 3, 12, 33});
    };
    auto check_poisoned = [&](const auto& W) { check(poisoned(W, left, silent), silent); };
    INFO("W (" << n_pre << ", " << n_post << ")");
    check_poisoned(Dense<T>(n_pre, n_post, uniform<T>(n_pre * n_post)));
    for (Pattern p : {Pattern::random, Pattern::unsorted_repeats}) {
        check_poisoned(random_matrix<CSR<T>>(n_pre, n_post, p, false));
        check_poisoned(random_matrix<CSC<T>>(n_pre, n_post, p, false));
    }
    const std::size_t k = n_pre < n_post ? 1 : 9;  // entries per line of the fixed formats
    check_poisoned(
        random_fixed<FixedPostNumConn<T>>(n_pre, n_post, std::min(k, n_post), FixedPattern::unsorted_repeats, false));
    check_poisoned(
        random_fixed<FixedPreNumConn<T>>(n_pre, n_post, std::min(k, n_pre), FixedPattern::distinct_sorted, false));
    for (T w : {inf, -inf, nan}) {
        INFO("one shared weight " << w);
        auto check_shared = [&](const auto& W) {
            const auto pattern = restructured(W, T(1));
            check_silent_nonfinite<T, Space>(restructured(W, w), left, none, rate, {0, 3, 12, 33}, &pattern, double(w));
        };
        check_shared(random_matrix<CSR<T>>(n_pre, n_post, Pattern::random, true));
        check_shared(random_matrix<CSC<T>>(n_pre, n_post, Pattern::random, true));
        check_shared(
            random_fixed<FixedPreNumConn<T>>(n_pre, n_post, std::min(k, n_pre), FixedPattern::unsorted_repeats, true));
        check(JITCScalarR<T>(w, 0.2, 7, {n_pre, n_post}), none);
        check(JITCScalarC<T>(w, 0.2, 8, {n_pre, n_post}), none);
    }
    check(JITCNormalR<T>(nan, T(1), 0.3, 9, {n_pre, n_post}), none);
    check(JITCNormalC<T>(-inf, T(0), 0.3, 10, {n_pre, n_post}), none);  // every weight -inf
}

}  // namespace testing
