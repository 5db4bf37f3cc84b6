// JITC products on the host: Scalar/Normal/Uniform × R/C × every event kind × orientation ×
// vector/batch × float/double × assignment form, against the products of todense() in double
// precision. Shapes include lines longer than one column block (8,192 positions).
#include "jitc_helpers.hpp"

using namespace brainevent;
using testing::Kind;

namespace {

const std::vector<std::pair<std::size_t, std::size_t>> kShapes = {{0, 0}, {0, 5}, {5, 0}, {1, 1}, {7, 13}, {33, 17}};
const std::vector<double> kProbs = {0.0, 0.1, 0.5, 1.0};
const std::vector<std::size_t> kBatches = {0 /* vector */, 1, 3, 32};
const std::vector<double> kRates = {0.0, 0.05, 0.5, 1.0};
const std::vector<Kind> kKinds = {Kind::binary, Kind::indexed, Kind::indexed64, Kind::real};

template <class M, class... P>
void check_jitc(const std::vector<std::pair<std::size_t, std::size_t>>& shapes, const std::vector<double>& probs,
                const std::vector<std::size_t>& batches, P... params) {
    testing::check_jitc<M>(shapes, probs, batches, kRates, kKinds, params...);
}

}  // namespace

TEMPLATE_TEST_CASE("JITC R and C products match todense() products in double precision", "[jitc][product]", float,
                   double) {
    using T = TestType;
    check_jitc<JITCScalarR<T>>(kShapes, kProbs, kBatches, T(0.5));
    check_jitc<JITCScalarC<T>>(kShapes, kProbs, kBatches, T(-1.5));
    check_jitc<JITCNormalR<T>>(kShapes, kProbs, kBatches, T(0.1), T(1));
    check_jitc<JITCNormalC<T>>(kShapes, kProbs, kBatches, T(-0.2), T(0.5));
    check_jitc<JITCUniformR<T>>(kShapes, kProbs, kBatches, T(-1), T(1));
    check_jitc<JITCUniformC<T>>(kShapes, kProbs, kBatches, T(0), T(2));
}

TEST_CASE("JITC products over lines longer than a column block", "[jitc][product]") {
    // 40,000 positions: five column blocks, the last one partial.
    check_jitc<JITCNormalR<float>>({{3, 40000}, {40000, 3}}, {0.001, 0.3}, {0, 3}, 0.0f, 1.0f);
    check_jitc<JITCUniformC<double>>({{3, 40000}, {40000, 3}}, {0.001, 0.3}, {0, 3}, -1.0, 1.0);
}
