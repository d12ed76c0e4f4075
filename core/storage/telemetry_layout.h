#pragma once

#include <QtGlobal>

#include <limits>

namespace fd {

// How raw telemetry is laid out in the cache (schema v4, docs/performance.md "Telemetry
// store"): the constants every class that reads or writes blocks agrees on.
namespace telemetry_layout {

// A block holds one series' points of one aligned hour: the same boundaries as the hourly
// rollup buckets, so an hour's rollup can be recomputed from that window's blocks alone.
constexpr qint64 kWindowMs = 60LL * 60 * 1000;
constexpr qint64 kMinuteMs = 60LL * 1000;
constexpr qint64 kHourMs = kWindowMs;
// Points per block at most: a window with more is split into several blocks.
constexpr int kMaxBlockPoints = 4096;
// Blocks under this many points are "small": BlockPacker merges a window's small blocks
// once kMaxSmallBlocks of them pile up, and the whole window when the series moves on to
// the next window.
constexpr int kSmallBlockPoints = 256;
constexpr int kMaxSmallBlocks = 8;

// Start of the bucket of width widthMs holding tMs: the same expression as the SQL of the
// rollup tables (schema v2), so C++ and SQL agree also for timestamps before 1970.
constexpr qint64 bucketStart(qint64 tMs, qint64 widthMs)
{
    return tMs - tMs % widthMs;
}

// The window (aligned hour) holding tMs: [windowOf(t), windowEnd(windowOf(t))). Floor
// division, unlike bucketStart(): a window never straddles 1970. Saturates at the ends of
// the int64 range instead of overflowing.
constexpr qint64 windowOf(qint64 tMs)
{
    const qint64 r = tMs % kWindowMs;
    if (r >= 0)
        return tMs - r;
    const qint64 up = tMs - r;  // the truncated start, above tMs
    return up >= std::numeric_limits<qint64>::min() + kWindowMs ? up - kWindowMs : std::numeric_limits<qint64>::min();
}

constexpr qint64 windowEnd(qint64 windowMs)
{
    return windowMs <= std::numeric_limits<qint64>::max() - kWindowMs ? windowMs + kWindowMs
                                                                     : std::numeric_limits<qint64>::max();
}

} // namespace telemetry_layout
} // namespace fd
