#pragma once

#include <QString>

#include <span>
#include <vector>

namespace fd {

class BitReader;
class BitWriter;

// The column of a block's String values in point order: a dictionary of the distinct
// strings in order of first use (count, then each as byte length + UTF-8 bytes, all wide
// codes and whole bytes), then each point's dictionary index as an IntegerColumn (a run of
// one string costs nothing per point beyond its code, about a bit).
class StringColumn
{
public:
    static void encode(std::span<const QString> values, BitWriter &w);
    // Fills `values` (its size is the count). False if malformed or truncated: more strings
    // in the dictionary than points, a length past the end, invalid UTF-8, an index outside
    // the dictionary.
    [[nodiscard]] static bool decode(BitReader &r, std::span<QString> values);
    // Checks and passes over a column of `count` strings without building any QString
    // (UTF-8 is not checked).
    [[nodiscard]] static bool skip(BitReader &r, std::size_t count);
};

} // namespace fd
