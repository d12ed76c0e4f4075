#include "core/telemetry/telemetry_summary_pyramid.h"

namespace fd {

void TelemetrySummaryPyramid::reset(qsizetype capacity)
{
    for (int level = 0; level < kLevels; ++level) {
        Level &l = m_levels[size_t(level)];
        l.blocks.clear();
        l.blocks.shrink_to_fit();
        l.slot0Block = 0;
        // Blocks touched by `capacity` consecutive points: at most (capacity - 1) / size + 2.
        l.slotCount = (quint64(qMax<qsizetype>(1, capacity)) - 1) / blockSize(level) + 2;
    }
}

qsizetype TelemetrySummaryPyramid::memoryBytes() const
{
    qsizetype bytes = 0;
    for (const Level &l : m_levels)
        bytes += qsizetype(l.blocks.capacity() * sizeof(Block));
    return bytes;
}

} // namespace fd
