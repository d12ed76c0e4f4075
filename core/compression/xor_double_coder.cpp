#include "core/compression/xor_double_coder.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"

#include <QtGlobal>

#include <bit>

namespace fd {

void XorDoubleCoder::encode(std::span<const double> values, BitWriter &w)
{
    if (values.empty())
        return;
    quint64 previous = std::bit_cast<quint64>(values[0]);
    w.write(previous, 64);
    int windowLeading = -1;  // no window yet
    int windowTrailing = 0;
    for (std::size_t i = 1; i < values.size(); ++i) {
        const quint64 bits = std::bit_cast<quint64>(values[i]);
        const quint64 x = bits ^ previous;
        previous = bits;
        if (x == 0) {
            w.write(0, 1);
            continue;
        }
        const int leading = std::countl_zero(x);   // 0..63
        const int trailing = std::countr_zero(x);  // 0..63
        if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
            w.write(0b10, 2);
            w.write(x >> windowTrailing, 64 - windowLeading - windowTrailing);
            continue;
        }
        const int length = 64 - leading - trailing;  // 1..64
        w.write(0b11, 2);
        w.write(quint64(leading), 6);
        w.write(quint64(length - 1), 6);
        w.write(x >> trailing, length);
        windowLeading = leading;
        windowTrailing = trailing;
    }
}

qint64 XorDoubleCoder::bitCount(std::span<const double> values)
{
    if (values.empty())
        return 0;
    // encode()'s decisions, counting instead of writing.
    quint64 previous = std::bit_cast<quint64>(values[0]);
    qint64 bits = 64;
    int windowLeading = -1;
    int windowTrailing = 0;
    for (std::size_t i = 1; i < values.size(); ++i) {
        const quint64 value = std::bit_cast<quint64>(values[i]);
        const quint64 x = value ^ previous;
        previous = value;
        if (x == 0) {
            bits += 1;
            continue;
        }
        const int leading = std::countl_zero(x);
        const int trailing = std::countr_zero(x);
        if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
            bits += 2 + 64 - windowLeading - windowTrailing;
            continue;
        }
        bits += 2 + 6 + 6 + 64 - leading - trailing;
        windowLeading = leading;
        windowTrailing = trailing;
    }
    return bits;
}

bool XorDoubleCoder::decode(BitReader &r, std::span<double> values)
{
    if (values.empty())
        return true;
    quint64 previous = r.read(64);
    values[0] = std::bit_cast<double>(previous);
    int windowLength = 64;  // a '10' before any '11' reuses the whole word (never written)
    int windowTrailing = 0;
    for (std::size_t i = 1; i < values.size(); ++i) {
        if (r.read(1) != 0) {
            if (r.read(1) != 0) {
                const int leading = int(r.read(6));
                const int length = int(r.read(6)) + 1;
                if (leading + length > 64) {
                    r.fail();
                    return false;
                }
                windowLength = length;
                windowTrailing = 64 - leading - length;
            }
            previous ^= r.read(windowLength) << windowTrailing;
        }
        values[i] = std::bit_cast<double>(previous);
    }
    return !r.failed();
}

} // namespace fd
