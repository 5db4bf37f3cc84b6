// brainevent: event-driven products for spiking neural networks. This umbrella header brings in
// every host-side part of the library; CUDA parts are added when compiling with nvcc.
#pragma once

#include "brainevent/core/array.hpp"
#include "brainevent/core/concepts.hpp"
#include "brainevent/core/config.hpp"
#include "brainevent/core/error.hpp"
#include "brainevent/core/shape.hpp"
#include "brainevent/core/space.hpp"
#include "brainevent/events/binary_array.hpp"
#include "brainevent/events/indexed_binary.hpp"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/expr/product.hpp"
#include "brainevent/expr/transpose.hpp"
#include "brainevent/formats/conversions.hpp"
#include "brainevent/formats/coo.hpp"
#include "brainevent/formats/csc.hpp"
#include "brainevent/formats/csr.hpp"
#include "brainevent/formats/dense.hpp"
#include "brainevent/formats/fixed.hpp"
#include "brainevent/formats/jitc.hpp"
#include "brainevent/random/philox.hpp"
#include "brainevent/random/portable.hpp"

#if defined(__CUDACC__)
#include "brainevent/core/cuda.cuh"
#include "brainevent/core/transfer.cuh"
#include "brainevent/events/compaction.cuh"
#include "brainevent/kernels/cuda/compressed.cuh"
#include "brainevent/kernels/cuda/dense.cuh"
#include "brainevent/kernels/cuda/jitc.cuh"
#endif
