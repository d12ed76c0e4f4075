#pragma once

#include "core/domain/series_point.h"

#include <QString>

namespace fd {

class BlockTable;
class LegacyTelemetryTable;
class RollupWriter;

// Rewrites one window (aligned hour) of one series: its v3 rows (LegacyTelemetryTable) and
// blocks, merged with newer points, become the window's new blocks; of equal timestamps the
// later write wins (v3 rows < blocks in the order written < newer). Keeps the rollups exact:
// points that are new to the window are added to their buckets; a minute in which a stored
// point was replaced is recomputed from the merged points. Writer thread, inside a
// transaction its caller holds.
class WindowRewriter
{
public:
    WindowRewriter(BlockTable &blocks, LegacyTelemetryTable &legacy, RollupWriter &rollups);

    // newer: sorted and free of duplicates. newerInRollups: newer's points are already in
    // the rollups (blocks being merged with v3 rows), so only replaced values are
    // corrected; otherwise (staged points) they are added.
    // onlySmallBlocks: merge only the window's small blocks with newer, and no v3 rows:
    // compaction of freshly appended blocks, whose points are all newer than the rest.
    bool rewrite(qint64 deviceKey, qint64 metricKey, qint64 windowMs, const SeriesPoints &newer,
                 bool newerInRollups, bool onlySmallBlocks, int *blocksWritten, QString *error,
                 qint64 *legacyRowsMoved = nullptr);

private:
    BlockTable &m_blocks;
    LegacyTelemetryTable &m_legacy;
    RollupWriter &m_rollups;
    SeriesPoints m_older;   // reused
    SeriesPoints m_merged;  // reused
    SeriesPoints m_fresh;   // reused
};

} // namespace fd
