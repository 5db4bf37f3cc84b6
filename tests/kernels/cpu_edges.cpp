// Edge cases of every format's host products: batches of zero rows, and outputs that no event
// reaches under an infinite alpha (the scatter's exact-0 rule).
#include "edge_check.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using testing::Kind;
using testing::Pattern;

TEMPLATE_TEST_CASE("Products over batches of zero rows, every format", "[product][edges]", float, double) {
    using T = TestType;
    for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{0, 0}, {0, 5}, {7, 13}}) {
        testing::check_zero_rows<T>(testing::random_matrix<CSR<T>>(n_pre, n_post, Pattern::random, false));
        testing::check_zero_rows<T>(testing::random_matrix<CSC<T>>(n_pre, n_post, Pattern::random, true));
        testing::check_zero_rows<T>(Dense<T>(n_pre, n_post, testing::uniform<T>(n_pre * n_post)));
        testing::check_zero_rows<T>(JITCScalarR<T>(T(0.5), 0.3, 1, {n_pre, n_post}));
        testing::check_zero_rows<T>(JITCNormalC<T>(T(0), T(1), 0.3, 2, {n_pre, n_post}));
    }
    testing::check_zero_rows<T>(
        testing::random_fixed<FixedPostNumConn<T>>(7, 13, 3, testing::FixedPattern::distinct_sorted, false));
    testing::check_zero_rows<T>(
        testing::random_fixed<FixedPreNumConn<T>>(7, 13, 3, testing::FixedPattern::unsorted_repeats, true));
}

TEMPLATE_TEST_CASE("An output that no event reaches stays an exact 0 whatever alpha, every sparse format",
                   "[product][edges]", float, double) {
    // Lines of distinct positions with nonzero weights; each format in the orientation whose
    // events index its lines (the event-driven scatter).
    using T = TestType;
    // The vector (batch 0) and batches 3 and 8, every event kind.
    auto check = [](const auto& W, bool left) { testing::check_infinite_alpha_every_kind(W, left, {0, 3, 8}); };
    check(testing::random_matrix<CSR<T>>(40, 70, Pattern::random, false), true);
    check(testing::random_matrix<CSR<T>>(40, 70, Pattern::empty_rows, true), true);
    check(testing::random_matrix<CSC<T>>(70, 40, Pattern::random, false), false);
    check(testing::random_fixed<FixedPostNumConn<T>>(40, 70, 9, testing::FixedPattern::distinct_sorted, false), true);
    check(testing::random_fixed<FixedPreNumConn<T>>(70, 40, 9, testing::FixedPattern::distinct_sorted, true), false);
    check(Dense<T>(40, 70, testing::uniform<T>(40 * 70)), true);  // its rows: every output reached
    testing::check_no_event_infinite_alpha<T>(Dense<T>(40, 70, testing::uniform<T>(40 * 70)), true);
    testing::check_no_event_infinite_alpha<T>(testing::random_matrix<CSR<T>>(40, 70, Pattern::random, false), true);
    testing::check_no_event_infinite_alpha<T>(JITCScalarR<T>(T(0.5), 0.1, 3, {40, 900}), true);
    check(JITCScalarR<T>(T(0.5), 0.1, 3, {40, 9000}), true);
    check(JITCNormalR<T>(T(0), T(1), 0.1, 4, {40, 9000}), true);
    check(JITCUniformC<T>(T(-1), T(1), 0.1, 5, {9000, 40}), false);
}

TEMPLATE_TEST_CASE("An output that events reach with a sum of exactly 0 gives alpha · 0 whatever the batch",
                   "[product][edges]", float, double) {
    // W = [[0, 1 − 1]]: input 0 reaches output 0 with weight 0 and output 1 with +1 and −1 (a
    // repeat). Every batch row fires input 0, so each output is reached and sums to exactly 0:
    // inf · 0 and NaN · 0 are NaN for every batch (batches of 8 and more once took a traversal
    // that stored such an output as unreached, 0).
    using T = TestType;
    const CSR<T> W(1, 2, std::vector<int>{0, 3}, std::vector<int>{0, 1, 1}, std::vector<T>{T(0), T(1), T(-1)});
    for (const T alpha : {std::numeric_limits<T>::infinity(), std::numeric_limits<T>::quiet_NaN()})
        for (std::size_t batch : {1, 7, 8, 9, 64}) {
            INFO("alpha " << alpha << ", batch " << batch);
            BinaryArray<> S(batch, 1);
            for (std::size_t b = 0; b < batch; ++b) S.set(b, 0, true);
            Array<T> Y(batch, 2);
            Y = alpha * (S * W);
            for (std::size_t b = 0; b < batch; ++b) {
                CHECK(std::isnan(Y(b, 0)));
                CHECK(std::isnan(Y(b, 1)));
            }
            Array<T> V(batch, 1);  // float events take the same traversals
            for (std::size_t b = 0; b < batch; ++b) V(b, 0) = T(2);
            Y = alpha * (V * W);
            for (std::size_t b = 0; b < batch; ++b) CHECK(std::isnan(Y(b, 1)));
        }
}

TEMPLATE_TEST_CASE("Events of 0 contribute nothing where W holds inf or NaN, every format, both orientations",
                   "[product][edges][nonfinite]", float, double) {
    for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{1, 1}, {37, 300}, {300, 37}})
        for (bool left : {true, false})
            for (double rate : {0.01, 0.5}) testing::check_nonfinite_every_format<TestType>(n_pre, n_post, left, rate);
}
