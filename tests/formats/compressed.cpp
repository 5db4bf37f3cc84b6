// CSR, CSC, COO: validation errors with their messages, conversions, round trips, Eigen interop,
// free transposes, index-type overflow checks.
#include <utility>

#include "helpers.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using Catch::Matchers::Contains;

namespace {

template <class A, class B>
bool same_dense(const A& a, const B& b) {
    const auto da = a.todense();
    const auto db = b.todense();
    if (da.n_pre() != db.n_pre() || da.n_post() != db.n_post()) return false;
    return std::equal(da.data(), da.data() + da.n_pre() * da.n_post(), db.data());
}

}  // namespace

TEST_CASE("CSR and CSC validation errors name the problem and the position", "[csr][csc][errors]") {
    using V = std::vector<int>;
    const std::vector<float> w3{1, 2, 3};
    auto csr = [](std::int64_t r, std::int64_t c, V ip, V ix, std::vector<float> w) {
        return CSR<float>(r, c, ip, ix, std::span<const float>(w));
    };
    CHECK_THROWS_MSG(csr(2, 3, {0, 1}, {0}, {1}), format_error,
                     Contains("indptr has 2 entries, expected n_pre + 1 = 3"));
    CHECK_THROWS_MSG(csr(2, 3, {1, 1, 1}, {0}, {1}), format_error, Contains("indptr[0] is 1, must be 0"));
    CHECK_THROWS_MSG(csr(2, 3, {0, 2, 1}, {0, 1}, {1, 2}), format_error,
                     Contains("indptr decreases at row 1") && Contains("indptr[1] = 2 > indptr[2] = 1"));
    CHECK_THROWS_MSG(csr(2, 3, {0, 1, 2}, {0, 1, 2}, {1, 2, 3}), format_error,
                     Contains("indptr[n_pre] = 2 but 3 indices"));
    CHECK_THROWS_MSG(csr(2, 3, {0, 1, 2}, {0, 3}, {1, 2}), format_error,
                     Contains("column index 3 at position 1 (row 1) is out of range for n_post = 3"));
    CHECK_THROWS_MSG(csr(2, 3, {0, 1, 2}, {-1, 0}, {1, 2}), format_error, Contains("column index -1 at position 0"));
    CHECK_THROWS_MSG(csr(2, 3, {0, 1, 2}, {0, 1}, {1, 2, 3}), format_error, Contains("3 weights given for 2 synapses"));
    CHECK_THROWS_MSG(csr(-2, 3, {0}, {}, {}), format_error, Contains("n_pre must be non-negative, got -2"));
    CHECK_THROWS_MSG(csr(2, -1, {0, 0, 0}, {}, {}), format_error, Contains("n_post must be non-negative, got -1"));
    CHECK_THROWS_MSG(CSC<float>(3, 2, V{0, 1, 2}, V{0, 5}, std::span<const float>(w3.data(), 2)), format_error,
                     Contains("CSC: row index 5 at position 1 (column 1) is out of range for n_pre = 3"));
    CHECK_THROWS_MSG(CSC<float>(3, 2, V{0, 1}, V{0}, 1.0f), format_error,
                     Contains("indptr has 2 entries, expected n_post + 1 = 3"));
    // The CSC's own words (columns, n_post) for every other rule.
    auto csc = [](std::int64_t r, std::int64_t c, V ip, V ix, std::vector<float> w) {
        return CSC<float>(r, c, ip, ix, std::span<const float>(w));
    };
    CHECK_THROWS_MSG(csc(3, 2, {1, 1, 1}, {0}, {1}), format_error, Contains("CSC: indptr[0] is 1, must be 0"));
    CHECK_THROWS_MSG(csc(3, 2, {0, 2, 1}, {0, 1}, {1, 2}), format_error,
                     Contains("CSC: indptr decreases at column 1") && Contains("indptr[1] = 2 > indptr[2] = 1"));
    CHECK_THROWS_MSG(csc(3, 2, {0, 1, 2}, {0, 1, 2}, {1, 2, 3}), format_error,
                     Contains("CSC: indptr[n_post] = 2 but 3 indices"));
    CHECK_THROWS_MSG(csc(3, 2, {0, 1, 2}, {0, -1}, {1, 2}), format_error,
                     Contains("CSC: row index -1 at position 1 (column 1)"));
    CHECK_THROWS_MSG(csc(3, 2, {0, 1, 2}, {0, 1}, {1}), format_error, Contains("CSC: 1 weights given for 2 synapses"));
    CHECK_THROWS_MSG(csc(-3, 2, {0, 0, 0}, {}, {}), format_error, Contains("CSC: n_pre must be non-negative, got -3"));
    CHECK_THROWS_MSG(csc(3, -2, {0}, {}, {}), format_error, Contains("CSC: n_post must be non-negative, got -2"));

    // Unsorted indices and repeats are accepted (the rule: any order, repeats add up).
    const CSR<float> u(1, 4, V{0, 3}, V{3, 1, 3}, std::span<const float>(w3));
    CHECK_FALSE(u.has_sorted_indices());
    CHECK(u.todense()(0, 3) == 4.0f);
    CHECK(csr2csc(u).has_sorted_indices() == false);  // the repeat stays a repeat
    const CSR<float> sorted(1, 4, V{0, 2}, V{1, 3}, std::span<const float>(w3.data(), 2));
    CHECK(sorted.has_sorted_indices());
}

TEST_CASE("Index types: sizes that overflow them are rejected, int64 holds them", "[csr][errors]") {
    const std::vector<std::int32_t> ip32{0, 0};
    CHECK_THROWS_MSG(CSR<float>(1, 3'000'000'000LL, ip32, std::vector<std::int32_t>{}, 1.0f), format_error,
                     Contains("n_post = 3000000000 does not fit the int32 index type; use int64 indices"));
    // Either dimension, and COO's, before any array is read.
    CHECK_THROWS_MSG(CSR<float>(3'000'000'000LL, 1, ip32, std::vector<std::int32_t>{}, 1.0f), format_error,
                     Contains("n_pre = 3000000000 does not fit the int32 index type"));
    CHECK_THROWS_MSG(CSC<float>(2, 2'147'483'648LL, ip32, std::vector<std::int32_t>{}, 1.0f), format_error,
                     Contains("CSC: n_post = 2147483648 does not fit the int32 index type"));
    CHECK_THROWS_MSG(COO<float>(3'000'000'000LL, 2, std::vector<int>{}, std::vector<int>{}, std::span<const float>()),
                     format_error, Contains("COO: n_pre = 3000000000 does not fit the int32 index type"));
    CHECK_NOTHROW(CSR<float>(1, 2'147'483'647LL, ip32, std::vector<std::int32_t>{}, 1.0f));  // the largest that fits
    const std::vector<std::int64_t> ip64{0, 0};
    const CSR<float, host, std::int64_t, std::int64_t> big(1, 3'000'000'000LL, ip64, std::vector<std::int64_t>{}, 1.0f);
    CHECK(big.n_post() == 3'000'000'000ULL);
    // Offsets: more synapses than int32 offsets can address need int64 offsets. (A structure
    // that really needs it takes 24 GB; the check that guards it is exercised directly.)
    CHECK_THROWS_MSG(detail::check_offsets_fit<std::int32_t>("coo2csr", 3'000'000'000ULL), format_error,
                     Contains("3000000000 synapses overflow int32 offsets (indptr); use int64 offsets"));
    CHECK_NOTHROW(detail::check_offsets_fit<std::int64_t>("coo2csr", 3'000'000'000ULL));
    CHECK_NOTHROW(detail::check_offsets_fit<std::int32_t>("coo2csr", 2'147'483'647ULL));
}

TEST_CASE("COO validation, coo2csr duplicates policy", "[coo][errors]") {
    using V = std::vector<int>;
    const std::vector<float> w{1, 2, 3};
    CHECK_THROWS_MSG(COO<float>(2, 2, V{0, 1}, V{0}, std::span<const float>(w.data(), 2)), format_error,
                     Contains("different lengths (2, 1, 2)"));
    CHECK_THROWS_MSG(COO<float>(2, 2, V{0, 2}, V{0, 0}, std::span<const float>(w.data(), 2)), format_error,
                     Contains("row index 2 at position 1 is out of range for n_pre = 2"));
    CHECK_THROWS_MSG(COO<float>(2, 2, V{0, 1}, V{0, -3}, std::span<const float>(w.data(), 2)), format_error,
                     Contains("column index -3 at position 1"));
    CHECK_THROWS_MSG(COO<float>(2, 2, V{0, 1}, V{0, 1}, std::span<const float>(w)), format_error,
                     Contains("different lengths (2, 2, 3)"));
    CHECK_THROWS_MSG(COO<float>(-1, 2, V{}, V{}, std::span<const float>()), format_error,
                     Contains("n_pre must be non-negative"));
    CHECK_THROWS_MSG(COO<float>(2, -4, V{}, V{}, std::span<const float>()), format_error,
                     Contains("n_post must be non-negative, got -4"));

    const COO<float> dup(2, 3, V{1, 0, 1}, V{2, 1, 2}, std::span<const float>(w));
    const auto summed = coo2csr(dup);  // default: duplicates summed
    CHECK(summed.nnz() == 2);
    CHECK(summed.todense()(1, 2) == 4.0f);
    CHECK(same_dense(summed, dup));
    CHECK_THROWS_MSG(coo2csr(dup, duplicates::reject), format_error,
                     Contains("position (1, 2) appears twice (triplets 0 and 2)"));
    const auto wide = coo2csr<std::int64_t>(dup);
    STATIC_REQUIRE(std::is_same_v<decltype(wide)::offset_type, std::int64_t>);
}

TEMPLATE_TEST_CASE("Round trips coo -> csr -> csc -> csr -> dense equal the original", "[coo][csr][csc]", float,
                   double) {
    using T = TestType;
    for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{0, 0}, {1, 1}, {3, 7}, {40, 25}})
        for (auto p : {testing::Pattern::random, testing::Pattern::empty_rows, testing::Pattern::one_per_row,
                       testing::Pattern::single_dense_row, testing::Pattern::unsorted_repeats,
                       testing::Pattern::no_synapses}) {
            INFO(n_pre << " x " << n_post << ", " << testing::name(p));
            // Triplets in random order, repeats included for the unsorted pattern.
            const auto a = testing::random_arrays<T>(n_pre, n_post, p);
            std::vector<int> row, col;
            for (std::size_t i = 0; i < n_pre; ++i)
                for (int k = a.indptr[i]; k < a.indptr[i + 1]; ++k) row.push_back(static_cast<int>(i));
            col = a.indices;
            std::vector<std::size_t> perm(row.size());
            std::iota(perm.begin(), perm.end(), 0);
            std::shuffle(perm.begin(), perm.end(), testing::rng());
            std::vector<int> r2, c2;
            std::vector<T> w2;
            for (auto k : perm) {
                r2.push_back(row[k]);
                c2.push_back(col[k]);
                w2.push_back(a.weights[k]);
            }
            const COO<T> coo(static_cast<std::int64_t>(n_pre), static_cast<std::int64_t>(n_post), r2, c2,
                             std::span<const T>(w2));
            const auto csr = coo2csr(coo);
            CHECK(csr.has_sorted_indices());
            const auto csc = csr2csc(csr);
            const auto back = csc2csr(csc);
            const auto d0 = coo.todense(), d1 = back.todense();
            if (p == testing::Pattern::unsorted_repeats) {
                // Sums of repeats may associate differently: compare within rounding.
                for (std::size_t k = 0; k < n_pre * n_post; ++k)
                    CHECK(static_cast<double>(d1.data()[k]) == Approx(static_cast<double>(d0.data()[k])).margin(1e-6));
            } else {  // no repeats: every value travels unchanged
                CHECK(same_dense(coo, back));
            }
            CHECK(same_dense(csr, csc));
            CHECK(same_dense(csc, back));
            CHECK(csc.n_pre() == n_pre);
            CHECK(csc.n_post() == n_post);
        }
}

TEST_CASE("transpose between CSR and CSC shares the arrays", "[csr][csc]") {
    const auto a = testing::random_arrays<float>(5, 8, testing::Pattern::random);
    const CSR<float> W(5, 8, a.indptr, a.indices, std::span<const float>(a.weights));
    const CSC<float> Wt = transpose(W);
    CHECK(Wt.n_pre() == 8);
    CHECK(Wt.n_post() == 5);
    CHECK(Wt.indices().data() == W.indices().data());
    CHECK(Wt.weights().data() == W.weights().data());
    const auto d = W.todense(), dt = Wt.todense();
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 8; ++j) CHECK(d(i, j) == dt(j, i));
    const CSR<float> back = transpose(Wt);
    CHECK(back.indptr().data() == W.indptr().data());
    const CSC<float> from_temp = transpose(CSR<float>(W));  // temporaries are fine: shared ownership
    CHECK(from_temp.nnz() == W.nnz());
    const auto made = [&]() -> const CSR<float> { return W; };  // a const temporary too
    const CSC<float> from_const = transpose(made());
    CHECK(from_const.indices().data() == W.indices().data());
    CHECK(transpose(std::move(std::as_const(Wt))).indptr().data() == W.indptr().data());
}

TEST_CASE("A moved-from CSR or CSC still holds its arrays", "[csr][csc]") {
    const auto a = testing::random_arrays<float>(6, 9, testing::Pattern::random);
    CSR<float> W(6, 9, a.indptr, a.indices, std::span<const float>(a.weights));
    const auto dense = W.todense();
    CSR<float> moved = std::move(W);
    CSC<float> Wt = transpose(moved);
    CSC<float> moved_t;
    moved_t = std::move(Wt);
    // NOLINTBEGIN(bugprone-use-after-move): the point of the test
    for (const CSR<float>* m : {&W, &moved}) {
        CHECK(m->nnz() == a.indices.size());
        CHECK(same_dense(*m, moved));
        BinaryArray<> s(6);
        s.set(2, true);
        s.set(5, true);
        Array<float> y(9);
        y = s * *m;  // a product, not a read through no memory
        for (std::size_t j = 0; j < 9; ++j) CHECK(y(j) == Approx(dense(2, j) + dense(5, j)));
    }
    CHECK(Wt.nnz() == moved.nnz());
    CHECK(same_dense(transpose(Wt), moved));
    CHECK(same_dense(transpose(moved_t), moved));
    // NOLINTEND(bugprone-use-after-move)
}

TEMPLATE_TEST_CASE("Eigen SparseMatrix interop both ways", "[csr][csc][eigen]", float, double) {
    using T = TestType;
    Eigen::SparseMatrix<T, Eigen::ColMajor> cm(6, 9);
    Eigen::SparseMatrix<T, Eigen::RowMajor> rm(6, 9);
    for (int k = 0; k < 20; ++k) {
        const int i = static_cast<int>(testing::rng()() % 6), j = static_cast<int>(testing::rng()() % 9);
        cm.coeffRef(i, j) += static_cast<T>(k + 1);
        rm.coeffRef(i, j) += static_cast<T>(k + 1);
    }
    const CSR<T> a(rm), b(cm);  // either storage order
    const CSC<T> c(cm), d(rm);
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> dense = Eigen::Matrix<T, -1, -1>(cm);
    for (const auto* m : {&a, &b}) CHECK(m->todense().as_eigen() == dense);
    for (const auto* m : {&c, &d}) CHECK(m->todense().as_eigen() == dense);
    const Eigen::SparseMatrix<T, Eigen::RowMajor> ra = a.to_eigen();
    const Eigen::SparseMatrix<T, Eigen::ColMajor> rc = c.to_eigen();
    CHECK(Eigen::Matrix<T, -1, -1>(ra) == dense);
    CHECK(Eigen::Matrix<T, -1, -1>(rc) == dense);
    // 64-bit Eigen indices into 32-bit ones and back out as 64-bit.
    Eigen::SparseMatrix<T, Eigen::RowMajor, std::int64_t> r64(rm);
    CHECK(CSR<T>(r64).todense().as_eigen() == dense);
    const CSC<T, host, std::int64_t, std::int64_t> c64(cm);
    const Eigen::SparseMatrix<T, Eigen::ColMajor, std::int64_t> back64 = c64.to_eigen();
    CHECK(Eigen::Matrix<T, -1, -1>(back64) == dense);
    // Empty matrices, with and without rows or columns.
    for (auto [m, n] : {std::pair{0, 0}, {0, 5}, {4, 0}, {3, 3}}) {
        INFO(m << " x " << n);
        const Eigen::SparseMatrix<T, Eigen::RowMajor> e(m, n);
        const CSR<T> er(e);
        const CSC<T> ec(e);
        CHECK(er.n_pre() == static_cast<std::size_t>(m));
        CHECK(er.n_post() == static_cast<std::size_t>(n));
        CHECK(er.nnz() == 0);
        CHECK(ec.nnz() == 0);
        CHECK(er.to_eigen().rows() == m);
        CHECK(er.to_eigen().cols() == n);
        CHECK(ec.to_eigen().nonZeros() == 0);
    }
    // Homogeneous weights expand to per-synapse values.
    const CSR<T> h(2, 2, std::vector<int>{0, 1, 2}, std::vector<int>{1, 0}, T(3));
    CHECK(Eigen::Matrix<T, -1, -1>(h.to_eigen()) == (Eigen::Matrix<T, -1, -1>(2, 2) << 0, 3, 3, 0).finished());
}

namespace {

/// transpose_lines of a matrix's lines against the lines grouped by minor index one entry at a
/// time (major increasing), or none where the bounds say so.
template <class M>
void check_transpose_lines(const M& W) {
    const auto c = W.lines();
    const auto t = detail::transpose_lines(c);
    REQUIRE(t.has_value());
    REQUIRE(t->indptr.size() == c.n_minor + 1);
    REQUIRE(t->major.size() == c.nnz);
    REQUIRE(t->entry.size() == c.nnz);
    CHECK(t->indptr.data()[0] == 0);
    const std::size_t wrong = testing::transpose_mismatches(c, t->indptr.data(), t->major.data(), t->entry.data());
    CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("The transpose of a matrix's lines, made for small device copies", "[csr][csc][fixed][transposed]") {
    // Entry for entry (unsorted lines with repeats, empty lines, 64-bit indices and offsets, fixed
    // numbers per line), then the bounds: no entries, more than kTransposedLines positions, more
    // than kTransposedEntries entries, a position holding more than kTransposedLongest.
    using testing::Pattern;
    for (Pattern p : {Pattern::random, Pattern::empty_rows, Pattern::unsorted_repeats, Pattern::single_dense_row})
        check_transpose_lines(testing::random_matrix<CSR<float>>(100, 200, p, false));
    check_transpose_lines(testing::random_matrix<CSC<double, host, std::int64_t, std::int64_t>>(
        150, 300, Pattern::unsorted_repeats, true));
    check_transpose_lines(
        testing::random_fixed<FixedPostNumConn<float>>(200, 100, 9, testing::FixedPattern::unsorted_repeats, false));
    check_transpose_lines(
        testing::random_fixed<FixedPreNumConn<double, host, std::int64_t>>(100, 200, 9,
                                                                           testing::FixedPattern::distinct_sorted, true));
    CHECK_FALSE(detail::transpose_lines(testing::random_matrix<CSR<float>>(50, 40, Pattern::no_synapses, false).lines()));
    // 1 × n: a line over every position, n = kTransposedLines has its transpose, one more not.
    const std::size_t n = detail::kTransposedLines;
    std::vector<int> all(n + 1);
    std::iota(all.begin(), all.end(), 0);
    CHECK(detail::transpose_lines(CSR<float>(1, n, std::vector<int>{0, static_cast<int>(n)},
                                             std::span<const int>(all).first(n), 1.0f)
                                      .lines()));
    CHECK_FALSE(
        detail::transpose_lines(CSR<float>(1, n + 1, std::vector<int>{0, static_cast<int>(n + 1)}, all, 1.0f).lines()));
    // 1,024 rows of 512 entries at (r + 7 t) mod 4,096 (128 per position): 2^19 entries, then one
    // entry more in the last row.
    auto spread = [&](std::size_t extra) {
        std::vector<int> ip{0}, ix;
        for (std::size_t r = 0; r < 1024; ++r) {
            for (std::size_t t = 0; t < 512 + (r == 1023 ? extra : 0); ++t)
                ix.push_back(static_cast<int>((r + 7 * t) % 4096));
            ip.push_back(static_cast<int>(ix.size()));
        }
        REQUIRE(ix.size() == detail::kTransposedEntries + extra);
        return CSR<float>(1024, 4096, ip, ix, 1.0f);
    };
    CHECK(detail::transpose_lines(spread(0).lines()));
    CHECK_FALSE(detail::transpose_lines(spread(1).lines()));
    // A position holding kTransposedLongest entries, then one more.
    for (std::size_t rows : {detail::kTransposedLongest, detail::kTransposedLongest + 1}) {
        std::vector<int> ip(rows + 1), ix(rows, 3);
        std::iota(ip.begin(), ip.end(), 0);
        CHECK(detail::transpose_lines(CSR<float>(static_cast<std::int64_t>(rows), 10, ip, ix, 1.0f).lines())
                  .has_value() == (rows <= detail::kTransposedLongest));
    }
}
