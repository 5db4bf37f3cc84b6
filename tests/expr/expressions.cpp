// Expression semantics: no work in operator*, shapes checked with both shapes in the message,
// aliasing rejected, operands captured safely.
#include "helpers.hpp"

using namespace brainevent;
using Catch::Matchers::Contains;

TEST_CASE("Products check inner and output shapes", "[expr][errors]") {
    Dense<float> W(3, 5);
    BinaryArray<> s4(4), s3(3), s5(5);
    CHECK_THROWS_MSG(s4 * W, shape_error, Contains("(4)") && Contains("(3, 5)") && Contains("s * W"));
    CHECK_THROWS_MSG(W * s4, shape_error, Contains("(4)") && Contains("(3, 5)") && Contains("W * s"));
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
