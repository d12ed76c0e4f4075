#pragma once

#include "core/domain/series_point.h"
#include "core/storage/sql_statement.h"

#include <QList>
#include <QString>

#include <span>

namespace fd {

class Database;

// The writer's access to telemetry_blocks (schema v4): read one window of a series, write
// sorted points as blocks, delete blocks. Used on the writer thread inside a transaction its
// caller holds (BlockPacker, LegacyTelemetryMigrator, RetentionPruner).
class BlockTable
{
public:
    struct Block
    {
        qint64 id = 0;
        int count = 0;
        qint64 firstMs = 0;
        qint64 lastMs = 0;
    };

    // The newest window a series has blocks in.
    struct LatestWindow
    {
        bool found = false;
        qint64 windowMs = 0;
        qint64 newestMs = 0;  // the newest point in it
        int blocks = 0;
        int smallBlocks = 0;  // blocks under telemetry_layout::kSmallBlockPoints
    };

    explicit BlockTable(Database &db);
    bool prepare(QString *error);

    // Appends the points of the series' blocks in window (in block order: the order they
    // were written) to *points and describes the blocks in *blocks. onlySmall: only the
    // blocks under telemetry_layout::kSmallBlockPoints. A block that does not decode is
    // an error naming it (the cache is damaged).
    bool readWindow(qint64 deviceKey, qint64 metricKey, qint64 windowMs, bool onlySmall,
                    SeriesPoints *points, QList<Block> *blocks, QString *error);
    // Writes points (sorted, one window) as blocks of at most kMaxBlockPoints points.
    bool insert(qint64 deviceKey, qint64 metricKey, qint64 windowMs, std::span<const SeriesPoint> points,
                QString *error);
    bool remove(const QList<Block> &blocks, QString *error);
    bool latestWindow(qint64 deviceKey, qint64 metricKey, LatestWindow *out, QString *error);

private:
    Database &m_db;
    SqlStatement m_readWindow;
    SqlStatement m_insert;
    SqlStatement m_delete;
    SqlStatement m_latest;
};

} // namespace fd
