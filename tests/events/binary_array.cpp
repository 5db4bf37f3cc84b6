// BinaryArray: construction rules (non-zero bytes, value > 0), shapes, counts, errors.
#include "helpers.hpp"

using namespace brainevent;

TEST_CASE("BinaryArray from bools, bytes and real values", "[events][binary]") {
    const bool b[] = {true, false, true};
    BinaryArray<> s1{std::span<const bool>(b)};
    CHECK(s1.shape() == Shape::vector(3));
    CHECK(s1(0));
    CHECK_FALSE(s1(1));
    CHECK(s1.count() == 2);

    const std::uint8_t bytes[] = {0, 7, 0, 255};
    BinaryArray<> s2{std::span<const std::uint8_t>(bytes)};
    CHECK(s2.count() == 2);  // any non-zero byte is a spike
    CHECK(s2(3));

    // Rule: active iff value > 0; zero, negative and NaN are silent.
    const float v[] = {0.5f, 0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(), 1e-30f, -0.0f};
    BinaryArray<> s3{std::span<const float>(v)};
    CHECK(s3(0));
    CHECK_FALSE(s3(1));
    CHECK_FALSE(s3(2));
    CHECK_FALSE(s3(3));
    CHECK(s3(4));
    CHECK_FALSE(s3(5));
    CHECK(s3.count() == 2);

    const std::vector<double> m = {1, 0, 0, 0, 2, 3};
    BinaryArray<> s4(2, 3, std::span<const double>(m));
    CHECK(s4.shape() == Shape::matrix(2, 3));
    CHECK(s4.count(0) == 1);
    CHECK(s4.count(1) == 2);
    CHECK(s4(1, 2));

    Array<float> a(2, 2, std::vector<float>{0, 1, 2, 0});
    BinaryArray<> s5(a);
    CHECK(s5.shape() == Shape::matrix(2, 2));
    CHECK(s5.count() == 2);
}

TEST_CASE("BinaryArray set, assign and empty shapes", "[events][binary]") {
    BinaryArray<> s(2, 5);
    CHECK(s.count() == 0);
    s.set(1, 4, true);
    CHECK(s(1, 4));
    CHECK(s.count(1) == 1);
    s.set(1, 4, false);
    CHECK(s.count() == 0);

    const std::uint8_t* before = s.data();
    std::vector<std::uint8_t> next(10, 1);
    s.assign(std::span<const std::uint8_t>(next));
    CHECK(s.count() == 10);
    CHECK(s.data() == before);  // refilling does not reallocate

    BinaryArray<> e;
    CHECK(e.size() == 0);
    CHECK(e.count() == 0);
    BinaryArray<> e2(0, 7);
    CHECK(e2.shape() == Shape::matrix(0, 7));
}

TEST_CASE("BinaryArray rejects inconsistent sizes", "[events][binary][errors]") {
    const std::vector<std::uint8_t> five(5);
    CHECK_THROWS_MSG(BinaryArray<>(2, 3, std::span<const std::uint8_t>(five)), shape_error,
                     Catch::Matchers::Contains("5 values") && Catch::Matchers::Contains("(2, 3)"));
    BinaryArray<> s(4);
    CHECK_THROWS_MSG(s.assign(std::span<const std::uint8_t>(five)), shape_error,
                     Catch::Matchers::Contains("5 values") && Catch::Matchers::Contains("(4)"));
}
