// Combinations that must not compile: each is checked with a requires-expression.
#include <utility>

#include "helpers.hpp"

using namespace brainevent;

namespace {

template <class A, class B>
concept can_multiply = requires(const A& a, const B& b) {
    a * b;
};

template <class M>
concept can_transpose = requires(M&& m) {
    transpose(std::forward<M>(m));
};

template <class Y, class X>
concept can_assign = requires(Y& y, const X& x) {
    y = x;
};

template <class Y, class A, class B>
concept can_assign_product = requires(Y& y, const A& a, const B& b) {
    y = a * b;
};

/// Events that claim to live on the GPU: mixing them with host matrices must not compile.
struct DeviceEvents {
    using event_kind = binary_events;
    using space = cuda;
    Shape shape() const { return Shape::vector(0); }
    std::size_t rows() const { return 1; }
    std::size_t cols() const { return 0; }
};

/// A connectivity format with no kernel.
struct UnknownFormat {
    using format = struct unknown_format_tag;
    using space = host;
    using value_type = float;
    std::size_t n_pre() const { return 0; }
    std::size_t n_post() const { return 0; }
};

}  // namespace

TEST_CASE("Unsupported combinations do not compile", "[expr][compile]") {
    // The supported ones do.
    STATIC_REQUIRE(can_multiply<BinaryArray<>, Dense<float>>);
    STATIC_REQUIRE(can_multiply<Dense<double>, IndexedBinary2d<>>);
    STATIC_REQUIRE(can_multiply<Array<double>, Dense<double>>);
    STATIC_REQUIRE(can_multiply<BinaryArray<>, Transposed<Dense<float>>>);
    STATIC_REQUIRE(can_assign_product<Array<float>, BinaryArray<>, Dense<float>>);

    // Two event operands, two matrices, events with scalars.
    STATIC_REQUIRE(!can_multiply<BinaryArray<>, BinaryArray<>>);
    STATIC_REQUIRE(!can_multiply<Dense<float>, Dense<float>>);
    STATIC_REQUIRE(!can_multiply<BinaryArray<>, float>);
    // Float events of another value type than the weights.
    STATIC_REQUIRE(!can_multiply<Array<double>, Dense<float>>);
    // Operands in different memory spaces.
    STATIC_REQUIRE(!can_multiply<DeviceEvents, Dense<float>>);
    // A format without a kernel.
    STATIC_REQUIRE(!can_multiply<BinaryArray<>, UnknownFormat>);
    STATIC_REQUIRE_FALSE(Multipliable<BinaryArray<>, UnknownFormat, events_left>);
    // An output of another value type, a read-only output.
    STATIC_REQUIRE(!can_assign_product<Array<double>, BinaryArray<>, Dense<float>>);
    STATIC_REQUIRE(!can_assign_product<ArrayView<const float>, BinaryArray<>, Dense<float>>);
    // A product is not an event operand: products of products are not formed implicitly.
    using P = decltype(std::declval<const BinaryArray<>&>() * std::declval<const Dense<float>&>());
    STATIC_REQUIRE(!can_multiply<P, Dense<float>>);
    STATIC_REQUIRE(!can_assign<BinaryArray<>, P>);
}

TEST_CASE("transpose of a temporary: formats holding shared arrays or parameters, not views", "[expr][compile]") {
    // A Dense transpose is a view of its argument: refused for temporaries, const or not.
    STATIC_REQUIRE(can_transpose<const Dense<float>&>);
    STATIC_REQUIRE(!can_transpose<Dense<float>>);
    STATIC_REQUIRE(!can_transpose<const Dense<float>>);
    // CSR, CSC, the fixed-number and JITC formats return a matrix sharing the arrays (or holding
    // the parameters): any temporary is fine.
    STATIC_REQUIRE(can_transpose<CSR<float>>);
    STATIC_REQUIRE(can_transpose<const CSR<float>>);
    STATIC_REQUIRE(can_transpose<const CSC<double>>);
    STATIC_REQUIRE(can_transpose<const FixedPostNumConn<float>>);
    STATIC_REQUIRE(can_transpose<const FixedPreNumConn<float>>);
    STATIC_REQUIRE(can_transpose<const JITCScalarR<float>>);
    STATIC_REQUIRE(can_transpose<const JITCUniformC<double>>);
}
