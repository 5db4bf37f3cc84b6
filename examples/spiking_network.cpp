// A random network of leaky integrate-and-fire neurons, stepped with event-driven products.
// Each step the neurons that spiked add their rows of W to the synaptic input: `I = s * W`.
// The same products are then timed as Eigen's dense matrix-vector product, for comparison.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include <Eigen/Core>

#include "brainevent/brainevent.hpp"

int main() {
    const std::size_t n = 4000, steps = 500;
    const std::size_t n_exc = n * 4 / 5;  // 80% excitatory, 20% inhibitory neurons
    const float p_conn = 0.1f;            // connection probability

    // W[i, j]: synapse from neuron i to neuron j, stored dense, row-major.
    brainevent::Dense<float> W(n, n);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (u(rng) < p_conn) W(i, j) = i < n_exc ? 0.02f * u(rng) : -0.09f * u(rng);

    brainevent::BinaryArray<> spikes(n);
    brainevent::Array<float> input(n);
    std::vector<float> v(n, 0.0f);
    std::vector<brainevent::BinaryArray<>> history;  // kept to replay with Eigen
    std::normal_distribution<float> noise(0.055f, 0.03f);
    std::size_t total_spikes = 0;
    std::chrono::duration<double> t_event{0};

    for (std::size_t t = 0; t < steps; ++t) {
        const auto t0 = std::chrono::steady_clock::now();
        input = spikes * W;  // event-driven: only the rows of neurons that spiked are read
        t_event += std::chrono::steady_clock::now() - t0;
        history.push_back(spikes);
        for (std::size_t j = 0; j < n; ++j) {
            v[j] = 0.95f * v[j] + input(j) + noise(rng);
            const bool fire = v[j] > 1.0f;
            spikes.set(j, fire);
            if (fire) v[j] = 0.0f;
        }
        total_spikes += spikes.count();
    }

    // The same products computed densely: x (0/1 floats) times W with Eigen.
    const auto We = W.as_eigen();
    Eigen::VectorXf x(static_cast<Eigen::Index>(n)), y(static_cast<Eigen::Index>(n));
    brainevent::Array<float> check(n);
    double max_diff = 0;
    std::chrono::duration<double> t_dense{0};
    for (const auto& s : history) {
        for (std::size_t i = 0; i < n; ++i) x[static_cast<Eigen::Index>(i)] = s(i) ? 1.0f : 0.0f;
        const auto t0 = std::chrono::steady_clock::now();
        y.noalias() = We.transpose() * x;
        t_dense += std::chrono::steady_clock::now() - t0;
        check = s * W;
        for (std::size_t j = 0; j < n; ++j)
            max_diff = std::max(max_diff, static_cast<double>(std::abs(check(j) - y[static_cast<Eigen::Index>(j)])));
    }

    const double rate = static_cast<double>(total_spikes) / static_cast<double>(n * steps);
    std::printf("network: %zu LIF neurons, %zu steps, dense W with %.0f%% connectivity\n", n, steps, 100.0 * p_conn);
    std::printf("spikes: %zu in total, mean firing %.2f%% of neurons per step\n", total_spikes, 100.0 * rate);
    std::printf("event-driven products (s * W): %8.2f ms  (%.1f us per step)\n", 1e3 * t_event.count(),
                1e6 * t_event.count() / steps);
    std::printf("dense Eigen products (x^T W):  %8.2f ms  (%.1f us per step)\n", 1e3 * t_dense.count(),
                1e6 * t_dense.count() / steps);
    std::printf("speed-up %.1fx; largest difference between the two: %.2e\n", t_dense.count() / t_event.count(),
                max_diff);
    return max_diff < 1e-3 ? 0 : 1;
}
