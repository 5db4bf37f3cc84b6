// Expression semantics: no work in operator*, shapes checked with both shapes in the message,
// aliasing rejected, operands captured safely.
#include "helpers.hpp"

using namespace brainevent;
using Catch::Matchers::Contains;

TEST_CASE("Products check inner and output shapes", "[expr][errors]") {
    Dense<float> W(3, 5);
    BinaryArray<> s4(4), s3(3), s5(5);
    CHECK_THROWS_MSG(s4 * W, shape_error,
                     Contains("(4)") && Contains("(3, 5)") && Contains("s * W") && Contains("W has 3 rows"));
    CHECK_THROWS_MSG(W * s4, shape_error,
                     Contains("(4)") && Contains("(3, 5)") && Contains("W * s") && Contains("W has 5 columns"));
    CHECK_NOTHROW(s5 * transpose(W));  // W * s needs 5 inputs
    CHECK_THROWS_MSG(s3 * transpose(W), shape_error, Contains("(3)") && Contains("(3, 5)"));
    Array<float> y4(4), y5(5), y3(3);
    CHECK_THROWS_MSG(y4 = s3 * W, shape_error, Contains("(4)") && Contains("(5)"));
    CHECK_THROWS_MSG(y5 = W * s5, shape_error, Contains("(5)") && Contains("(3)"));
    BinaryArray<> batch(2, 3);
    Array<float> yb(3, 5);
    CHECK_THROWS_MSG(yb = batch * W, shape_error, Contains("(3, 5)") && Contains("(2, 5)"));
    CHECK_THROWS_MSG(y5 = batch * W, shape_error, Contains("(5)") && Contains("(2, 5)"));
    Dense<float> W2(3, 4);
    CHECK_THROWS_MSG(s3 * W + s3 * W2, shape_error, Contains("(5)") && Contains("(4)"));
}

TEST_CASE("Outputs that overlap an operand are rejected", "[expr][errors]") {
    Dense<float> W(4, 4, testing::uniform<float>(16));
    Array<float> x(std::span<const float>(testing::uniform<float>(4)));
    CHECK_THROWS_MSG(x = x * W, aliasing_error, Contains("overlaps"));
    CHECK_THROWS_MSG(x += W * x, aliasing_error, Contains("overlaps"));
    auto wv = view(std::span<float>(W.data(), 4));
    BinaryArray<> s(4);
    CHECK_THROWS_MSG(wv = s * W, aliasing_error, Contains("overlaps"));
}

TEST_CASE("operator* does no work; the product runs on assignment", "[expr]") {
    Dense<float> W(2, 3, std::vector<float>{1, 2, 3, 4, 5, 6});
    BinaryArray<> s(2);
    auto p = s * W;  // captured by reference: later changes to s are seen
    s.set(1, true);
    Array<float> y(3);
    y = p;
    CHECK(y(0) == 4.0f);
    CHECK(y(2) == 6.0f);

    // A temporary operand is moved into the expression and stays alive with it.
    const std::vector<std::uint8_t> both{1, 1};
    auto q = BinaryArray<>(std::span<const std::uint8_t>(both)) * W;
    y = q;
    CHECK(y(1) == 7.0f);
}

TEST_CASE("One assignment runs on one stream: a bound term binds its sum", "[expr][errors]") {
    // Stream handles are only compared here, never used (host kernels ignore them).
    auto* const a = reinterpret_cast<CUstream_st*>(std::uintptr_t{0x10});
    auto* const b = reinterpret_cast<CUstream_st*>(std::uintptr_t{0x20});
    Dense<float> W(2, 3, std::vector<float>{1, 2, 3, 4, 5, 6});
    const std::vector<std::uint8_t> both{1, 1};
    const BinaryArray<> s{std::span<const std::uint8_t>(both)};
    CHECK_FALSE(detail::bound_stream(s * W).has_value());
    CHECK(detail::bound_stream(on(a, s * W)) == Stream(a));
    CHECK(detail::bound_stream(on(a, s * W) - 2.0f * (s * W)) == Stream(a));
    CHECK(detail::bound_stream(s * W + 2.0f * on(b, s * W)) == Stream(b));
    CHECK(detail::bound_stream(on(a, s * W + on(a, s * W))) == Stream(a));
    CHECK_THROWS_MSG(on(a, s * W) + on(b, s * W), value_error, Contains("different CUDA streams"));
    CHECK_THROWS_MSG(on(a, on(b, s * W)), value_error, Contains("already bound"));
    CHECK_THROWS_MSG(on(a, s * W - 0.5f * on(b, s * W)), value_error, Contains("already bound"));
    Array<float> y(3);
    y = on(a, s * W) - 2.0f * (s * W);  // the host ignores the stream: y = −(rows 0 + 1)
    CHECK(y(0) == -5.0f);
    CHECK(y(2) == -9.0f);
}
