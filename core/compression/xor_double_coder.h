#pragma once

#include <QtGlobal>

#include <span>

namespace fd {

class BitReader;
class BitWriter;

// Gorilla's XOR coding of doubles (Pelkonen et al., VLDB 2015), for values that do not scale
// to integers (DecimalScaling): the first value's 64 bits, then per value the XOR with the
// previous one: '0' the same bits; '10' + the meaningful bits inside the previous window of
// leading and trailing zeros; '11' + 6 bits of leading zeros + 6 bits of length - 1 + the
// bits. Bit exact for every double (NaN payloads, -0.0, subnormals).
class XorDoubleCoder
{
public:
    static void encode(std::span<const double> values, BitWriter &w);
    // The number of bits encode() writes for these values (without writing them).
    [[nodiscard]] static qint64 bitCount(std::span<const double> values);
    // Fills `values` (its size is the count); false if malformed or truncated.
    [[nodiscard]] static bool decode(BitReader &r, std::span<double> values);
};

} // namespace fd
