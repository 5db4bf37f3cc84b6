// Host kernels for just-in-time connectivity. The two traversals of the line formats, with each
// line generated instead of loaded:
//
// scatter: events index the lines (s * W with …R, W * s with …C). Each line active in any batch
//   row is generated once and added into every batch row where it is active: cost ∝ active lines
//   × entries per line.
// gather:  events index the positions (W * s with …R, s * W with …C). Every line is generated
//   once and dotted with the events of all batch rows: cost ∝ nnz, no storage.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "brainevent/core/array.hpp"
#include "brainevent/expr/dispatch.hpp"
#include "brainevent/formats/jitc.hpp"
#include "brainevent/kernels/cpu/compressed.hpp"  // axpy, event_sum
#include "brainevent/kernels/cpu/events.hpp"
#include "brainevent/kernels/cpu/workspace.hpp"

namespace brainevent::kernels::cpu {

/// One generated line: positions and weights, reused across calls (thread-local).
template <class T>
struct GeneratedLine {
    std::vector<std::size_t> j;
    std::vector<T> w;
    template <class Dist>
    void generate(const detail::JitcLines<Dist>& g, std::size_t r) {
        j.clear();
        w.clear();
        g.for_each(r, [&](std::size_t pos, T v) {
            j.push_back(pos);
            w.push_back(v);
        });
    }
};

template <class T>
GeneratedLine<T>& generated_line() {
    thread_local GeneratedLine<T> line;
    return line;
}

/// y[b, :] = (accumulate ? y[b, :] : 0) + alpha · Σ over active lines i of s[b, i] · line i.
template <class T, class Ev, class Dist>
void jitc_scatter(ArrayView<T> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate) {
    using L = typename list_index<Ev>::type;
    const std::size_t batch = s.rows(), n_out = g.n_minor;
    if (!accumulate) std::fill_n(y.data(), batch * n_out, T(0));
    auto* lists = scratch<ActiveList<L, T>, 0>(batch);
    active_lists<T>(s, lists);
    // (line, batch row, coefficient) for every active event, grouped by line so that each line
    // is generated once.
    thread_local std::vector<std::pair<std::size_t, std::pair<std::size_t, T>>> events;
    events.clear();
    for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t q = 0; q < lists[b].count; ++q)
            events.push_back({static_cast<std::size_t>(lists[b].index[q]),
                              {b, lists[b].values ? alpha * lists[b].values[q] : alpha}});
    if (batch > 1)
        std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& c) { return a.first < c.first; });
    auto& line = generated_line<T>();
    for (std::size_t e = 0; e < events.size();) {
        const std::size_t i = events[e].first;
        if (e + 1 == events.size() || events[e + 1].first != i) {  // used once: add as generated
            // Not a structured binding: clang before 16 cannot capture one in a lambda.
            const T coef = events[e].second.second;
            T* yb = y.data() + events[e++].second.first * n_out;
            g.for_each(i, [&](std::size_t j, T w) { yb[j] += coef * w; });
            continue;
        }
        line.generate(g, i);
        for (; e < events.size() && events[e].first == i; ++e) {
            const auto [b, coef] = events[e].second;
            T* yb = y.data() + b * n_out;
            for (std::size_t q = 0; q < line.j.size(); ++q) yb[line.j[q]] += coef * line.w[q];
        }
    }
}

/// y[b, r] = (accumulate ? y[b, r] : 0) + alpha · Σ over line r of w · s[b, position].
template <class T, class Ev, class Dist>
void jitc_gather(ArrayView<T> y, const Ev& s, const detail::JitcLines<Dist>& g, T alpha, bool accumulate) {
    const std::size_t batch = s.rows(), n_out = g.n_major;
    auto store = [&](std::size_t b, std::size_t r, T v) {
        T& out = y.data()[b * n_out + r];
        out = accumulate ? out + alpha * v : alpha * v;
    };
    auto& line = generated_line<T>();
    if (batch == 1) {
        const T* v = dense_values<T>(s);
        for (std::size_t r = 0; r < n_out; ++r) {
            line.generate(g, r);
            store(0, r, event_sum([&]<bool Skip>(std::bool_constant<Skip>) {
                      T a = 0;
                      for (std::size_t q = 0; q < line.j.size(); ++q) a += event_term<Skip>(line.w[q], v[line.j[q]]);
                      return a;
                  }));
        }
        return;
    }
    const T* vt = transposed_values<T>(s);  // n × batch: one input's values across the batch
    T* acc = scratch<T, 4>(batch);
    for (std::size_t r = 0; r < n_out; ++r) {
        line.generate(g, r);
        std::fill_n(acc, batch, T(0));
        for (std::size_t q = 0; q < line.j.size(); ++q) axpy(acc, line.w[q], vt + line.j[q] * batch, batch);
        for (std::size_t b = 0; b < batch; ++b) store(b, r, acc[b]);
    }
}

}  // namespace brainevent::kernels::cpu

namespace brainevent {

/// Host products of JITC matrices, both orientations.
template <EventKind Kind, JitcFormat F, class O>
struct dispatch<Kind, F, O, host> {
    static constexpr bool available = true;
    template <class T, class Ev, class W>
    static void run(ArrayView<T> y, const Ev& s, const W& w, T alpha, bool accumulate, Stream) {
        if constexpr (F::generated_rows == std::is_same_v<O, events_left>)
            kernels::cpu::jitc_scatter(y, s, w.lines(), alpha, accumulate);
        else
            kernels::cpu::jitc_gather(y, s, w.lines(), alpha, accumulate);
    }
};

}  // namespace brainevent
