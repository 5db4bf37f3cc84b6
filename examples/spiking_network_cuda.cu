// The network of spiking_network.cpp on an NVIDIA GPU: 4,000 leaky integrate-and-fire neurons,
// 10% random connectivity stored as CSR, every step on the device. Each step is one event-driven
// product `I = s * W` and one kernel written here that integrates the neurons and writes the new
// spikes straight into the device BinaryArray. The step is captured once in a CUDA graph and
// replayed; every few hundred steps the device product is checked against the host product of the
// same spikes.
//
// Compile with nvcc (C++20) and link brainevent::cuda. Exits 77 where no CUDA device is present.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "brainevent/brainevent.hpp"

namespace {

void check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

/// A uniform in (0, 1) from a counter (step, neuron, draw): no generator state to keep.
__device__ float uniform01(unsigned step, unsigned neuron, unsigned draw) {
    unsigned long long x = (static_cast<unsigned long long>(step) << 32) ^ (neuron * 2ull + draw);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (static_cast<float>(x >> 40) + 0.5f) / 16777216.0f;
}

/// One step of the neurons: v ← 0.95 v + input + noise (normal, mean 0.055, sd 0.03); a neuron
/// whose v exceeds 1 spikes (its byte in `spikes` becomes 1) and is reset to 0. The step number
/// is read from device memory and advanced by the last block, so a graph replays new noise.
__global__ void lif_step(float* v, std::uint8_t* spikes, const float* input, std::size_t n, unsigned* step,
                         unsigned long long* total, unsigned* done) {
    const unsigned t = *step;
    const std::size_t j = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x;
    if (j < n) {
        const float u1 = uniform01(t, static_cast<unsigned>(j), 0), u2 = uniform01(t, static_cast<unsigned>(j), 1);
        const float z = sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
        const float x = 0.95f * v[j] + input[j] + 0.055f + 0.03f * z;
        const bool fire = x > 1.0f;
        spikes[j] = fire ? 1 : 0;
        v[j] = fire ? 0.0f : x;
        const unsigned lanes = __activemask();
        const unsigned fired = __popc(__ballot_sync(lanes, fire));
        if ((threadIdx.x & 31u) == static_cast<unsigned>(__ffs(lanes) - 1) && fired != 0) atomicAdd(total, fired);
    }
    // The last block to finish moves the step on (every block has read it by then).
    __syncthreads();
    if (threadIdx.x == 0) {
        __threadfence();
        if (atomicAdd(done, 1u) == gridDim.x - 1) {
            *done = 0;
            *step = t + 1;
        }
    }
}

/// W[i, j] exists with probability p; excitatory rows (the first 80%) weigh 0.02 u, inhibitory
/// ones −0.09 u, u uniform in [0, 1): the statistics of spiking_network.cpp, stored sparse.
brainevent::CSR<float> random_network(std::size_t n, double p, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    std::vector<int> indptr{0}, indices;
    std::vector<float> weights;
    for (std::size_t i = 0; i < n; ++i) {
        const float scale = i < n * 4 / 5 ? 0.02f : -0.09f;
        for (std::size_t j = 0; j < n; ++j)
            if (u(rng) < p) {
                indices.push_back(static_cast<int>(j));
                weights.push_back(scale * u(rng));
            }
        indptr.push_back(static_cast<int>(indices.size()));
    }
    const auto nn = static_cast<std::int64_t>(n);
    return brainevent::CSR<float>(nn, nn, std::span<const int>(indptr), std::span<const int>(indices),
                                  std::span<const float>(weights));
}

}  // namespace

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::puts("no CUDA device: the example is skipped");
        return 77;
    }
    namespace be = brainevent;
    const std::size_t n = 4000, steps = 2000, check_every = 500;

    const be::CSR<float> W_host = random_network(n, 0.1, 42);
    const auto W = be::to_device(W_host);  // the same matrix in device memory
    be::BinaryArray<be::cuda> spikes = be::to_device(be::BinaryArray<>(n));
    be::Array<float, be::cuda> input = be::to_device(be::Array<float>(n));
    be::Array<float, be::cuda> v = be::to_device(be::Array<float>(n));  // membrane potentials, all 0

    unsigned* counters = nullptr;  // step, blocks done
    unsigned long long* total = nullptr;
    check(cudaMalloc(&counters, 2 * sizeof(unsigned)), "cudaMalloc");
    check(cudaMalloc(&total, sizeof(unsigned long long)), "cudaMalloc");
    check(cudaMemset(counters, 0, 2 * sizeof(unsigned)), "cudaMemset");
    check(cudaMemset(total, 0, sizeof(unsigned long long)), "cudaMemset");

    cudaStream_t stream;
    check(cudaStreamCreate(&stream), "cudaStreamCreate");
    const unsigned threads = 256, blocks = static_cast<unsigned>((n + threads - 1) / threads);
    auto step = [&] {
        input = be::on(stream, spikes * W);  // event-driven: only the rows of the neurons that spiked
        lif_step<<<blocks, threads, 0, stream>>>(v.data(), spikes.data(), input.data(), n, counters, total,
                                                 counters + 1);
        check(cudaGetLastError(), "lif_step");
    };

    // One step outside the graph (a product may allocate device scratch on its first run), then
    // the step captured once and replayed.
    step();
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal), "cudaStreamBeginCapture");
    step();
    check(cudaStreamEndCapture(stream, &graph), "cudaStreamEndCapture");
    check(cudaGraphInstantiate(&exec, graph, 0), "cudaGraphInstantiate");

    cudaEvent_t start, stop;
    check(cudaEventCreate(&start), "cudaEventCreate");
    check(cudaEventCreate(&stop), "cudaEventCreate");
    float graph_ms = 0;
    double max_diff = 0;
    be::Array<float, be::cuda> again(n);
    for (std::size_t done = 1; done < steps; done += check_every) {
        const std::size_t now = std::min(check_every, steps - done);
        check(cudaEventRecord(start, stream), "cudaEventRecord");
        for (std::size_t t = 0; t < now; ++t) check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
        check(cudaEventRecord(stop, stream), "cudaEventRecord");
        check(cudaEventSynchronize(stop), "cudaEventSynchronize");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
        graph_ms += ms;

        // Check: the device product of the current spikes against the host product.
        again = be::on(stream, spikes * W);
        const be::Array<float> got = be::to_host(again, stream);
        const be::BinaryArray<> s = be::to_host(spikes, stream);
        be::Array<float> want(n);
        want = s * W_host;
        for (std::size_t j = 0; j < n; ++j)
            max_diff = std::max(max_diff, static_cast<double>(std::abs(got(j) - want(j))));
    }

    unsigned long long fired = 0;
    check(cudaMemcpy(&fired, total, sizeof fired, cudaMemcpyDeviceToHost), "cudaMemcpy");
    const double rate = static_cast<double>(fired) / static_cast<double>(n * steps);
    std::printf("network: %zu LIF neurons, %zu synapses (CSR on the device), %zu steps\n", n, W_host.nnz(), steps);
    std::printf("spikes: %llu in total, mean firing %.2f%% of neurons per step\n", fired, 100.0 * rate);
    std::printf("one step (I = s * W, then the neurons) as a CUDA graph replay: %.2f us\n",
                1e3 * graph_ms / static_cast<double>(steps - 1));
    std::printf("largest difference between device and host products: %.2e\n", max_diff);

    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(stream);
    cudaFree(counters);
    cudaFree(total);
    return max_diff < 1e-4 && fired > 0 ? 0 : 1;
}
