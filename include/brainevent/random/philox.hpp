// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a
// counter-based generator, a pure function of (counter, key), identical on host and device. The
// formats that generate their structure from a seed (FixedPost/PreNumConn::random, JITC) key it
// by the seed and put what they generate (line, draw number) in the counter, so any line can be
// regenerated on its own, in any order, by any thread.
#pragma once

#include <cstdint>

#include "brainevent/core/config.hpp"

namespace brainevent::random {

/// Four 32-bit words of a Philox counter or output.
struct Words4 {
    std::uint32_t v[4];
};

/// The Philox4x32-10 bijection of `counter` under `key` (checked against the Random123
/// known-answer vectors in tests/random/philox.cpp).
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE Words4 philox4x32(Words4 c, std::uint32_t k0, std::uint32_t k1) {
    constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;  // multipliers
    constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;  // key increments (Weyl)
    for (int round = 0; round < 10; ++round) {
        if (round != 0) {
            k0 += w0;
            k1 += w1;
        }
        const std::uint64_t p0 = std::uint64_t{m0} * c.v[0], p1 = std::uint64_t{m1} * c.v[2];
        const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
        const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
        c = Words4{{hi1 ^ c.v[1] ^ k0, lo1, hi0 ^ c.v[3] ^ k1, lo0}};
    }
    return c;
}

/// Block n of the 32-bit word stream (seed, stream, lane): philox4x32({n, lane, stream}, seed).
/// Lanes separate independent uses of one stream id (JITC: positions, weights).
BRAINEVENT_HOST_DEVICE BRAINEVENT_FORCE_INLINE Words4 philox_block(std::uint64_t seed, std::uint64_t stream,
                                                                   std::uint32_t lane, std::uint32_t n) {
    return philox4x32(Words4{{n, lane, static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}},
                      static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
}

/// The words of philox_block(seed, stream, lane, 0), (…, 1), … one at a time, in order. Holds the
/// current block in four scalars (an array indexed at run time would live in local memory on a GPU).
class Words32 {
public:
    BRAINEVENT_HOST_DEVICE Words32(std::uint64_t seed, std::uint64_t stream, std::uint32_t lane) noexcept
        : seed_(seed), stream_(stream), lane_(lane) {}

    BRAINEVENT_HOST_DEVICE std::uint32_t next() noexcept {
        if (left_ == 0) {
            const Words4 b = philox_block(seed_, stream_, lane_, block_++);
            w0_ = b.v[0];
            w1_ = b.v[1];
            w2_ = b.v[2];
            w3_ = b.v[3];
            left_ = 4;
        }
        const std::uint32_t r = w0_;
        w0_ = w1_;
        w1_ = w2_;
        w2_ = w3_;
        --left_;
        return r;
    }

private:
    std::uint64_t seed_, stream_;
    std::uint32_t lane_, block_ = 0, left_ = 0;
    std::uint32_t w0_ = 0, w1_ = 0, w2_ = 0, w3_ = 0;
};

/// A stream of 64-bit random words for one (seed, stream id): word n is words 2n (low half) and
/// 2n + 1 (high half) of Words32(seed, stream, lane 0), i.e. half of philox4x32({n / 2, 0,
/// stream}, seed). Cheap to create; two streams never overlap.
class Stream64 {
public:
    BRAINEVENT_HOST_DEVICE Stream64(std::uint64_t seed, std::uint64_t stream) noexcept : words_(seed, stream, 0) {}

    /// The next 64 random bits.
    BRAINEVENT_HOST_DEVICE std::uint64_t next() noexcept {
        const std::uint64_t lo = words_.next();
        return (std::uint64_t{words_.next()} << 32) | lo;
    }

    /// Uniform on [0, n) for n > 0, exactly (rejection of the biased low range).
    BRAINEVENT_HOST_DEVICE std::uint64_t below(std::uint64_t n) noexcept {
        const std::uint64_t reject_below = (0 - n) % n;  // 2^64 mod n
        std::uint64_t r = next();
        while (r < reject_below) r = next();
        return r % n;
    }

private:
    Words32 words_;
};

}  // namespace brainevent::random
