// FixedPostNumConn and FixedPreNumConn: validation, todense/tocsr/tocsc/transpose against the raw
// arrays, and the properties of the random generator.
#include <map>
#include <set>
#include <utility>

#include "helpers.hpp"

using namespace brainevent;
using Catch::Matchers::Contains;

namespace {

using Ints = std::vector<int>;
using Floats = std::vector<float>;

FixedPostNumConn<float> post(std::int64_t n_pre, std::int64_t n_post, std::int64_t k, const Ints& ix, const Floats& w) {
    return {n_pre, n_post, k, ix, std::span<const float>(w)};
}
FixedPreNumConn<float> pre(std::int64_t n_pre, std::int64_t n_post, std::int64_t k, const Ints& ix, const Floats& w) {
    return {n_pre, n_post, k, ix, std::span<const float>(w)};
}

/// W[i][j] from the raw table of a FixedPost (rows) or FixedPre (columns) layout, in double.
std::vector<double> raw_dense(std::size_t n_pre, std::size_t n_post, std::size_t k, const Ints& ix, const Floats& w,
                              bool rows) {
    std::vector<double> d(n_pre * n_post);
    const std::size_t lines = rows ? n_pre : n_post;
    for (std::size_t r = 0; r < lines; ++r)
        for (std::size_t c = 0; c < k; ++c) {
            const auto m = static_cast<std::size_t>(ix[r * k + c]);
            d[rows ? r * n_post + m : m * n_post + r] += w.size() == 1 ? w[0] : w[r * k + c];
        }
    return d;
}

template <class D>
std::vector<double> as_vector(const D& d) {
    std::vector<double> v;
    for (std::size_t i = 0; i < d.n_pre(); ++i)
        for (std::size_t j = 0; j < d.n_post(); ++j) v.push_back(d(i, j));
    return v;
}

}  // namespace

TEST_CASE("Fixed-number formats reject bad arrays with the problem and the position", "[fixed][errors]") {
    CHECK_THROWS_MSG(post(2, 3, 2, {0, 1, 2}, {1, 1, 1}), format_error,
                     Contains("FixedPostNumConn: 3 indices given, expected n_pre × k = 2 × 2 = 4"));
    CHECK_THROWS_MSG(pre(2, 3, 1, {0, 1}, {1, 1}), format_error,
                     Contains("FixedPreNumConn: 2 indices given, expected n_post × k = 3 × 1 = 3"));
    CHECK_THROWS_MSG(post(2, 3, 1, {0, 1}, {1}), format_error, Contains("1 weights given for 2 synapses"));
    CHECK_THROWS_MSG(post(2, 3, 2, {0, 1, 2, 3}, {1, 1, 1, 1}), format_error,
                     Contains("column index 3 at row 1, entry 1 is out of range for n_post = 3"));
    CHECK_THROWS_MSG(pre(2, 3, 1, {0, -1, 1}, {1, 1, 1}), format_error,
                     Contains("row index -1 at column 1, entry 0 is out of range for n_pre = 2"));
    CHECK_THROWS_MSG(post(2, 3, -1, {}, {}), format_error, Contains("k must be non-negative, got -1"));
    CHECK_THROWS_MSG(post(-2, 3, 1, {}, {}), format_error, Contains("n_pre must be non-negative, got -2"));
    CHECK_THROWS_MSG(pre(2, -3, 1, {}, {}), format_error, Contains("n_post must be non-negative, got -3"));
    CHECK_THROWS_MSG((FixedPostNumConn<float>(2, std::int64_t{3} << 31, 0, Ints{}, 1.0f)), format_error,
                     Contains("does not fit the int32 index type"));
    CHECK_NOTHROW(post(0, 5, 2, {}, {}));  // no rows: no indices needed
    CHECK_NOTHROW(post(3, 0, 0, {}, {}));  // no columns, k = 0
}

TEST_CASE("todense, tocsr, tocsc and transpose of fixed-number formats equal the raw table", "[fixed]") {
    // FixedPost 3 × 4, k = 3, with a repeat in row 1 and unsorted row 2.
    const Ints ix{0, 2, 3, 1, 1, 0, 3, 0, 2};
    const Floats w{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const auto W = post(3, 4, 3, ix, w);
    CHECK(W.n_pre() == 3);
    CHECK(W.n_post() == 4);
    CHECK(W.num_conn() == 3);
    CHECK(W.nnz() == 9);
    CHECK(!W.has_sorted_indices());
    const auto want = raw_dense(3, 4, 3, ix, w, true);
    CHECK(as_vector(W.todense()) == want);
    CHECK(as_vector(W.tocsr().todense()) == want);
    CHECK(as_vector(W.tocsr<std::int64_t>().todense()) == want);
    CHECK(as_vector(W.tocsc().todense()) == want);
    CHECK(W.tocsr().weights().data() == W.weights().data());  // shares, no copy
    const FixedPreNumConn<float> T = transpose(W);
    CHECK(T.n_pre() == 4);
    CHECK(T.n_post() == 3);
    CHECK(T.indices().data() == W.indices().data());
    const auto t = as_vector(T.todense());
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(t[j * 3 + i] == want[i * 4 + j]);
    CHECK(transpose(T).indices().data() == W.indices().data());
    CHECK(transpose(post(3, 4, 3, ix, w)).n_pre() == 4);  // a temporary is fine: arrays are shared

    // FixedPre 4 × 3, k = 2: column j lists its sources.
    const Ints px{3, 0, 1, 1, 2, 0};
    const Floats pw{0.5f};
    const FixedPreNumConn<float> P(4, 3, 2, px, 0.5f);
    CHECK(P.is_homogeneous());
    const auto pwant = raw_dense(4, 3, 2, px, pw, false);
    CHECK(as_vector(P.todense()) == pwant);
    CHECK(as_vector(P.tocsc().todense()) == pwant);
    CHECK(as_vector(P.tocsr().todense()) == pwant);
    CHECK(as_vector(transpose(P).tocsr().todense()) == raw_dense(3, 4, 2, px, pw, true));
}

TEST_CASE("A moved-from fixed-number matrix still holds its arrays", "[fixed]") {
    const Ints ix{0, 2, 3, 1, 1, 0, 3, 0, 2};
    const Floats w{1, 2, 3, 4, 5, 6, 7, 8, 9};
    auto W = post(3, 4, 3, ix, w);
    const auto want = raw_dense(3, 4, 3, ix, w, true);
    auto moved = std::move(W);
    FixedPreNumConn<float> P;
    FixedPreNumConn<float> T = transpose(moved);
    P = std::move(T);
    // NOLINTBEGIN(bugprone-use-after-move): the point of the test
    for (const auto* m : {&W, &moved}) {
        CHECK(m->nnz() == 9);
        CHECK(as_vector(m->todense()) == want);
        BinaryArray<> s(3);
        s.set(1, true);
        Array<float> y(4);
        y = s * *m;  // a product, not a read through no memory
        for (std::size_t j = 0; j < 4; ++j) CHECK(y(j) == want[4 + j]);
    }
    CHECK(as_vector(transpose(T).todense()) == want);
    CHECK(as_vector(transpose(P).todense()) == want);
    // NOLINTEND(bugprone-use-after-move)
    // Const temporaries transpose too (the result shares the arrays).
    const auto made = [&]() -> const FixedPostNumConn<float> { return moved; };
    CHECK(as_vector(transpose(made()).todense()) == as_vector(transpose(moved).todense()));
    CHECK(transpose(made()).n_pre() == 4);
    CHECK(transpose(std::move(std::as_const(P))).indices().data() == moved.indices().data());
}

TEST_CASE("fixed_indices draws exactly k valid indices per line, reproducibly", "[fixed][random]") {
    struct Case {
        std::int64_t lines, choices, k;
        FixedOptions opt;
    };
    const Case cases[] = {{50, 40, 5, {}},
                          {50, 40, 30, {}},              // k > choices / 2: complement path
                          {40, 40, 39, {false, false}},  // every index but self
                          {40, 40, 40, {}},
                          {30, 7, 20, {true, true}},
                          {60, 60, 3, {false, true}},
                          {0, 10, 3, {}},
                          {10, 0, 0, {}},
                          {10, 10, 0, {false, false}}};
    for (const auto& c : cases) {
        INFO("lines " << c.lines << ", choices " << c.choices << ", k " << c.k << ", self " << c.opt.self_connections
                      << ", duplicates " << c.opt.duplicates);
        const auto ix = fixed_indices(c.lines, c.choices, c.k, 11, c.opt);
        REQUIRE(ix.size() == static_cast<std::size_t>(c.lines * c.k));
        CHECK(ix == fixed_indices(c.lines, c.choices, c.k, 11, c.opt));
        bool any_repeat = false;
        for (std::int64_t r = 0; r < c.lines; ++r) {
            const auto* line = ix.data() + r * c.k;
            for (std::int64_t q = 0; q < c.k; ++q) {
                CHECK(line[q] >= 0);
                CHECK(line[q] < c.choices);
                if (!c.opt.self_connections) CHECK(line[q] != r);
                if (q) {
                    CHECK(line[q - 1] <= line[q]);  // sorted
                    any_repeat |= line[q - 1] == line[q];
                }
            }
        }
        if (!c.opt.duplicates) CHECK(!any_repeat);
        if (c.opt.duplicates && c.k > c.choices) CHECK(any_repeat);  // pigeonhole
    }
    CHECK(fixed_indices(100, 1000, 10, 1) != fixed_indices(100, 1000, 10, 2));
    // Line r depends only on (seed, r): a longer matrix starts with the same lines.
    const auto a = fixed_indices(10, 1000, 10, 3), b = fixed_indices(20, 1000, 10, 3);
    CHECK(std::equal(a.begin(), a.end(), b.begin()));
}

TEST_CASE("fixed_indices picks indices uniformly", "[fixed][random]") {
    // 2,000 lines × 10 of 50 choices (distinct): each index is in a line with probability 0.2, so
    // its count has mean 400 and variance 2,000 · 0.2 · 0.8 = 320 (without self-connections the
    // 50 lines r < 50 pick 10 of 49, which keeps the mean at 400). The statistic below is then at
    // most chi-square with 49 degrees of freedom (counts are negatively correlated), which exceeds
    // 92.9 with probability 1e-4.
    auto statistic = [](const auto& ix, double mean, double var) {
        std::vector<double> count(50);
        for (auto v : ix) ++count[static_cast<std::size_t>(v)];
        double chi2 = 0;
        for (double c : count) chi2 += (c - mean) * (c - mean) / var;
        return chi2;
    };
    for (bool self : {true, false}) {
        const double chi2 = statistic(fixed_indices(2000, 50, 10, 99, {self, false}), 400.0, 320.0);
        INFO("self-connections " << self << ", chi-square " << chi2);
        CHECK(chi2 < 92.9);
    }
    // Complement path: k = 45 of 50 in 4,000 lines: mean 3,600, variance 4,000 · 0.9 · 0.1 = 360.
    const double chi2 = statistic(fixed_indices(4000, 50, 45, 5), 3600.0, 360.0);
    INFO("complement path, chi-square " << chi2);
    CHECK(chi2 < 92.9);
}

TEST_CASE("fixed_indices rejects impossible requests", "[fixed][random][errors]") {
    CHECK_THROWS_MSG(fixed_indices(5, 4, 5, 1), value_error, Contains("cannot choose k = 5 distinct indices out of 4"));
    CHECK_THROWS_MSG(fixed_indices(5, 5, 5, 1, {false, false}), value_error,
                     Contains("out of 4 (n = 5, self-connections excluded)"));
    CHECK_THROWS_MSG(fixed_indices(5, 1, 1, 1, {false, true}), value_error, Contains("cannot choose k = 1 indices"));
    CHECK_THROWS_MSG(fixed_indices(5, 0, 1, 1, {true, true}), value_error, Contains("out of 0"));
    CHECK_THROWS_MSG(fixed_indices(5, 5, -1, 1), value_error, Contains("k must be non-negative"));
    CHECK_NOTHROW(fixed_indices(5, 5, 6, 1, {true, true}));  // duplicates allow k > n
    // Bad counts are value_error too (format_error is for arrays given to a format).
    CHECK_THROWS_MSG(fixed_indices(-1, 5, 1, 1), value_error, Contains("the number of lines must be non-negative"));
    CHECK_THROWS_MSG(fixed_indices(5, -2, 1, 1), value_error, Contains("the number of choices must be non-negative"));
    CHECK_THROWS_MSG(fixed_indices(std::int64_t{1} << 40, 5, 1, 1), value_error, Contains("does not fit the int32"));
    CHECK_THROWS_AS(FixedPostNumConn<float>::random(2, 2, -1, 1.0f, 1), value_error);
    CHECK_THROWS_AS(FixedPreNumConn<float>::random(-1, 2, 1, 1.0f, 1), value_error);
    // Zero lines: an empty table for any k, nothing reserved for a line that is never drawn.
    CHECK(fixed_indices(0, 10, std::int64_t{1} << 62, 1).empty());
    CHECK(FixedPostNumConn<float>::random(0, 10, std::int64_t{1} << 40, 1.0f, 1).nnz() == 0);
}

TEST_CASE("FixedPostNumConn::random and FixedPreNumConn::random use fixed_indices", "[fixed][random]") {
    const auto W = FixedPostNumConn<double>::random(30, 20, 4, 0.25, 8, {false, false});
    const auto ix = fixed_indices(30, 20, 4, 8, {false, false});
    CHECK(std::vector<int>(W.indices().begin(), W.indices().end()) == ix);
    CHECK(W.is_homogeneous());
    CHECK(W.has_sorted_indices());
    for (std::size_t i = 0; i < 20; ++i) CHECK(W.todense()(i, i) == 0.0);  // no self-connections
    const auto P = FixedPreNumConn<float, host, std::int64_t>::random(20, 30, 4, 0.5f, 8);
    CHECK(P.n_pre() == 20);
    CHECK(P.n_post() == 30);
    const auto pix = fixed_indices<std::int64_t>(30, 20, 4, 8);
    CHECK(std::vector<std::int64_t>(P.indices().begin(), P.indices().end()) == pix);
}
