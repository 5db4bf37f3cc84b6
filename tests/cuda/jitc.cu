// JITC on the device: the generated matrix is bit-identical to the host's, and every product
// matches the double-precision reference of todense().
#include <cmath>
#include <cstring>
#include <limits>

#include "jitc_helpers.hpp"

using namespace brainevent;
using testing::Kind;

namespace {

/// Writes every entry of g into a dense line-major n_major × n_minor device array (a thread per
/// (line, column block)).
template <class Dist, class T>
__global__ void generate_dense(detail::JitcLines<Dist> g, T* out) {
    const std::size_t blocks = g.blocks();
    for (std::size_t t = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; t < g.n_major * blocks;
         t += std::size_t{gridDim.x} * blockDim.x) {
        const std::size_t r = t / blocks, c = t % blocks;
        g.for_each_in_block(r, c, [&](std::size_t j, T w) { out[r * g.n_minor + j] = w; });
    }
}

/// The device generates exactly the host's entries and weights, bit for bit. Positions without an
/// entry hold NaN on both sides, so that entries of weight 0 are compared too.
template <class M>
void check_bit_identical(const M& w_host) {
    using T = typename M::value_type;
    const auto& g = w_host.lines();
    const T none = std::numeric_limits<T>::quiet_NaN();
    Buffer<T, brainevent::cuda> dev(g.n_major * g.n_minor, none);
    generate_dense<<<256, 256>>>(to_device(w_host).lines(), dev.data());
    REQUIRE(cudaDeviceSynchronize() == cudaSuccess);
    std::vector<T> got(dev.size()), want(dev.size(), none);
    detail::copy_to_host(got.data(), dev.data(), got.size(), nullptr);
    for (std::size_t r = 0; r < g.n_major; ++r) g.for_each(r, [&](std::size_t j, T w) { want[r * g.n_minor + j] = w; });
    std::size_t differ = 0, entries = 0;
    for (std::size_t k = 0; k < got.size(); ++k) {
        differ += std::memcmp(&got[k], &want[k], sizeof(T)) != 0;
        entries += !std::isnan(want[k]);
    }
    INFO(entries << " entries");
    CHECK(entries > 0);
    CHECK(differ == 0);
}

/// Over every 32-bit word: the largest |fast_log_uniform − log_uniform| / (|fast_log_uniform| ·
/// 2^-21 + 2^-22), the bound JitcLines::skip_fast relies on (below 1), as float bits.
__global__ void fast_log_bound(unsigned* worst) {
    using Lines = detail::JitcLines<ScalarWeight<float>>;
    float m = 0;
    for (std::uint64_t k = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; k < (std::uint64_t{1} << 32);
         k += std::uint64_t{gridDim.x} * blockDim.x) {
        const auto word = static_cast<std::uint32_t>(k);
        const float fast = Lines::fast_log_uniform(word), portable = random::log_uniform(word);
        m = fmaxf(m, fabsf(fast - portable) / (fabsf(fast) * 0x1p-21f + 0x1p-22f));
    }
    atomicMax(worst, __float_as_uint(m));
}

/// Over every 32-bit word: counts[0] += words whose device skip (skip_of, and skip_fast where it
/// decides) differs from the portable floor(log_uniform · skip_scale); counts[1] += words that
/// skip_fast leaves to the portable logarithm.
__global__ void skips_of_every_word(detail::JitcLines<ScalarWeight<float>> g, unsigned long long* counts) {
    unsigned long long differ = 0, undecided = 0;
    for (std::uint64_t k = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; k < (std::uint64_t{1} << 32);
         k += std::uint64_t{gridDim.x} * blockDim.x) {
        const auto word = static_cast<std::uint32_t>(k);
        const float portable = floorf(random::log_uniform(word) * g.skip_scale);
        float fast;
        const bool decided = g.skip_fast(word, fast);
        differ += (decided && fast != portable) || g.skip_of(word) != portable;
        undecided += !decided;
    }
    atomicAdd(counts, differ);
    atomicAdd(counts + 1, undecided);
}

template <class M, class... P>
void check_jitc_on_device(const std::vector<std::pair<std::size_t, std::size_t>>& shapes,
                          const std::vector<double>& probs, const std::vector<std::size_t>& batches, P... params) {
    testing::check_jitc<M, brainevent::cuda>(shapes, probs, batches, {0.0, 0.05, 1.0},
                                             {Kind::binary, Kind::indexed, Kind::real}, params...);
}

}  // namespace

TEST_CASE("JITC connections and weights are bit-identical on host and device", "[cuda][jitc]") {
    check_bit_identical(JITCScalarR<float>(0.5f, 0.01, 3, {300, 40000}));
    check_bit_identical(JITCNormalR<float>(0.5f, 2.0f, 0.01, 4, {300, 40000}));
    check_bit_identical(JITCNormalC<double>(-1.0, 0.3, 0.02, 5, {20000, 200}));
    check_bit_identical(JITCUniformR<double>(-1.0, 3.0, 0.3, 6, {100, 1000}));
    check_bit_identical(JITCUniformC<float>(0.0f, 1.0f, 1.0, 7, {50, 60}));
    // prob below 2^-12: two words per skip.
    check_bit_identical(JITCScalarR<float>(0.5f, 1e-4, 8, {300, 100000}));
    check_bit_identical(JITCNormalC<float>(0.0f, 1.0f, 2e-4, 9, {100000, 200}));
    // Weights of exactly 0: the positions are still compared.
    check_bit_identical(JITCScalarR<float>(0.0f, 0.01, 10, {200, 20000}));
    check_bit_identical(JITCUniformC<double>(0.0, 0.0, 0.05, 11, {3000, 100}));
}

TEST_CASE("The device's geometric skips equal the portable ones for every 32-bit word", "[cuda][jitc][skips]") {
    {
        Buffer<unsigned, brainevent::cuda> worst(1, 0u);
        fast_log_bound<<<1024, 256>>>(worst.data());
        REQUIRE(cudaDeviceSynchronize() == cudaSuccess);
        unsigned bits = 0;
        detail::copy_to_host(&bits, worst.data(), 1, nullptr);
        float ratio;
        std::memcpy(&ratio, &bits, sizeof ratio);
        INFO("largest |fast - portable| / bound: " << ratio);
        CHECK(ratio < 1.0f);
        CHECK(ratio > 0.0f);  // the two logarithms are not the same function
    }
    // prob 2^-12 is the smallest with 32-bit words.
    for (const double prob : {0.9999, 0.9, 0.5, 0.1, 0.01, 0.001, 0x1p-12}) {
        const auto g = JITCScalarR<float, brainevent::cuda>(1.0f, prob, 1, {1, 1}).lines();
        Buffer<unsigned long long, brainevent::cuda> counts(2, 0ull);
        skips_of_every_word<<<1024, 256>>>(g, counts.data());
        REQUIRE(cudaDeviceSynchronize() == cudaSuccess);
        unsigned long long got[2];
        detail::copy_to_host(got, counts.data(), 2, nullptr);
        INFO("prob " << prob << ": " << got[1] << " of 2^32 words left to the portable logarithm");
        CHECK(got[0] == 0);
        CHECK(got[1] < (std::uint64_t{1} << 32) / 50);  // the fast path decides almost every word
    }
}

TEMPLATE_TEST_CASE("CUDA JITC products match the reference", "[cuda][jitc]", float, double) {
    using T = TestType;
    const std::vector<std::pair<std::size_t, std::size_t>> shapes = {{0, 0},  {0, 5},    {5, 0},   {1, 1},
                                                                     {7, 13}, {100, 64}, {33, 700}};
    const std::vector<double> probs = {0.0, 0.2, 1.0};
    const std::vector<std::size_t> batches = {0, 1, 3, 32};
    check_jitc_on_device<JITCScalarR<T>>(shapes, probs, batches, T(0.5));
    check_jitc_on_device<JITCScalarC<T>>(shapes, probs, batches, T(-1.5));
    check_jitc_on_device<JITCNormalR<T>>(shapes, probs, batches, T(0.1), T(1));
    check_jitc_on_device<JITCNormalC<T>>(shapes, probs, batches, T(-0.2), T(0.5));
    check_jitc_on_device<JITCUniformR<T>>(shapes, probs, batches, T(-1), T(1));
    check_jitc_on_device<JITCUniformC<T>>(shapes, probs, batches, T(0), T(2));
}

TEMPLATE_TEST_CASE("CUDA JITC gathers over a batch, each line generated once per 32 rows or once per row",
                   "[cuda][jitc][columns]", float, double) {
    // Batches of one partial tile, of a full tile and one more row, and of three tiles; lines of
    // one and of several column blocks (the lanes' shares); every weight law.
    using T = TestType;
    const bool columns = GENERATE(true, false);
    INFO((columns ? "once per 32 rows" : "once per row"));
    const testing::KnobScope scope(kernels::cuda_impl::jitc_gather_columns, columns);
    const std::vector<std::pair<std::size_t, std::size_t>> shapes = {{1, 1}, {7, 13}, {33, 700}, {5, 9000}};
    const std::vector<std::size_t> batches = {2, 33, 70};
    check_jitc_on_device<JITCScalarR<T>>(shapes, {0.05, 1.0}, batches, T(0.5));
    check_jitc_on_device<JITCNormalC<T>>(shapes, {0.05}, batches, T(-0.2), T(0.5));
    check_jitc_on_device<JITCUniformR<T>>(shapes, {0.3}, batches, T(-1), T(1));
}

TEMPLATE_TEST_CASE("CUDA JITC batched gathers, small enough for the sanitizers", "[cuda][jitc][columns][racecheck]",
                   float, double) {
    // Bit and value columns, a partial tile and a second one, lines of several column blocks:
    // every shared-memory path of the batched gather (4 warps a block for doubles), in few launches.
    using T = TestType;
    testing::check_jitc<JITCNormalR<T>, brainevent::cuda>({{40, 9000}}, {0.05}, {3, 33}, {0.5},
                                                          {Kind::binary, Kind::real}, T(0), T(1));
}

TEST_CASE("CUDA JITC products over lines longer than a column block", "[cuda][jitc]") {
    check_jitc_on_device<JITCNormalR<float>>({{3, 40000}, {40000, 3}}, {0.001, 0.3}, {0, 3}, 0.0f, 1.0f);
    check_jitc_on_device<JITCUniformC<double>>({{3, 40000}, {40000, 3}}, {0.001, 0.3}, {0, 3}, -1.0, 1.0);
    // Scalar weights: a thread per line below 32 expected entries per column block, a warp above.
    check_jitc_on_device<JITCScalarR<float>>({{3, 40000}, {40000, 3}, {200, 4000}}, {1e-4, 0.001, 0.02, 0.3}, {0, 3},
                                             0.5f);
    check_jitc_on_device<JITCScalarC<double>>({{3, 40000}, {40000, 3}}, {0.001, 0.02}, {3}, -2.0);
}

TEST_CASE("CUDA JITC tile kernel, small enough for racecheck", "[cuda][jitc][racecheck]") {
    // Several column blocks per line, many active lines per tile, a batch: every shared-memory
    // path of the tile kernel, in few launches.
    testing::check_jitc<JITCNormalR<float>, brainevent::cuda>({{300, 20000}}, {0.3}, {0, 3}, {0.5}, {Kind::binary},
                                                              0.0f, 1.0f);
    testing::check_jitc<JITCScalarR<float>, brainevent::cuda>({{300, 20000}}, {0.3}, {3}, {0.5}, {Kind::binary},
                                                              1.0f);  // warp per line
}

TEST_CASE("An assigning CUDA JITC product zeroes y before it adds its tiles", "[cuda][jitc][zeroing]") {
    // 4M outputs and 64 lines of about 16 entries (and of about 20,000, walked a warp per line):
    // the zeroing (by the listing's chain, overlapped, or a memset) is long next to the tiles, so
    // a tile added before it ended would be lost. Every output is checked against the host
    // product, on outputs poisoned before each product; then the small shapes under each zeroing.
    using kernels::cuda_impl::Zeroing;
    const std::size_t n_pre = 64, n_post = std::size_t{1} << 22;
    const JITCScalarR<float> scalar(0.5f, 4e-6, 11, {n_pre, n_post});
    const JITCNormalR<float> normal(0.0f, 1.0f, 4e-6, 12, {n_pre, n_post});
    // 41 expected entries per column block: walked a warp per line (about 20,000 per line).
    const JITCScalarR<float> warp_walked(0.25f, 0.005, 13, {n_pre, n_post});
    const auto bits = testing::spikes(n_pre, 0.5);
    const BinaryArray<> s_host{std::span<const std::uint8_t>(bits)};
    const BinaryArray<brainevent::cuda> s = to_device(s_host);
    const Array<float, brainevent::cuda> poison =
        to_device(Array<float>(std::vector<float>(n_post, std::numeric_limits<float>::quiet_NaN())));
    Array<float, brainevent::cuda> y(n_post);
    for (Zeroing zeroing : {Zeroing::memset_node, Zeroing::dependent_launch, Zeroing::chained}) {
        INFO("zeroing " << static_cast<int>(zeroing));
        const testing::KnobScope scope(kernels::cuda_impl::scatter_zeroing, zeroing);
        auto check = [&](const auto& W_host) {
            Array<float> want(n_post);
            want = s_host * W_host;
            const auto W = to_device(W_host);
            for (int repeat = 0; repeat < 2; ++repeat) {
                REQUIRE(cudaMemcpy(y.data(), poison.data(), n_post * sizeof(float), cudaMemcpyDeviceToDevice) ==
                        cudaSuccess);
                y = s * W;
                const Array<float> got = to_host(y);
                std::size_t wrong = 0, entries = 0;
                for (std::size_t j = 0; j < n_post; ++j) {
                    const double a = got(j), b = want(j);
                    wrong += !(std::abs(a - b) <= 1e-5 * (1.0 + std::abs(b)));
                    entries += b != 0.0;
                }
                CHECK(entries > 100);
                CHECK(wrong == 0);
            }
        };
        check(scalar);
        check(warp_walked);
        check(normal);
        check_jitc_on_device<JITCScalarR<float>>({{7, 13}, {100, 64}, {33, 700}}, {0.2}, {1, 3}, 0.5f);
        check_jitc_on_device<JITCNormalR<double>>({{7, 13}, {33, 700}}, {0.2, 1.0}, {1, 3}, 0.1, 1.0);
    }
}

TEST_CASE("A CUDA JITC scatter waits for a long listing of its active lines", "[cuda][jitc][zeroing]") {
    // 1M lines over 500 outputs: at 1% firing the listing (chained: overlapped by the tile kernel,
    // which waits for it before it reads the list) is long next to the tiles; at 30% the tiles
    // are. y = s * W, then y += s * W, on outputs poisoned before, under every zeroing, against
    // the host product.
    using kernels::cuda_impl::Zeroing;
    const std::size_t n_pre = std::size_t{1} << 20, n_post = 500;
    const JITCScalarR<float> W_host(0.5f, 0.02, 14, {n_pre, n_post});
    const auto W = to_device(W_host);
    for (double rate : {0.01, 0.3}) {
        const auto bits = testing::spikes(n_pre, rate);
        const BinaryArray<> s_host{std::span<const std::uint8_t>(bits)};
        const BinaryArray<brainevent::cuda> s = to_device(s_host);
        Array<float> host_y(n_post);
        host_y = s_host * W_host;
        std::vector<double> want(n_post), scale(n_post);
        for (std::size_t j = 0; j < n_post; ++j) {
            want[j] = host_y(j);
            scale[j] = std::abs(want[j]);  // one weight (0.5) for every entry: |sum| = sum of |terms|
        }
        CHECK(want[0] != 0.0);
        for (Zeroing zeroing : {Zeroing::memset_node, Zeroing::dependent_launch, Zeroing::chained}) {
            INFO("firing " << rate << ", zeroing " << static_cast<int>(zeroing));
            const testing::KnobScope scope(kernels::cuda_impl::scatter_zeroing, zeroing);
            CHECK(testing::misses_of_assign_then_add(s, W, want, scale) == 0);
        }
    }
}
