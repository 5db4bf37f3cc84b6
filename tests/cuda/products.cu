// Device products against the same double-precision references as the host tests: Dense, CSR and
// CSC × binary and float events × vector/batch × both orientations × every assignment form,
// awkward shapes (empty, one element, rows longer than a block), outputs poisoned before each run.
#include <thread>

#include "product_check.hpp"
#include "sparse_helpers.hpp"

using namespace brainevent;
using testing::Kind;
using testing::KnobScope;
using testing::Pattern;

namespace {

template <class M>
void check_sparse_on_device(const std::vector<std::pair<std::size_t, std::size_t>>& shapes,
                            const std::vector<Pattern>& patterns, const std::vector<std::size_t>& batches,
                            const std::vector<double>& rates,
                            const std::vector<Kind>& kinds = {Kind::binary, Kind::indexed, Kind::real}) {
    using T = typename M::value_type;
    for (auto [n_pre, n_post] : shapes)
        for (Pattern p : patterns)
            for (bool hom : {false, true}) {
                const M W1 = testing::random_matrix<M>(n_pre, n_post, p, hom);
                const M W2 = testing::random_matrix<M>(n_pre, n_post, p, hom);
                INFO("structure: " << testing::name(p) << (hom ? ", homogeneous" : ", heterogeneous"));
                for (std::size_t batch : batches)
                    for (double rate : rates)
                        for (Kind kind : kinds)
                            for (bool left : {true, false})
                                testing::check_case<T, brainevent::cuda>(batch, W1, W2, rate, kind, left);
            }
}

using kernels::cuda_impl::FindActive;
using kernels::cuda_impl::Zeroing;
constexpr Zeroing kZeroings[] = {Zeroing::memset_node, Zeroing::dependent_launch, Zeroing::chained};

/// A host CSR of n_pre lines, each of k positions drawn at random from n_post (sorted, repeats
/// dropped), with random weights: sampled line by line, so that long and many lines stay cheap.
CSR<float> sampled_csr(std::size_t n_pre, std::size_t n_post, std::size_t k) {
    std::vector<int> indptr{0}, indices;
    std::uniform_int_distribution<int> pick(0, static_cast<int>(n_post) - 1);
    for (std::size_t i = 0; i < n_pre; ++i) {
        std::vector<int> row(k);
        for (int& j : row) j = pick(testing::rng());
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
        indices.insert(indices.end(), row.begin(), row.end());
        indptr.push_back(static_cast<int>(indices.size()));
    }
    const std::vector<float> weights = testing::uniform<float>(indices.size());
    return CSR<float>(n_pre, n_post, indptr, indices, std::span<const float>(weights));
}

}  // namespace

const std::vector<std::pair<std::size_t, std::size_t>> kShapes = {{0, 0},  {0, 5},    {5, 0},   {1, 1},
                                                                  {7, 13}, {100, 64}, {33, 700}};
const std::vector<Pattern> kPatterns = {Pattern::random, Pattern::empty_rows, Pattern::single_dense_row,
                                        Pattern::no_synapses, Pattern::unsorted_repeats};

TEMPLATE_TEST_CASE("CUDA CSR products match the reference", "[cuda][csr]", float, double) {
    // These small matrices hold their lines' transpose on the device: the scatters of binary and
    // float events gather over it, or (knob off) scatter.
    const bool gather = GENERATE(true, false);
    INFO((gather ? "scatter by gathering over the transposed lines" : "scatter"));
    const KnobScope scope(kernels::cuda_impl::gather_transposed, gather);
    check_sparse_on_device<CSR<TestType>>(kShapes, kPatterns, {0, 1, 3, 64}, {0.0, 0.05, 1.0});
}

TEMPLATE_TEST_CASE("CUDA CSC products match the reference", "[cuda][csc]", float, double) {
    const bool gather = GENERATE(true, false);
    INFO((gather ? "scatter by gathering over the transposed lines" : "scatter"));
    const KnobScope scope(kernels::cuda_impl::gather_transposed, gather);
    check_sparse_on_device<CSC<TestType>>(kShapes, kPatterns, {0, 1, 3, 64}, {0.0, 0.05, 1.0});
}

TEMPLATE_TEST_CASE("CUDA gathers over a batch, by bit or value columns or a warp per row", "[cuda][csr][csc][columns]",
                   float, double) {
    // Batches for each group width of gather_batch_kernel (8, 16, 32 lanes; tiles of 32 rows with
    // a partial last one), lines shorter and longer than a group's round, empty lines and repeated
    // indices; then the same with the knob off (gather_kernel, a warp per output and row).
    const bool columns = GENERATE(true, false);
    INFO((columns ? "bit or value columns" : "a warp per output and row"));
    const KnobScope scope(kernels::cuda_impl::gather_batch_columns, columns);
    const std::vector<std::pair<std::size_t, std::size_t>> shapes = {{1, 1}, {7, 13}, {33, 700}, {300, 40}};
    const std::vector<Pattern> patterns = {Pattern::random, Pattern::empty_rows, Pattern::single_dense_row,
                                           Pattern::unsorted_repeats};
    check_sparse_on_device<CSR<TestType>>(shapes, patterns, {2, 8, 9, 16, 17, 32, 33, 70}, {0.0, 0.05, 1.0});
    check_sparse_on_device<CSC<TestType>>({{700, 33}}, {Pattern::random}, {5, 40}, {0.05});
}

namespace {

/// The transposed lines of a device copy, read back, against the host matrix's lines grouped by
/// minor index entry by entry (major increasing).
template <class M>
void check_transposed_lines(const M& W_host) {
    const auto W = to_device(W_host);
    REQUIRE(W.has_transposed_lines());
    const auto host = W_host.lines();
    const auto dev = W.lines();
    std::vector<std::uint32_t> ip(host.n_minor + 1), major(host.nnz), entry(host.nnz);
    REQUIRE(cudaMemcpy(ip.data(), dev.t.ip, ip.size() * 4, cudaMemcpyDeviceToHost) == cudaSuccess);
    REQUIRE(cudaMemcpy(major.data(), dev.t.major, major.size() * 4, cudaMemcpyDeviceToHost) == cudaSuccess);
    REQUIRE(cudaMemcpy(entry.data(), dev.t.entry, entry.size() * 4, cudaMemcpyDeviceToHost) == cudaSuccess);
    const std::size_t wrong = testing::transpose_mismatches(host, ip.data(), major.data(), entry.data());
    CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("A small device matrix holds its lines' transpose, which sees weights changed in place",
          "[cuda][csr][csc][fixed][transposed]") {
    // The structure, entry for entry, for CSR, CSC and the fixed-number formats (unsorted lines
    // with repeats, empty lines, 64-bit offsets).
    for (Pattern p : {Pattern::random, Pattern::empty_rows, Pattern::unsorted_repeats})
        check_transposed_lines(testing::random_matrix<CSR<float>>(100, 200, p, false));
    check_transposed_lines(testing::random_matrix<CSC<double>>(150, 400, Pattern::random, false));
    check_transposed_lines(
        testing::random_matrix<CSR<float, brainevent::host, std::int32_t, std::int64_t>>(90, 70, Pattern::random, true));
    check_transposed_lines(
        testing::random_fixed<FixedPostNumConn<float>>(200, 100, 9, testing::FixedPattern::unsorted_repeats, false));
    check_transposed_lines(
        testing::random_fixed<FixedPreNumConn<float>>(100, 200, 9, testing::FixedPattern::distinct_sorted, true));
    // None where it would not pay (the bounds themselves: the host tests of transpose_lines): no
    // entries; lines over more than kTransposedLines positions, nor its transpose (the same
    // arrays); a position holding more than kTransposedLongest entries (two columns of 600).
    CHECK_FALSE(to_device(testing::random_matrix<CSR<float>>(50, 40, Pattern::no_synapses, false)).has_transposed_lines());
    const std::size_t wide = detail::kTransposedLines + 1;
    std::vector<int> all(wide);
    std::iota(all.begin(), all.end(), 0);
    CHECK(to_device(CSR<float>(1, wide - 1, std::vector<int>{0, static_cast<int>(wide - 1)},
                               std::span<const int>(all).first(wide - 1), 1.0f))
              .has_transposed_lines());
    const auto too_wide = to_device(CSR<float>(1, wide, std::vector<int>{0, static_cast<int>(wide)}, all, 1.0f));
    CHECK_FALSE(too_wide.has_transposed_lines());
    CHECK_FALSE(transpose(too_wide).has_transposed_lines());
    std::vector<int> ip2(601), two(1200);
    for (std::size_t r = 0; r <= 600; ++r) ip2[r] = static_cast<int>(2 * r);
    for (std::size_t e = 0; e < 1200; ++e) two[e] = static_cast<int>(e % 2);
    CHECK_FALSE(to_device(CSR<float>(600, 2, ip2, two, 1.0f)).has_transposed_lines());
    CHECK_FALSE(to_host(to_device(testing::random_matrix<CSR<float>>(30, 20, Pattern::random, false)))
                    .has_transposed_lines());  // host copies hold none

    // The gather reads the weights through the entries' places: new weights written into the
    // device copy (as plasticity does) show in the next product, s * W with the CSR and
    // transpose(W) * s with the CSC of the same arrays.
    const auto W_host = testing::random_matrix<CSR<float>>(300, 200, Pattern::random, false);
    const auto W = to_device(W_host);
    REQUIRE(W.has_transposed_lines());
    const auto bits = testing::spikes(300, 0.3);
    const BinaryArray<brainevent::cuda> s = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits)));
    const auto fresh = testing::uniform<float>(W_host.nnz());
    REQUIRE(cudaMemcpy(W.weights().data(), fresh.data(), fresh.size() * sizeof(float), cudaMemcpyHostToDevice) ==
            cudaSuccess);
    Array<float, brainevent::cuda> y(200);
    y = s * W;
    const Array<float> got = to_host(y);
    const auto ip = W_host.indptr();
    const auto ix = W_host.indices();
    std::vector<double> want(200, 0.0), scale(200, 0.0);
    for (std::size_t i = 0; i < 300; ++i)
        if (bits[i])
            for (auto e = static_cast<std::size_t>(ip[i]); e < static_cast<std::size_t>(ip[i + 1]); ++e) {
                want[static_cast<std::size_t>(ix[e])] += fresh[e];
                scale[static_cast<std::size_t>(ix[e])] += std::abs(fresh[e]);
            }
    testing::check_close(got.data(), want, scale, 300, "y = s * W after new weights");
    Array<float, brainevent::cuda> y2(200);
    y2 = transpose(W) * s;
    const Array<float> got2 = to_host(y2);
    testing::check_close(got2.data(), want, scale, 300, "y = transpose(W) * s after new weights");

    // An output that no spike reaches is an exact 0 (or unchanged when accumulating), as from the
    // CUDA scatter, even with an infinite alpha (not inf · 0 = NaN); a reached one is inf · w (one
    // entry per output: distinct indices in a row). The spiking row is late in transposed lines of
    // about 180 entries (600 × 100), so that the gather finds it in its second round.
    const auto late_host = testing::random_matrix<CSR<float>>(600, 100, Pattern::random, false);
    const auto late = to_device(late_host);
    REQUIRE(late.has_transposed_lines());
    for (bool gather : {true, false}) {
        INFO((gather ? "gather" : "scatter"));
        const KnobScope gathers(kernels::cuda_impl::gather_transposed, gather);
        std::vector<std::uint8_t> one(600, 0);
        one[590] = 1;
        const BinaryArray<brainevent::cuda> s1 = to_device(BinaryArray<>(std::span<const std::uint8_t>(one)));
        const float inf = std::numeric_limits<float>::infinity();
        Array<float, brainevent::cuda> y1(100);
        y1 = inf * (s1 * late);
        const Array<float> a = to_host(y1);
        y1 = to_device(Array<float>(std::vector<float>(100, 2.0f)));
        y1 += inf * (s1 * late);
        const Array<float> b = to_host(y1);
        std::vector<float> want_a(100, 0.0f), want_b(100, 2.0f);
        const auto lip = late_host.indptr();
        const auto lix = late_host.indices();
        const auto lw = late_host.weights();
        for (auto e = static_cast<std::size_t>(lip[590]); e < static_cast<std::size_t>(lip[591]); ++e) {
            want_a[static_cast<std::size_t>(lix[e])] = inf * lw[e];
            want_b[static_cast<std::size_t>(lix[e])] = 2.0f + inf * lw[e];
        }
        auto same = [](float got, float want) { return std::isnan(want) ? std::isnan(got) : got == want; };
        std::size_t wrong = 0;
        for (std::size_t j = 0; j < 100; ++j) wrong += !same(a(j), want_a[j]) + !same(b(j), want_b[j]);
        CHECK(wrong == 0);
    }

    // Lines shorter and longer than one round of the gather (kGatherRound · 32 entries: 600 × 20
    // has transposed lines of about 180; single_dense_row a stored line of 700), CSR and CSC, both
    // orientations (W * s with CSR and s * W with CSC gather over the stored lines, the scatters
    // over the transposed ones); over 2,000 outputs, batch 2 gathers (outputs times the batch at
    // most kTransposedLines), batch 3 scatters.
    check_sparse_on_device<CSR<float>>({{33, 700}, {600, 20}}, {Pattern::random, Pattern::single_dense_row}, {1, 3},
                                       {0.05, 1.0}, {Kind::binary, Kind::real});
    check_sparse_on_device<CSC<double>>({{700, 33}}, {Pattern::random, Pattern::empty_rows}, {2}, {0.05, 1.0},
                                        {Kind::binary, Kind::real});
    check_sparse_on_device<CSR<float>>({{50, 2000}}, {Pattern::random}, {2, 3}, {0.05}, {Kind::binary});
}

TEMPLATE_TEST_CASE("CUDA CSR and CSC products with wide lines and many lines", "[cuda][csr][csc][wide]", float,
                   double) {
    // Lines of tens of thousands of entries (many warp strides) and tens of thousands of lines;
    // then every way of finding the active lines (FindActive) on such shapes.
    const std::vector<std::pair<std::size_t, std::size_t>> wide = {{9, 60000}, {60000, 9}};
    const std::vector<Pattern> patterns = {Pattern::random, Pattern::one_per_row, Pattern::single_dense_row};
    check_sparse_on_device<CSR<TestType>>(wide, patterns, {0, 2}, {0.05, 1.0});
    check_sparse_on_device<CSC<TestType>>(wide, patterns, {0, 2}, {0.05, 1.0});
    // Over kTileLines at batch 1 (the automatic choice finds lines by tiles): no spikes, all.
    check_sparse_on_device<CSR<TestType>>({{70000, 5}}, patterns, {1}, {0.0, 0.05, 1.0}, {Kind::binary});
    for (FindActive how : {FindActive::by_warp, FindActive::by_tile, FindActive::by_range}) {
        INFO("find active lines: " << static_cast<int>(how));
        const KnobScope scope(kernels::cuda_impl::scatter_find_active, how);
        check_sparse_on_device<CSR<TestType>>({{9, 60000}, {60000, 9}, {70000, 5}, {1025, 9000}}, {Pattern::random},
                                              {1, 2}, {0.05}, {Kind::binary, Kind::real, Kind::indexed});
    }
    // 64-bit index lists drive the list kernel too.
    check_sparse_on_device<CSR<TestType>>(wide, patterns, {1, 2}, {0.05}, {Kind::indexed64});
}

TEMPLATE_TEST_CASE("The automatic CUDA scatter on both sides of its tile threshold", "[cuda][csr][threshold]", float,
                   double) {
    // Lines (times the batch) just below and at kTileLines: found by warps, then by tiles.
    constexpr std::size_t n = kernels::cuda_impl::kTileLines;
    check_sparse_on_device<CSR<TestType>>({{n - 1, 3}, {n, 3}}, {Pattern::random, Pattern::empty_rows}, {1},
                                          {0.05, 1.0}, {Kind::binary, Kind::real});
    check_sparse_on_device<CSR<TestType>>({{n / 2 - 1, 3}, {n / 2, 3}}, {Pattern::random}, {2}, {0.05},
                                          {Kind::binary, Kind::real});
}

TEST_CASE("The tile finder of the CUDA scatter has no races", "[cuda][csr][racecheck]") {
    // Its shared lists of active lines and chunks, under racecheck: tiles that end mid-tile, lines
    // of about 15 and 180 entries (one chunk, two), all spikes; batch 400 makes 4,800 tiles, more
    // than the grid's 8 blocks per SM, so blocks reuse the lists.
    const KnobScope scope(kernels::cuda_impl::scatter_find_active, FindActive::by_tile);
    check_sparse_on_device<CSR<float>>({{3000, 50}}, {Pattern::random}, {1, 2}, {0.05, 1.0},
                                       {Kind::binary, Kind::real});
    check_sparse_on_device<CSR<float>>({{3000, 50}, {300, 600}}, {Pattern::random}, {400}, {0.05}, {Kind::binary});
}

namespace {

/// Captures `y = s * W; y += 2 * (s * W)` (or the same with `W * s` where `left` is false) on a
/// stream in a CUDA graph, the events first compacted into an index list inside the graph where
/// `compacted`, after a warm-up run outside it (which allocates any scratch); replays it three
/// times into a poisoned y and checks every output against 3 · s · W (3 · W · s) in double
/// precision. The events are a vector, or a batch of `batch` rows (bits holding them row by row).
template <class M>
void check_graph_replay(const M& W_host, const std::vector<std::uint8_t>& bits, bool left = true,
                        bool compacted = false, std::size_t batch = 0) {
    const std::size_t n_pre = W_host.n_pre(), n_post = W_host.n_post();
    const std::size_t n_in = left ? n_pre : n_post, n_out = left ? n_post : n_pre, rows = batch ? batch : 1;
    REQUIRE(bits.size() == rows * n_in);
    INFO((left ? "s * W" : "W * s") << (compacted ? ", compacted in the graph" : "")
                                    << (batch ? ", batch " + std::to_string(batch) : std::string()));
    const auto W = to_device(W_host);
    const std::span<const std::uint8_t> b(bits);
    BinaryArray<brainevent::cuda> s = to_device(batch ? BinaryArray<>(batch, n_in, b) : BinaryArray<>(b));
    IndexedBinary1d<brainevent::cuda> listed;
    IndexedBinary2d<brainevent::cuda> listed_rows;
    Array<float, brainevent::cuda> y =
        batch ? Array<float, brainevent::cuda>(batch, n_out) : Array<float, brainevent::cuda>(n_out);
    cudaStream_t stream;
    REQUIRE(cudaStreamCreate(&stream) == cudaSuccess);
    auto products = [&](const auto& e) {
        // The last line binds one term of a sum: both run on `stream` (else the second would go to
        // the default stream, which a capture refuses). y = 3P − (P − 2P) = 4P.
        if (left) {
            y = on(stream, e * W);
            y += on(stream, 2.0f * (e * W));
            y -= on(stream, e * W) - 2.0f * (e * W);
        } else {
            y = on(stream, W * e);
            y += on(stream, 2.0f * (W * e));
            y -= on(stream, W * e) - 2.0f * (W * e);
        }
    };
    auto step = [&] {
        if (compacted && batch) {
            compact(s, listed_rows, stream);
            products(listed_rows);
        } else if (compacted) {
            compact(s, listed, stream);
            products(listed);
        } else {
            products(s);
        }
    };
    step();  // warm-up outside the capture
    REQUIRE(cudaStreamSynchronize(stream) == cudaSuccess);
    cudaGraph_t graph;
    REQUIRE(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal) == cudaSuccess);
    step();
    REQUIRE(cudaStreamEndCapture(stream, &graph) == cudaSuccess);
    cudaGraphExec_t exec;
    REQUIRE(cudaGraphInstantiate(&exec, graph, 0) == cudaSuccess);
    REQUIRE(cudaMemsetAsync(y.data(), 0xff, rows * n_out * sizeof(float), stream) == cudaSuccess);  // NaN
    for (int replay = 0; replay < 3; ++replay) REQUIRE(cudaGraphLaunch(exec, stream) == cudaSuccess);
    const Array<float> got = to_host(y, stream);
    const testing::Ref dense = testing::dense_of(W_host), abs = testing::abs_dense_of(W_host);
    std::vector<double> want(rows * n_out, 0.0), scale(rows * n_out, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t i = 0; i < n_pre; ++i)
            for (std::size_t j = 0; j < n_post; ++j)
                if (bits[r * n_in + (left ? i : j)]) {
                    want[r * n_out + (left ? j : i)] += 4.0 * dense(i, j);
                    scale[r * n_out + (left ? j : i)] += 6.0 * abs(i, j);
                }
    std::size_t active = 0;  // the most in one row: terms per output
    for (std::size_t r = 0; r < rows; ++r) {
        const auto row = bits.begin() + static_cast<std::ptrdiff_t>(r * n_in);
        active = std::max(active, static_cast<std::size_t>(std::count_if(row, row + static_cast<std::ptrdiff_t>(n_in),
                                                                         [](auto x) { return x != 0; })));
    }
    testing::check_close(got.data(), want, scale, 6 * active,
                         "graph replay of y = s * W; y += 2 * (s * W); y -= s * W - 2 * (s * W)");
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(stream);
}

/// Counts of a device range index (lines × (ranges + 1), ranges of 4,096) that differ from the
/// same counts made on the host one entry at a time: count (r, q) is the number of entries of
/// line r under q · 4096; line r holds ix[bounds(r).first, bounds(r).second).
template <class Bounds, class Ix>
std::size_t range_index_mismatches(const std::uint16_t* index, std::size_t lines, std::size_t ranges, Bounds bounds,
                                   const Ix& ix) {
    std::vector<std::uint16_t> got(lines * (ranges + 1));
    REQUIRE(cudaMemcpy(got.data(), index, got.size() * sizeof(std::uint16_t), cudaMemcpyDeviceToHost) == cudaSuccess);
    std::size_t wrong = 0;
    for (std::size_t r = 0; r < lines; ++r) {
        const auto [begin, end] = bounds(r);
        for (std::size_t q = 0; q <= ranges; ++q) {
            std::size_t below = 0;
            for (auto e = begin; e < end; ++e) below += static_cast<std::size_t>(ix[e]) < q * 4096;
            wrong += got[r * (ranges + 1) + q] != below;
        }
    }
    return wrong;
}

}  // namespace

TEST_CASE("A device CSR gets a range index where it pays, equal to one counted on the host", "[cuda][csr][range]") {
    const auto W_host = testing::ranged_matrix<CSR<float>>(700, 2 * 4096 + 123, false);
    const auto W = to_device(W_host);
    REQUIRE(W.has_range_index());
    CHECK(transpose(W).has_range_index());  // the same arrays
    CHECK_FALSE(W_host.has_range_index());
    CHECK_FALSE(to_host(W).has_range_index());
    const auto ip = W_host.indptr();
    const auto line = [&](std::size_t r) {
        return std::pair{static_cast<std::size_t>(ip[r]), static_cast<std::size_t>(ip[r + 1])};
    };
    CHECK(range_index_mismatches(W.storage().ranges->data(), 700, 3, line, W_host.indices()) == 0);
    // None where it would not pay or could not be made: one range; unsorted or repeated indices;
    // a line over 65,535 entries; an index larger than a quarter of the indices (one entry per line).
    CHECK_FALSE(to_device(testing::ranged_matrix<CSR<float>>(300, 4096, false)).has_range_index());
    const auto unsorted = testing::random_arrays<float>(50, 9000, Pattern::unsorted_repeats);
    CHECK_FALSE(to_device(CSR<float>(50, 9000, unsorted.indptr, unsorted.indices, 1.0f)).has_range_index());
    std::vector<int> full(70000);
    std::iota(full.begin(), full.end(), 0);
    CHECK_FALSE(to_device(CSR<float>(1, 70000, std::vector<int>{0, 70000}, full, 1.0f)).has_range_index());
    const auto sparse = testing::random_arrays<float>(100, 9000, Pattern::one_per_row);
    CHECK_FALSE(to_device(CSR<float>(100, 9000, sparse.indptr, sparse.indices, 1.0f)).has_range_index());
}

TEST_CASE("A device fixed-number matrix gets a range index where it pays, as a CSR does", "[cuda][fixed][range]") {
    // FixedPost lines over three ranges (the last partial), sorted and distinct: the index equals
    // one counted on the host; FixedPre (lines are columns) and the transpose share it.
    const std::size_t lines = 500, n_minor = 2 * 4096 + 123, k = 40;
    const auto post_host = testing::random_fixed<FixedPostNumConn<float>>(
        lines, n_minor, k, testing::FixedPattern::distinct_sorted, false);
    const auto post = to_device(post_host);
    REQUIRE(post.has_range_index());
    CHECK(transpose(post).has_range_index());  // the same arrays
    CHECK_FALSE(post_host.has_range_index());
    CHECK_FALSE(to_host(post).has_range_index());
    const auto line = [&](std::size_t r) { return std::pair{r * k, (r + 1) * k}; };
    CHECK(range_index_mismatches(post.storage().ranges->data(), lines, 3, line, post_host.indices()) == 0);
    CHECK(to_device(testing::random_fixed<FixedPreNumConn<float>>(n_minor, lines, k,
                                                                  testing::FixedPattern::distinct_sorted, true))
              .has_range_index());
    // None where it could not be made or would not pay: repeated or unsorted indices; one range;
    // an index larger than a quarter of the indices (k = 1).
    CHECK_FALSE(to_device(testing::random_fixed<FixedPostNumConn<float>>(
                              lines, n_minor, k, testing::FixedPattern::unsorted_repeats, false))
                    .has_range_index());
    CHECK_FALSE(to_device(testing::random_fixed<FixedPostNumConn<float>>(lines, 4096, k,
                                                                         testing::FixedPattern::distinct_sorted, false))
                    .has_range_index());
    CHECK_FALSE(to_device(testing::random_fixed<FixedPostNumConn<float>>(lines, n_minor, 1,
                                                                         testing::FixedPattern::distinct_sorted, false))
                    .has_range_index());
}

TEMPLATE_TEST_CASE("The CUDA range scatter of fixed-number matrices", "[cuda][fixed][range]", float, double) {
    // The range scatter forced onto FixedPostNumConn (s * W) and FixedPreNumConn (W * s) with a
    // range index: one block per range and shares of a range, merged ranges, every event kind,
    // homogeneous weights (integer counts) and not, vector and batches, against the reference.
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    for (auto [shares, merge] : {std::pair{0u, 0u}, {3u, 1u}, {1u, 3u}}) {
        INFO("shares per range " << shares << ", index ranges per range " << merge);
        const KnobScope split(kernels::cuda_impl::range_shares, shares);
        const KnobScope merged(kernels::cuda_impl::range_merge, merge);
        for (bool hom : {false, true}) {
            INFO((hom ? "homogeneous" : "heterogeneous"));
            const auto pattern = testing::FixedPattern::distinct_sorted;
            const auto post1 = testing::random_fixed<FixedPostNumConn<TestType>>(400, 2 * 4096 + 77, 30, pattern, hom);
            const auto post2 = testing::random_fixed<FixedPostNumConn<TestType>>(400, 2 * 4096 + 77, 30, pattern, hom);
            const auto pre = testing::random_fixed<FixedPreNumConn<TestType>>(3 * 4096, 300, 50, pattern, hom);
            REQUIRE((to_device(post1).has_range_index() && to_device(pre).has_range_index()));
            for (std::size_t batch : {0, 1, 3})
                for (double rate : {0.0, 0.05, 1.0})
                    for (Kind kind : {Kind::binary, Kind::real, Kind::indexed})
                        testing::check_case<TestType, brainevent::cuda>(batch, post1, post2, rate, kind, true);
            for (Kind kind : {Kind::binary, Kind::indexed64})
                testing::check_case<TestType, brainevent::cuda>(2, pre, pre, 0.3, kind, false);
        }
    }
}

TEMPLATE_TEST_CASE("The CUDA range scatter sums output ranges in shared memory", "[cuda][csr][csc][range]", float,
                   double) {
    // Forced onto every matrix with a range index; ranges of 4,096 with a partial last one, alone
    // or merged (2 of 3, 3 of 3: the last output range partial or the only one); one block per
    // range, several sharing a range (their tiles added with atomics after the zeroing), and the
    // automatic choices; segments from 1 entry to whole lines (many rounds of 8 lanes × kRangeEach);
    // every event kind, every zeroing.
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    for (auto [shares, merge] : {std::pair{0u, 0u}, {1u, 1u}, {3u, 1u}, {1u, 3u}, {2u, 2u}}) {
        INFO("shares per range " << shares << ", index ranges per range " << merge);
        const KnobScope split(kernels::cuda_impl::range_shares, shares);
        const KnobScope merged(kernels::cuda_impl::range_merge, merge);
        for (bool hom : {false, true}) {
            INFO((hom ? "homogeneous" : "heterogeneous"));
            const auto csr = testing::ranged_matrix<CSR<TestType>>(600, 2 * 4096 + 77, hom);
            const auto csr2 = testing::ranged_matrix<CSR<TestType>>(600, 2 * 4096 + 77, hom);
            REQUIRE((to_device(csr).has_range_index() && to_device(csr2).has_range_index()));
            const bool automatic = shares == 0;  // the whole grid once, the forced choices on part of it
            for (std::size_t batch : {0, 1, 3})
                for (double rate : {0.0, 0.05, 1.0})
                    for (Kind kind : {Kind::binary, Kind::real, Kind::indexed})
                        if (automatic || (batch == 3 && rate != 0.0 && kind != Kind::real))
                            testing::check_case<TestType, brainevent::cuda>(batch, csr, csr2, rate, kind, true);
            const auto csc = testing::ranged_matrix<CSC<TestType>>(3 * 4096, 400, hom);
            REQUIRE(to_device(csc).has_range_index());
            for (Kind kind : {Kind::binary, Kind::indexed64})
                testing::check_case<TestType, brainevent::cuda>(2, csc, csc, 0.3, kind, false);
        }
    }
    {  // 64-bit indices and offsets (their own kernels), and 32-bit indices with 64-bit offsets
        using Wide = CSR<TestType, brainevent::host, std::int64_t, std::int64_t>;
        using Mixed = CSR<TestType, brainevent::host, std::int32_t, std::int64_t>;
        const auto wide = testing::ranged_matrix<Wide>(600, 2 * 4096 + 77, false);
        const auto mixed = testing::ranged_matrix<Mixed>(600, 2 * 4096 + 77, true);
        REQUIRE((to_device(wide).has_range_index() && to_device(mixed).has_range_index()));
        for (unsigned shares : {0u, 3u}) {
            const KnobScope split(kernels::cuda_impl::range_shares, shares);
            for (Kind kind : {Kind::binary, Kind::indexed64}) {
                testing::check_case<TestType, brainevent::cuda>(3, wide, wide, 0.3, kind, true);
                testing::check_case<TestType, brainevent::cuda>(1, mixed, mixed, 1.0, kind, true);
            }
        }
    }
    {  // A homogeneous weight with binary or indexed events counts arrivals in an integer tile
        // (range_counts, on above); here the same products without it, through the float tile.
        const KnobScope counts(kernels::cuda_impl::range_counts, false);
        const auto csr = testing::ranged_matrix<CSR<TestType>>(600, 2 * 4096 + 77, true);
        const auto csc = testing::ranged_matrix<CSC<TestType>>(3 * 4096, 400, true);
        for (unsigned shares : {0u, 3u}) {
            const KnobScope split(kernels::cuda_impl::range_shares, shares);
            for (Kind kind : {Kind::binary, Kind::indexed}) {
                testing::check_case<TestType, brainevent::cuda>(3, csr, csr, 0.3, kind, true);
                testing::check_case<TestType, brainevent::cuda>(2, csc, csc, 0.3, kind, false);
            }
        }
    }
    for (Zeroing zeroing : kZeroings) {
        const KnobScope z(kernels::cuda_impl::scatter_zeroing, zeroing);
        const KnobScope split(kernels::cuda_impl::range_shares, 5u);
        const auto csr = testing::ranged_matrix<CSR<TestType>>(600, 5 * 4096, false);
        REQUIRE(to_device(csr).has_range_index());
        testing::check_case<TestType, brainevent::cuda>(1, csr, csr, 0.1, Kind::binary, true);
    }
}

TEMPLATE_TEST_CASE("The CUDA range scatter over a long list and a line of 40,000 entries", "[cuda][csr][range]",
                   float, double) {
    // One share of 1,600 listed lines: every warp walks three or four batches (32 lines each, 512
    // per batch), so the list entries loaded two batches ahead are used; one line of 40,000
    // entries puts counts above 32,767 in the index (the high bits of the packed counts). Float
    // sums, and integer counts with a homogeneous weight.
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    for (bool hom : {false, true}) {
        const auto W = testing::ranged_matrix<CSR<TestType>>(1600, 40000, hom);
        REQUIRE(to_device(W).has_range_index());
        for (unsigned shares : {1u, 0u}) {
            INFO("shares per range " << shares << (hom ? ", homogeneous" : ", heterogeneous"));
            const KnobScope split(kernels::cuda_impl::range_shares, shares);
            for (Kind kind : {Kind::binary, Kind::indexed})
                testing::check_case<TestType, brainevent::cuda>(shares == 1 ? 2 : 0, W, W, 1.0, kind, true);
        }
    }
}

TEST_CASE("The CUDA range scatter has no races", "[cuda][csr][range][racecheck]") {
    // Its shared tile (zeroed, summed with atomics, written out) under racecheck: one block per
    // range, shares added with atomics, merged ranges; batch 2, all spikes; float sums and, with a
    // homogeneous weight, integer counts.
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    for (bool hom : {false, true}) {
        const auto W = testing::ranged_matrix<CSR<float>>(300, 2 * 4096 + 77, hom);
        for (auto [shares, merge] : {std::pair{1u, 1u}, {3u, 1u}, {2u, 2u}}) {
            INFO("shares per range " << shares << ", index ranges per range " << merge
                                     << (hom ? ", homogeneous" : ", heterogeneous"));
            const KnobScope split(kernels::cuda_impl::range_shares, shares);
            const KnobScope merged(kernels::cuda_impl::range_merge, merge);
            testing::check_case<float, brainevent::cuda>(2, W, W, 1.0, Kind::binary, true);
        }
    }
}

TEST_CASE("A range scatter captured in a CUDA graph replays correctly", "[cuda][csr][range][graph]") {
    // Every zeroing (chained: the counts and, with shares, y zeroed by the chain's first kernel),
    // with one block per output range (plain stores) and three (y zeroed, tiles added).
    const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
    const auto W = testing::ranged_matrix<CSR<float>>(2000, 3 * 4096 + 5, false);
    REQUIRE(to_device(W).has_range_index());
    for (Zeroing zeroing : kZeroings)
        for (unsigned shares : {1u, 3u}) {
            INFO("zeroing " << static_cast<int>(zeroing) << ", shares " << shares);
            const KnobScope z(kernels::cuda_impl::scatter_zeroing, zeroing);
            const KnobScope split(kernels::cuda_impl::range_shares, shares);
            check_graph_replay(W, testing::spikes(2000, 0.1));
        }
}

namespace {

/// s * W in double for spikes `bits` of a host CSR: the sums, the sums of |terms| and the most
/// terms of any sum (testing::check_close's inputs).
struct Sums {
    std::vector<double> want, scale;
    std::size_t terms = 0;
};
Sums scatter_sums(const CSR<float>& W, const std::vector<std::uint8_t>& bits) {
    const std::size_t n_post = W.n_post();
    Sums r{std::vector<double>(n_post, 0.0), std::vector<double>(n_post, 0.0)};
    std::vector<std::size_t> terms(n_post, 0);
    const auto ip = W.indptr();
    const auto ix = W.indices();
    const auto w = W.weights();
    for (std::size_t i = 0; i < W.n_pre(); ++i)
        if (bits[i])
            for (auto k = static_cast<std::size_t>(ip[i]); k < static_cast<std::size_t>(ip[i + 1]); ++k) {
                const auto j = static_cast<std::size_t>(ix[k]);
                r.want[j] += w[k];
                r.scale[j] += std::abs(w[k]);
                ++terms[j];
            }
    r.terms = n_post ? *std::max_element(terms.begin(), terms.end()) : 0;
    return r;
}

/// Whether two CUDA devices are there (else a warning: the two-device case is not run); `first`
/// gets the current device, to restore at the end.
bool two_devices(int& first) {
    int devices = 0;
    REQUIRE(cudaGetDeviceCount(&devices) == cudaSuccess);
    if (devices < 2) {
        WARN("one CUDA device: the two-device case is not run");
        return false;
    }
    REQUIRE(cudaGetDevice(&first) == cudaSuccess);
    return true;
}

void check_sums(const Array<float, brainevent::cuda>& y, const Sums& s, const char* what, cudaStream_t stream = nullptr) {
    const Array<float> got = to_host(y, stream);
    testing::check_close(got.data(), s.want, s.scale, s.terms, what);
}

}  // namespace

TEST_CASE("Range scatters on two streams of one thread do not share their lists", "[cuda][csr][range][streams]") {
    // 70,000 lines with a range index: the automatic choice sums output ranges from a list of the
    // active lines; two streams queue products over different spikes, back to back, ten times;
    // both results are checked against the host's sums (each stream has its own list).
    const std::size_t n_pre = 70000, n_post = 2 * 4096 + 77;
    const auto W_host = testing::ranged_matrix<CSR<float>>(n_pre, n_post, false);
    const auto W = to_device(W_host);
    REQUIRE(W.has_range_index());
    const auto bits1 = testing::spikes(n_pre, 0.3), bits2 = testing::spikes(n_pre, 0.02);
    const Sums want1 = scatter_sums(W_host, bits1), want2 = scatter_sums(W_host, bits2);
    const BinaryArray<brainevent::cuda> s1 = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits1)));
    const BinaryArray<brainevent::cuda> s2 = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits2)));
    Array<float, brainevent::cuda> y1(n_post), y2(n_post);
    cudaStream_t a, b;
    REQUIRE(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking) == cudaSuccess);
    REQUIRE(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking) == cudaSuccess);
    for (int round = 0; round < 10; ++round) {
        INFO("round " << round);
        REQUIRE(cudaMemsetAsync(y1.data(), 0xff, n_post * sizeof(float), a) == cudaSuccess);  // NaN
        REQUIRE(cudaMemsetAsync(y2.data(), 0xff, n_post * sizeof(float), b) == cudaSuccess);
        y1 = on(a, s1 * W);
        y2 = on(b, s2 * W);
        check_sums(y1, want1, "stream a, 30% firing", a);
        check_sums(y2, want2, "stream b, 2% firing", b);
    }
    cudaStreamDestroy(a);
    cudaStreamDestroy(b);
}

TEST_CASE("Products on two devices' default streams do not share their scratch", "[cuda][csr][range][devices]") {
    // The default stream has the same handle on every device: each device must still get its own
    // list (scratch memory of another device is not addressable there). Runs where two GPUs are.
    int first = 0;
    if (!two_devices(first)) return;
    const std::size_t n_pre = 70000, n_post = 2 * 4096 + 77;
    const auto W_host = testing::ranged_matrix<CSR<float>>(n_pre, n_post, false);
    const auto bits = testing::spikes(n_pre, 0.05);
    const BinaryArray<> s_host{std::span<const std::uint8_t>(bits)};
    const Sums want = scatter_sums(W_host, bits);
    for (int round = 0; round < 3; ++round)
        for (int d : {0, 1}) {
            INFO("device " << d << ", round " << round);
            REQUIRE(cudaSetDevice(d) == cudaSuccess);
            const auto W = to_device(W_host);
            REQUIRE(W.has_range_index());
            const BinaryArray<brainevent::cuda> s = to_device(s_host);
            Array<float, brainevent::cuda> y(n_post);
            y = s * W;
            check_sums(y, want, "default stream of one of two devices");
        }
    REQUIRE(cudaSetDevice(first) == cudaSuccess);
}

TEST_CASE("A device view of another GPU's memory needs peer access", "[cuda][devices]") {
    // Device 1's memory viewed with device 0 current: refused while peer access is off (the first
    // kernel would fault), and the check leaves it off; accepted once the user enables it, and a
    // product on device 0 then writes through the view. Runs where two GPUs are.
    using Catch::Matchers::Contains;
    int first = 0;
    if (!two_devices(first)) return;
    REQUIRE(cudaSetDevice(1) == cudaSuccess);
    Array<float, brainevent::cuda> other(300);
    REQUIRE(cudaSetDevice(0) == cudaSuccess);
    (void)cudaDeviceDisablePeerAccess(1);  // start with it off, whatever an earlier test did
    (void)cudaGetLastError();
    using DeviceView = ArrayView<float, brainevent::cuda>;
    CHECK_THROWS_MSG(DeviceView(other.data(), Shape::vector(300)), value_error,
                     Contains("memory of device 1") && Contains("device 0"));
    CHECK_THROWS_AS((Dense<float, brainevent::cuda>::view(other.data(), 10, 30)), value_error);
    int possible = 0;
    REQUIRE(cudaDeviceCanAccessPeer(&possible, 0, 1) == cudaSuccess);
    if (possible) {
        CHECK(cudaDeviceDisablePeerAccess(1) == cudaErrorPeerAccessNotEnabled);  // still off
        (void)cudaGetLastError();
        REQUIRE(cudaDeviceEnablePeerAccess(1, 0) == cudaSuccess);
        DeviceView y(other.data(), Shape::vector(300));
        const auto a = testing::random_arrays<float>(200, 300, Pattern::random);
        const CSR<float> W_host(200, 300, a.indptr, a.indices, std::span<const float>(a.weights));
        const auto bits = testing::spikes(200, 0.2);
        const auto W = to_device(W_host);
        const auto s = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits)));
        y = s * W;
        const Sums want = scatter_sums(W_host, bits);
        check_sums(other, want, "device 0's product into device 1's memory");
        REQUIRE(cudaDeviceDisablePeerAccess(1) == cudaSuccess);
    } else {
        WARN("devices 0 and 1 have no peer access: only the refusal is tested");
    }
    REQUIRE(cudaSetDevice(first) == cudaSuccess);
}

TEST_CASE("A graph captured on a thread that has ended still finds its scratch", "[cuda][csr][range][graph][threads]") {
    // A worker thread runs a range scatter on a non-blocking stream (its lists go to scratch of
    // that thread and stream), captures it in a graph, and ends. Its scratch must outlive it: the
    // main thread allocates memory of the scratch's sizes (which would take the freed addresses)
    // and replays the graph, then a new thread runs the product on the same stream.
    const std::size_t n_pre = 70000, n_post = 2 * 4096 + 77;
    const auto W_host = testing::ranged_matrix<CSR<float>>(n_pre, n_post, false);
    const auto W = to_device(W_host);
    REQUIRE(W.has_range_index());
    const auto bits = testing::spikes(n_pre, 0.1);
    const BinaryArray<brainevent::cuda> s = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits)));
    const Sums want = scatter_sums(W_host, bits);
    Array<float, brainevent::cuda> y(n_post);
    cudaStream_t stream;
    REQUIRE(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) == cudaSuccess);
    cudaGraphExec_t exec = nullptr;
    void* list = nullptr;
    std::string failed;
    std::thread worker([&] {
        try {
            y = on(stream, s * W);  // the scratch is made here
            BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(stream));
            list = kernels::cuda_impl::device_scratch<unsigned long long, 1>(0, stream);
            cudaGraph_t graph;
            BRAINEVENT_CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal));
            y = on(stream, s * W);
            BRAINEVENT_CUDA_CHECK(cudaStreamEndCapture(stream, &graph));
            BRAINEVENT_CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
            BRAINEVENT_CUDA_CHECK(cudaGraphDestroy(graph));
        } catch (const std::exception& e) {
            failed = e.what();
        }
    });
    worker.join();
    REQUIRE(failed.empty());
    cudaPointerAttributes a{};
    REQUIRE(cudaPointerGetAttributes(&a, list) == cudaSuccess);
    CHECK(a.type == cudaMemoryTypeDevice);  // not freed with the thread
    std::vector<Buffer<std::uint8_t, brainevent::cuda>> others;
    for (int k = 0; k < 8; ++k)
        for (std::size_t bytes : {n_pre * sizeof(unsigned long long), n_pre * sizeof(float), std::size_t{8}})
            others.emplace_back(bytes, std::uint8_t{0xab});
    REQUIRE(cudaMemsetAsync(y.data(), 0xff, n_post * sizeof(float), stream) == cudaSuccess);  // NaN
    REQUIRE(cudaGraphLaunch(exec, stream) == cudaSuccess);
    check_sums(y, want, "graph replayed after its thread ended", stream);
    for (const auto& b : others) {
        std::vector<std::uint8_t> back(b.size());
        REQUIRE(cudaMemcpy(back.data(), b.data(), b.size(), cudaMemcpyDeviceToHost) == cudaSuccess);
        CHECK(std::count(back.begin(), back.end(), std::uint8_t{0xab}) == static_cast<std::ptrdiff_t>(b.size()));
    }
    std::thread next([&] {  // takes the ended thread's scratch over, on the same stream
        try {
            y = on(stream, s * W);
            BRAINEVENT_CUDA_CHECK(cudaStreamSynchronize(stream));
        } catch (const std::exception& e) {
            failed = e.what();
        }
    });
    next.join();
    REQUIRE(failed.empty());
    check_sums(y, want, "a new thread on the same stream", stream);
    REQUIRE(cudaGraphExecDestroy(exec) == cudaSuccess);
    // Scratch no capture used is freed when its thread ends, not kept for another thread.
    cudaStream_t other;
    REQUIRE(cudaStreamCreateWithFlags(&other, cudaStreamNonBlocking) == cudaSuccess);
    void* uncaptured = nullptr;
    std::thread plain([&] {
        try {
            y = on(other, s * W);
            uncaptured = kernels::cuda_impl::device_scratch<unsigned long long, 1>(0, other);
        } catch (const std::exception& e) {
            failed = e.what();
        }
    });
    plain.join();
    REQUIRE(failed.empty());
    a = cudaPointerAttributes{};
    REQUIRE(cudaPointerGetAttributes(&a, uncaptured) == cudaSuccess);
    CHECK(a.type == cudaMemoryTypeUnregistered);  // freed (checked before anything else allocates)
    check_sums(y, want, "a thread that captured nothing", other);
    cudaStreamDestroy(other);
    cudaStreamDestroy(stream);
}

TEST_CASE("to_device without a stream leaves its copy ready for any stream", "[cuda][csr][range][streams]") {
    // The range index is built by a kernel after the copies: to_device must wait for it, so that
    // a product on a non-blocking stream right after it reads a finished index.
    const std::size_t n_pre = 70000, n_post = 2 * 4096 + 77;
    const auto W_host = testing::ranged_matrix<CSR<float>>(n_pre, n_post, false);
    const auto bits = testing::spikes(n_pre, 0.1);
    const BinaryArray<> s_host(std::span<const std::uint8_t>{bits});
    const Sums want = scatter_sums(W_host, bits);
    cudaStream_t stream;
    REQUIRE(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) == cudaSuccess);
    Array<float, brainevent::cuda> y(n_post);
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        const auto s = to_device(s_host);
        const auto W = to_device(W_host);
        CHECK(cudaStreamQuery(nullptr) == cudaSuccess);  // nothing left queued on the default stream
        REQUIRE(W.has_range_index());
        y = on(stream, s * W);
        check_sums(y, want, "a product on a non-blocking stream right after to_device", stream);
        const auto D = to_device(Dense<float>(300, 500, testing::uniform<float>(300 * 500)));
        const auto F = to_device(FixedPostNumConn<float>::random(300, 500, 7, 0.5f, 3));
        const auto L = to_device(IndexedBinary1d<>(s_host));
        CHECK(cudaStreamQuery(nullptr) == cudaSuccess);
    }
    // A device buffer made with -0 holds -0 (not the +0 of a zeroing memset).
    const Buffer<float, brainevent::cuda> negative_zeros(5, -0.0f);
    std::vector<float> back(5, 1.0f);
    REQUIRE(cudaMemcpy(back.data(), negative_zeros.data(), 5 * sizeof(float), cudaMemcpyDeviceToHost) == cudaSuccess);
    for (float v : back) CHECK((v == 0.0f && std::signbit(v)));
    cudaStreamDestroy(stream);
}

template <class M>
void check_fixed_on_device(const std::vector<std::pair<std::size_t, std::size_t>>& shapes,
                           const std::vector<std::size_t>& batches, const std::vector<double>& rates) {
    using T = typename M::value_type;
    for (auto [n_pre, n_post] : shapes) {
        const std::size_t choices = M::format::lines_are_rows ? n_post : n_pre;
        std::vector<std::size_t> ks{0, 1, choices / 2, choices};
        if (choices == 0) ks = {0};
        for (std::size_t k : ks)
            for (auto p : {testing::FixedPattern::distinct_sorted, testing::FixedPattern::unsorted_repeats})
                for (bool hom : {false, true}) {
                    const M W1 = testing::random_fixed<M>(n_pre, n_post, k, p, hom);
                    const M W2 = testing::random_fixed<M>(n_pre, n_post, k, p, hom);
                    INFO("k = " << k << (hom ? ", homogeneous" : ", heterogeneous"));
                    for (std::size_t batch : batches)
                        for (double rate : rates)
                            for (Kind kind : {Kind::binary, Kind::indexed, Kind::real})
                                for (bool left : {true, false})
                                    testing::check_case<T, brainevent::cuda>(batch, W1, W2, rate, kind, left);
                }
    }
}

TEMPLATE_TEST_CASE("CUDA FixedPostNumConn and FixedPreNumConn products match the reference", "[cuda][fixed]", float,
                   double) {
    const std::vector<std::pair<std::size_t, std::size_t>> shapes = {{0, 0},  {0, 5},    {5, 0},   {1, 1},
                                                                     {7, 13}, {100, 64}, {33, 700}};
    const bool gather = GENERATE(true, false);  // over the small matrices' transposed lines, or not
    INFO((gather ? "scatter by gathering over the transposed lines" : "scatter"));
    const KnobScope scope(kernels::cuda_impl::gather_transposed, gather);
    check_fixed_on_device<FixedPostNumConn<TestType>>(shapes, {0, 1, 3, 32}, {0.0, 0.05, 1.0});
    check_fixed_on_device<FixedPreNumConn<TestType>>(shapes, {0, 1, 3, 32}, {0.0, 0.05, 1.0});
}

TEMPLATE_TEST_CASE("The CUDA tile finder walks lines of many chunks, empty lines among them", "[cuda][csr][csc][fixed]",
                   float, double) {
    // Under the tile finder: active lines with no entries between lines of several chunks of 128
    // (empty_rows: ~300 entries or none; single_dense_row: one line of 600 among empty ones), no
    // and all spikes; fixed fan-outs on both sides of a chunk (127, 128, 129, 256), both
    // orientations (FixedPre and CSC scatter over their columns).
    const KnobScope scope(kernels::cuda_impl::scatter_find_active, FindActive::by_tile);
    const std::vector<Pattern> patterns = {Pattern::empty_rows, Pattern::single_dense_row, Pattern::random};
    check_sparse_on_device<CSR<TestType>>({{3000, 600}}, patterns, {1, 2}, {0.0, 0.05, 1.0},
                                          {Kind::binary, Kind::real});
    check_sparse_on_device<CSC<TestType>>({{600, 3000}}, patterns, {1}, {0.05, 1.0}, {Kind::binary, Kind::real});
    for (std::size_t k : {127, 128, 129, 256}) {
        INFO("fan-out " << k);
        for (bool hom : {false, true}) {
            const auto post = testing::random_fixed<FixedPostNumConn<TestType>>(
                700, 300, k, testing::FixedPattern::distinct_sorted, hom);
            const auto pre = testing::random_fixed<FixedPreNumConn<TestType>>(
                300, 700, k, testing::FixedPattern::unsorted_repeats, hom);
            for (double rate : {0.05, 1.0})
                for (Kind kind : {Kind::binary, Kind::real}) {
                    testing::check_case<TestType, brainevent::cuda>(1, post, post, rate, kind, true);
                    testing::check_case<TestType, brainevent::cuda>(2, pre, pre, rate, kind, false);
                }
        }
    }
}

TEST_CASE("An assigning CUDA scatter zeroes a large output before its atomics", "[cuda][csr][zeroing]") {
    // 4M outputs and 64 inputs of 16 entries each: the zeroing (overlapped, or a memset) is long
    // next to the scatter, so an atomic that ran before it ended would be lost; every output is
    // checked, poisoned before each product.
    const std::size_t n_pre = 64, n_post = std::size_t{1} << 22;
    const CSR<float> W_host = sampled_csr(n_pre, n_post, 16);
    const auto indptr = W_host.indptr(), indices = W_host.indices();
    const auto weights = W_host.weights();
    const auto W = to_device(W_host);
    const auto bits = testing::spikes(n_pre, 0.5);
    const BinaryArray<brainevent::cuda> s = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits)));
    std::vector<double> want(n_post, 0.0);
    for (std::size_t i = 0; i < n_pre; ++i)
        if (bits[i])
            for (int e = indptr[i]; e < indptr[i + 1]; ++e) want[static_cast<std::size_t>(indices[e])] += weights[e];
    const Array<float, brainevent::cuda> poison =
        to_device(Array<float>(std::vector<float>(n_post, std::numeric_limits<float>::quiet_NaN())));
    Array<float, brainevent::cuda> y(n_post);
    for (Zeroing zeroing : kZeroings)
        for (FindActive how : {FindActive::by_warp, FindActive::by_tile}) {
            INFO("zeroing " << static_cast<int>(zeroing) << ", finder " << static_cast<int>(how));
            const KnobScope z(kernels::cuda_impl::scatter_zeroing, zeroing);
            const KnobScope f(kernels::cuda_impl::scatter_find_active, how);
            for (int repeat = 0; repeat < 3; ++repeat) {
                REQUIRE(cudaMemcpy(y.data(), poison.data(), n_post * sizeof(float), cudaMemcpyDeviceToDevice) ==
                        cudaSuccess);
                y = s * W;
                const Array<float> got = to_host(y);
                std::size_t wrong = 0;
                for (std::size_t j = 0; j < n_post; ++j)
                    if (!(std::abs(static_cast<double>(got(j)) - want[j]) <= 1e-5)) ++wrong;
                CHECK(wrong == 0);
            }
        }
}

TEST_CASE("The range scatter waits for a long zeroing and for a long listing", "[cuda][csr][range][zeroing]") {
    // The range scatter of binary events lists the active lines first (chained: one kernel zeroes
    // the list's counts and y, the listing overlaps it, the range kernel overlaps the listing).
    // Two shapes make each wait matter: 4M outputs, whose zeroing (three blocks per output range
    // add their tiles) is long next to 64 lines of about 2,200 entries; and 1M lines of about 8
    // entries over 8,192 outputs, whose listing is long next to the range kernel. y = s * W, then
    // y += s * W, every output checked, on outputs poisoned before, under every zeroing.
    struct Shape {
        std::size_t n_pre, n_post, k;
        unsigned shares;
        double rate;
    };
    for (const Shape shape :
         {Shape{64, std::size_t{1} << 22, 2200, 3, 0.5}, Shape{std::size_t{1} << 20, 8192, 8, 0, 0.01}}) {
        const std::size_t n_pre = shape.n_pre, n_post = shape.n_post;
        const CSR<float> W_host = sampled_csr(n_pre, n_post, shape.k);
        const auto indptr = W_host.indptr(), indices = W_host.indices();
        const auto weights = W_host.weights();
        const auto W = to_device(W_host);
        REQUIRE(W.has_range_index());
        const auto bits = testing::spikes(n_pre, shape.rate);
        const BinaryArray<brainevent::cuda> s = to_device(BinaryArray<>(std::span<const std::uint8_t>(bits)));
        std::vector<double> want(n_post, 0.0), scale(n_post, 0.0);
        for (std::size_t i = 0; i < n_pre; ++i)
            if (bits[i])
                for (int e = indptr[i]; e < indptr[i + 1]; ++e) {
                    want[static_cast<std::size_t>(indices[e])] += weights[e];
                    scale[static_cast<std::size_t>(indices[e])] += std::abs(weights[e]);
                }
        const KnobScope how(kernels::cuda_impl::scatter_find_active, FindActive::by_range);
        const KnobScope split(kernels::cuda_impl::range_shares, shape.shares);
        for (Zeroing zeroing : kZeroings) {
            INFO(n_pre << " lines, " << n_post << " outputs, zeroing " << static_cast<int>(zeroing));
            const KnobScope z(kernels::cuda_impl::scatter_zeroing, zeroing);
            CHECK(testing::misses_of_assign_then_add(s, W, want, scale) == 0);
        }
    }
}

TEST_CASE("Fixed-number formats round-trip through the device", "[cuda][fixed]") {
    const auto W = FixedPostNumConn<float>::random(50, 40, 7, 0.5f, 3);
    const auto back = to_host(to_device(W));
    CHECK(std::vector<int>(back.indices().begin(), back.indices().end()) ==
          std::vector<int>(W.indices().begin(), W.indices().end()));
    CHECK(back.num_conn() == 7);
    CHECK(back.is_homogeneous());
    CHECK(back.has_sorted_indices());
    const auto P = to_host(to_device(transpose(W)));
    CHECK(P.n_pre() == 40);
    CHECK(P.n_post() == 50);
}

TEMPLATE_TEST_CASE("CUDA Dense products match the reference", "[cuda][dense]", float, double) {
    using T = TestType;
    const std::size_t sizes[] = {0, 1, 17, 300};  // 300: more than one block of columns / chunk of inputs
    for (std::size_t n_pre : sizes)
        for (std::size_t n_post : sizes) {
            const Dense<T> W1(n_pre, n_post, testing::uniform<T>(n_pre * n_post));
            const Dense<T> W2(n_pre, n_post, testing::uniform<T>(n_pre * n_post));
            for (std::size_t batch : {0, 1, 3, 64})
                for (double rate : {0.0, 0.1, 1.0})
                    for (Kind kind : {Kind::binary, Kind::indexed, Kind::real})
                        for (bool left : {true, false})
                            testing::check_case<T, brainevent::cuda>(batch, W1, W2, rate, kind, left);
        }
}

TEMPLATE_TEST_CASE("Every way the CUDA scatter zeroes y gives the reference", "[cuda][csr][csc][zeroing]", float,
                   double) {
    // Assigning products zero y by a memset or by a kernel the scatter overlaps (programmatic
    // dependent launch; Zeroing::chained is the same for these scatters, which list nothing: the
    // range tests run its chain); each with both finders and index lists, on outputs poisoned
    // before the product.
    for (Zeroing zeroing : kZeroings) {
        INFO("zeroing: " << static_cast<int>(zeroing));
        const KnobScope scope(kernels::cuda_impl::scatter_zeroing, zeroing);
        const KnobScope scatters(kernels::cuda_impl::gather_transposed, false);  // small matrices too
        check_sparse_on_device<CSR<TestType>>(kShapes, {Pattern::random, Pattern::no_synapses}, {1, 3},
                                              {0.0, 0.05, 1.0});
        check_sparse_on_device<CSC<TestType>>({{7, 13}, {33, 700}}, {Pattern::random}, {1, 3}, {0.05});
        for (FindActive how : {FindActive::by_warp, FindActive::by_tile}) {
            const KnobScope find(kernels::cuda_impl::scatter_find_active, how);
            check_sparse_on_device<CSR<TestType>>({{3000, 50}, {70000, 5}}, {Pattern::random}, {1, 2}, {0.05, 1.0},
                                                  {Kind::binary, Kind::real});
        }
    }
}

TEST_CASE("A product captured in a CUDA graph replays correctly", "[cuda][graph]") {
    const Zeroing zeroing = GENERATE(from_range(std::begin(kZeroings), std::end(kZeroings)));
    const bool gather = GENERATE(true, false);  // over the small matrix's transposed lines
    INFO("zeroing: " << static_cast<int>(zeroing) << (gather ? ", gather" : ", scatter"));
    const KnobScope scope(kernels::cuda_impl::scatter_zeroing, zeroing);
    const KnobScope gathers(kernels::cuda_impl::gather_transposed, gather);
    const auto a = testing::random_arrays<float>(200, 300, Pattern::random);
    check_graph_replay(CSR<float>(200, 300, a.indptr, a.indices, std::span<const float>(a.weights)),
                       testing::spikes(200, 0.1));
}

TEST_CASE("Products of every format, compaction among them, replay correctly from a CUDA graph", "[cuda][graph]") {
    // Both orientations (the scatter and the gather of each format), binary events and events
    // compacted inside the graph.
    const auto bits_pre = testing::spikes(200, 0.1), bits_post = testing::spikes(300, 0.1);
    auto both = [&](const auto& W) {
        for (bool compacted : {false, true}) {
            check_graph_replay(W, bits_pre, true, compacted);
            check_graph_replay(W, bits_post, false, compacted);
        }
    };
    const auto a = testing::random_arrays<float>(200, 300, Pattern::random);
    const CSR<float> csr(200, 300, a.indptr, a.indices, std::span<const float>(a.weights));
    SECTION("CSR") { both(csr); }
    SECTION("CSC") { both(csr2csc(csr)); }
    SECTION("Dense") { both(Dense<float>(200, 300, testing::uniform<float>(200 * 300))); }
    SECTION("FixedPostNumConn") {
        both(testing::random_fixed<FixedPostNumConn<float>>(200, 300, 9, testing::FixedPattern::distinct_sorted, false));
    }
    SECTION("FixedPreNumConn") {
        both(testing::random_fixed<FixedPreNumConn<float>>(200, 300, 7, testing::FixedPattern::unsorted_repeats, true));
    }
    SECTION("JITCScalarR") { both(JITCScalarR<float>(0.5f, 0.05, 3, {200, 300})); }
    SECTION("JITCNormalC") { both(JITCNormalC<float>(0.0f, 1.0f, 0.05, 4, {200, 300})); }
}

TEST_CASE("Batched products, compaction among them, replay correctly from a CUDA graph", "[cuda][graph][columns]") {
    // Batches of 5 and 40 rows: the gathers turn the events around into bit columns in scratch
    // (allocated by the warm-up run), the scatters list each row's active lines.
    const auto a = testing::random_arrays<float>(200, 300, Pattern::random);
    const CSR<float> csr(200, 300, a.indptr, a.indices, std::span<const float>(a.weights));
    for (std::size_t batch : {5, 40}) {
        const auto bits_pre = testing::spikes(batch * 200, 0.1), bits_post = testing::spikes(batch * 300, 0.1);
        auto both = [&](const auto& W) {
            for (bool compacted : {false, true}) {
                check_graph_replay(W, bits_pre, true, compacted, batch);
                check_graph_replay(W, bits_post, false, compacted, batch);
            }
        };
        both(csr);
        both(csr2csc(csr));
        both(JITCScalarR<float>(0.5f, 0.05, 3, {200, 300}));
        both(JITCNormalC<float>(0.0f, 1.0f, 0.05, 4, {200, 300}));
    }
}

TEST_CASE("Transfers round-trip and CUDA failures throw cuda_error", "[cuda][errors]") {
    using Catch::Matchers::Contains;
    const auto a = testing::random_arrays<double>(9, 4, Pattern::unsorted_repeats);
    const CSC<double> w(4, 9, a.indptr, a.indices, std::span<const double>(a.weights));
    const auto back = to_host(to_device(w));
    CHECK(std::vector<double>(back.weights().begin(), back.weights().end()) == a.weights);
    CHECK(back.has_sorted_indices() == w.has_sorted_indices());
    const std::size_t too_many = std::size_t{1} << 50;  // 4 PiB of floats
    using DeviceFloats = Buffer<float, brainevent::cuda>;
    CHECK_THROWS_MSG(DeviceFloats(too_many), cuda_error,
                     Contains("cudaMalloc") && Contains("cudaErrorMemoryAllocation"));
    cudaGetLastError();  // clear the sticky-free error state
    // A size whose byte count overflows is refused before cudaMalloc (it would wrap to a few bytes).
    CHECK_THROWS_MSG(DeviceFloats((std::size_t{1} << 62) | 1), value_error, Contains("overflow"));
    CHECK_THROWS_AS((Array<float, brainevent::cuda>((std::size_t{1} << 62) | 1)), value_error);
    // A buffer whose growth failed is left empty, not holding a stale capacity over no memory.
    DeviceFloats grown(16, 1.0f);
    CHECK_THROWS_AS(grown.resize(too_many), cuda_error);
    cudaGetLastError();
    CHECK(grown.data() == nullptr);
    CHECK(grown.size() == 0);
    CHECK(grown.capacity() == 0);
    grown.resize(8);
    REQUIRE(grown.data() != nullptr);
    CHECK_NOTHROW(detail::fill_device(grown.data(), 8, 2.0f, nullptr));
    // Made with a value or copied, a buffer holds its contents when the constructor returns, so a
    // non-blocking stream (not ordered after the default stream) may read it next.
    {
        cudaStream_t free_stream;
        REQUIRE(cudaStreamCreateWithFlags(&free_stream, cudaStreamNonBlocking) == cudaSuccess);
        const std::size_t n = std::size_t{1} << 24;
        const DeviceFloats filled(n, 3.0f);
        const DeviceFloats copied(filled);
        std::vector<float> a_back(n), b_back(n);
        detail::copy_to_host(a_back.data(), filled.data(), n, free_stream);
        detail::copy_to_host(b_back.data(), copied.data(), n, free_stream);
        CHECK(std::count(a_back.begin(), a_back.end(), 3.0f) == static_cast<std::ptrdiff_t>(n));
        CHECK(std::count(b_back.begin(), b_back.end(), 3.0f) == static_cast<std::ptrdiff_t>(n));
        cudaStreamDestroy(free_stream);
    }
    // A device view of host memory throws before any launch (unless this device reads pageable
    // memory, where it is a valid view); device memory and mapped page-locked memory pass.
    {
        std::vector<float> pageable(8, 1.0f);
        int device = 0, reads_pageable = 0;
        REQUIRE(cudaGetDevice(&device) == cudaSuccess);
        REQUIRE(cudaDeviceGetAttribute(&reads_pageable, cudaDevAttrPageableMemoryAccess, device) == cudaSuccess);
        INFO("device reads pageable memory: " << reads_pageable);
        using DeviceView = ArrayView<float, brainevent::cuda>;
        if (reads_pageable) {
            CHECK_NOTHROW(DeviceView(pageable.data(), Shape::vector(8)));
        } else {
            CHECK_THROWS_MSG(DeviceView(pageable.data(), Shape::vector(8)), value_error,
                             Contains("ArrayView") && Contains("host memory"));
            CHECK_THROWS_MSG((Dense<float, brainevent::cuda>::view(pageable.data(), 2, 4)), value_error,
                             Contains("Dense::view") && Contains("host memory"));
        }
        Array<float, brainevent::cuda> on_device(8);
        CHECK_NOTHROW(DeviceView(on_device.data() + 2, Shape::vector(6)));  // inside an allocation
        CHECK_NOTHROW(Dense<float, brainevent::cuda>::view(on_device.data(), 2, 4));
        float* pinned = nullptr;
        REQUIRE(cudaMallocHost(&pinned, 8 * sizeof(float)) == cudaSuccess);
        CHECK_NOTHROW(DeviceView(pinned, Shape::vector(8)));
        cudaFreeHost(pinned);
    }
    // Shapes are checked before any launch.
    BinaryArray<brainevent::cuda> s = to_device(BinaryArray<>(5));
    const auto W = to_device(CSR<float>(3, 4, std::vector<int>{0, 0, 0, 0}, std::vector<int>{}, 1.0f));
    CHECK_THROWS_MSG(s * W, shape_error, Contains("(5)") && Contains("(3, 4)"));
    // The other orientation, and outputs of the wrong size: y is left as it was.
    const BinaryArray<brainevent::cuda> s3 = to_device(BinaryArray<>(3));
    Array<float, brainevent::cuda> y3 = to_device(Array<float>(std::vector<float>(3, 7.0f)));
    Array<float, brainevent::cuda> y5 = to_device(Array<float>(std::vector<float>(5, 7.0f)));
    CHECK_THROWS_AS(y3 = W * s3, shape_error);  // W * s needs 4 events
    CHECK_THROWS_AS(y5 = s3 * W, shape_error);  // s * W gives 4 values
    CHECK_THROWS_AS(y5 += 2.0f * (s3 * W), shape_error);
    for (const auto& y : {to_host(y3), to_host(y5)})
        for (std::size_t j = 0; j < y.size(); ++j) CHECK(y(j) == 7.0f);
}

namespace {
template <class A, class B>
concept can_multiply = requires(const A& a, const B& b) {
    a* b;
};
template <class Y, class X>
concept can_assign = requires(Y& y, const X& x) {
    y = x;
    y += x;
};
template <class A, class B>
concept can_add = requires(const A& a, const B& b) {
    a + b;
};
using DeviceProduct = decltype(std::declval<const BinaryArray<brainevent::cuda>&>() *
                               std::declval<const CSR<float, brainevent::cuda>&>());
using HostProduct = decltype(std::declval<const BinaryArray<>&>() * std::declval<const CSR<float>&>());
}  // namespace

TEST_CASE("Host and device operands do not mix", "[cuda][compile]") {
    STATIC_REQUIRE(can_multiply<BinaryArray<brainevent::cuda>, CSR<float, brainevent::cuda>>);
    STATIC_REQUIRE(!can_multiply<BinaryArray<brainevent::cuda>, CSR<float, host>>);
    STATIC_REQUIRE(!can_multiply<BinaryArray<host>, Dense<float, brainevent::cuda>>);
    STATIC_REQUIRE(!can_multiply<Array<float, host>, CSC<float, brainevent::cuda>>);
    STATIC_REQUIRE(!can_multiply<IndexedBinary1d<brainevent::cuda>, CSR<float, host>>);
    STATIC_REQUIRE(!can_multiply<IndexedBinary1d<host>, JITCScalarR<float, brainevent::cuda>>);
    // A product is assigned only to an output in its own space, and added only to one of its space.
    STATIC_REQUIRE(can_assign<Array<float, brainevent::cuda>, DeviceProduct>);
    STATIC_REQUIRE(!can_assign<Array<float, host>, DeviceProduct>);
    STATIC_REQUIRE(!can_assign<Array<float, brainevent::cuda>, HostProduct>);
    STATIC_REQUIRE(!can_assign<Array<double, brainevent::cuda>, DeviceProduct>);
    STATIC_REQUIRE(can_add<DeviceProduct, DeviceProduct>);
    STATIC_REQUIRE(!can_add<DeviceProduct, HostProduct>);
}

TEMPLATE_TEST_CASE("Device compaction lists exactly the spikes, in order", "[cuda][compaction]", std::int32_t,
                   std::int64_t) {
    using I = TestType;
    IndexedBinary1d<brainevent::cuda, I> vec;  // reused across sizes: grows, never reallocates down
    IndexedBinary2d<brainevent::cuda, I> batch;
    for (std::size_t n : {0, 1, 7, 8, 9, 100, 1000, 100000})
        for (double rate : {0.0, 0.01, 0.5, 1.0}) {
            const auto bits = testing::spikes(3 * n, rate);
            const BinaryArray<> host_vec{std::span<const std::uint8_t>(bits.data(), n)};
            const BinaryArray<> host_batch(3, n, std::span<const std::uint8_t>(bits));
            compact(to_device(host_vec), vec);
            compact(to_device(host_batch), batch);
            const auto got_vec = to_host(vec);
            const auto got_batch = to_host(batch);
            const IndexedBinary1d<host, I> want_vec(host_vec);
            const IndexedBinary2d<host, I> want_batch(host_batch);
            INFO("n = " << n << ", firing " << rate);
            CHECK(std::vector<I>(got_vec.indices().begin(), got_vec.indices().end()) ==
                  std::vector<I>(want_vec.indices().begin(), want_vec.indices().end()));
            REQUIRE(got_batch.rows() == 3);
            for (std::size_t b = 0; b < 3; ++b)
                CHECK(std::vector<I>(got_batch.row(b).begin(), got_batch.row(b).end()) ==
                      std::vector<I>(want_batch.row(b).begin(), want_batch.row(b).end()));
        }
    BinaryArray<brainevent::cuda> two_rows = to_device(BinaryArray<>(2, 4));
    CHECK_THROWS_AS(compact(two_rows, vec), shape_error);
    // A count outside [0, stride()] (device memory written by something else) is refused by
    // to_host, not followed past its row.
    compact(two_rows, batch);
    // Moving a list allocates nothing (a temporary list is moved into every expression layer),
    // and a moved-from host list goes to the device as an empty one.
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<IndexedBinary1d<brainevent::cuda, I>>);
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<IndexedBinary2d<brainevent::cuda, I>>);
    IndexedBinary1d<host, I> gone(4, std::vector<I>{1, 3});
    const IndexedBinary1d<host, I> kept = std::move(gone);
    const auto d_gone = to_device(gone);  // NOLINT(bugprone-use-after-move): the point of the test
    CHECK(d_gone.cols() == 0);
    CHECK(to_host(d_gone).count() == 0);
    CHECK(to_host(to_device(kept)).count() == 2);
    BinaryArray<brainevent::cuda> one_row = to_device(BinaryArray<>(4));
    compact(one_row, vec);
    REQUIRE(vec.stride() == 4);
    for (const I bad : {I(5), I(-1)}) {
        detail::copy_to_device(batch.count_data() + 1, &bad, 1, nullptr);
        CHECK_THROWS_AS(to_host(batch), format_error);
        detail::copy_to_device(vec.count_data(), &bad, 1, nullptr);
        CHECK_THROWS_AS(to_host(vec), format_error);
    }
}

TEST_CASE("A compacted spike vector drives a product on the device", "[cuda][compaction][csr]") {
    const auto a = testing::random_arrays<float>(500, 300, Pattern::random);
    const CSR<float> W_host(500, 300, a.indptr, a.indices, std::span<const float>(a.weights));
    const auto W = to_device(W_host);
    const auto bits = testing::spikes(500, 0.05);
    const BinaryArray<> s_host{std::span<const std::uint8_t>(bits)};
    IndexedBinary1d<brainevent::cuda> s;
    compact(to_device(s_host), s);
    Array<float, brainevent::cuda> y(300);
    y = s * W;
    const Array<float> got = to_host(y);
    Array<float> want(300);
    want = s_host * W_host;
    for (std::size_t j = 0; j < 300; ++j) CHECK(got(j) == Approx(want(j)).margin(1e-4));
}
