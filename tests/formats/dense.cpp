// Dense: owning and viewing construction, Eigen interop both ways without copies, errors.
#include "helpers.hpp"

using namespace brainevent;

TEMPLATE_TEST_CASE("Dense owns or views its weights", "[dense][format]", float, double) {
    using T = TestType;
    Dense<T> z(2, 3);
    CHECK(z.n_pre() == 2);
    CHECK(z.n_post() == 3);
    CHECK(z.owns());
    CHECK(z(1, 2) == T(0));

    const std::vector<T> w{1, 2, 3, 4, 5, 6};
    Dense<T> a(2, 3, w);
    CHECK(a(1, 0) == T(4));
    Dense<T> copy = a;  // an owning copy is deep
    copy(0, 0) = T(9);
    CHECK(a(0, 0) == T(1));
    Dense<T> moved = std::move(copy);
    CHECK(moved(0, 0) == T(9));
    CHECK(moved.owns());

    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(3, 4);
    m.setRandom();
    Dense<T> v(m);  // views, no copy
    CHECK_FALSE(v.owns());
    CHECK(v.data() == m.data());
    CHECK(v.n_pre() == 3);
    CHECK(v.n_post() == 4);
    m(2, 1) = T(42);
    CHECK(v(2, 1) == T(42));
    Dense<T> vcopy = v;  // copying a view copies the view
    CHECK(vcopy.data() == m.data());

    auto back = a.as_eigen();  // and back to Eigen, no copy
    CHECK(back.data() == a.data());
    back(0, 1) = T(-2);
    CHECK(a(0, 1) == T(-2));

    const auto& cm = m;
    Dense<const T> ro(cm);  // a read-only view of a const matrix
    CHECK(ro.data() == m.data());
    Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> map(w.data(), 2, 3);
    Dense<const T> fm(map);
    CHECK(fm(1, 2) == T(6));

    T raw[6] = {0, 1, 2, 3, 4, 5};
    auto rv = Dense<T>::view(raw, 3, 2);
    CHECK(rv(2, 1) == T(5));
}

TEST_CASE("Dense rejects inconsistent or non-contiguous input", "[dense][format][errors]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_MSG(Dense<float>(2, 3, std::vector<float>(5)), shape_error,
                     Contains("5 weights") && Contains("(2, 3)"));
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(4, 4);
    auto block = m.block(0, 0, 3, 2);
    CHECK_THROWS_MSG(Dense<float>(block), value_error, Contains("not contiguous") && Contains("(3, 2)"));
    CHECK_THROWS_MSG(Dense<float>::view(nullptr, 2, 2), value_error, Contains("null data"));
}

TEST_CASE("Dense views Eigen vectors of either orientation", "[dense][format][eigen]") {
    Eigen::VectorXf column(5);  // 5 × 1: one weight per presynaptic neuron
    column << 1, 2, 3, 4, 5;
    const Dense<float> C(column);
    CHECK(C.n_pre() == 5);
    CHECK(C.n_post() == 1);
    CHECK(C.data() == column.data());
    Eigen::RowVectorXf row(3);  // 1 × 3
    row << 7, 8, 9;
    const Dense<float> R(row);
    CHECK(R.n_pre() == 1);
    CHECK(R.n_post() == 3);
    BinaryArray<> s(5);
    s.set(1, true);
    s.set(4, true);
    Array<float> y(1);
    y = s * C;
    CHECK(y(0) == 7.0f);
    BinaryArray<> one(1);
    one.set(0, true);
    Array<float> z(3);
    z = one * R;
    CHECK(z(2) == 9.0f);
    Eigen::Matrix<float, 8, 1> fixed = Eigen::Matrix<float, 8, 1>::Ones();
    CHECK(Dense<float>(fixed).n_pre() == 8);
}

TEST_CASE("A column-major Eigen matrix is used through the view of its transpose", "[dense][format][eigen]") {
    Eigen::MatrixXd m(3, 5);  // W, column-major: its storage is W^T row-major
    m.setRandom();
    const Dense<double> Wt(m.transpose());  // W^T (5 × 3), a view
    CHECK(Wt.n_pre() == 5);
    CHECK(Wt.n_post() == 3);
    CHECK(Wt.data() == m.data());
    BinaryArray<> s(3), t(5);
    s.set(1, true);
    s.set(2, true);
    t.set(0, true);
    t.set(4, true);
    Array<double> y(5), z(3);
    y = s * transpose(Wt);  // s * W
    z = transpose(Wt) * t;  // W * t
    for (Eigen::Index j = 0; j < 5; ++j) CHECK(y(static_cast<std::size_t>(j)) == Approx(m(1, j) + m(2, j)));
    for (Eigen::Index i = 0; i < 3; ++i) CHECK(z(static_cast<std::size_t>(i)) == Approx(m(i, 0) + m(i, 4)));
}
