// Every event kind × orientation × vector/batch × float/double × assignment form of the Dense
// host kernels, against a double-precision dense reference on random inputs.
#include <sstream>

#include "helpers.hpp"

using namespace brainevent;
using testing::Ref;

namespace {

enum class Kind { binary, indexed, indexed64, real };
const char* name(Kind k) {
    switch (k) {
        case Kind::binary:
            return "BinaryArray";
        case Kind::indexed:
            return "IndexedBinary(int32)";
        case Kind::indexed64:
            return "IndexedBinary(int64)";
        default:
            return "Array (float events)";
    }
}

/// Random events as a double matrix: 0/1 with probability `rate` of a 1, or for real events
/// values in [-1, 1] at the same positions (exact zeros elsewhere).
Ref random_events(std::size_t rows, std::size_t n, double rate, Kind k) {
    Ref e{rows, n, std::vector<double>(rows * n)};
    const auto bits = testing::spikes(rows * n, rate);
    const auto vals = testing::uniform<double>(rows * n, -1.0, 1.0);
    for (std::size_t i = 0; i < e.v.size(); ++i) e.v[i] = bits[i] ? (k == Kind::real ? vals[i] : 1.0) : 0.0;
    return e;
}

template <class I>
std::vector<std::vector<I>> index_lists(const Ref& e) {
    std::vector<std::vector<I>> lists(e.rows);
    for (std::size_t b = 0; b < e.rows; ++b)
        for (std::size_t i = 0; i < e.cols; ++i)
            if (e(b, i) != 0) lists[b].push_back(static_cast<I>(i));
    return lists;
}

/// Builds the events of kind k holding e (a vector when !batch) and calls fn with them.
template <class T, class Fn>
void with_events(Kind k, bool batch, const Ref& e, Fn&& fn) {
    switch (k) {
        case Kind::binary: {
            std::vector<std::uint8_t> bits(e.v.size());
            for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = e.v[i] != 0;
            if (batch)
                fn(BinaryArray<>(e.rows, e.cols, std::span<const std::uint8_t>(bits)));
            else
                fn(BinaryArray<>(std::span<const std::uint8_t>(bits)));
            return;
        }
        case Kind::indexed: {
            const auto lists = index_lists<std::int32_t>(e);
            if (batch)
                fn(IndexedBinary2d<host, std::int32_t>(e.cols, lists));
            else
                fn(IndexedBinary1d<host, std::int32_t>(e.cols, lists[0]));
            return;
        }
        case Kind::indexed64: {
            const auto lists = index_lists<std::int64_t>(e);
            if (batch)
                fn(IndexedBinary2d<host, std::int64_t>(e.cols, lists));
            else
                fn(IndexedBinary1d<host, std::int64_t>(e.cols, lists[0]));
            return;
        }
        case Kind::real: {
            std::vector<T> v(e.v.begin(), e.v.end());
            if (batch)
                fn(Array<T>(e.rows, e.cols, std::span<const T>(v)));
            else
                fn(Array<T>(std::span<const T>(v)));
            return;
        }
    }
}

std::string label(const char* form, std::size_t batch, std::size_t n_pre, std::size_t n_post, double rate, Kind kind,
                  bool left) {
    std::ostringstream os;
    os << form << " with " << (left ? "s * W" : "W * s") << ", " << name(kind) << ", "
       << (batch ? "batch " + std::to_string(batch) : std::string("vector")) << ", W (" << n_pre << ", " << n_post
       << "), firing " << rate;
    return os.str();
}

template <class T>
Ref to_ref(const std::vector<T>& w, std::size_t rows, std::size_t cols) {
    return Ref{rows, cols, std::vector<double>(w.begin(), w.end())};
}

/// One shape, kind, orientation: checks =, +=, -=, scaled, sum and difference of products, and
/// the transposed spelling, each against the reference.
template <class T>
void check_case(std::size_t batch, std::size_t n_pre, std::size_t n_post, double rate, Kind kind, bool left) {
    const bool is_batch = batch > 0;
    const std::size_t rows = is_batch ? batch : 1;
    const std::size_t n_in = left ? n_pre : n_post, n_out = left ? n_post : n_pre;
    const auto w1v = testing::uniform<T>(n_pre * n_post), w2v = testing::uniform<T>(n_pre * n_post);
    Dense<T> W1(n_pre, n_post, w1v), W2(n_pre, n_post, w2v);
    const Ref e1 = random_events(rows, n_in, rate, kind), e2 = random_events(rows, n_in, rate, kind);
    const auto r1 = testing::reference(e1, to_ref(w1v, n_pre, n_post), left);
    const auto r2 = testing::reference(e2, to_ref(w2v, n_pre, n_post), left);
    const auto y0 = testing::uniform<T>(rows * n_out);

    auto make_output = [&](bool poison) {
        Array<T> y = is_batch ? Array<T>(rows, n_out, y0) : Array<T>(std::span<const T>(y0));
        if (poison) y.fill(std::numeric_limits<T>::quiet_NaN());
        return y;
    };
    auto expect = [&](double a0, double a1, double a2) {
        std::vector<double> v(rows * n_out), s(rows * n_out);
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = a0 * y0[i] + a1 * r1.y.v[i] + a2 * r2.y.v[i];
            s[i] = std::abs(a0 * y0[i]) + std::abs(a1) * r1.abs.v[i] + std::abs(a2) * r2.abs.v[i];
        }
        return std::pair{v, s};
    };
    auto check = [&](const Array<T>& y, double a0, double a1, double a2, const char* form) {
        const auto [want, scale] = expect(a0, a1, a2);
        testing::check_close(y.data(), want, scale, n_in + 2, label(form, batch, n_pre, n_post, rate, kind, left));
    };

    with_events<T>(kind, is_batch, e1, [&](const auto& s1) {
        with_events<T>(kind, is_batch, e2, [&](const auto& s2) {
            // The same checks for s * W and W * s, written once over a product-maker.
            auto run = [&](auto&& P1, auto&& P2, auto&& P1t) {
                Array<T> y = make_output(true);
                y = P1();
                check(y, 0, 1, 0, "y = P");
                y = make_output(false);
                y += P1();
                check(y, 1, 1, 0, "y += P");
                y = make_output(false);
                y -= P1();
                check(y, 1, -1, 0, "y -= P");
                y = make_output(true);
                y = T(-1.5) * P1();
                check(y, 0, -1.5, 0, "y = a * P");
                y = make_output(true);
                y = P1() * 2;
                check(y, 0, 2, 0, "y = P * a");
                y = make_output(true);
                y = P1() + P2();
                check(y, 0, 1, 1, "y = P1 + P2");
                y = make_output(false);
                y += P1() - T(0.5) * P2();
                check(y, 1, 1, -0.5, "y += P1 - a * P2");
                y = make_output(true);
                y = -P1t();
                check(y, 0, -1, 0, "y = -P (transposed spelling)");
                ArrayView<T> v = y.view();
                v = P1();
                check(y, 0, 1, 0, "view = P");
            };
            if (left)
                run([&] { return s1 * W1; }, [&] { return s2 * W2; }, [&] { return transpose(W1) * s1; });
            else
                run([&] { return W1 * s1; }, [&] { return W2 * s2; }, [&] { return s1 * transpose(W1); });
        });
    });
}

}  // namespace

TEMPLATE_TEST_CASE("Dense products match a double-precision reference on every form", "[dense][product]", float,
                   double) {
    using T = TestType;
    // Sizes around and off the SIMD widths (4, 8, 16), including empty and single-element.
    const std::size_t sizes[] = {0, 1, 7, 17, 100};
    const std::size_t batches[] = {0 /* vector */, 1, 3, 64};
    const double rates[] = {0.0, 0.2, 1.0};
    const Kind kinds[] = {Kind::binary, Kind::indexed, Kind::indexed64, Kind::real};
    for (std::size_t n_pre : sizes)
        for (std::size_t n_post : sizes)
            for (std::size_t batch : batches)
                for (double rate : rates)
                    for (Kind kind : kinds)
                        for (bool left : {true, false}) check_case<T>(batch, n_pre, n_post, rate, kind, left);
}

TEMPLATE_TEST_CASE("Dense W * s takes both traversals (gather and streamed dot) correctly", "[dense][product]", float,
                   double) {
    using T = TestType;
    // 1000 inputs: 0.5% firing gathers, 30% firing streams dot products.
    for (double rate : {0.005, 0.02, 0.3})
        for (std::size_t batch : {std::size_t{0}, std::size_t{5}})
            for (Kind kind : {Kind::binary, Kind::indexed, Kind::real}) {
                check_case<T>(batch, 37, 1000, rate, kind, false);
                check_case<T>(batch, 1000, 37, rate, kind, true);
            }
}

TEMPLATE_TEST_CASE("Batched s * W tiles wide outputs correctly", "[dense][product]", float, double) {
    // Wider than one column tile (4096), so several tiles and a ragged last one.
    for (Kind kind : {Kind::binary, Kind::real}) check_case<TestType>(4, 13, 9000, 0.3, kind, true);
}

TEST_CASE("Products with empty batches and read-only weight views", "[dense][product]") {
    const std::vector<float> w = testing::uniform<float>(6 * 5);
    Dense<float> W(6, 5, w);
    BinaryArray<> none(0, 6);
    Array<float> y0(0, 5);
    y0 = none * W;  // zero batch rows: nothing to do, no error
    CHECK(y0.shape() == Shape::matrix(0, 5));
    IndexedBinary2d<> none2(5, std::vector<std::vector<std::int32_t>>{});
    Array<float> z0(0, 6);
    z0 = W * none2;
    CHECK(z0.size() == 0);

    // Dense<const T> views read-only memory and multiplies like any Dense.
    const Dense<const float> ro = Dense<const float>::view(w.data(), 6, 5);
    BinaryArray<> s(6);
    s.set(2, true);
    s.set(5, true);
    Array<float> y(5);
    y = s * ro;
    for (std::size_t j = 0; j < 5; ++j) CHECK(y(j) == Approx(w[2 * 5 + j] + w[5 * 5 + j]));
}
