// Result checks for the benchmarks: each timed product's output is compared, once, after its
// timing loop, with a reference summed independently in double precision, so that no figure is
// reported for a wrong product. A wrong output makes the benchmark report "ERROR OCCURRED" with
// the first wrong output and how many there are, and prints "CHECK FAILED" on stderr (where
// repetitions are reported as aggregates only, a run in error is left out of them silently); the
// CTest checks of the benchmarks and scripts/gpu_run.sh fail on either.
#pragma once

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

/// A reference output: per output, the sum of its terms in double, the sum of their magnitudes
/// and their number (what bounds the rounding error of the same sum in float). `only`, if not
/// empty, lists the outputs the reference holds (a sample, where a whole reference costs too much);
/// the others are not checked. `exact`: every term and partial sum is exact in float whatever the
/// order of the sums (weights that are multiples of 2^-8 below 1 in magnitude, sums below 2^15),
/// so the output must equal the reference.
struct Reference {
    std::vector<double> sum, mag;
    std::vector<std::uint32_t> terms;
    std::vector<std::size_t> only;
    bool exact = false;

    explicit Reference(std::size_t n = 0) : sum(n), mag(n), terms(n) {}
    void add(std::size_t j, double t) {
        sum[j] += t;
        mag[j] += std::abs(t);
        ++terms[j];
    }
    [[nodiscard]] std::size_t size() const noexcept { return sum.size(); }
};

/// True if every checked y[j] equals the reference within the rounding of a float sum of its
/// terms in any order (|error| ≤ γ_m Σ|t| for m terms, γ_m ≈ m · 2^-24; twice that, with one
/// more rounding for a scale or a product of event and weight), so an output no term reaches
/// must be exactly 0, and a missing or extra term shows unless it is below (m + 1) · 2^-23 of its
/// output's magnitudes. Otherwise reports the error through state.SkipWithError and stderr.
template <class T>
bool check(benchmark::State& state, std::span<const T> y, const Reference& ref, const char* what) {
    std::ostringstream msg;
    if (y.size() != ref.size()) {
        msg << what << ": " << y.size() << " outputs, the reference has " << ref.size();
        state.SkipWithError(msg.str().c_str());
        return false;
    }
    std::size_t bad = 0, first = 0;
    auto look = [&](std::size_t j) {
        const double tol = ref.exact ? 0.0 : 2.0 * (ref.terms[j] + 1.0) * 0x1p-24 * ref.mag[j];
        if (!(std::abs(static_cast<double>(y[j]) - ref.sum[j]) <= tol) && bad++ == 0) first = j;
    };
    if (ref.only.empty())
        for (std::size_t j = 0; j < y.size(); ++j) look(j);
    else
        for (const std::size_t j : ref.only) look(j);
    if (bad == 0) return true;
    msg.precision(9);
    msg << what << ": " << bad << " of " << (ref.only.empty() ? y.size() : ref.only.size())
        << " checked outputs differ from the double-precision reference; output " << first << " is " << y[first]
        << ", the reference " << ref.sum[first] << " (" << ref.terms[first] << " terms)";
    state.SkipWithError(msg.str().c_str());
    std::fprintf(stderr, "CHECK FAILED: %s\n", msg.str().c_str());
    return false;
}

/// The reference of `s * W` summed over the lines of W's active inputs: for each input i with
/// active(i), lines.for_each(i, f) calls f(j, w) for the entries (j, w) of line i (a JITC
/// matrix's generator walked on the host, independently of the kernels under test).
template <class Lines, class Active>
Reference lines_reference(std::size_t n_in, std::size_t n_out, const Lines& lines, Active&& active) {
    Reference ref(n_out);
    for (std::size_t i = 0; i < n_in; ++i)
        if (active(i)) lines.for_each(i, [&](std::size_t j, auto w) { ref.add(j, w); });
    return ref;
}

/// FNV-1a of some bytes: a key for the inputs a reference was made from.
inline std::uint64_t hash_bytes(const void* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<const unsigned char*>(p)[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// The reference make() returns for `key`, kept until one for another key is asked for: the runs
/// of one benchmark (Google Benchmark's trial runs and repetitions) follow each other, so each run
/// is checked without the reference being made again.
template <class Make>
const Reference& kept(const std::string& key, Make&& make) {
    static std::string last;
    static Reference ref;
    if (key != last) {  // (a failed make leaves `last` empty, so the next call makes it again)
        last.clear();
        ref = make();
        last = key;
    }
    return ref;
}

}  // namespace bench
