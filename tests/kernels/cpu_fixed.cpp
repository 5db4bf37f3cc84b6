// FixedPostNumConn and FixedPreNumConn products on the host: every event kind × orientation ×
// vector/batch × float/double × assignment form × homogeneous/heterogeneous weights, for k = 0,
// 1, a few, and every column, against the products of todense() in double precision.
#include "product_check.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using testing::FixedPattern;
using testing::Kind;

namespace {

/// Connections per line to try for lines over `choices` indices: none, one, a few, all.
std::vector<std::size_t> ks_for(std::size_t choices) {
    std::vector<std::size_t> ks{0};
    if (choices >= 1) ks.push_back(1);
    if (choices > 3) ks.push_back(choices / 3 + 1);
    if (choices > 1) ks.push_back(choices);
    return ks;
}

template <class M>
void check_fixed(const std::vector<std::pair<std::size_t, std::size_t>>& shapes,
                 const std::vector<std::size_t>& batches) {
    using T = typename M::value_type;
    for (auto [n_pre, n_post] : shapes) {
        const std::size_t choices = M::format::lines_are_rows ? n_post : n_pre;
        for (std::size_t k : ks_for(choices))
            for (FixedPattern p : {FixedPattern::distinct_sorted, FixedPattern::unsorted_repeats})
                for (bool hom : {false, true}) {
                    const M W1 = testing::random_fixed<M>(n_pre, n_post, k, p, hom);
                    const M W2 = testing::random_fixed<M>(n_pre, n_post, k, p, hom);
                    INFO("k = " << k << (p == FixedPattern::distinct_sorted ? ", distinct" : ", repeats")
                                << (hom ? ", homogeneous" : ", heterogeneous"));
                    for (std::size_t batch : batches)
                        for (double rate : {0.0, 0.05, 0.3, 1.0})
                            for (Kind kind : {Kind::binary, Kind::indexed, Kind::indexed64, Kind::real})
                                for (bool left : {true, false}) testing::check_case<T>(batch, W1, W2, rate, kind, left);
                }
    }
}

const std::vector<std::pair<std::size_t, std::size_t>> kShapes = {{0, 0},  {0, 5},   {5, 0},   {1, 1},
                                                                  {7, 13}, {33, 17}, {64, 100}};
const std::vector<std::size_t> kBatches = {0 /* vector */, 1, 3, 32};

}  // namespace

TEMPLATE_TEST_CASE("FixedPostNumConn products match todense() products in double precision", "[fixed][product]", float,
                   double) {
    check_fixed<FixedPostNumConn<TestType>>(kShapes, kBatches);
}

TEMPLATE_TEST_CASE("FixedPreNumConn products match todense() products in double precision", "[fixed][product]", float,
                   double) {
    check_fixed<FixedPreNumConn<TestType>>(kShapes, kBatches);
}

TEST_CASE("Fixed-number products with 64-bit indices", "[fixed][product]") {
    check_fixed<FixedPostNumConn<float, host, std::int64_t>>({{9, 31}}, {0, 3});
    check_fixed<FixedPreNumConn<double, host, std::int64_t>>({{31, 9}}, {0, 3});
}

TEST_CASE("A small FixedPostNumConn product checked by hand", "[fixed][product]") {
    // k = 2 targets per row:
    // W = [[0, 1, 0, 2],
    //      [5, 0, 0, 0],    (target 0 twice: 2 + 3)
    //      [3, 0, 4, 0]]
    const std::vector<int> indices{1, 3, 0, 0, 0, 2};
    const std::vector<float> weights{1, 2, 2, 3, 3, 4};
    const FixedPostNumConn<float> W(3, 4, 2, indices, std::span<const float>(weights));
    BinaryArray<> s(3);
    s.set(1, true);
    s.set(2, true);
    Array<float> y(4);
    y = s * W;  // rows 1 + 2
    CHECK(std::vector<float>(y.data(), y.data() + 4) == std::vector<float>{8, 0, 4, 0});
    BinaryArray<> t(4);
    t.set(0, true);
    t.set(3, true);
    Array<float> z(3);
    z = W * t;  // columns 0 + 3
    CHECK(std::vector<float>(z.data(), z.data() + 3) == std::vector<float>{2, 5, 3});
    z = t * transpose(W);  // the same through the free FixedPreNumConn view
    CHECK(std::vector<float>(z.data(), z.data() + 3) == std::vector<float>{2, 5, 3});
}
