// The README's GPU snippet as a user builds it (find_package(brainevent COMPONENTS cuda) and
// brainevent::cuda); CI compiles it, and where a GPU is it exits non-zero on a wrong result.
#include <brainevent/brainevent.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("consumer_cuda: no GPU, nothing run\n");
        return 0;
    }
    const std::int64_t n_pre = 6, n_post = 9;
    const std::vector<std::int32_t> indptr{0, 2, 2, 3, 5, 5, 6}, indices{1, 8, 0, 2, 7, 4};
    const std::vector<float> weights{0.5f, 1.0f, -2.0f, 3.0f, 0.25f, 4.0f};
    const brainevent::CSR<float> W_host(n_pre, n_post, indptr, indices, weights);
    brainevent::BinaryArray<> spikes_host(static_cast<std::size_t>(n_pre));
    spikes_host.set(0, true);
    spikes_host.set(3, true);

    auto W = brainevent::to_device(W_host);
    auto s = brainevent::to_device(spikes_host);
    brainevent::Array<float, brainevent::cuda> y(static_cast<std::size_t>(n_post));
    cudaStream_t stream = nullptr;
    if (cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) != cudaSuccess) return 1;
    y = on(stream, s * W);
    const auto y_host = brainevent::to_host(y, stream);
    cudaStreamDestroy(stream);

    const auto dense = W_host.todense();
    for (std::size_t j = 0; j < static_cast<std::size_t>(n_post); ++j) {
        const double want = static_cast<double>(dense(0, j)) + static_cast<double>(dense(3, j));
        if (std::abs(static_cast<double>(y_host(j)) - want) > 1e-6) {
            std::printf("consumer_cuda: wrong result at %zu: %g instead of %g\n", j, static_cast<double>(y_host(j)),
                        want);
            return 1;
        }
    }
    std::printf("consumer_cuda ok\n");
    return 0;
}
