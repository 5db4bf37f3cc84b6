// Edge cases of the device products: batches of zero rows and of more than 65,535 rows (the grid's
// y and z limit), outputs that no event reaches under an infinite alpha on every scatter path,
// events of 0 at inf or NaN weights on every path, 64-bit index types off the range path, and the
// message of a failed CUDA call.
#include "edge_check.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using kernels::cuda_impl::FindActive;
using testing::Kind;
using testing::KnobScope;
using testing::Pattern;

TEST_CASE("Device products over batches of zero rows, every format", "[cuda][edges]") {
    using testing::check_zero_rows;
    for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{0, 0}, {0, 5}, {7, 13}}) {
        check_zero_rows<float, brainevent::cuda>(
            testing::random_matrix<CSR<float>>(n_pre, n_post, Pattern::random, false));
        check_zero_rows<double, brainevent::cuda>(
            testing::random_matrix<CSC<double>>(n_pre, n_post, Pattern::random, true));
        check_zero_rows<float, brainevent::cuda>(Dense<float>(n_pre, n_post, testing::uniform<float>(n_pre * n_post)));
        check_zero_rows<float, brainevent::cuda>(JITCScalarR<float>(0.5f, 0.3, 1, {n_pre, n_post}));
        check_zero_rows<double, brainevent::cuda>(JITCNormalC<double>(0.0, 1.0, 0.3, 2, {n_pre, n_post}));
    }
    // A CSR with a range index, its scatter forced onto it.
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    check_zero_rows<float, brainevent::cuda>(testing::ranged_matrix<CSR<float>>(300, 2 * 4096 + 77, false));
    check_zero_rows<float, brainevent::cuda>(
        testing::random_fixed<FixedPostNumConn<float>>(7, 13, 3, testing::FixedPattern::distinct_sorted, false));
    check_zero_rows<float, brainevent::cuda>(
        testing::random_fixed<FixedPreNumConn<float>>(7, 13, 3, testing::FixedPattern::unsorted_repeats, true));
}

TEST_CASE("Device products and compaction over batches of more than 65,535 rows", "[cuda][edges][big_batch]") {
    // A grid's y and z dimensions stop at 65,535: kernels that put batch rows there must loop.
    // Every format, both orientations, every event kind, the CSR scatter by every finder (the
    // range scatter, forced, falls back above 65,535 rows).
    constexpr std::size_t rows = 65537;
    auto each = [&](const auto& W1, const auto& W2) {
        for (Kind kind : {Kind::binary, Kind::indexed, Kind::real})
            for (bool left : {true, false}) testing::check_case<float, brainevent::cuda>(rows, W1, W2, 0.3, kind, left);
    };
    const auto csr1 = testing::random_matrix<CSR<float>>(5, 7, Pattern::random, false);
    const auto csr2 = testing::random_matrix<CSR<float>>(5, 7, Pattern::unsorted_repeats, false);
    for (FindActive how : {FindActive::automatic, FindActive::by_warp, FindActive::by_tile, FindActive::by_range}) {
        INFO("find active lines: " << static_cast<int>(how));
        const KnobScope scope(kernels::cuda_impl::scatter_find_active, how);
        each(csr1, csr2);
    }
    each(csr2csc(csr1), csr2csc(csr2));
    each(Dense<float>(5, 7, testing::uniform<float>(35)), Dense<float>(5, 7, testing::uniform<float>(35)));
    each(testing::random_fixed<FixedPostNumConn<float>>(5, 7, 3, testing::FixedPattern::distinct_sorted, false),
         testing::random_fixed<FixedPostNumConn<float>>(5, 7, 3, testing::FixedPattern::unsorted_repeats, true));
    each(testing::random_fixed<FixedPreNumConn<float>>(5, 7, 2, testing::FixedPattern::distinct_sorted, false),
         testing::random_fixed<FixedPreNumConn<float>>(5, 7, 2, testing::FixedPattern::unsorted_repeats, true));
    each(JITCScalarR<float>(0.5f, 0.3, 1, {5, 7}), JITCScalarR<float>(-1.0f, 0.6, 2, {5, 7}));
    each(JITCNormalC<float>(0.0f, 1.0f, 0.3, 3, {5, 7}), JITCNormalC<float>(1.0f, 0.5f, 1.0, 4, {5, 7}));

    // Compaction of such a batch lists each row's spikes in order.
    const auto bits = testing::spikes(rows * 5, 0.3);
    const BinaryArray<> s_host(rows, 5, std::span<const std::uint8_t>(bits));
    IndexedBinary2d<brainevent::cuda> listed;
    compact(to_device(s_host), listed);
    const auto got = to_host(listed);
    const IndexedBinary2d<> want(s_host);
    REQUIRE(got.rows() == rows);
    std::size_t wrong = 0;
    for (std::size_t b = 0; b < rows; ++b)
        wrong += !std::equal(got.row(b).begin(), got.row(b).end(), want.row(b).begin(), want.row(b).end());
    CHECK(wrong == 0);
}

TEMPLATE_TEST_CASE("On every device scatter path an output no event reaches stays an exact 0 whatever alpha",
                   "[cuda][edges]", float, double) {
    using T = TestType;
    // The vector (batch 0) and batch 8, every event kind.
    auto check = [](const auto& W, bool left) {
        testing::check_infinite_alpha_every_kind<brainevent::cuda>(W, left, {0, 8});
    };
    // CSR: the gather over the transposed lines (small matrices hold them), and the scatter with
    // either finder and global atomics.
    for (bool hom : {false, true}) {
        const auto csr = testing::random_matrix<CSR<T>>(300, 500, Pattern::random, hom);
        for (FindActive how : {FindActive::automatic, FindActive::by_warp, FindActive::by_tile}) {
            INFO("find active lines: " << static_cast<int>(how) << (hom ? ", homogeneous" : ", heterogeneous"));
            const KnobScope scope(kernels::cuda_impl::scatter_find_active, how);
            check(csr, true);
        }
        const KnobScope scatters(kernels::cuda_impl::gather_transposed, false);
        check(testing::random_matrix<CSC<T>>(500, 300, Pattern::empty_rows, hom), false);
    }
    // The range scatter: one block per range (plain stores) or shares adding tiles with atomics,
    // merged ranges; float tiles, and integer counts (homogeneous weight, binary or indexed).
    {
        const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
        for (bool hom : {false, true}) {
            const auto csr = testing::ranged_matrix<CSR<T>>(600, 2 * 4096 + 77, hom);
            const auto csc = testing::ranged_matrix<CSC<T>>(3 * 4096, 400, hom);
            REQUIRE((to_device(csr).has_range_index() && to_device(csc).has_range_index()));
            for (auto [shares, merge] : {std::pair{1u, 1u}, {3u, 1u}, {2u, 2u}, {0u, 0u}}) {
                INFO("shares per range " << shares << ", index ranges per range " << merge
                                         << (hom ? ", homogeneous" : ", heterogeneous"));
                const KnobScope split(kernels::cuda_impl::range_shares, shares);
                const KnobScope merged(kernels::cuda_impl::range_merge, merge);
                check(csr, true);
                check(csc, false);
            }
        }
    }
    check(testing::random_fixed<FixedPostNumConn<T>>(300, 500, 9, testing::FixedPattern::distinct_sorted, false), true);
    check(testing::random_fixed<FixedPreNumConn<T>>(500, 300, 9, testing::FixedPattern::distinct_sorted, true), false);
    // Dense: every output of an active row is reached; 300 inputs split over two blocks, one of
    // them without the event (it must add nothing, not inf · 0).
    check(Dense<T>(300, 37, testing::uniform<T>(300 * 37)), true);
    check(Dense<T>(40, 700, testing::uniform<T>(40 * 700)), true);
    for (std::size_t n_pre : {40, 300}) {
        testing::check_no_event_infinite_alpha<T, brainevent::cuda>(
            Dense<T>(n_pre, 37, testing::uniform<T>(n_pre * 37)), true);
    }
    testing::check_no_event_infinite_alpha<T, brainevent::cuda>(
        testing::random_matrix<CSR<T>>(300, 500, Pattern::random, false), true);
    testing::check_no_event_infinite_alpha<T, brainevent::cuda>(JITCScalarR<T>(T(0.5), 0.05, 3, {300, 20000}), true);
    // JITC: the tile scatter with a thread per line (integer counts for binary events and a scalar
    // weight, float tiles otherwise) and with a warp per line (≥ 32 entries per column block).
    check(JITCScalarR<T>(T(0.5), 0.05, 3, {300, 20000}), true);
    check(JITCScalarR<T>(T(-2), 0.5, 4, {300, 200}), true);
    check(JITCNormalR<T>(T(0), T(1), 0.05, 5, {300, 20000}), true);
    check(JITCUniformC<T>(T(-1), T(1), 0.05, 6, {20000, 300}), false);
}

TEMPLATE_TEST_CASE("On the device, events of 0 contribute nothing where W holds inf or NaN, every format and path",
                   "[cuda][edges][nonfinite]", float, double) {
    using T = TestType;
    using testing::check_nonfinite_every_format;
    namespace knobs = kernels::cuda_impl;
    // Default paths: batched gathers over bit or value columns, the gather over transposed lines
    // of these small matrices, the dense kernels, JITC tiles and batched JITC gathers.
    for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{37, 300}, {300, 37}})
        for (bool left : {true, false})
            for (double rate : {0.01, 0.5})
                check_nonfinite_every_format<T, brainevent::cuda>(n_pre, n_post, left, rate);
    // The others: gathers a warp per output and row, scatters by warps or tiles with atomics.
    {
        const KnobScope per_row(knobs::gather_batch_columns, false);
        const KnobScope jitc_per_row(knobs::jitc_gather_columns, false);
        for (FindActive how : {FindActive::by_warp, FindActive::by_tile}) {
            INFO("gathers per row, scatters with atomics, find active lines: " << static_cast<int>(how));
            const KnobScope scope(knobs::scatter_find_active, how);
            for (bool left : {true, false}) check_nonfinite_every_format<T, brainevent::cuda>(37, 300, left, 0.2);
        }
    }
    // The range scatter: float tiles with non-finite weights at silent rows, and integer counts
    // under one shared weight of inf or NaN.
    const KnobScope how(knobs::scatter_find_active, FindActive::by_range);
    const auto ranged = testing::ranged_matrix<CSR<T>>(600, 2 * 4096 + 77, false);
    REQUIRE(to_device(ranged).has_range_index());
    const auto silent = testing::silent_inputs(600);
    testing::check_silent_nonfinite<T, brainevent::cuda>(testing::poisoned(ranged, true, silent), true, silent, 0.1,
                                                         {0, 3});
    const auto pattern = testing::restructured(ranged, T(1));
    for (T w : {std::numeric_limits<T>::infinity(), std::numeric_limits<T>::quiet_NaN()}) {
        INFO("one shared weight " << w);
        testing::check_silent_nonfinite<T, brainevent::cuda>(
            testing::restructured(ranged, w), true, std::vector<bool>(600, false), 0.1, {0, 3}, &pattern, double(w));
    }
}

TEMPLATE_TEST_CASE("Device CSR and CSC with 64-bit indices and offsets off the range path", "[cuda][csr][csc][edges]",
                   float, double) {
    // The range scatter's 64-bit kernels are tested with it ([range]); here the others: the gather
    // over transposed lines, the scatter by warps and by tiles, the index-list scatter and the
    // gathers of W * s.
    using T = TestType;
    using Wide = CSR<T, host, std::int64_t, std::int64_t>;
    using WideC = CSC<T, host, std::int64_t, std::int64_t>;
    using Mixed = CSR<T, host, std::int32_t, std::int64_t>;
    for (FindActive how : {FindActive::automatic, FindActive::by_warp, FindActive::by_tile}) {
        INFO("find active lines: " << static_cast<int>(how));
        const KnobScope scope(kernels::cuda_impl::scatter_find_active, how);
        for (auto [n_pre, n_post] : {std::pair<std::size_t, std::size_t>{7, 13}, {100, 700}})
            for (Pattern p : {Pattern::random, Pattern::unsorted_repeats})
                for (bool hom : {false, true}) {
                    INFO(testing::name(p) << (hom ? ", homogeneous" : ", heterogeneous"));
                    const auto wide = testing::random_matrix<Wide>(n_pre, n_post, p, hom);
                    const auto widec = testing::random_matrix<WideC>(n_pre, n_post, p, hom);
                    const auto mixed = testing::random_matrix<Mixed>(n_pre, n_post, p, hom);
                    for (std::size_t batch : {0, 3})
                        for (Kind kind : {Kind::binary, Kind::indexed64, Kind::real})
                            for (bool left : {true, false}) {
                                testing::check_case<T, brainevent::cuda>(batch, wide, wide, 0.1, kind, left);
                                testing::check_case<T, brainevent::cuda>(batch, widec, widec, 0.1, kind, left);
                                testing::check_case<T, brainevent::cuda>(batch, mixed, mixed, 0.1, kind, left);
                            }
                }
    }
}

TEST_CASE("A failed CUDA call throws cuda_error naming the call and the CUDA error", "[cuda][errors]") {
    using Catch::Matchers::Contains;
    int device = -1;
    REQUIRE(cudaGetDevice(&device) == cudaSuccess);
    CHECK_THROWS_MSG(BRAINEVENT_CUDA_CHECK(cudaSetDevice(-1)), cuda_error,
                     Contains("cudaSetDevice(-1) failed") && Contains("cudaErrorInvalidDevice"));
    CHECK(cudaGetLastError() == cudaSuccess);  // cleared: a later check does not report it again
    int now = -2;
    REQUIRE(cudaGetDevice(&now) == cudaSuccess);
    CHECK(now == device);
}
