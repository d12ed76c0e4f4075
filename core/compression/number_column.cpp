#include "core/compression/number_column.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/decimal_scaling.h"
#include "core/compression/integer_column.h"
#include "core/compression/xor_double_coder.h"

#include <optional>
#include <vector>

namespace fd {

namespace {

constexpr quint64 kDecimal = 0;
constexpr quint64 kXor = 1;

} // namespace

void NumberColumn::encode(std::span<const double> values, BitWriter &w)
{
    if (values.empty())
        return;
    thread_local std::vector<qint64> scaled;
    thread_local BitWriter decimalBits;
    if (const std::optional<int> k = DecimalScaling::findExponentAndScale(values, &scaled)) {
        decimalBits.clear();
        IntegerColumn::encode(scaled, decimalBits);
        const qint64 decimalSize = decimalBits.bitCount() + 4;
        // The XOR coding's size, from a prefix when the decimal one clearly wins there (XOR
        // takes at least a bit per value, and far more on readings that change), else exact.
        constexpr std::size_t kPrefix = 512;
        bool decimal = false;
        if (values.size() > 2 * kPrefix) {
            const qint64 prefixBits = XorDoubleCoder::bitCount(values.first(kPrefix));
            const double estimate = double(prefixBits) * double(values.size()) / double(kPrefix);
            decimal = double(decimalSize) < 0.75 * estimate;
        }
        if (decimal || decimalSize <= XorDoubleCoder::bitCount(values)) {
            w.write(kDecimal, 1);
            w.write(quint64(*k), 4);
            w.append(decimalBits);
            return;
        }
    }
    w.write(kXor, 1);
    XorDoubleCoder::encode(values, w);
}

bool NumberColumn::decode(BitReader &r, std::span<double> values)
{
    if (values.empty())
        return true;
    if (r.read(1) == kXor)
        return XorDoubleCoder::decode(r, values);
    const int k = int(r.read(4));
    if (k > DecimalScaling::kMaxExponent) {
        r.fail();
        return false;
    }
    std::vector<qint64> scaled(values.size());
    if (!IntegerColumn::decode(r, scaled))
        return false;
    const double p = DecimalScaling::power(k);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = double(scaled[i]) / p;  // DecimalScaling::restore()
    return true;
}

} // namespace fd
