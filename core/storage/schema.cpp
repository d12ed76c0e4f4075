#include "core/storage/schema.h"

#include "core/storage/database.h"

#include <QCoreApplication>

#include <array>

namespace fd {
namespace {

constexpr const char kSchemaV1[] = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE devices (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    fw_version        TEXT NOT NULL DEFAULT '',
    site              TEXT NOT NULL DEFAULT '',
    online            INTEGER NOT NULL DEFAULT 0,
    last_seen_ms      INTEGER NOT NULL DEFAULT 0,
    last_telemetry_ms INTEGER NOT NULL DEFAULT 0,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    message_count     INTEGER NOT NULL DEFAULT 0,
    updated_ms        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE device_metrics (
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    metric    TEXT NOT NULL,
    value     REAL,
    PRIMARY KEY (device_id, metric)
) WITHOUT ROWID;

CREATE TABLE device_rejects (
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    reason    TEXT NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (device_id, reason)
) WITHOUT ROWID;

CREATE TABLE device_keys (
    id        INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL UNIQUE
);

CREATE TABLE metrics (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE series (
    device_key INTEGER NOT NULL REFERENCES device_keys(id),
    metric_key INTEGER NOT NULL REFERENCES metrics(id),
    PRIMARY KEY (device_key, metric_key)
) WITHOUT ROWID;

CREATE TABLE telemetry (
    device_key INTEGER NOT NULL,
    metric_key INTEGER NOT NULL,
    ts_ms      INTEGER NOT NULL,
    value      REAL,
    PRIMARY KEY (device_key, metric_key, ts_ms)
) WITHOUT ROWID;
)sql";

// v2: rollups per minute and per hour next to raw telemetry, maintained by the writer in
// the same transaction as the raw rows; filled from the raw rows already in the file.
constexpr const char kSchemaV2[] = R"sql(
CREATE TABLE telemetry_1m (
    device_key INTEGER NOT NULL,
    metric_key INTEGER NOT NULL,
    bucket_ms  INTEGER NOT NULL,
    min        REAL NOT NULL,
    max        REAL NOT NULL,
    sum        REAL NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (device_key, metric_key, bucket_ms)
) WITHOUT ROWID;

CREATE TABLE telemetry_1h (
    device_key INTEGER NOT NULL,
    metric_key INTEGER NOT NULL,
    bucket_ms  INTEGER NOT NULL,
    min        REAL NOT NULL,
    max        REAL NOT NULL,
    sum        REAL NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (device_key, metric_key, bucket_ms)
) WITHOUT ROWID;

INSERT INTO telemetry_1m(device_key, metric_key, bucket_ms, min, max, sum, count)
    SELECT device_key, metric_key, ts_ms - ts_ms % 60000, min(value), max(value), sum(value),
           count(value)
    FROM telemetry WHERE value IS NOT NULL
    GROUP BY device_key, metric_key, ts_ms - ts_ms % 60000;

INSERT INTO telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count)
    SELECT device_key, metric_key, bucket_ms - bucket_ms % 3600000, min(min), max(max), sum(sum),
           sum(count)
    FROM telemetry_1m
    GROUP BY device_key, metric_key, bucket_ms - bucket_ms % 3600000;
)sql";

constexpr std::array<MigrationStep, 2> kSteps = {{
    {1, "create schema v1", kSchemaV1},
    {2, "add telemetry rollups per minute and hour", kSchemaV2},
}};

static_assert(kSteps.back().toVersion == Database::kSchemaVersion,
              "the last migration step must produce Database::kSchemaVersion");

} // namespace

std::span<const MigrationStep> schemaMigrations()
{
    return kSteps;
}

const DatabaseSchema &cacheSchema()
{
    static const DatabaseSchema schema{
        kSteps,
        0,
        false,
        QT_TRANSLATE_NOOP("fd::Database", "cache file"),
        QT_TRANSLATE_NOOP("fd::Database", "cache"),
    };
    return schema;
}

} // namespace fd
