#pragma once

#include "core/telemetry/telemetry_point.h"

#include <array>
#include <cmath>
#include <vector>

namespace fd {

// Min/max summaries of fixed-size blocks of a TelemetryRingBuffer, at a few block sizes
// (levels), so MinMaxDecimator can take a whole block at once when it lies inside one
// bucket and has no gap or missing value in it (MinMaxDecimator::add(buffer, ...)).
//
// Blocks are aligned to the absolute append index (the number of points appended before,
// counted from the last reset), so evicting the oldest points only retires whole blocks:
// the oldest block may be partially evicted and the newest one partially filled, both are
// never used whole. Each level keeps capacity / blockSize + 2 slots, used round-robin.
// A summary is 64 bytes and holds the time of its min and max and its last value too, so
// the decimator never reads a point of a block it takes whole (those reads were cache
// misses in a big buffer). With blocks of 32, 128, 512 and 4096 points: ~2.7 bytes per point.
class TelemetrySummaryPyramid
{
public:
    // Block sizes (log2), finest first. Each level is built from the points directly, so
    // appending costs O(levels).
    static constexpr std::array<int, 4> kShifts = {5, 7, 9, 12};
    static constexpr int kLevels = int(kShifts.size());
    static constexpr quint64 blockSize(int level) { return quint64(1) << kShifts[size_t(level)]; }

    // maxStep of a block that holds a NaN value; steps of kSaturatedStep ms or more are
    // stored as kSaturatedStep.
    static constexpr quint32 kHasNaN = 0xffffffffu;
    static constexpr quint32 kSaturatedStep = 0xfffffffeu;

    struct alignas(64) Block
    {
        double min = 0;  // smallest / largest value (meaningless when the block has a NaN)
        double max = 0;
        qint64 firstT = 0;  // time of the first / last point
        qint64 lastT = 0;
        qint64 minT = 0;  // time of the first occurrence of min / max
        qint64 maxT = 0;
        double lastValue = 0;  // value of the last point
        quint16 minOffset = 0;  // first occurrence of min / max, from the block's start
        quint16 maxOffset = 0;
        quint32 maxStep = 0;  // largest time step between neighbours inside, or kHasNaN

        bool hasNaN() const { return maxStep == kHasNaN; }
        // True if the decimator sees no NaN and no gap (step > gapMs, when gapMs > 0)
        // inside the block.
        bool isContinuous(qint64 gapMs) const
        {
            if (maxStep >= kSaturatedStep)
                return maxStep != kHasNaN && gapMs <= 0;
            return gapMs <= 0 || qint64(maxStep) <= gapMs;
        }
    };

    // Drops every summary; the next point appended must have absolute index 0.
    void reset(qsizetype capacity);

    // Point `abs` was appended; prevT is the time of point abs - 1 (ignored when
    // hasPrev is false, i.e. the point is the first one since reset()).
    void append(quint64 abs, const TelemetryPoint &p, bool hasPrev, qint64 prevT)
    {
        for (int level = 0; level < kLevels; ++level) {
            Block &b = slotFor(level, abs);
            if (!hasPrev || (abs & (blockSize(level) - 1)) == 0)
                start(&b, level, abs, p);
            else
                extend(&b, level, abs, p, p.tMs - prevT);
        }
    }

    // The value of the newest point `abs` changed from oldValue to its current value.
    // pointAt(a) returns point a for firstAbs <= a <= abs. O(1) unless the point held a
    // block's min or max or a NaN was involved: then O(block) per level.
    template<typename PointAt>
    void replaceNewest(quint64 abs, quint64 firstAbs, double oldValue, PointAt pointAt)
    {
        const TelemetryPoint &p = pointAt(abs);
        for (int level = 0; level < kLevels; ++level) {
            Block &b = slotAt(level, abs >> kShifts[size_t(level)]);
            const quint64 blockStart = abs & ~(blockSize(level) - 1);
            const quint16 offset = quint16(abs - blockStart);
            const bool wasExtreme = b.minOffset == offset || b.maxOffset == offset;
            if (std::isnan(p.value) && !std::isnan(oldValue)) {
                b.maxStep = kHasNaN;
                b.lastValue = p.value;
            } else if (!std::isnan(oldValue) && !wasExtreme) {
                b.lastValue = p.value;  // the newest point is its block's last one
                if (p.value < b.min) {
                    b.min = p.value;
                    b.minT = p.tMs;
                    b.minOffset = offset;
                }
                if (p.value > b.max) {
                    b.max = p.value;
                    b.maxT = p.tMs;
                    b.maxOffset = offset;
                }
            } else if (!std::isnan(p.value) || !std::isnan(oldValue)) {
                // Recompute from the block's first point still held.
                quint64 a = qMax(blockStart, firstAbs);
                start(&b, level, a, pointAt(a));
                for (++a; a <= abs; ++a)
                    extend(&b, level, a, pointAt(a), pointAt(a).tMs - pointAt(a - 1).tMs);
            }
        }
    }

    // The summary of block `blockNo` (absolute index >> kShifts[level]): valid when the
    // whole block is in the buffer.
    const Block &block(int level, quint64 blockNo) const
    {
        const Level &l = m_levels[size_t(level)];
        return l.blocks[l.slotOf(blockNo)];
    }

    // Bytes allocated for summaries.
    qsizetype memoryBytes() const;

private:
    struct Level
    {
        std::vector<Block> blocks;
        quint64 slotCount = 1;
        // Block number of slot 0 in the current round; every live block number lies in
        // [slot0Block - slotCount, slot0Block + slotCount), so no division is needed.
        quint64 slot0Block = 0;

        size_t slotOf(quint64 blockNo) const
        {
            const qint64 offset = qint64(blockNo - slot0Block);
            return size_t(offset < 0 ? offset + qint64(slotCount) : offset);
        }
    };

    Block &slotAt(int level, quint64 blockNo)
    {
        Level &l = m_levels[size_t(level)];
        if (blockNo - l.slot0Block == l.slotCount)  // a new block starts the next round
            l.slot0Block = blockNo;
        const size_t slot = l.slotOf(blockNo);
        if (slot >= l.blocks.size()) {  // growing with the buffer: slot == size()
            if (slot >= l.blocks.capacity())
                l.blocks.reserve(size_t(qMin<quint64>(l.slotCount, qMax<quint64>(16, 2 * slot + 2))));
            l.blocks.resize(slot + 1);
        }
        return l.blocks[slot];
    }
    Block &slotFor(int level, quint64 abs) { return slotAt(level, abs >> kShifts[size_t(level)]); }

    static void start(Block *b, int level, quint64 abs, const TelemetryPoint &p)
    {
        const quint16 offset = quint16(abs & (blockSize(level) - 1));
        b->min = b->max = b->lastValue = p.value;
        b->firstT = b->lastT = b->minT = b->maxT = p.tMs;
        b->minOffset = b->maxOffset = offset;
        b->maxStep = std::isnan(p.value) ? kHasNaN : 0;
    }
    static void extend(Block *b, int level, quint64 abs, const TelemetryPoint &p, qint64 step)
    {
        const quint32 s = std::isnan(p.value) ? kHasNaN
                          : step >= qint64(kSaturatedStep) ? kSaturatedStep
                                                           : quint32(qMax<qint64>(0, step));
        if (s > b->maxStep)
            b->maxStep = s;
        b->lastT = p.tMs;
        b->lastValue = p.value;
        const quint16 offset = quint16(abs & (blockSize(level) - 1));
        if (p.value < b->min) {
            b->min = p.value;
            b->minT = p.tMs;
            b->minOffset = offset;
        }
        if (p.value > b->max) {
            b->max = p.value;
            b->maxT = p.tMs;
            b->maxOffset = offset;
        }
    }

    std::array<Level, kLevels> m_levels;
};

static_assert(sizeof(TelemetrySummaryPyramid::Block) == 64, "one cache line per block");

} // namespace fd
