#pragma once

#include <QtGlobal>

#include <optional>
#include <span>
#include <vector>

namespace fd {

// Decimal scaling of doubles: values written with at most k decimals (21.5, 87.25, -67)
// become the integers v * 10^k, which code far smaller than their IEEE bits. Exact: k is
// only used when, for every value, double(llround(v * 10^k)) / 10^k gives back the same bits.
class DecimalScaling
{
public:
    static constexpr int kMaxExponent = 9;

    // The smallest k in 0..kMaxExponent that scales every value exactly: each finite, with
    // |v * 10^k| < 2^53, and restored bit for bit (so -0.0 and NaN never scale). nullopt if
    // there is none. An empty span scales with 0.
    [[nodiscard]] static std::optional<int> findExponent(std::span<const double> values);
    // 10^k as a double (exact for k <= 22); k in 0..kMaxExponent.
    [[nodiscard]] static double power(int k);
    // llround(v * power(k)) for every value (findExponent() must have accepted k).
    [[nodiscard]] static std::vector<qint64> scale(std::span<const double> values, int k);
    // findExponent() and scale() in one go: the exponent, with the scaled values in *scaled
    // (resized to values.size()); nullopt (and *scaled unspecified) if there is none.
    [[nodiscard]] static std::optional<int> findExponentAndScale(std::span<const double> values,
                                                                 std::vector<qint64> *scaled);
    // double(scaled) / power(k): the value scale() came from.
    [[nodiscard]] static double restore(qint64 scaled, int k) { return double(scaled) / power(k); }
};

} // namespace fd
