// Shared by the host and device JITC product tests.
#pragma once

#include "product_check.hpp"

namespace testing {

/// For JITC type M built from `params…, prob, seed, shape`: two matrices (seeds 1234 and 99) per
/// shape and prob, checked by check_case in memory space Space for every batch, rate, event kind
/// and orientation.
template <class M, class Space = brainevent::host, class... P>
void check_jitc(const std::vector<std::pair<std::size_t, std::size_t>>& shapes, const std::vector<double>& probs,
                const std::vector<std::size_t>& batches, const std::vector<double>& rates,
                const std::vector<Kind>& kinds, P... params) {
    using T = typename M::value_type;
    for (auto [n_pre, n_post] : shapes)
        for (double prob : probs) {
            const M W1(params..., prob, 1234, {n_pre, n_post});
            const M W2(params..., prob, 99, {n_pre, n_post});
            INFO("prob " << prob);
            for (std::size_t batch : batches)
                for (double rate : rates)
                    for (Kind kind : kinds)
                        for (bool left : {true, false}) check_case<T, Space>(batch, W1, W2, rate, kind, left);
        }
}

}  // namespace testing
