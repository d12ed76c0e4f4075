#include "core/compression/decimal_scaling.h"

#include <array>
#include <bit>
#include <cmath>
#include <optional>

namespace fd {

namespace {

constexpr std::array<double, DecimalScaling::kMaxExponent + 1> kPowers = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

constexpr double kTwoPow53 = 9007199254740992.0;

// std::llround for |x| < 2^53 (callers check), inline: truncation is exact there, and so is
// x - trunc(x); halves round away from zero, as llround does.
inline qint64 roundHalfAway(double x)
{
    const qint64 t = qint64(x);
    const double fraction = x - double(t);
    return t + (fraction >= 0.5 ? 1 : 0) - (fraction <= -0.5 ? 1 : 0);
}

// The scaled value if v scales exactly with exponent k.
inline std::optional<qint64> scaleExactly(double v, int k)
{
    const double p = kPowers[std::size_t(k)];
    const double scaled = v * p;
    if (!(std::fabs(scaled) < kTwoPow53))  // also false for NaN and infinities
        return std::nullopt;
    const qint64 rounded = roundHalfAway(scaled);
    const double restored = double(rounded) / p;
    if (std::bit_cast<quint64>(restored) != std::bit_cast<quint64>(v))
        return std::nullopt;
    return rounded;
}

bool scalesExactly(double v, int k)
{
    return scaleExactly(v, k).has_value();
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

std::optional<int> DecimalScaling::findExponentAndScale(std::span<const double> values, std::vector<qint64> *scaled)
{
    scaled->resize(values.size());
    qint64 *out = scaled->data();
    // As findExponent(): each value raises the lower bound to the smallest k that scales it;
    // a value that needs a larger k restarts the pass (rare: readings have a fixed precision).
    int k = 0;
    for (;;) {
        std::size_t i = 0;
        for (; i < values.size(); ++i) {
            const std::optional<qint64> s = scaleExactly(values[i], k);
            if (!s)
                break;
            out[i] = *s;
        }
        if (i == values.size())
            return k;
        while (k <= kMaxExponent && !scalesExactly(values[i], k))
            ++k;
        if (k > kMaxExponent)
            return std::nullopt;
    }
}

} // namespace fd
