// Edge cases shared by the host and device product tests: batches of zero rows, and the scatter's
// rule that an output no event reaches is an exact 0 whatever alpha (checked with alpha = inf).
#pragma once

#include <initializer_list>
#include <limits>
#include <random>

#include "product_check.hpp"

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

/// The scatter's rule (detail::store_reached, formats/lines.hpp): an output that no event reaches
/// is an exact 0, or unchanged when accumulating, whatever alpha, where alpha · 0 would be NaN for
/// an infinite alpha. Batch row b (or the vector, batch 0) has one event, on line lines[b] (value
/// 1, or 0.5 for float events); `left`: the orientation in which W's events index its lines (s * W
/// for CSR, W * s for CSC). With alpha = inf, y = inf · P is ±inf at that line's entries and an
/// exact 0 elsewhere, and y = 2; y += inf · P is 2 + (±inf) there and 2 elsewhere. W's lines must
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
        const auto& s = place<Space>(s_host);
        auto output = [&](T fill) {
            Array<T> y = batch ? Array<T>(rows, n_out) : Array<T>(n_out);
            y.fill(fill);
            return Array<T, Space>(place<Space>(y));
        };
        Array<T, Space> y = output(std::numeric_limits<T>::quiet_NaN());  // poisoned: unwritten outputs fail
        if (left)
            y = inf * (s * W);
        else
            y = inf * (W * s);
        const Array<T> got_set = fetch(y);
        y = output(T(2));
        if (left)
            y += inf * (s * W);
        else
            y += inf * (W * s);
        const Array<T> got_add = fetch(y);
        auto same = [](T got, T want) { return got == want || (std::isnan(got) && std::isnan(want)); };
        std::size_t wrong_set = 0, wrong_add = 0;
        for (std::size_t k = 0; k < rows * n_out; ++k) {
            wrong_set += !same(got_set(k), want_set[k]);
            wrong_add += !same(got_add(k), want_add[k]);
        }
        CHECK(wrong_set == 0);
        CHECK(wrong_add == 0);
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

}  // namespace testing
