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
