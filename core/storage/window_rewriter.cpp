#include "core/storage/window_rewriter.h"

#include "core/storage/block_table.h"
#include "core/storage/legacy_telemetry_table.h"
#include "core/storage/rollup_writer.h"
#include "core/storage/telemetry_layout.h"

#include <algorithm>

namespace fd {

WindowRewriter::WindowRewriter(BlockTable &blocks, LegacyTelemetryTable &legacy, RollupWriter &rollups)
    : m_blocks(blocks)
    , m_legacy(legacy)
    , m_rollups(rollups)
{
}

bool WindowRewriter::rewrite(qint64 deviceKey, qint64 metricKey, qint64 windowMs, const SeriesPoints &newer,
                             bool newerInRollups, bool onlySmallBlocks, int *blocksWritten, QString *error,
                             qint64 *legacyRowsMoved)
{
    m_older.clear();
    QList<BlockTable::Block> oldBlocks;
    qint64 legacyDeleted = 0;
    if (!onlySmallBlocks && !m_legacy.readWindow(deviceKey, metricKey, windowMs, &m_older, error))
        return false;
    if (!m_blocks.readWindow(deviceKey, metricKey, windowMs, onlySmallBlocks, &m_older, &oldBlocks, error))
        return false;
    // Of equal timestamps among the stored points (a v3 row and a block written after it),
    // the later one wins; both were counted in the rollups, so their minute is recomputed.
    QList<qint64> replacedMinutes;
    auto markReplaced = [&replacedMinutes](qint64 tsMs) {
        const qint64 minute = telemetry_layout::bucketStart(tsMs, telemetry_layout::kMinuteMs);
        if (!replacedMinutes.contains(minute))
            replacedMinutes.append(minute);
    };
    std::stable_sort(m_older.begin(), m_older.end(),
                     [](const SeriesPoint &a, const SeriesPoint &b) { return a.tsMs < b.tsMs; });
    size_t kept = 0;
    for (size_t j = 0; j < m_older.size(); ++j) {
        if (kept > 0 && m_older[kept - 1].tsMs == m_older[j].tsMs) {
            markReplaced(m_older[j].tsMs);
            m_older[kept - 1] = std::move(m_older[j]);
        } else {
            if (kept != j)
                m_older[kept] = std::move(m_older[j]);
            ++kept;
        }
    }
    m_older.resize(kept);

    // Walk both sorted lists: newer points that replace a stored one mark their minute.
    m_fresh.clear();
    size_t i = 0;
    for (const SeriesPoint &p : newer) {
        while (i < m_older.size() && m_older[i].tsMs < p.tsMs)
            ++i;
        if (i < m_older.size() && m_older[i].tsMs == p.tsMs) {
            markReplaced(p.tsMs);
        } else if (!newerInRollups) {
            m_fresh.push_back(p);
        }
    }
    m_merged.clear();
    m_merged.reserve(m_older.size() + newer.size());
    m_merged.insert(m_merged.end(), m_older.begin(), m_older.end());
    m_merged.insert(m_merged.end(), newer.begin(), newer.end());
    sortAndDeduplicate(m_merged);

    if (!m_blocks.remove(oldBlocks, error)
        || (!onlySmallBlocks && !m_legacy.deleteWindow(deviceKey, metricKey, windowMs, &legacyDeleted, error))
        || (!m_merged.empty() && !m_blocks.insert(deviceKey, metricKey, windowMs, m_merged, error)))
        return false;
    if (legacyRowsMoved)
        *legacyRowsMoved = legacyDeleted;
    *blocksWritten = int((m_merged.size() + telemetry_layout::kMaxBlockPoints - 1) / telemetry_layout::kMaxBlockPoints);
    if (!m_fresh.empty()) {
        // Minutes about to be recomputed get their fresh points from the recomputation.
        std::erase_if(m_fresh, [&](const SeriesPoint &p) {
            return replacedMinutes.contains(telemetry_layout::bucketStart(p.tsMs, telemetry_layout::kMinuteMs));
        });
        if (!m_rollups.add(deviceKey, metricKey, m_fresh, error))
            return false;
    }
    return replacedMinutes.isEmpty() || m_rollups.recomputeMinutes(deviceKey, metricKey, replacedMinutes, m_merged, error);
}

} // namespace fd
