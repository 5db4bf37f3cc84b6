// Checks every assignment form of products of any connectivity format against a double-precision
// dense reference, for every event kind, vector and batch, both orientations.
#pragma once

#include <sstream>

#include "helpers.hpp"

namespace testing {

using namespace brainevent;

enum class Kind { binary, indexed, indexed64, real };
inline const char* name(Kind k) {
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
inline Ref random_events(std::size_t rows, std::size_t n, double rate, Kind k) {
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

/// x in memory space Space: x itself on the host, a device copy for cuda.
template <class Space, class X>
    requires std::is_same_v<Space, host>
const X& place(const X& x) {
    return x;
}
#if defined(__CUDACC__)
template <class Space, class X>
    requires std::is_same_v<Space, brainevent::cuda>
auto place(const X& x) {
    return to_device(x);
}
#endif

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

inline std::string label(const char* form, std::size_t batch, std::size_t n_pre, std::size_t n_post, double rate,
                         Kind kind, bool left) {
    std::ostringstream os;
    os << form << " with " << (left ? "s * W" : "W * s") << ", " << name(kind) << ", "
       << (batch ? "batch " + std::to_string(batch) : std::string("vector")) << ", W (" << n_pre << ", " << n_post
       << "), firing " << rate;
    return os.str();
}

/// The dense double matrix of any connectivity W (through its todense()).
template <class M>
Ref dense_of(const M& w) {
    if constexpr (requires { w.todense(); }) {
        const auto d = w.todense();
        return Ref{d.n_pre(), d.n_post(), std::vector<double>(d.data(), d.data() + d.n_pre() * d.n_post())};
    } else {
        return Ref{w.n_pre(), w.n_post(), std::vector<double>(w.data(), w.data() + w.n_pre() * w.n_post())};
    }
}

/// The dense double matrix of |w| summed per synapse: the scale of the rounding error of a
/// product, which sums synapse by synapse (repeated synapses may cancel in todense()).
template <class M>
Ref abs_dense_of(const M& w) {
    if constexpr (requires { w.lines().offsets; }) {
        const auto c = w.lines();
        const bool rows = M::format::lines_are_rows;
        Ref r{w.n_pre(), w.n_post(), std::vector<double>(w.n_pre() * w.n_post())};
        for (std::size_t l = 0; l < c.n_major; ++l)
            for (std::size_t k = c.offsets.begin(l); k < c.offsets.end(l); ++k) {
                const auto m = static_cast<std::size_t>(c.ix[k]);
                r.v[rows ? l * r.cols + m : m * r.cols + l] += std::abs(double(c.homogeneous ? c.w[0] : c.w[k]));
            }
        return r;
    } else {
        Ref r = dense_of(w);
        for (auto& x : r.v) x = std::abs(x);
        return r;
    }
}

/// For one pair of matrices of the same shape, kind and orientation: checks =, +=, -=, scaled,
/// sum and difference of products, and the transposed spelling, each against the reference.
/// A host copy of a result (the result itself on the host).
template <class T, class Space>
Array<T> fetch(const Array<T, Space>& y) {
    if constexpr (std::is_same_v<Space, host>) {
        return y;
    } else {
#if defined(__CUDACC__)
        return to_host(y);
#endif
    }
}

#if defined(__CUDACC__)
/// Runs y = s * W, then y += s * W, on a device output of want.size() poisoned with NaN, and
/// counts the outputs of either that miss want (then 2 · want) by more than 1e-5 · (1 + scale[j])
/// (scale: Σ |terms| per output).
template <class Ev, class M>
std::size_t misses_of_assign_then_add(const Ev& s, const M& W, const std::vector<double>& want,
                                      const std::vector<double>& scale) {
    const std::size_t n = want.size();
    Array<float, brainevent::cuda> y =
        to_device(Array<float>(std::vector<float>(n, std::numeric_limits<float>::quiet_NaN())));
    y = s * W;
    const Array<float> once = to_host(y);
    y += s * W;
    const Array<float> twice = to_host(y);
    std::size_t wrong = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const double tol = 1e-5 * (1.0 + scale[j]);
        wrong += !(std::abs(once(j) - want[j]) <= tol) + !(std::abs(twice(j) - 2.0 * want[j]) <= 2.0 * tol);
    }
    return wrong;
}
#endif

/// For one pair of host matrices of the same shape, kind and orientation: moves them and the
/// events to Space, then checks =, +=, -=, scaled, sum and difference of products, the
/// transposed spelling and a view output, each against the double-precision reference. Outputs
/// are poisoned with NaN before every `=` so that unwritten elements fail.
template <class T, class Space = host, class M>
void check_case(std::size_t batch, const M& W1_host, const M& W2_host, double rate, Kind kind, bool left) {
    const std::size_t n_pre = W1_host.n_pre(), n_post = W1_host.n_post();
    const bool is_batch = batch > 0;
    const std::size_t rows = is_batch ? batch : 1;
    const std::size_t n_in = left ? n_pre : n_post, n_out = left ? n_post : n_pre;
    const Ref e1 = random_events(rows, n_in, rate, kind), e2 = random_events(rows, n_in, rate, kind);
    auto r1 = testing::reference(e1, dense_of(W1_host), left);
    auto r2 = testing::reference(e2, dense_of(W2_host), left);
    r1.abs = testing::reference(e1, abs_dense_of(W1_host), left).abs;
    r2.abs = testing::reference(e2, abs_dense_of(W2_host), left).abs;
    const auto y0 = testing::uniform<T>(rows * n_out);
    const auto& W1 = place<Space>(W1_host);
    const auto& W2 = place<Space>(W2_host);

    auto make_output = [&](bool poison) {
        Array<T> y = is_batch ? Array<T>(rows, n_out, y0) : Array<T>(std::span<const T>(y0));
        if (poison) y.fill(std::numeric_limits<T>::quiet_NaN());
        return Array<T, Space>(place<Space>(y));
    };
    auto expect = [&](double a0, double a1, double a2) {
        std::vector<double> v(rows * n_out), s(rows * n_out);
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = a0 * y0[i] + a1 * r1.y.v[i] + a2 * r2.y.v[i];
            s[i] = std::abs(a0 * y0[i]) + std::abs(a1) * r1.abs.v[i] + std::abs(a2) * r2.abs.v[i];
        }
        return std::pair{v, s};
    };
    auto check = [&](const Array<T, Space>& y, double a0, double a1, double a2, const char* form) {
        const auto [want, scale] = expect(a0, a1, a2);
        const Array<T> got = fetch(y);
        testing::check_close(got.data(), want, scale, 3 * n_in + 8,
                             label(form, batch, n_pre, n_post, rate, kind, left));
    };

    with_events<T>(kind, is_batch, e1, [&](const auto& s1_host) {
        with_events<T>(kind, is_batch, e2, [&](const auto& s2_host) {
            {
                const auto& s1 = place<Space>(s1_host);
                const auto& s2 = place<Space>(s2_host);
                // The same checks for s * W and W * s, written once over a product-maker.
                auto run = [&](auto&& P1, auto&& P2, auto&& P1t) {
                    Array<T, Space> y = make_output(true);
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
                    y = make_output(true);
                    ArrayView<T, Space> v = y.view();
                    v = P1();
                    check(y, 0, 1, 0, "view = P");
                };
                if (left)
                    run([&] { return s1 * W1; }, [&] { return s2 * W2; }, [&] { return transpose(W1) * s1; });
                else
                    run([&] { return W1 * s1; }, [&] { return W2 * s2; }, [&] { return s1 * transpose(W1); });
            }
        });
    });
}

}  // namespace testing
