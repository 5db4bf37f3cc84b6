// CSR and CSC products on the host: every event kind × orientation × vector/batch × float/double
// × assignment form × homogeneous/heterogeneous weights, on awkward structures, against the
// products of todense() in double precision.
#include "product_check.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using testing::Kind;
using testing::Pattern;

namespace {

template <class M>
void check_format(const std::vector<std::pair<std::size_t, std::size_t>>& shapes) {
    using T = typename M::value_type;
    const Pattern patterns[] = {Pattern::random,           Pattern::empty_rows,  Pattern::one_per_row,
                                Pattern::single_dense_row, Pattern::no_synapses, Pattern::unsorted_repeats};
    const std::size_t batches[] = {0 /* vector */, 1, 3, 64};
    const double rates[] = {0.0, 0.02, 0.3, 1.0};
    for (auto [n_pre, n_post] : shapes)
        for (Pattern p : patterns)
            for (bool hom : {false, true}) {
                const M W1 = testing::random_matrix<M>(n_pre, n_post, p, hom);
                const M W2 = testing::random_matrix<M>(n_pre, n_post, p, hom);
                INFO("structure: " << testing::name(p) << (hom ? ", homogeneous" : ", heterogeneous") << ", nnz "
                                   << W1.nnz());
                for (std::size_t batch : batches)
                    for (double rate : rates)
                        for (Kind kind : {Kind::binary, Kind::indexed, Kind::indexed64, Kind::real})
                            for (bool left : {true, false}) testing::check_case<T>(batch, W1, W2, rate, kind, left);
            }
}

const std::vector<std::pair<std::size_t, std::size_t>> kShapes = {{0, 0},  {0, 5},   {5, 0},   {1, 1},
                                                                  {7, 13}, {33, 17}, {100, 64}};

}  // namespace

TEMPLATE_TEST_CASE("CSR products match todense() products in double precision", "[csr][product]", float, double) {
    check_format<CSR<TestType>>(kShapes);
}

TEMPLATE_TEST_CASE("CSC products match todense() products in double precision", "[csc][product]", float, double) {
    check_format<CSC<TestType>>(kShapes);
}

TEST_CASE("Sparse products with 64-bit indices and offsets", "[csr][csc][product]") {
    check_format<CSR<float, host, std::int64_t, std::int64_t>>({{9, 31}});
    check_format<CSR<double, host, std::int32_t, std::int64_t>>({{31, 9}});
    check_format<CSC<float, host, std::int64_t, std::int64_t>>({{17, 20}});
}

TEST_CASE("A small CSR product checked by hand", "[csr][product]") {
    // W = [[0, 1, 0, 2],
    //      [0, 0, 0, 0],
    //      [3, 0, 4, 0]]
    const std::vector<int> indptr{0, 2, 2, 4}, indices{1, 3, 0, 2};
    const std::vector<float> weights{1, 2, 3, 4};
    const CSR<float> W(3, 4, indptr, indices, std::span<const float>(weights));
    BinaryArray<> s(3);
    s.set(0, true);
    s.set(2, true);
    Array<float> y(4);
    y = s * W;  // rows 0 + 2
    CHECK(std::vector<float>(y.data(), y.data() + 4) == std::vector<float>{3, 1, 4, 2});
    BinaryArray<> t(4);
    t.set(1, true);
    t.set(2, true);
    Array<float> z(3);
    z = W * t;  // columns 1 + 2
    CHECK(std::vector<float>(z.data(), z.data() + 3) == std::vector<float>{1, 0, 4});
    z = t * transpose(W);  // the same through the free CSC view
    CHECK(std::vector<float>(z.data(), z.data() + 3) == std::vector<float>{1, 0, 4});
    const CSR<float> H(3, 4, indptr, indices, 0.5f);  // homogeneous
    y = 2.0f * (s * H);
    CHECK(std::vector<float>(y.data(), y.data() + 4) == std::vector<float>{1, 1, 1, 1});
}

TEST_CASE("An output that no spike reaches stays an exact 0 whatever alpha", "[csr][product]") {
    // The hand-checked W above, row 0 spiking (columns 1 and 3 reached), alpha infinite: the
    // per-row scatter (batch 1) and the batch traversal that reads each active row once for all
    // rows (batch 8, every row the same spikes) leave columns 0 and 2 at 0, or unchanged when
    // accumulating, where alpha · 0 would be NaN.
    const std::vector<int> indptr{0, 2, 2, 4}, indices{1, 3, 0, 2};
    const std::vector<float> weights{1, 2, 3, 4};
    const CSR<float> W(3, 4, indptr, indices, std::span<const float>(weights));
    const float inf = std::numeric_limits<float>::infinity();
    for (std::size_t batch : {1, 8}) {
        INFO("batch " << batch);
        std::vector<std::uint8_t> bits;
        for (std::size_t b = 0; b < batch; ++b) bits.insert(bits.end(), {1, 0, 0});
        const BinaryArray<> s(batch, 3, std::span<const std::uint8_t>(bits));
        Array<float> y(batch, 4);
        y = inf * (s * W);
        Array<float> z(batch, 4);
        z.fill(2.0f);
        z += inf * (s * W);
        for (std::size_t b = 0; b < batch; ++b) {
            CHECK(std::vector<float>{y(b, 0), y(b, 1), y(b, 2), y(b, 3)} == std::vector<float>{0, inf, 0, inf});
            CHECK(std::vector<float>{z(b, 0), z(b, 1), z(b, 2), z(b, 3)} == std::vector<float>{2, inf, 2, inf});
        }
    }
}
