// The counter-based generator: Random123 known answers, and the uniform-integer helper.
#include <set>

#include "helpers.hpp"

using brainevent::random::philox4x32;
using brainevent::random::Stream64;
using brainevent::random::Words4;

TEST_CASE("Philox4x32-10 reproduces the Random123 known-answer vectors", "[random]") {
    auto check = [](Words4 ctr, std::uint32_t k0, std::uint32_t k1, Words4 want) {
        const Words4 got = philox4x32(ctr, k0, k1);
        for (int i = 0; i < 4; ++i) CHECK(got.v[i] == want.v[i]);
    };
    check({{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}});
    check({{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, 0xffffffffu, 0xffffffffu,
          {{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}});
    check({{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, 0xa4093822u, 0x299f31d0u,
          {{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}});
}

TEST_CASE("Stream64 is a pure function of (seed, stream) and below(n) is uniform", "[random]") {
    Stream64 a(7, 3), b(7, 3), c(7, 4), d(8, 3);
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 100; ++i) {
        const auto x = a.next();
        CHECK(x == b.next());
        seen.insert(x);
        seen.insert(c.next());
        seen.insert(d.next());
    }
    CHECK(seen.size() == 300);  // streams and seeds do not overlap (a collision has probability ~1e-15)
    // below(n): counts over n = 10 bins, 100,000 draws; chi-square with 9 degrees of freedom
    // exceeds 33.7 with probability 1e-4.
    Stream64 r(2026, 0);
    std::vector<double> count(10);
    const int draws = 100000;
    for (int i = 0; i < draws; ++i) {
        const auto v = r.below(10);
        REQUIRE(v < 10);
        ++count[v];
    }
    double chi2 = 0;
    for (double c_i : count) chi2 += (c_i - draws / 10.0) * (c_i - draws / 10.0) / (draws / 10.0);
    CHECK(chi2 < 33.7);
    CHECK(Stream64(1, 1).below(1) == 0);
}

TEST_CASE("Words32 yields the words of consecutive Philox blocks of its lane, in order", "[random]") {
    using brainevent::random::philox_block;
    const std::uint64_t seed = 0x123456789abcdefull, stream = (std::uint64_t{5} << 24) | 9;
    // philox_block is the Philox bijection of {n, lane, stream} under the seed's two halves.
    const Words4 direct =
        philox4x32({{4, 1, static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}},
                   static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
    const Words4 block = philox_block(seed, stream, 1, 4);
    for (int k = 0; k < 4; ++k) CHECK(block.v[k] == direct.v[k]);
    brainevent::random::Words32 words(seed, stream, 1);
    for (std::uint32_t n = 0; n < 6; ++n) {
        const Words4 b = philox_block(seed, stream, 1, n);
        for (int k = 0; k < 4; ++k) CHECK(words.next() == b.v[k]);
    }
    // Lanes and streams are independent sequences.
    CHECK(philox_block(seed, stream, 0, 0).v[0] != philox_block(seed, stream, 1, 0).v[0]);
    CHECK(philox_block(seed, stream, 0, 0).v[0] != philox_block(seed, stream + 1, 0, 0).v[0]);
}
