// A tuning knob set for a scope, shared by the tests and the benchmarks (no test framework here).
#pragma once

namespace testing {

/// Sets a tuning knob (a global such as kernels::cuda_impl::scatter_zeroing) for its scope, and
/// restores it however the scope ends.
template <class T>
class KnobScope {
public:
    KnobScope(T& knob, T value) : knob_(knob), keep_(knob) { knob_ = value; }
    ~KnobScope() { knob_ = keep_; }
    KnobScope(const KnobScope&) = delete;
    KnobScope& operator=(const KnobScope&) = delete;

private:
    T& knob_;
    T keep_;
};

}  // namespace testing
