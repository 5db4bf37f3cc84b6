// A small program built the way users build against brainevent; exits non-zero on a wrong result.
// It touches every format and kind of event so that the consumer builds, some of them with
// stricter warnings than the library's own (-Wshadow -Wconversion -Wsign-conversion), compile
// most of the headers' code.
#include <brainevent/brainevent.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

int failures = 0;

// y against a dense product with the same matrix's todense(), in double precision.
template <class Y, class Events>
void check(const char* what, const Y& y, const Events& spikes, const brainevent::Dense<float>& dense) {
    for (std::size_t j = 0; j < dense.n_post(); ++j) {
        double want = 0;
        for (std::size_t i = 0; i < dense.n_pre(); ++i)
            if (spikes(i)) want += static_cast<double>(dense(i, j));
        if (std::abs(static_cast<double>(y(j)) - want) > 1e-5) {
            std::printf("%s: wrong result at %zu: %g instead of %g\n", what, j, static_cast<double>(y(j)), want);
            ++failures;
            return;
        }
    }
}

}  // namespace

int main() {
    using namespace brainevent;
    const std::size_t n_pre = 5, n_post = 11;
    std::vector<float> w(n_pre * n_post);
    for (std::size_t k = 0; k < w.size(); ++k) w[k] = static_cast<float>(k % 7) - 3.0f;
    const Dense<float> W(n_pre, n_post, w);
    BinaryArray<> s(n_pre);
    s.set(1, true);
    s.set(4, true);
    Array<float> y(n_post);

    y = s * W;
    check("Dense", y, s, W);

    // CSR from a few triplets, through COO; CSC as its transpose's storage.
    const std::vector<std::int32_t> rows{0, 1, 1, 4, 4, 4}, cols{3, 0, 10, 2, 3, 9};
    const std::vector<float> vals{1.5f, -2.0f, 0.25f, 3.0f, 1.0f, -1.0f};
    const auto n_pre64 = static_cast<std::int64_t>(n_pre), n_post64 = static_cast<std::int64_t>(n_post);
    const auto C = coo2csr(COO<float>(n_pre64, n_post64, rows, cols, vals));
    y = s * C;
    check("CSR", y, s, C.todense());
    y = IndexedBinary1d<>(s) * csr2csc(C);
    check("CSC", y, s, C.todense());

    const auto F = FixedPostNumConn<float>::random(n_pre64, n_post64, 3, 0.5f, 7);
    y = s * F;
    check("FixedPostNumConn", y, s, F.todense());

    const JITCNormalR<float> J(0.0f, 1.0f, 0.4, 11, {n_pre64, n_post64});
    y = s * J;
    check("JITCNormalR", y, s, J.todense());

    // A batch of two rows, float events, a scaled sum.
    BinaryArray<> S(2, n_pre);
    S.set(0, 1, true);
    S.set(1, 4, true);
    Array<float> Y(2, n_post);
    Y = S * W - 0.5f * (S * C);
    Array<float> f(n_pre);
    f(2) = 1.0f;
    Array<float> x(n_post);
    x = f * W;
    const Dense<float> Cd = C.todense();
    for (std::size_t j = 0; j < n_post; ++j) {
        const double want0 = static_cast<double>(W(1, j)) - 0.5 * static_cast<double>(Cd(1, j));
        const double want1 = static_cast<double>(W(4, j)) - 0.5 * static_cast<double>(Cd(4, j));
        if (std::abs(static_cast<double>(Y(0, j)) - want0) > 1e-5 ||
            std::abs(static_cast<double>(Y(1, j)) - want1) > 1e-5 || x(j) != W(2, j)) {
            std::printf("batch or float events: wrong result at %zu\n", j);
            ++failures;
            break;
        }
    }

    if (failures != 0) return 1;
    std::printf("consumer ok\n");
    return 0;
}
