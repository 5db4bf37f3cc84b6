// A tiny program built the way users build against brainevent; exits non-zero on a wrong result.
#include <brainevent/brainevent.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
    const std::size_t n_pre = 5, n_post = 11;
    std::vector<float> w(n_pre * n_post);
    for (std::size_t k = 0; k < w.size(); ++k) w[k] = static_cast<float>(k % 7) - 3.0f;
    brainevent::Dense<float> W(n_pre, n_post, w);
    brainevent::BinaryArray<> s(n_pre);
    s.set(1, true);
    s.set(4, true);
    brainevent::Array<float> y(n_post);
    y = s * W;
    for (std::size_t j = 0; j < n_post; ++j) {
        const float want = w[1 * n_post + j] + w[4 * n_post + j];
        if (std::abs(y(j) - want) > 1e-6f) {
            std::printf("wrong result at %zu: %g instead of %g\n", j, static_cast<double>(y(j)),
                        static_cast<double>(want));
            return 1;
        }
    }
    std::printf("consumer ok\n");
    return 0;
}
