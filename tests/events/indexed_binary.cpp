// IndexedBinary1d/2d: compaction from BinaryArray, index lists, validation errors.
#include "helpers.hpp"

using namespace brainevent;

TEMPLATE_TEST_CASE("IndexedBinary compaction lists exactly the spikes, in order", "[events][indexed]", std::int32_t,
                   std::int64_t) {
    using I = TestType;
    for (std::size_t n : {0, 1, 7, 8, 9, 63, 64, 65, 1000})
        for (double rate : {0.0, 0.01, 0.5, 1.0}) {
            const auto bits = testing::spikes(3 * n, rate);
            BinaryArray<> vec{std::span<const std::uint8_t>(bits.data(), n)};
            IndexedBinary1d<host, I> iv(vec);
            std::vector<I> want;
            for (std::size_t i = 0; i < n; ++i)
                if (bits[i]) want.push_back(static_cast<I>(i));
            CHECK(std::vector<I>(iv.indices().begin(), iv.indices().end()) == want);
            CHECK(iv.cols() == n);
            CHECK(iv.shape() == Shape::vector(n));

            BinaryArray<> batch(3, n, std::span<const std::uint8_t>(bits));
            IndexedBinary2d<host, I> ib(batch);
            CHECK(ib.shape() == Shape::matrix(3, n));
            for (std::size_t b = 0; b < 3; ++b) {
                std::vector<I> wb;
                for (std::size_t i = 0; i < n; ++i)
                    if (bits[b * n + i]) wb.push_back(static_cast<I>(i));
                CHECK(std::vector<I>(ib.row(b).begin(), ib.row(b).end()) == wb);
                CHECK(ib.count(b) == wb.size());
            }
        }
}

TEST_CASE("IndexedBinary from index lists", "[events][indexed]") {
    IndexedBinary1d<> a(10, std::vector<std::int32_t>{9, 0, 4});  // order is kept, need not be sorted
    CHECK(a.count() == 3);
    CHECK(a.indices()[0] == 9);

    IndexedBinary2d<> b(6, std::vector<std::vector<std::int32_t>>{{1, 2}, {}, {5}});
    CHECK(b.rows() == 3);
    CHECK(b.count(1) == 0);
    CHECK(b.row(2)[0] == 5);

    const std::int32_t counts[] = {1, 0, 2};
    const std::int32_t flat[] = {3, 0, 1};
    IndexedBinary2d<> c(4, counts, flat);
    CHECK(c.row(2).size() == 2);
    CHECK(c.row(2)[1] == 1);
}

TEST_CASE("IndexedBinary rejects bad index lists with the position", "[events][indexed][errors]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_MSG(IndexedBinary1d<>(5, std::vector<std::int32_t>{1, 5}), format_error,
                     Contains("index 5") && Contains("position 1") && Contains("out of range for 5"));
    CHECK_THROWS_MSG(IndexedBinary1d<>(5, std::vector<std::int32_t>{-1}), format_error, Contains("index -1"));
    CHECK_THROWS_MSG(IndexedBinary1d<>(5, std::vector<std::int32_t>{2, 3, 2}), format_error,
                     Contains("index 2 appears twice") && Contains("position 2"));
    CHECK_THROWS_MSG(IndexedBinary2d<>(5, std::vector<std::vector<std::int32_t>>{{0}, {4, 4}}), format_error,
                     Contains("appears twice in row 1"));
    CHECK_THROWS_MSG(IndexedBinary2d<>(3, std::vector<std::vector<std::int32_t>>{{0}, {3}}), format_error,
                     Contains("index 3") && Contains("row 1"));
    const std::int32_t counts[] = {1, -1};
    const std::int32_t flat[] = {0};
    CHECK_THROWS_MSG(IndexedBinary2d<>(3, counts, flat), format_error, Contains("count -1 of row 1"));
    const std::int32_t counts2[] = {1, 2};
    CHECK_THROWS_MSG(IndexedBinary2d<>(3, counts2, flat), format_error, Contains("add up to 3 but 1 indices"));
    BinaryArray<> batch(2, 3);
    CHECK_THROWS_MSG(IndexedBinary1d<>(batch), shape_error, Contains("(2, 3)"));
}

TEST_CASE("IndexedBinary2d refuses counts whose sum overflows", "[events][indexed][errors]") {
    using Catch::Matchers::Contains;
    constexpr auto big = std::numeric_limits<std::int64_t>::max();
    const std::int64_t counts[] = {big, big, 4};  // adds up to 2 modulo 2^64
    const std::int64_t flat[] = {0, 1};
    CHECK_THROWS_MSG((IndexedBinary2d<host, std::int64_t>(5, counts, flat)), format_error,
                     Contains("row 2") && Contains("more than any size"));
}

TEST_CASE("Moved-from event lists are empty", "[events][indexed][binary]") {
    Dense<float> W(4, 3, std::vector<float>(12, 1.0f));
    Array<float> y(3);
    BinaryArray<> bits(2, 4);
    bits.set(1, 2, true);
    BinaryArray<> moved_bits = std::move(bits);
    CHECK(moved_bits.shape() == Shape::matrix(2, 4));
    CHECK(bits.shape() == Shape::vector(0));  // NOLINT(bugprone-use-after-move): the point of the test
    CHECK_THROWS_AS(y = bits * W, shape_error);

    IndexedBinary1d<> one(4, std::vector<std::int32_t>{0, 3});
    IndexedBinary1d<> moved_one = std::move(one);
    CHECK(moved_one.count() == 2);
    CHECK(one.cols() == 0);  // NOLINT(bugprone-use-after-move)
    CHECK(one.count() == 0);
    CHECK_THROWS_AS(y = one * W, shape_error);
    one = IndexedBinary1d<>(4, std::vector<std::int32_t>{2});  // usable again
    y = one * W;
    CHECK(y(0) == 1.0f);

    IndexedBinary2d<> two(4, std::vector<std::vector<std::int32_t>>{{1}, {0, 2}});
    IndexedBinary2d<> moved_two = std::move(two);
    CHECK(moved_two.rows() == 2);
    CHECK(two.rows() == 0);  // NOLINT(bugprone-use-after-move)
    CHECK(two.cols() == 0);
    Array<float> Y(2, 3);
    CHECK_THROWS_AS(Y = two * W, shape_error);
    one = std::move(moved_one);
    CHECK(one.count() == 2);
    CHECK(moved_one.cols() == 0);  // NOLINT(bugprone-use-after-move): move assignment empties the source
    CHECK(moved_one.count() == 0);
    BinaryArray<> other(3);
    other = std::move(moved_bits);
    CHECK(other.shape() == Shape::matrix(2, 4));
    CHECK(moved_bits.size() == 0);  // NOLINT(bugprone-use-after-move)
    IndexedBinary2d<> two_again;
    two_again = std::move(moved_two);
    CHECK(two_again.rows() == 2);
    CHECK(moved_two.rows() == 0);  // NOLINT(bugprone-use-after-move)
    moved_two = two_again;         // copy assignment
    CHECK(moved_two.count(1) == 2);
    Y = moved_two * W;
    CHECK(Y(1, 0) == 2.0f);
}
