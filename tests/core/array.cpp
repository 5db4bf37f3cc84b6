// Array and ArrayView: shapes, element access, Eigen views without copies, errors.
#include "helpers.hpp"

using namespace brainevent;

TEMPLATE_TEST_CASE("Array holds vectors and batch matrices", "[array]", float, double) {
    using T = TestType;
    Array<T> v(5);
    CHECK(v.shape() == Shape::vector(5));
    CHECK(v.rows() == 1);
    CHECK(v.cols() == 5);
    CHECK_FALSE(v.is_batch());
    for (std::size_t i = 0; i < 5; ++i) CHECK(v(i) == T(0));

    Array<T> m(3, 4);
    CHECK(m.shape() == Shape::matrix(3, 4));
    CHECK(m.is_batch());
    m(2, 3) = T(7);
    CHECK(m.data()[11] == T(7));
    CHECK(m.as_eigen_matrix()(2, 3) == T(7));

    const std::vector<T> vals{1, 2, 3, 4, 5, 6};
    Array<T> c(2, 3, vals);
    CHECK(c(1, 0) == T(4));
    Array<T> copy = c;
    copy(0, 0) = T(-1);
    CHECK(c(0, 0) == T(1));  // value semantics

    Array<T> empty;
    CHECK(empty.size() == 0);
    CHECK(empty.shape() == Shape::vector(0));
}

TEST_CASE("Array and view reject inconsistent sizes", "[array][errors]") {
    const std::vector<float> six(6);
    CHECK_THROWS_MSG(Array<float>(4, 2, six), shape_error,
                     Catch::Matchers::Contains("6 values") && Catch::Matchers::Contains("(4, 2)"));
    std::vector<float> buf(6);
    CHECK_THROWS_MSG(view(std::span<float>(buf), 4, 2), shape_error, Catch::Matchers::Contains("(4, 2)"));
}

TEST_CASE("Eigen vectors and row-major matrices are viewed, not copied", "[array][eigen]") {
    Eigen::VectorXf v = Eigen::VectorXf::Zero(4);
    auto vv = view(v);
    CHECK(vv.data() == v.data());
    CHECK(vv.shape() == Shape::vector(4));

    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(3, 5);
    auto mv = view(m);
    CHECK(mv.data() == m.data());
    CHECK(mv.shape() == Shape::matrix(3, 5));

    const Eigen::VectorXf& cv = v;
    auto cvv = view(cv);
    STATIC_REQUIRE(std::is_same_v<decltype(cvv), ArrayView<const float>>);

    // A map with a stride cannot be a contiguous view.
    Eigen::Map<Eigen::VectorXf, 0, Eigen::InnerStride<2>> strided(v.data(), 2, Eigen::InnerStride<2>(2));
    CHECK_THROWS_MSG(view(strided), value_error, Catch::Matchers::Contains("inner stride 2"));
    // A block of a row-major matrix with fewer columns is not contiguous.
    auto block = m.block(0, 0, 2, 3);
    CHECK_THROWS_MSG(view(block), value_error, Catch::Matchers::Contains("not contiguous"));
}

TEST_CASE("Products write into Eigen outputs through views", "[array][eigen]") {
    Dense<float> W(3, 4, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    BinaryArray<> s(3);
    s.set(0, true);
    s.set(2, true);
    Eigen::VectorXf y(4);
    view(y) = s * W;
    CHECK(y(0) == 10.0f);
    CHECK(y(3) == 16.0f);
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Y(1, 4);
    BinaryArray<> S(1, 3, std::vector<std::uint8_t>{0, 1, 0});
    view(Y) = S * W;
    CHECK(Y(0, 1) == 6.0f);
}

TEST_CASE("Sizes from negative numbers or overflowing products are refused", "[array][errors]") {
    using Catch::Matchers::Contains;
    const auto minus_two = static_cast<std::size_t>(-2), minus_three = static_cast<std::size_t>(-3);
    const std::size_t half = std::size_t{1} << 40;
    CHECK_THROWS_MSG(Array<float>(minus_two), value_error, Contains("Array") && Contains("-2"));
    CHECK_THROWS_MSG(Array<float>(minus_two, minus_three), value_error, Contains("-2"));
    CHECK_THROWS_MSG(Array<float>(half, half), value_error, Contains("overflow"));
    CHECK_THROWS_MSG(BinaryArray<>(3, minus_two), value_error, Contains("BinaryArray") && Contains("-2"));
    CHECK_THROWS_MSG(BinaryArray<>(half, half), value_error, Contains("overflow"));
    CHECK_THROWS_MSG(Dense<float>(half, half), value_error, Contains("Dense") && Contains("overflow"));
    CHECK_THROWS_MSG(Dense<float>(half, half, std::span<const float>()), value_error, Contains("overflow"));
    std::vector<float> buf(6);
    CHECK_THROWS_MSG(view(std::span<float>(buf), half, half), value_error, Contains("overflow"));
    CHECK_THROWS_MSG(Dense<float>::view(buf.data(), minus_two, 1), value_error, Contains("-2"));
}

TEST_CASE("Adopted storage must match a shape whose size does not overflow", "[array][errors]") {
    const std::size_t huge = std::size_t(1) << 63;  // above PTRDIFF_MAX: a negative number converted
    CHECK_THROWS_AS((Array<float>(Shape::matrix(huge, 2), Buffer<float, host>())), value_error);
    CHECK_THROWS_AS((Dense<float>(huge, 2, Buffer<float, host>())), value_error);
    const std::size_t wide = std::size_t(1) << 62;  // wide × 4 wraps to 0 elements
    CHECK_THROWS_AS((Array<float>(Shape::matrix(wide, 4), Buffer<float, host>())), value_error);
    CHECK_THROWS_AS((Dense<float>(4, wide, Buffer<float, host>())), value_error);
    CHECK_THROWS_AS((Array<float>(Shape::matrix(2, 3), Buffer<float, host>(5))), shape_error);
    CHECK_THROWS_AS((Dense<float>(2, 3, Buffer<float, host>(7))), shape_error);
    const Array<float> a(Shape::matrix(2, 3), Buffer<float, host>(6, 1.5f));
    CHECK(a(1, 2) == 1.5f);
    const Dense<float> d(0, 5, Buffer<float, host>());
    CHECK(d.n_post() == 5);
}

TEST_CASE("A moved-from Array is empty", "[array]") {
    Array<float> a(2, 3);
    a(1, 2) = 5.0f;
    Array<float> b = std::move(a);
    CHECK(b(1, 2) == 5.0f);
    CHECK(a.shape() == Shape::vector(0));  // NOLINT(bugprone-use-after-move): the point of the test
    CHECK(a.size() == 0);
    Dense<float> W(2, 3);
    BinaryArray<> s(2);
    CHECK_THROWS_AS(a = s * W, shape_error);  // not a write through no memory
    a = std::move(b);
    CHECK(a(1, 2) == 5.0f);
    CHECK(b.size() == 0);  // NOLINT(bugprone-use-after-move): move assignment empties the source too
    Array<float> c(4);
    c = a;  // copy assignment: same contents, own storage
    CHECK(c.shape() == Shape::matrix(2, 3));
    CHECK(c(1, 2) == 5.0f);
    CHECK(c.data() != a.data());
    BinaryArray<> S(2, 2);
    S.set(1, 0, true);
    W.as_eigen().setConstant(2.0f);
    a = S * W;
    CHECK(a(1, 2) == 2.0f);
    CHECK(a(0, 2) == 0.0f);
}
