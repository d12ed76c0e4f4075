#include "core/compression/decimal_scaling.h"

#include <array>
#include <bit>
#include <cmath>

namespace fd {

namespace {

constexpr std::array<double, DecimalScaling::kMaxExponent + 1> kPowers = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

constexpr double kTwoPow53 = 9007199254740992.0;

bool scalesExactly(double v, int k)
{
    if (!std::isfinite(v))
        return false;
    const double p = kPowers[std::size_t(k)];
    const double scaled = v * p;
    if (!(std::fabs(scaled) < kTwoPow53))
        return false;
    const double restored = double(std::llround(scaled)) / p;
    return std::bit_cast<quint64>(restored) == std::bit_cast<quint64>(v);
}

} // namespace

double DecimalScaling::power(int k)
{
    Q_ASSERT(k >= 0 && k <= kMaxExponent);
    return kPowers[std::size_t(k)];
}

std::optional<int> DecimalScaling::findExponent(std::span<const double> values)
{
    // A lower bound first: the answer is at least, for each value in turn, the smallest k
    // at or above the bound so far that scales it (none: there is no answer). Then every
    // value is checked from there up (exactness at k does not strictly imply exactness at
    // k + 1 in floating point).
    int from = 0;
    for (double v : values) {
        while (from <= kMaxExponent && !scalesExactly(v, from))
            ++from;
        if (from > kMaxExponent)
            return std::nullopt;
    }
    for (int k = from; k <= kMaxExponent; ++k) {
        bool all = true;
        for (double v : values) {
            if (!scalesExactly(v, k)) {
                all = false;
                break;
            }
        }
        if (all)
            return k;
    }
    return std::nullopt;
}

std::vector<qint64> DecimalScaling::scale(std::span<const double> values, int k)
{
    std::vector<qint64> out;
    out.reserve(values.size());
    const double p = power(k);
    for (double v : values)
        out.push_back(std::llround(v * p));
    return out;
}

} // namespace fd
