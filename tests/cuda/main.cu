// GPU test runner: exits 77 (CTest: skipped) where no CUDA device is present.
#define CATCH_CONFIG_RUNNER
#include <cuda_runtime.h>
#include <catch2/catch.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::puts("no CUDA device: the GPU tests are skipped");
        return 77;
    }
    return Catch::Session().run(argc, argv);
}
