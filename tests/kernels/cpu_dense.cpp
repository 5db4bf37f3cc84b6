// Every event kind × orientation × vector/batch × float/double × assignment form of the Dense
// host kernels, against a double-precision dense reference on random inputs.
#include "product_check.hpp"

using namespace brainevent;
using testing::Kind;

namespace {

template <class T>
void check_dense(std::size_t batch, std::size_t n_pre, std::size_t n_post, double rate, Kind kind, bool left) {
    const Dense<T> W1(n_pre, n_post, testing::uniform<T>(n_pre * n_post));
    const Dense<T> W2(n_pre, n_post, testing::uniform<T>(n_pre * n_post));
    testing::check_case<T>(batch, W1, W2, rate, kind, left);
}

}  // namespace

TEMPLATE_TEST_CASE("Dense products match a double-precision reference on every form", "[dense][product]", float,
                   double) {
    using T = TestType;
    // Sizes around and off the SIMD widths (4, 8, 16), including empty and single-element.
    const std::size_t sizes[] = {0, 1, 7, 17, 100};
    const std::size_t batches[] = {0 /* vector */, 1, 3, 64};
    const double rates[] = {0.0, 0.2, 1.0};
    const Kind kinds[] = {Kind::binary, Kind::indexed, Kind::indexed64, Kind::real};
    for (std::size_t n_pre : sizes)
        for (std::size_t n_post : sizes)
            for (std::size_t batch : batches)
                for (double rate : rates)
                    for (Kind kind : kinds)
                        for (bool left : {true, false}) check_dense<T>(batch, n_pre, n_post, rate, kind, left);
}

TEMPLATE_TEST_CASE("Dense W * s takes both traversals (gather and streamed dot) correctly", "[dense][product]", float,
                   double) {
    using T = TestType;
    // 1000 inputs: 0.5% firing gathers, 30% firing streams dot products.
    for (double rate : {0.005, 0.02, 0.3})
        for (std::size_t batch : {std::size_t{0}, std::size_t{5}})
            for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
                check_dense<T>(batch, 37, 1000, rate, kind, false);
                check_dense<T>(batch, 1000, 37, rate, kind, true);
            }
}

TEMPLATE_TEST_CASE("Batched s * W tiles wide outputs correctly", "[dense][product]", float, double) {
    // Wider than one column tile (4096), so several tiles and a ragged last one.
    for (Kind kind : {Kind::binary, Kind::real}) check_dense<TestType>(4, 13, 9000, 0.3, kind, true);
}

TEST_CASE("Products with empty batches and read-only weight views", "[dense][product]") {
    const std::vector<float> w = testing::uniform<float>(6 * 5);
    Dense<float> W(6, 5, w);
    BinaryArray<> none(0, 6);
    Array<float> y0(0, 5);
    y0 = none * W;  // zero batch rows: nothing to do, no error
    CHECK(y0.shape() == Shape::matrix(0, 5));
    IndexedBinary2d<> none2(5, std::vector<std::vector<std::int32_t>>{});
    Array<float> z0(0, 6);
    z0 = W * none2;
    CHECK(z0.size() == 0);

    // Dense<const T> views read-only memory and multiplies like any Dense.
    const Dense<const float> ro = Dense<const float>::view(w.data(), 6, 5);
    BinaryArray<> s(6);
    s.set(2, true);
    s.set(5, true);
    Array<float> y(5);
    y = s * ro;
    for (std::size_t j = 0; j < 5; ++j) CHECK(y(j) == Approx(w[2 * 5 + j] + w[5 * 5 + j]));
}
