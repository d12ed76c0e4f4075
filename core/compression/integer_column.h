#pragma once

#include <QtGlobal>

#include <span>

namespace fd {

class BitReader;
class BitWriter;

// A column of signed 64-bit integers whose length the reader knows (the block's point
// count): timestamps, decimally scaled values, wide integers, type codes, string indexes.
//
// The encoder tries four predictors and keeps the one whose residuals code smallest
// (IntegerCode picks the code's parameters); all arithmetic wraps (uint64), so any values,
// INT64_MIN next to INT64_MAX included, are exact:
//  - None:          x[i] - bias
//  - Delta:         x[i] - x[i-1] - bias                       (random walks, string indexes)
//  - DeltaOfDelta:  (x[i] - x[i-1]) - (x[i-1] - x[i-2]) - bias (steady slopes)
//  - Grid:          x[i] - (g[i-1] + period + bias), where g is an ideal grid that advances
//                   by `period` and restarts at x[i] - bias after a residual beyond
//                   period / 2 (gaps, bursts): regular sampling with jitter that does not
//                   accumulate (1 Hz timestamps with a few ms of latency).
// `bias` is the median residual, so a steady step, slope or period costs nothing per value.
//
// Layout: predictor (2 bits), head values (wide codes: x[0]; DeltaOfDelta also x[1] - x[0];
// Grid also the period), bias (wide), IntegerCode params, one code per remaining value.
// Nothing at all for an empty column.
class IntegerColumn
{
public:
    enum class Predictor : quint8 { None = 0, Delta = 1, DeltaOfDelta = 2, Grid = 3 };

    static void encode(std::span<const qint64> values, BitWriter &w);
    // Fills `values` (its size is the count); false if the stream is malformed or ends early
    // (the reader is then failed).
    [[nodiscard]] static bool decode(BitReader &r, std::span<qint64> values);
};

} // namespace fd
