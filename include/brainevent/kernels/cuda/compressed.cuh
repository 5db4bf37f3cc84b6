// CUDA kernels for line-compressed formats (CSR, CSC, FixedPostNumConn, FixedPreNumConn): the
// same two traversals as on the host, written once against detail::Lines.
//
// scatter (s * W with CSR, W * s with CSC): the entries of each active line are added into the
//   output with atomics, one per entry; work ∝ active lines × fan-out, plus one byte per line to
//   find them. Binary and float events: over many lines a block lists the active lines of a tile
//   of 256 in shared memory and its warps share their entries in chunks of 128 (ActiveByTile);
//   over few, a warp reads the events of 32 lines at once and walks its own active ones
//   (ActiveByValue). Indexed events are read from their lists, a warp per listed input. Where
//   the matrix has a range index (formats/lines.hpp; to_device makes one where it pays) and the
//   events span many lines, the active lines are listed first and a block per output range sums
//   the lines' segments in that range in shared memory (as integer counts where the events are
//   all 1 and the weight homogeneous), then stores its range of y: no global atomic per synapse
//   (range_scatter_kernel). An assigning product whose blocks add into y with atomics (not a
//   range scatter with one block per output range, which stores) zeroes y first: where the
//   kernels are compiled for sm_90 or later, in a kernel that the scatter overlaps (programmatic
//   dependent launch) and waits for before it adds a line (for the range scatter, the kernel that
//   also zeroes the list's counts, ahead of the listing); elsewhere with a memset. (Sums kept in a
//   thread-block cluster's shared memory instead, for small outputs, were 1.7–6× slower:
//   docs/performance.md, sixth session.)
// gather (W * s with CSR, s * W with CSC): a warp per output line sums its entries' inputs, reading
//   the weight of an entry only when its input is nonzero (gather_kernel). Over a batch, the events
//   are first turned around into columns (bit masks of 32 rows, or the rows' values of each input)
//   so that a warp reads each entry once for up to 32 rows (gather_batch_kernel; with values, every
//   weight is read). Events of 0 add nothing on either, whatever the weight.
//
// Every tuning choice is measured in bench/cuda/products.cu (BM_csr_scatter_variants,
// BM_step_graph_floor) and recorded in docs/performance.md.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <cuda_runtime.h>

#include "brainevent/core/array.hpp"
#include "brainevent/core/cuda.cuh"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/lines.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"  // scatters_lines
#include "brainevent/kernels/cuda/events.cuh"

namespace brainevent::kernels::cuda_impl {

/// Threads per block of the compressed kernels (8 warps).
inline constexpr unsigned kCompressedBlock = 256;

/// How the scatter finds the active lines of binary or float events: `automatic` (the measured
/// choice, see kTileLines and kRangeLines), or one way for every shape (for the tests and
/// benchmarks that compare them; `by_range` lists the active lines and sums each output range in
/// shared memory, range_scatter_kernel, where the matrix has a range index, and finds them by
/// tiles where it has none; it serves indexed events too). Not to be changed while products run.
/// (Also tried and dropped, docs/performance.md: CUB compaction to a list first; tiles of 1,024
/// lines walked a warp per line; index lists cut into tiles.)
enum class FindActive { automatic, by_warp, by_tile, by_range };
inline FindActive scatter_find_active = FindActive::automatic;

/// Binary or float events over at least this many lines (times the batch) find their active
/// lines by tiles (ActiveByTile), fewer by warps (ActiveByValue). H100, 2026-11-27, CSR, binary,
/// one call (µs, by tiles / by warps): fan-out 1,000 at 1%: 100k lines 25.9 / 56.7, 400k 67.7 /
/// 127, 1M 147 / 252; 0.1% of 1M 26.5 / 35.8; 10% of 100k 155 / 273. Below, equal within noise:
/// fan-out 100 at 2%, 50k lines 12.1 / 12.4, 20k 11.3 / 11.7; the 4k network step 5.69 / 5.67
/// per graph replay.
inline constexpr std::size_t kTileLines = std::size_t{1} << 16;

/// yb[ix[k]] += coef · w[k] (or w0) over the entries [begin, end) of a line, the 32 lanes of a
/// warp together, in rounds of 4 × 32 entries, each round's loads before its atomics: one memory
/// round trip per round instead of one per stride of 32. H100: 20k lines of 100 entries at 2%,
/// by warps, 15.6 → 12.7 µs (fifth session); 20k lines of 1,000 entries at 1%, by warps, 44.2 →
/// 21.3–23.1 µs (ninth session; longer lines had walked in strides of 32 until then).
template <bool Homogeneous, class T, class I>
__device__ __forceinline__ void add_line(T* __restrict__ yb, std::size_t begin, std::size_t end, T coef, unsigned lane,
                                         const I* __restrict__ ix, const T* __restrict__ w, T w0) {
    constexpr unsigned kRound = 4;
    for (std::size_t at = begin + lane; at < end; at += kRound * 32) {
        I j[kRound]{};
        T x[kRound]{};
#pragma unroll
        for (unsigned r = 0; r < kRound; ++r)
            if (at + 32 * r < end) {
                j[r] = ix[at + 32 * r];
                x[r] = Homogeneous ? w0 : w[at + 32 * r];
            }
#pragma unroll
        for (unsigned r = 0; r < kRound; ++r)
            if (at + 32 * r < end) atomicAdd(yb + j[r], coef * x[r]);
    }
}

/// Active lines found by reading the events: a warp reads those of 32 lines at once, with the
/// offsets of all 32 in the same round trip (not after the events, as the tiles do: for the few
/// lines this finder serves, the extra bytes cost less than a dependent round trip), and calls
/// f(b, value, begin, end) for each active line, in turn (all lanes together). (Walking all of a
/// warp's active lines as one flattened sequence, fewer round trips for ~17 shuffles per entry,
/// was slower: 4k step 5.3 → 6.1 µs, docs/performance.md.)
template <class T, class Ev>
struct ActiveByValue {
    Ev ev;
    std::size_t batch, n_major;
    template <class Off, class F>
    __device__ __forceinline__ void each(std::size_t warp, std::size_t n_warps, unsigned lane, Off ip, F&& f) const {
        const std::size_t chunks = (n_major + 31) / 32;
        for (std::size_t c = warp; c < batch * chunks; c += n_warps) {
            const std::size_t b = c / chunks, i = (c % chunks) * 32 + lane;
            T v = T(0);
            std::size_t begin = 0, end = 0;
            if (i < n_major) {
                v = ev.value(b, i);
                begin = ip.begin(i);
                end = ip.end(i);
            }
            unsigned active = __ballot_sync(0xffffffffu, v != T(0));
            while (active != 0) {
                const int src = __ffs(static_cast<int>(active)) - 1;
                active &= active - 1;
                f(b, __shfl_sync(0xffffffffu, v, src), __shfl_sync(0xffffffffu, begin, src),
                  __shfl_sync(0xffffffffu, end, src));
            }
        }
    }
};

/// Active lines found a tile of kTile lines per block at a time, their entries shared by the
/// block's warps in chunks of kChunk: the block lists the active lines of its tile in shared
/// memory with their offsets and the number of their first chunk (a ballot and a scan per warp,
/// then the warps' totals in order), and warp w takes chunks w, w + 8, ... (one memory round trip
/// each: add_line loads a chunk's entries before its atomics). A line of 1,000 entries is walked
/// by 8 warps at once instead of 31 strides of one warp, and a block's warps share its tile's
/// work evenly whatever the line lengths. Needs every thread of a block of kCompressedBlock.
template <class T, class Ev>
struct ActiveByTile {
    static constexpr unsigned kTile = kCompressedBlock, kWarps = kTile / 32, kChunk = 4 * 32;
    Ev ev;
    std::size_t batch, n_major;
    template <class Off, class F>
    __device__ __forceinline__ void each(std::size_t, std::size_t, unsigned lane, Off ip, F&& f) const {
        __shared__ unsigned warp_lines[kWarps], warp_chunks[kWarps];
        __shared__ std::size_t begins[kTile], ends[kTile];
        __shared__ unsigned first[kTile];
        __shared__ T values[kTile];
        const unsigned warp = threadIdx.x >> 5;
        const std::size_t tiles = (n_major + kTile - 1) / kTile;
        for (std::size_t t = blockIdx.x; t < batch * tiles; t += gridDim.x) {
            const std::size_t b = t / tiles, i = (t % tiles) * kTile + threadIdx.x;
            const T v = i < n_major ? ev.value(b, i) : T(0);
            std::size_t begin = 0, end = 0;
            if (v != T(0)) {
                begin = ip.begin(i);
                end = ip.end(i);
            }
            // Chunks fit 32 bits: a tile would need more than 2^32 · kChunk entries to overflow.
            const auto chunks = static_cast<unsigned>((end - begin + kChunk - 1) / kChunk);
            unsigned upto = chunks;  // inclusive scan over the warp
            for (unsigned d = 1; d < 32; d <<= 1) {
                const unsigned x = __shfl_up_sync(0xffffffffu, upto, d);
                if (lane >= d) upto += x;
            }
            const unsigned active = __ballot_sync(0xffffffffu, v != T(0));
            if (lane == 31) {
                warp_lines[warp] = static_cast<unsigned>(__popc(active));
                warp_chunks[warp] = upto;
            }
            __syncthreads();
            unsigned line_base = 0, chunk_base = 0, listed = 0, total = 0;
            for (unsigned u = 0; u < kWarps; ++u) {
                if (u == warp) {
                    line_base = listed;
                    chunk_base = total;
                }
                listed += warp_lines[u];
                total += warp_chunks[u];
            }
            if (v != T(0)) {
                const unsigned q = line_base + static_cast<unsigned>(__popc(active & ((1u << lane) - 1u)));
                begins[q] = begin;
                ends[q] = end;
                values[q] = v;
                first[q] = chunk_base + upto - chunks;
            }
            __syncthreads();
            // first[] ascends with q, so a cursor finds each chunk's line.
            unsigned q = 0;
            for (unsigned c = warp; c < total; c += kWarps) {
                while (q + 1 < listed && first[q + 1] <= c) ++q;
                const std::size_t from = begins[q] + std::size_t{c - first[q]} * kChunk;
                f(b, values[q], from, from + kChunk < ends[q] ? from + kChunk : ends[q]);
            }
            __syncthreads();  // the lists are reused by the next tile
        }
    }
};

/// Threads per block of range_scatter_kernel, and lanes that walk one segment of a line in it.
inline constexpr unsigned kRangeBlock = 512, kRangeGroup = 8;

/// Steps of 32 / kRangeGroup segments whose entries a warp of range_scatter_kernel loads at once.
/// H100, 2026-11-27, 1M × 1,000 at 1%: 2 / 4 / 8 steps 83 / 106 / 251 µs (each step holds its
/// entries in registers: at 2 steps ptxas gives the kernel 54–64, no spills, and 64 is the cap
/// for two blocks of 512 per SM).
inline constexpr unsigned kRangeInFlight = 2;

/// Entries of each in-flight segment that a lane of range_scatter_kernel loads per round (a
/// round covers kRangeEach · kRangeGroup entries of a segment, all loaded before their adds).
/// H100, 2026-11-28, one call, two runs each (µs, 2 / 3 / 4 entries; CSR, fan-out 1,000): 1M at
/// 1% 79.7, 77.4 / 76.2, 75.4 / 73.0, 74.5 (its segments hold 16 or 17 entries: two rounds at 2
/// entries, one at 3 or 4); indexed 74.8, 74.0 / 68.5, 69.2 / 68.7, 69.8; batch 32 of 100k at
/// 1% 198, 195 / 181, 183 / 184, 187; 400k at 1% 44.2, 44.0 / 43.5, 42.6 / 39.6, 42.2; 1M at
/// 0.1% 33.2, 30.0 / 31.6, 31.9 / 30.0, 28.1; the one loss 100k at 1% (41 entries per segment)
/// 24.1, 22.5 / 25.2, 24.7 / 26.1, 24.8. At 4, ptxas gives 62–64 registers, no spills.
inline constexpr unsigned kRangeEach = 4;

/// The scatter sums output ranges in shared memory (range_scatter_kernel) where the matrix has a
/// range index and the events span at least this many lines (times the batch). H100,
/// 2026-11-27, CSR, binary, fan-out 1,000, one call (µs, tiles / ranges): 1% of 1M 145 / 91.1,
/// of 400k 66.3 / 43.1, of 100k 26.7 / 25.6; 10% of 100k 160 / 73.6; 0.1% of 1M 26.3 / 29.3
/// (the one loss; not the shares' flush: fewer shares at low firing were slower still). The
/// segment lookups issued a batch ahead then took 1M at 1% from 88 to 80. Below it the tiles'
/// and warps' paths serve (the 4k network step).
inline constexpr std::size_t kRangeLines = kTileLines;

/// Listed active lines as range_scatter_kernel reads them: line idx[b · stride + q], q < count[b],
/// with value val[…] (list_active's lists of binary or float events) or 1 (indexed events, val
/// null). Not `__restrict__`: a chained listing writes them while the kernel runs (until its wait),
/// which the read-only path must not see.
template <class T, class Idx, class Cnt>
struct LineList {
    const Idx* idx;
    const T* val;
    const Cnt* count;
    std::size_t stride;
    __device__ __forceinline__ std::size_t size(std::size_t b) const { return static_cast<std::size_t>(count[b]); }
    __device__ __forceinline__ std::size_t line(std::size_t b, std::size_t q) const {
        return static_cast<std::size_t>(idx[b * stride + q]);
    }
    __device__ __forceinline__ T value(std::size_t b, std::size_t q) const {
        return val != nullptr ? val[b * stride + q] : T(1);
    }
};

/// Block (output range blockIdx.x: `merge` ranges of the range index, share blockIdx.y of the
/// listed lines, batch row blockIdx.z): sums value · (the line's entries in the range) over its
/// lines in a shared-memory tile, each line's segment found through the range index (n_ranges
/// ranges of 2^kRangeShift), then writes the range of y with plain stores when it is the range's
/// only share, or adds it with atomics (add_tile) after the zeroing of y (scatter_zeroing).
/// A warp takes a batch of up to 32 listed lines at a time (fewer, down to 4, where its share of
/// the list is short), a lane finding one line's segment (the line's first entry, the index's two
/// counts, the event's value); these loads are issued a batch ahead and the list's two batches
/// ahead, so that their latency hides behind the current batch's entries. kRangeGroup consecutive
/// lanes then walk one segment (coalesced loads: a lane per segment, tried first, made a load
/// instruction touch 32 lines and ran at 219 µs at 1M, 1%, against 90), kRangeInFlight ×
/// 32 / kRangeGroup segments at once, in rounds in which each lane loads kRangeEach entries of each
/// before their atomics: one memory round trip for up to 32 entries per segment, and the later
/// rounds of longer segments also together (walking each segment's rest alone, a stride of 8 at
/// a time, was 16% slower in two cases: 100k outputs at 10% firing, and batch 32). The tile holds
/// Acc: T, or unsigned counts where every addend is 1 (range_counts; the weight comes in at the
/// end, w[0] · alpha · count).
template <bool Homogeneous, class Acc, class T, class List, class I, class Off>
__global__ void __launch_bounds__(kRangeBlock, 2)
    range_scatter_kernel(T* __restrict__ y, std::size_t n_out, List list, Off ip,
                         const std::uint16_t* __restrict__ index, std::size_t n_ranges, std::size_t merge,
                         const I* __restrict__ ix, const T* __restrict__ w, T alpha, bool accumulate, bool chained) {
    constexpr unsigned G = kRangeGroup, kSlots = 32 / G, kSteps = 32 / kSlots, kFly = kRangeInFlight, kEach = kRangeEach;
    constexpr bool counting = std::is_same_v<Acc, unsigned>;  // every addend 1: alpha carries the weight
    static_assert(kSteps % kFly == 0);
    static_assert(!counting || Homogeneous);
    extern __shared__ unsigned char range_smem[];
    Acc* tile = reinterpret_cast<Acc*>(range_smem);
    const std::size_t r = blockIdx.x, b = blockIdx.z;
    const std::size_t q_lo = r * merge, q_hi = q_lo + merge < n_ranges ? q_lo + merge : n_ranges;
    const std::size_t lo = q_lo << detail::kRangeShift;
    const std::size_t hi = (q_hi << detail::kRangeShift) < n_out ? q_hi << detail::kRangeShift : n_out;
    const std::size_t width = hi - lo;
    for (std::size_t j = threadIdx.x; j < width; j += blockDim.x) tile[j] = Acc(0);
    __syncthreads();
    const T w0 = Homogeneous ? w[0] : T(0);
    const unsigned lane = threadIdx.x & 31u, sub = lane % G, slot = lane / G;
    if (chained) wait_for_previous_grid();  // the list (ActiveList::chained)
    const std::size_t count = list.size(b);
    const std::size_t first = count * blockIdx.y / gridDim.y, last = count * (blockIdx.y + 1) / gridDim.y;
    // Lines per warp and batch: 32, or fewer (at least kSlots) where the share's list is short.
    const std::size_t warp = threadIdx.x / 32, warps = blockDim.x / 32;
    const std::size_t per_warp = std::clamp<std::size_t>((last - first + warps - 1) / warps, kSlots, 32);
    const std::size_t stride = warps * per_warp;
    struct Segment {  // of listed line q: entries [at + (span & 0xffff), at + (span >> 16))
        std::size_t at = 0;
        unsigned span = 0;
        T v = T(0);
    };
    const auto segment = [&](std::size_t q, std::size_t line) {
        Segment s;
        if (q < last) {
            const std::uint16_t* counts = index + line * (n_ranges + 1);
            s.at = ip.begin(line);
            s.span = unsigned{counts[q_lo]} | (unsigned{counts[q_hi]} << 16);
            if constexpr (!counting) s.v = list.value(b, q);
        }
        return s;
    };
    const std::size_t mine = lane < per_warp ? lane : last;  // lanes past per_warp hold no line
    std::size_t q = first + warp * per_warp + mine;
    Segment next = segment(q, q < last ? list.line(b, q) : 0);
    q += stride;
    std::size_t line = q < last ? list.line(b, q) : 0;
    for (std::size_t base = first + warp * per_warp; base < last; base += stride) {
        const Segment now = next;
        next = segment(q, line);  // the next batch's segments
        q += stride;
        line = q < last ? list.line(b, q) : 0;  // the lines of the batch after the next
#pragma unroll
        for (unsigned s0 = 0; s0 < kSteps; s0 += kFly) {
            if (s0 * kSlots >= per_warp || base + s0 * kSlots >= last) break;
            std::size_t from[kFly], to[kFly];  // this lane's next entry and the segment's end
            [[maybe_unused]] T v[kFly];
#pragma unroll
            for (unsigned u = 0; u < kFly; ++u) {
                const unsigned src = (s0 + u) * kSlots + slot;
                const std::size_t at = __shfl_sync(~0u, now.at, src);
                const unsigned span = __shfl_sync(~0u, now.span, src);
                if constexpr (!counting) v[u] = __shfl_sync(~0u, now.v, src);
                from[u] = at + (span & 0xffffu) + sub;
                to[u] = at + (span >> 16);
            }
            // Rounds of kEach entries per lane of every segment, a round's loads before its adds,
            // until this lane's entries are done (segments longer than kEach · G take more rounds).
            for (bool more = true; more;) {
                I j[kFly][kEach];
                [[maybe_unused]] T x[kFly][kEach];
#pragma unroll
                for (unsigned u = 0; u < kFly; ++u)
#pragma unroll
                    for (unsigned k = 0; k < kEach; ++k)
                        if (from[u] + k * G < to[u]) {
                            j[u][k] = ix[from[u] + k * G];
                            if constexpr (!counting) x[u][k] = Homogeneous ? w0 : w[from[u] + k * G];
                        }
                more = false;
#pragma unroll
                for (unsigned u = 0; u < kFly; ++u) {
#pragma unroll
                    for (unsigned k = 0; k < kEach; ++k)
                        if (from[u] + k * G < to[u]) {
                            Acc* at = tile + (static_cast<std::size_t>(j[u][k]) - lo);
                            if constexpr (counting)
                                atomicAdd(at, 1u);
                            else
                                atomicAdd(at, v[u] * x[u][k]);
                        }
                    from[u] += kEach * G;
                    more = more || from[u] < to[u];
                }
            }
        }
    }
    __syncthreads();
    // y zeroed by the grid this one overlaps (an assigning product with shares; chained, the wait
    // above has covered it); also the wait every thread makes before it exits.
    wait_for_previous_grid();
    T* out = y + b * n_out + lo;
    const T scale = counting ? alpha * w0 : alpha;
    if (gridDim.y == 1) {  // the range's only block: plain stores
        for (std::size_t j = threadIdx.x; j < width; j += blockDim.x) {
            const Acc t = tile[j];
            detail::store_reached(out[j], t != Acc(0), scale * static_cast<T>(t), accumulate);
        }
    } else {
        add_tile(out, tile, width, scale);
    }
}

/// Blocks that share one output range of the range scatter (0: automatic, range_scatter). Not to
/// be changed while products run.
inline unsigned range_shares = 0;

/// Ranges of the index per output range of the range scatter (0: automatic, range_merge_for; at
/// most what fits kRangeTileBytes). Not to be changed while products run.
inline unsigned range_merge = 0;

/// The range scatter's tile is at most this many bytes (two blocks per SM). Every device CUDA 13
/// supports (compute capability 7.5 and later) lets a block opt in to at least 64 KiB.
inline constexpr std::size_t kRangeTileBytes = std::size_t{64} << 10;

/// Index ranges merged into one output range: the fewest (a power of two) that give a segment
/// of at least 16 entries on average, within kRangeTileBytes. H100, 2026-11-27 (rounds of 16
/// entries then, see kRangeEach), fan-out 1,000, 1%, µs for 1 / 2 / 4 ranges: 1M outputs 195 /
/// 119 / 90 (4 entries per range on average); 100k 23.5 / 28.1 (41 per range).
template <class T>
std::size_t range_merge_for(std::size_t nnz, std::size_t n_major, std::size_t n_minor) {
    const std::size_t most = kRangeTileBytes / (sizeof(T) << detail::kRangeShift);
    if (range_merge != 0) return std::min<std::size_t>(range_merge, most);
    const double per_range = static_cast<double>(nnz) / static_cast<double>(n_major) *
                             static_cast<double>(std::size_t{1} << detail::kRangeShift) / static_cast<double>(n_minor);
    std::size_t merge = 1;
    while (per_range * static_cast<double>(merge) < 16.0 && 2 * merge <= most) merge *= 2;
    return merge;
}

/// Whether the range scatter counts arrivals in an integer tile where every addend is the same
/// (events all 1, binary or indexed, and a homogeneous weight), y then getting alpha · w · count:
/// sm_90 compiles a shared float atomicAdd to a compare-and-swap loop (LDS, FADD, ATOMS.CAST.SPIN,
/// a test and a branch), an integer one to a single ATOMS.ADD, and the weights are not read.
/// H100, 2026-11-27, fan-out 1,000, one call, two runs each (µs, float tile → counts): 1M at 1%
/// 74.3, 69.2 → 58.6, 56.5; indexed 68.2, 64.9 → 52.4, 50.8; 1M at 0.1% 31.3, 35.5 → 27.9, 27.7;
/// 100k at 10% 57.3, 58.2 → 41.3, 37.5. Not to be changed while products run.
inline bool range_counts = true;

/// How range_scatter lays out its grid: `ranges` output ranges of `merge` ranges of the index
/// (n_ranges of them), each taken by `shares` blocks per batch row. A block per output range and
/// batch row where those are at least as many as the SMs; else the lines are shared by enough
/// blocks per range to give every SM two, at most one per kRangeBlock lines that could be listed
/// (`most_listed`: the count is on the device; the shares add their tiles with atomics).
struct RangePlan {
    std::size_t n_ranges, merge, ranges;
    unsigned shares;
    /// Whether y must be zeroed before the scatter: an assigning product whose shares add.
    bool zeroes_y(bool accumulate) const { return !accumulate && shares > 1; }
};
template <class T, class I, class Off>
RangePlan range_plan(const detail::Lines<T, I, Off>& c, std::size_t most_listed, std::size_t batch) {
    RangePlan p{};
    p.n_ranges = detail::range_count(c.n_minor);
    p.merge = std::min(range_merge_for<T>(c.nnz, c.n_major, c.n_minor), p.n_ranges);
    p.ranges = (p.n_ranges + p.merge - 1) / p.merge;
    const std::size_t want = 2 * static_cast<std::size_t>(sm_count());
    const std::size_t most = std::clamp<std::size_t>((most_listed + kRangeBlock - 1) / kRangeBlock, 1, 64);
    p.shares = range_shares;
    if (p.shares == 0)
        p.shares = p.ranges * batch >= static_cast<std::size_t>(sm_count())
                       ? 1u
                       : static_cast<unsigned>(std::clamp<std::size_t>(want / (p.ranges * batch), 1, most));
    return p;
}

/// y = (accumulate ? y : 0) + alpha * scatter over the listed lines, laid out by `plan`.
/// `unit`: every listed line's value is 1 (binary or indexed events). `chained`: the list comes
/// from a chained listing (ActiveList::chained), which has zeroed y where plan.zeroes_y. Needs
/// c.ranges and batch ≤ 65,535.
template <class T, class List, class I, class Off>
void range_scatter(ArrayView<T, cuda> y, List list, const RangePlan& plan, const detail::Lines<T, I, Off>& c,
                   std::size_t batch, T alpha, bool accumulate, bool unit, bool chained, cudaStream_t stream) {
    auto go = [&]<bool Homogeneous, class Acc>(std::bool_constant<Homogeneous>, Acc) {
        constexpr auto kernel = range_scatter_kernel<Homogeneous, Acc, T, List, I, Off>;
        allow_dynamic_smem<kernel>(kRangeTileBytes);
        cudaLaunchConfig_t config{};
        config.gridDim = dim3(static_cast<unsigned>(plan.ranges), plan.shares, static_cast<unsigned>(batch));
        config.blockDim = kRangeBlock;
        config.dynamicSmemBytes = (plan.merge << detail::kRangeShift) * sizeof(Acc);
        config.stream = stream;
        cudaLaunchAttribute overlap{};
        if (chained)
            overlap_previous(config, overlap);
        else if (plan.zeroes_y(accumulate))
            zero_before(kernel, y.data(), y.size(), stream, config, overlap);
        BRAINEVENT_CUDA_CHECK(cudaLaunchKernelEx(&config, kernel, y.data(), c.n_minor, list, c.offsets, c.ranges,
                                                 plan.n_ranges, plan.merge, c.ix, c.w, alpha, accumulate, chained));
    };
    // Counts fit 32 bits: an output receives at most one addend per listed line (a range index
    // needs strictly increasing indices within a line, and lists hold distinct lines); nnz bounds
    // that too. With a zero weight and an infinite alpha, counts give NaN (alpha · 0 · count), as
    // the atomic paths do (alpha · 0 per entry); the float tile gives 0 there.
    if (c.homogeneous && unit && range_counts && c.nnz < (std::size_t{1} << 32))
        go(std::true_type{}, 0u);
    else if (c.homogeneous)
        go(std::true_type{}, T(0));
    else
        go(std::false_type{}, T(0));
}

/// Active lines read from index lists (indexed events): a warp per listed input of each batch row
/// b (list + b · stride, counts[b] of them). No mask, no pass over silent inputs. Trusts the lists
/// as IndexedBinary1d/2d and compaction make them: counts[b] ≤ stride, every index below the
/// number of lines. (Tiles of 256 listed inputs, as ActiveByTile, left most blocks idle: the
/// lists are dense at their start. H100, 1M, 1%: 275 µs against 147.)
template <class T, class L>
struct ActiveByList {
    const L* __restrict__ counts;
    const L* __restrict__ list;
    std::size_t batch, stride;
    template <class Off, class F>
    __device__ __forceinline__ void each(std::size_t warp, std::size_t n_warps, unsigned, Off ip, F&& f) const {
        for (std::size_t b = 0; b < batch; ++b) {
            const auto count = static_cast<std::size_t>(counts[b]);
            for (std::size_t q = warp; q < count; q += n_warps) {
                const auto line = static_cast<std::size_t>(list[b * stride + q]);
                f(b, T(1), ip.begin(line), ip.end(line));
            }
        }
    }
};

/// y[b, :] += alpha · value · line over the active lines, global atomics (y zeroed before when
/// the product assigns: by a memset, or by zero_for_dependent launched just before, which this
/// grid may overlap until it adds its first line). Every thread waits for an overlapped grid
/// before it ends too, so that nothing after this kernel can run before y is zeroed.
template <bool Homogeneous, class T, class Active, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    scatter_kernel(T* __restrict__ y, std::size_t n_out, Active active, Off ip, const I* __restrict__ ix,
                   const T* __restrict__ w, T alpha) {
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    const T w0 = Homogeneous ? w[0] : T(0);
    active.each(warp, n_warps, lane, ip, [&](std::size_t b, T v, std::size_t begin, std::size_t end) {
        wait_for_previous_grid();
        add_line<Homogeneous>(y + b * n_out, begin, end, alpha * v, lane, ix, w, w0);
    });
    wait_for_previous_grid();
}

/// Rounds of 32 entries a warp of gather_kernel loads at once (indices, then the events they
/// point to, then the weights of the nonzero ones): a line of up to kGatherRound · 32 entries in
/// three dependent round trips. H100, 2026-11-28, the 4k network step as a gather (80 entries per
/// line, per graph replay): one stride of 32 at a time (each stride's loads after the previous
/// one's) 4.37 µs, 4 rounds 3.80; with every weight loaded beside its index (two round trips, all
/// the weights' bytes) 3.98. Groups of 8 or 16 lanes per line (2 or 4 lines per warp, the same
/// 128 entries per round) were no faster at 80 entries per line and slower over 10,000+ lines.
inline constexpr unsigned kGatherRound = 4;

/// y[b, r] = (accumulate ? y[b, r] : 0) + alpha · Σ over line r's entries k of w · ev[b, ix[k]], a
/// warp per (line r, batch row b). The weight of entry k is w[k], or w[at[k]] where the lines are
/// a matrix's transposed lines (Permuted), or w[0] (Homogeneous); it is read only when the event
/// is nonzero. Permuted, the gather stands in for a scatter and keeps its rule for an output that
/// no nonzero event reaches: an exact 0, or y unchanged when accumulating (not alpha · 0, which is
/// NaN for an infinite alpha).
template <bool Homogeneous, bool Permuted, class T, class Ev, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    gather_kernel(T* __restrict__ y, std::size_t n_out, Ev ev, std::size_t batch, Off ip, const I* __restrict__ ix,
                  const std::uint32_t* __restrict__ at, const T* __restrict__ w, T alpha, bool accumulate) {
    constexpr unsigned R = kGatherRound;
    const unsigned lane = threadIdx.x & 31u;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t p = warp; p < batch * n_out; p += n_warps) {
        const std::size_t b = p / n_out, r = p % n_out;
        const std::size_t beg = ip.begin(r), end = ip.end(r);
        T a = 0;
        bool reached = false;  // by a nonzero event
        for (std::size_t k0 = beg + lane; k0 < end; k0 += R * 32) {
            I j[R]{};
            [[maybe_unused]] std::uint32_t e[R]{};
            T v[R]{};
#pragma unroll
            for (unsigned q = 0; q < R; ++q)
                if (k0 + 32 * q < end) {
                    j[q] = ix[k0 + 32 * q];
                    if constexpr (Permuted && !Homogeneous) e[q] = at[k0 + 32 * q];
                }
#pragma unroll
            for (unsigned q = 0; q < R; ++q)
                if (k0 + 32 * q < end) v[q] = ev.value(b, static_cast<std::size_t>(j[q]));
#pragma unroll
            for (unsigned q = 0; q < R; ++q)
                if (v[q] != T(0)) {  // silent inputs cost no weight read
                    reached = true;
                    if constexpr (Homogeneous)
                        a += w[0] * v[q];
                    else
                        a += w[Permuted ? std::size_t{e[q]} : k0 + 32 * q] * v[q];
                }
        }
        a = warp_sum(a);
        const bool counts = !Permuted || __any_sync(0xffffffffu, reached);
        if (lane == 0) detail::store_reached(y[b * n_out + r], counts, alpha * a, accumulate);
    }
}

/// y = (accumulate ? y : 0) + alpha * gather over lines (ip, ix) of events s, the weights w (at:
/// see gather_kernel).
template <bool Permuted, class T, class Ev, class I, class Off>
void launch_gather(ArrayView<T, cuda> y, const Ev& s, std::size_t n_out, Off ip, const I* ix, const std::uint32_t* at,
                   const T* w, bool homogeneous, T alpha, bool accumulate, cudaStream_t stream) {
    const std::size_t batch = s.rows();
    const unsigned grid = grid_for(batch * n_out, kCompressedBlock / 32);
    auto ev = device_view<T>(s, stream);
    if (homogeneous)
        gather_kernel<true, Permuted>
            <<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, ip, ix, at, w, alpha, accumulate);
    else
        gather_kernel<false, Permuted>
            <<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, ev, batch, ip, ix, at, w, alpha, accumulate);
    BRAINEVENT_CUDA_CHECK_LAUNCH("gather_kernel");
}

/// Whether the scatter of binary or float events gathers over a matrix's transposed lines where
/// it has them (device copies of small matrices: formats/lines.hpp, kTransposedLines), the outputs
/// times the batch are at most kTransposedLines and scatter_find_active is automatic: a warp per
/// output, one kernel, no zeroing, no atomics; its time varies far less with the firing than the
/// scatter's (4,000 × 4,000 at 80 per line, from no spikes to all: 4.3–6.8 µs per graph replay
/// against 3.5–22.7). Sums are alpha · Σ v · w per output where the scatter adds alpha · v · w per
/// entry: the same but for rounding, overflow and an infinite alpha (inf · (0.5 − 0.25) = inf
/// where the scatter's inf − inf is NaN). Not to be changed while products run.
inline bool gather_transposed = true;

/// y = (accumulate ? y : 0) + alpha * scatter(events over the lines of c).
template <class T, class Ev, class I, class Off>
void compressed_scatter(ArrayView<T, cuda> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate,
                        Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = c.n_minor;
    if (batch * n_out == 0) return;
    if (c.n_major == 0 || c.nnz == 0) {
        if (!accumulate) detail::fill_device(y.data(), y.size(), T(0), stream);
        return;
    }
    // `blocks`: what the kernel can use (grid_for caps it to fill the device).
    auto launch = [&]<class Active>(Active active, std::size_t blocks) {
        auto go = [&](auto kernel) {
            cudaLaunchConfig_t config{};
            config.gridDim = grid_for(blocks, 1);
            config.blockDim = kCompressedBlock;
            config.stream = stream;
            cudaLaunchAttribute overlap{};
            if (!accumulate) zero_before(kernel, y.data(), y.size(), stream, config, overlap);
            BRAINEVENT_CUDA_CHECK(
                cudaLaunchKernelEx(&config, kernel, y.data(), n_out, active, c.offsets, c.ix, c.w, alpha));
        };
        if (c.homogeneous)
            go(scatter_kernel<true, T, Active, I, Off>);
        else
            go(scatter_kernel<false, T, Active, I, Off>);
    };
    constexpr std::size_t warps = kCompressedBlock / 32;
    const bool ranged = c.ranges != nullptr && batch <= 65535 &&
                        (scatter_find_active == FindActive::by_range ||
                         (scatter_find_active == FindActive::automatic && batch * c.n_major >= kRangeLines));
    if constexpr (std::same_as<typename Ev::event_kind, indexed_events>) {
        using L = std::remove_cvref_t<decltype(*s.indices_data())>;
        if (ranged)
            return range_scatter(y, LineList<T, L, L>{s.indices_data(), nullptr, s.count_data(), s.stride()},
                                 range_plan(c, s.stride(), batch), c, batch, alpha, accumulate, true, false, stream);
        // A warp per listed line. Enough warps for a full list; a shorter one leaves the rest idle
        // after one test.
        launch(ActiveByList<T, L>{s.count_data(), s.indices_data(), batch, s.stride()},
               (s.stride() + warps - 1) / warps);
    } else {
        if (c.t.ip != nullptr && gather_transposed && scatter_find_active == FindActive::automatic &&
            batch * n_out <= detail::kTransposedLines)
            return launch_gather<true>(y, s, n_out, detail::StoredOffsets<std::uint32_t>{c.t.ip}, c.t.major,
                                       c.t.entry, c.w, c.homogeneous, alpha, accumulate, stream);
        if (ranged) {
            const RangePlan plan = range_plan(c, c.n_major, batch);
            const ActiveList<T> listed = list_active<T>(device_view<T>(s, stream), batch, c.n_major, stream,
                                                        plan.zeroes_y(accumulate) ? y.data() : nullptr, y.size());
            return range_scatter(
                y, LineList<T, unsigned long long, unsigned long long>{listed.idx, listed.val, listed.count, c.n_major},
                plan, c, batch, alpha, accumulate, std::same_as<typename Ev::event_kind, binary_events>, listed.chained,
                stream);
        }
        FindActive how = scatter_find_active;
        if (how == FindActive::automatic)
            how = batch * c.n_major >= kTileLines ? FindActive::by_tile : FindActive::by_warp;
        auto ev = device_view<T>(s, stream);
        using View = decltype(ev);
        if (how == FindActive::by_tile || how == FindActive::by_range) {
            constexpr std::size_t tile = ActiveByTile<T, View>::kTile;
            return launch(ActiveByTile<T, View>{ev, batch, c.n_major}, batch * ((c.n_major + tile - 1) / tile));
        }
        launch(ActiveByValue<T, View>{ev, batch, c.n_major}, (batch * ((c.n_major + 31) / 32) + warps - 1) / warps);
    }
}

/// Rounds of 32 entries that a warp of gather_batch_kernel loads at once over bit columns (a line
/// of up to kGatherBatchRound · 32 entries in one round trip per dependent load).
inline constexpr unsigned kGatherBatchRound = 4;

/// y[b, r] = (accumulate ? y[b, r] : 0) + alpha · Σ over line r's entries k of w · s[b, ix[k]] for
/// a batch, reading each entry once for up to 32 batch rows: a group of G lanes per (line r, tile
/// of 32 rows; one tile when G < 32), lane `sub` holding row 32 · tile + sub. The group loads
/// rounds of entries (kGatherBatchRound · 32 over bit columns, 32 over value columns: indices,
/// then their columns, then the weights where needed) before it walks them with shuffles: with
/// bit columns only the entries some row of the tile has active (a ballot), each lane adding the
/// weight where its bit is set; with value columns every entry, each lane adding w · its row's
/// value (the tile's values of one input are contiguous; a zero value adds nothing, whatever the
/// weight, as in gather_kernel). Homogeneous, the sum is of events, times w[0] at the end where
/// some event reached the output (else 0).
template <unsigned G, bool Homogeneous, class T, class Cols, class I, class Off>
__global__ void __launch_bounds__(kCompressedBlock)
    gather_batch_kernel(T* __restrict__ y, std::size_t n_out, std::size_t batch, Cols cols, Off ip,
                        const I* __restrict__ ix, const T* __restrict__ w, T alpha, bool accumulate) {
    static_assert(G == 8 || G == 16 || G == 32);
    constexpr bool bits = std::is_same_v<Cols, BitColumns>;
    // Rounds of R · G entries: kGatherBatchRound · 32 with bit columns; 32 with value columns,
    // each value read in its own unrolled step.
    constexpr unsigned R = bits ? kGatherBatchRound : 32 / G;
    const unsigned lane = threadIdx.x & 31u, sub = lane % G, group = lane / G;
    const unsigned gmask = G == 32 ? 0xffffffffu : ((1u << G) - 1u) << (group * G);
    const std::size_t tiles = (batch + 31) / 32, items = n_out * tiles;
    const std::size_t warp = (blockIdx.x * std::size_t{blockDim.x} + threadIdx.x) >> 5;
    const std::size_t n_warps = (gridDim.x * std::size_t{blockDim.x}) >> 5;
    for (std::size_t base = warp * (32 / G); base < items; base += n_warps * (32 / G)) {
        const std::size_t item = base + group;
        if (item >= items) break;  // the warp's last groups; the group's lanes leave together
        const std::size_t r = item / tiles, t = item % tiles, row = 32 * t + sub;
        const std::size_t end = ip.end(r);
        T acc = 0;
        [[maybe_unused]] bool reached = false;  // value columns, Homogeneous: by a nonzero event
        for (std::size_t k0 = ip.begin(r); k0 < end; k0 += R * G) {
            // A round: the indices of R · G entries, then what they point to, then the weights
            // where needed, all issued before the adds (one memory round trip each).
            std::size_t j[R];
#pragma unroll
            for (unsigned q = 0; q < R; ++q) {
                const std::size_t k = k0 + q * G + sub;
                j[q] = k < end ? static_cast<std::size_t>(ix[k]) : 0;
            }
            if constexpr (bits) {
                std::uint32_t m[R];
                [[maybe_unused]] T wk[R];
#pragma unroll
                for (unsigned q = 0; q < R; ++q) m[q] = k0 + q * G + sub < end ? cols.word(j[q], t) : 0u;
                if constexpr (!Homogeneous) {
#pragma unroll
                    for (unsigned q = 0; q < R; ++q) wk[q] = m[q] != 0u ? w[k0 + q * G + sub] : T(0);  // silent: no read
                }
#pragma unroll
                for (unsigned q = 0; q < R; ++q)
                    for (unsigned live = __ballot_sync(gmask, m[q] != 0u) >> (group * G); live != 0;
                         live &= live - 1) {
                        const int e = __ffs(static_cast<int>(live)) - 1;
                        const bool mine = (__shfl_sync(gmask, m[q], e, G) >> (row % 32)) & 1u;
                        if constexpr (Homogeneous) {
                            acc += T(mine);
                        } else {
                            const T we = __shfl_sync(gmask, wk[q], e, G);
                            if (mine) acc += we;
                        }
                    }
            } else {
                [[maybe_unused]] T wk[R];
                if constexpr (!Homogeneous) {
#pragma unroll
                    for (unsigned q = 0; q < R; ++q) wk[q] = k0 + q * G + sub < end ? w[k0 + q * G + sub] : T(0);
                }
#pragma unroll
                for (unsigned q = 0; q < R; ++q)
#pragma unroll
                    for (unsigned e = 0; e < G; ++e) {
                        const std::size_t je = __shfl_sync(gmask, j[q], e, G);
                        const bool valid = k0 + q * G + e < end && row < batch;
                        const T x = valid ? cols.value(je, row) : T(0);
                        if constexpr (Homogeneous) {
                            acc += x;
                            reached |= x != T(0);
                        } else {
                            const T we = __shfl_sync(gmask, wk[q], e, G);
                            if (x != T(0)) acc += we * x;  // a silent input adds nothing, as in gather_kernel
                        }
                    }
            }
        }
        if (row < batch) {
            T& out = y[row * n_out + r];
            // Homogeneous: a count of events (bit columns) or a sum of values, times the weight
            // only where some event reached the output (0 · w would be NaN for w = inf or NaN).
            if constexpr (bits) reached = acc != T(0);
            const T a = Homogeneous ? (reached ? acc * w[0] : T(0)) : acc;
            out = accumulate ? out + alpha * a : alpha * a;
        }
    }
}

/// Whether a gather over a batch (rows ≥ 2) reads each entry once for up to 32 rows
/// (gather_batch_kernel) instead of once per row (gather_kernel, a warp per output and row). Not
/// to be changed while products run.
inline bool gather_batch_columns = true;

/// y = (accumulate ? y : 0) + alpha * gather(events over the minor dimension of c).
template <class T, class Ev, class I, class Off>
void compressed_gather(ArrayView<T, cuda> y, const Ev& s, const detail::Lines<T, I, Off>& c, T alpha, bool accumulate,
                       Stream st) {
    const cudaStream_t stream = detail::stream_of(st);
    const std::size_t batch = s.rows(), n_out = c.n_major;
    if (batch * n_out == 0) return;
    if (batch < 2 || !gather_batch_columns)
        return launch_gather<false>(y, s, n_out, c.offsets, c.ix, nullptr, c.w, c.homogeneous, alpha, accumulate,
                                    stream);
    const auto cols = device_columns<T>(s, stream);
    // Bit columns: a warp per (line, tile of 32 rows) whatever the batch, since the lanes share
    // the line's loads; value columns: G lanes per line, the least of 8, 16 and 32 that covers the
    // batch (32, one tile at a time, above 32 rows), since every lane steps through every entry.
    constexpr bool bits = std::is_same_v<decltype(cols), const BitColumns>;
    auto go = [&]<unsigned G>(std::integral_constant<unsigned, G>) {
        const std::size_t items = n_out * ((batch + 31) / 32);
        const unsigned grid = grid_for(items, kCompressedBlock / G);
        if (c.homogeneous)
            gather_batch_kernel<G, true><<<grid, kCompressedBlock, 0, stream>>>(y.data(), n_out, batch, cols, c.offsets,
                                                                                c.ix, c.w, alpha, accumulate);
        else
            gather_batch_kernel<G, false><<<grid, kCompressedBlock, 0, stream>>>(
                y.data(), n_out, batch, cols, c.offsets, c.ix, c.w, alpha, accumulate);
        BRAINEVENT_CUDA_CHECK_LAUNCH("gather_batch_kernel");
    };
    if constexpr (bits)
        go(std::integral_constant<unsigned, 32>{});
    else if (batch <= 8)
        go(std::integral_constant<unsigned, 8>{});
    else if (batch <= 16)
        go(std::integral_constant<unsigned, 16>{});
    else
        go(std::integral_constant<unsigned, 32>{});
}

}  // namespace brainevent::kernels::cuda_impl

namespace brainevent {

/// CUDA products of every line format (CSR, CSC, FixedPost/PreNumConn), both orientations.
template <EventKind Kind, LineFormat F, class O>
struct dispatch<Kind, F, O, cuda> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T, cuda> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream st) {
        if constexpr (scatters_lines<F, O>)
            kernels::cuda_impl::compressed_scatter(y, s, w.lines(), alpha, accumulate, st);
        else
            kernels::cuda_impl::compressed_gather(y, s, w.lines(), alpha, accumulate, st);
    }
};

}  // namespace brainevent
