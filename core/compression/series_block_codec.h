#pragma once

#include "core/domain/series_point.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <span>
#include <vector>

namespace fd {

// Packs one series' points into a compact block for the cache (Gorilla-style, with decimal
// scaling for readings that have few decimals) and reads them back.
//
// Layout (format version 1): version byte; point count (LEB128 varint, at most kMaxPoints);
// flags byte (the low 3 bits: the type code of every point, or 7 when types are mixed; the
// other bits 0); then, as one bit stream: timestamps (IntegerColumn: the best of delta,
// delta of delta and a jittered grid), the per-point type codes when mixed (IntegerColumn),
// the number column (Double, Int64 with |v| <= 2^53, Bool; NumberColumn: decimal scaling or
// XOR), the wide Int64 column (|v| > 2^53; IntegerColumn), the String column
// (StringColumn: dictionary + indexes); zero bits up to the next byte. A column that has no
// points takes no bits.
//
// Only the fields that matter for a point's type are kept: tsMs and type always; Double
// `value` bit for bit (-0.0, infinities, subnormals, NaN with its payload); Int64 `integer`
// (value is rebuilt as double(integer)); Bool `integer != 0` (as 0/1); String `text` (valid
// UTF-16; value rebuilt as NaN). A type outside MetricType is stored as Double.
class SeriesBlockCodec
{
public:
    static constexpr int kMaxPoints = 65536;  // a block never holds more
    static constexpr quint8 kFormatVersion = 1;

    // Encodes points IN THE ORDER GIVEN (no sorting, duplicates kept). Refuses more than
    // kMaxPoints points with an empty QByteArray (a valid block is never empty).
    [[nodiscard]] static QByteArray encode(std::span<const SeriesPoint> points);
    // Appends the block's points to *out. False with a one-line English reason in *error
    // (may be null) for anything malformed (truncated, bad version, counts over kMaxPoints,
    // string lengths past the end, invalid UTF-8, trailing bytes...); *out is then unchanged.
    // Time and memory are O(kMaxPoints + data.size()).
    [[nodiscard]] static bool decode(QByteArrayView data, SeriesPoints *out, QString *error);
    // Fast path for charts: appends only timestamps and numeric values (String -> NaN, Int64
    // -> double(integer), Bool -> 0/1), builds no QString. Same checks as decode() except
    // that strings' UTF-8 is not validated. On failure nothing is appended.
    [[nodiscard]] static bool decodeNumeric(QByteArrayView data, std::vector<qint64> *ts, std::vector<double> *values,
                                            QString *error);
    // The point count from the header alone (version and limit checked).
    [[nodiscard]] static bool peekCount(QByteArrayView data, int *count);
};

} // namespace fd
