#pragma once

#include <span>

namespace fd {

class BitReader;
class BitWriter;

// The column of a block's numeric values (Double, Int64 up to 2^53 as double(v), Bool as
// 0/1) in point order. One bit says how: 0 + 4 bits k + an IntegerColumn of the values
// scaled by 10^k (DecimalScaling: readings with few decimals), or 1 + XorDoubleCoder
// (anything else). The encoder writes both when scaling applies and keeps the smaller.
class NumberColumn
{
public:
    static void encode(std::span<const double> values, BitWriter &w);
    // Fills `values` (its size is the count); false if malformed or truncated.
    [[nodiscard]] static bool decode(BitReader &r, std::span<double> values);
};

} // namespace fd
