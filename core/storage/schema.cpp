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


// v3: devices are identified by (source, path) instead of their bare id, so two brokers
// that both carry "dev-1" keep two devices. Rows recorded before sources existed belong to
// the source "default"; their path is their id (protocol v1). Latest metric values keep
// their type (value has no column affinity: an int64 stays exact, a string stays text).
// The tables are rebuilt (SQLite cannot change a primary key in place); foreign keys are
// created against the new tables, whose renames SQLite follows.
constexpr const char kSchemaV3[] = R"sql(
CREATE TABLE devices_v3 (
    source            TEXT NOT NULL,
    path              TEXT NOT NULL,
    id                TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    fw_version        TEXT NOT NULL DEFAULT '',
    site              TEXT NOT NULL DEFAULT '',
    online            INTEGER NOT NULL DEFAULT 0,
    last_seen_ms      INTEGER NOT NULL DEFAULT 0,
    last_telemetry_ms INTEGER NOT NULL DEFAULT 0,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    message_count     INTEGER NOT NULL DEFAULT 0,
    updated_ms        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, path)
) WITHOUT ROWID;
INSERT INTO devices_v3(source, path, id, name, model, fw_version, site, online, last_seen_ms,
                       last_telemetry_ms, last_seq, message_count, updated_ms)
    SELECT 'default', id, id, name, model, fw_version, site, online, last_seen_ms,
           last_telemetry_ms, last_seq, message_count, updated_ms FROM devices;

CREATE TABLE device_metrics_v3 (
    source TEXT NOT NULL,
    path   TEXT NOT NULL,
    metric TEXT NOT NULL,
    type   INTEGER NOT NULL DEFAULT 0,
    value,
    PRIMARY KEY (source, path, metric),
    FOREIGN KEY (source, path) REFERENCES devices_v3(source, path) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO device_metrics_v3(source, path, metric, type, value)
    SELECT 'default', device_id, metric, 0, value FROM device_metrics;

CREATE TABLE device_rejects_v3 (
    source TEXT NOT NULL,
    path   TEXT NOT NULL,
    reason TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (source, path, reason),
    FOREIGN KEY (source, path) REFERENCES devices_v3(source, path) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO device_rejects_v3(source, path, reason, count)
    SELECT 'default', device_id, reason, count FROM device_rejects;

CREATE TABLE device_keys_v3 (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    path   TEXT NOT NULL,
    UNIQUE (source, path)
);
INSERT INTO device_keys_v3(id, source, path) SELECT id, 'default', device_id FROM device_keys;

CREATE TABLE series_v3 (
    device_key INTEGER NOT NULL REFERENCES device_keys_v3(id),
    metric_key INTEGER NOT NULL REFERENCES metrics(id),
    PRIMARY KEY (device_key, metric_key)
) WITHOUT ROWID;
INSERT INTO series_v3(device_key, metric_key) SELECT device_key, metric_key FROM series;

DROP TABLE device_metrics;
DROP TABLE device_rejects;
DROP TABLE devices;
DROP TABLE series;
DROP TABLE device_keys;
ALTER TABLE devices_v3 RENAME TO devices;
ALTER TABLE device_metrics_v3 RENAME TO device_metrics;
ALTER TABLE device_rejects_v3 RENAME TO device_rejects;
ALTER TABLE device_keys_v3 RENAME TO device_keys;
ALTER TABLE series_v3 RENAME TO series;
)sql";

// v4: raw telemetry as compressed blocks (issue 10). New points are appended to
// telemetry_staging, one row per device and commit whose blob holds that commit's points of
// the device (StagingRecordCodec), in append order: a commit writes a few sequential pages
// instead of one page per series. BlockPacker moves staged points into telemetry_blocks:
// one series' points of one aligned hour (window_ms) per block (SeriesBlockCodec), and
// keeps the rollups. The v3 raw table `telemetry` stays as it is: LegacyTelemetryMigrator
// converts it to blocks on the writer thread, window by window, and drops it when empty;
// until then every reader reads it too (RawSeriesReader).
constexpr const char kSchemaV4[] = R"sql(
CREATE TABLE telemetry_staging (
    seq        INTEGER PRIMARY KEY,
    device_key INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    first_ms   INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    data       BLOB NOT NULL
);

CREATE TABLE telemetry_blocks (
    id         INTEGER PRIMARY KEY,
    device_key INTEGER NOT NULL,
    metric_key INTEGER NOT NULL,
    window_ms  INTEGER NOT NULL,
    first_ms   INTEGER NOT NULL,
    last_ms    INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    data       BLOB NOT NULL
);
CREATE INDEX telemetry_blocks_series ON telemetry_blocks(device_key, metric_key, window_ms);
)sql";

// v5: device tags (the status' "tags", docs/protocol.md). One text column: the tags in the
// device's order joined by U+001F, the unit separator (joinTags() in
// core/domain/device_tags.h), which no tag contains (the protocol forbids control
// characters in tags); '' is no tags, so rows of older files have none. Chosen over a JSON
// array: no parser on the load of a million devices, and a tag is still found in SQL with
// instr(char(31) || tags || char(31), char(31) || ?1 || char(31)).
constexpr const char kSchemaV5[] = R"sql(
ALTER TABLE devices ADD COLUMN tags TEXT NOT NULL DEFAULT '';
)sql";

// v6: Sparkplug B (issue 12). stale_since_ms: the device's values are the last known ones
// since then (its death or the loss of its broker; 0: current), so the cache opens with the
// STALE marking it had. The edge node session facts shown in the inventory: bdSeq (-1:
// never born), birth and death counts, last birth and death, the last rebirth request's
// cause and time. (The BIRTH's metric definitions are not kept: a write needs a live session.)
constexpr const char kSchemaV6[] = R"sql(
ALTER TABLE devices ADD COLUMN stale_since_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN sparkplug_bdseq INTEGER NOT NULL DEFAULT -1;
ALTER TABLE devices ADD COLUMN sparkplug_births INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN sparkplug_deaths INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN sparkplug_birth_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN sparkplug_death_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN sparkplug_rebirth_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN sparkplug_rebirth_ms INTEGER NOT NULL DEFAULT 0;
)sql";

constexpr std::array<MigrationStep, 6> kSteps = {{
    {1, "create schema v1", kSchemaV1},
    {2, "add telemetry rollups per minute and hour", kSchemaV2},
    {3, "identify devices by source and path; typed latest values", kSchemaV3},
    {4, "raw telemetry in compressed blocks with an append-ordered staging table", kSchemaV4},
    {5, "device tags", kSchemaV5},
    {6, "stale marking and Sparkplug B session facts", kSchemaV6},
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
    static constexpr const char *kBulkTables[] = {"telemetry", "telemetry_1m", "telemetry_1h",
                                                      "telemetry_blocks", "telemetry_staging"};
    static const DatabaseSchema schema{
        kSteps,
        0,
        false,
        QT_TRANSLATE_NOOP("fd::Database", "cache file"),
        QT_TRANSLATE_NOOP("fd::Database", "cache"),
        kBulkTables,
    };
    return schema;
}

} // namespace fd
