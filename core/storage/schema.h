#pragma once

#include "core/storage/database_schema.h"

#include <span>

namespace fd {

// Schema of the FleetDeck cache and the ordered migrations that build it. PRAGMA
// user_version holds the schema version; Database::open() runs every step whose version is
// above the file's, each in its own transaction, and refuses files newer than it knows.
//
// Schema v1
//   meta(key TEXT PK, value TEXT)                          app version that last migrated, ...
//   devices(id TEXT PK, name, model, fw_version, site, online, last_seen_ms,
//           last_telemetry_ms, last_seq, message_count, updated_ms)   WITHOUT ROWID
//   device_metrics(device_id -> devices, metric TEXT, value REAL, PK(device_id, metric))
//   device_rejects(device_id -> devices, reason TEXT (rejectReasonKey()), count,
//                  PK(device_id, reason))
//   device_keys(id INTEGER PK, device_id TEXT UNIQUE)     numeric key of a device id
//   metrics(id INTEGER PK, name TEXT UNIQUE)               interned metric names
//   series(device_key, metric_key, PK(device_key, metric_key))   one row per time series
//   telemetry(device_key, metric_key, ts_ms, value REAL, PK(device_key, metric_key, ts_ms))
//            WITHOUT ROWID
//
// Design of raw telemetry: one row per metric value, keyed by small integers instead of
// strings, so a row is ~20 bytes. The table is clustered (WITHOUT ROWID) on
// (device, metric, time): a chart's query "one metric of one device between t0 and t1" is
// one index seek plus a contiguous scan, and there is no second b-tree to maintain on
// insert. device_keys is separate from devices so telemetry can be stored before (or
// without) a device's status. A second value at the same (device, metric, ts) replaces
// the first. NULL values stand for NaN (SQLite cannot store NaN). telemetry has no
// foreign keys on purpose: a check per row would cost insert speed; keys come from
// device_keys / metrics and are written in the same transaction.
// series lists the existing (device, metric) pairs: retention walks it and deletes each
// series' old range with an index seek in bounded chunks (no full scan, short write
// locks), and it is the natural place for per-series state of later rollups.
//
// Schema v2 adds rollups of the raw rows, same key shape, one row per series and bucket:
//   telemetry_1m(device_key, metric_key, bucket_ms, min, max, sum, count) WITHOUT ROWID
//   telemetry_1h(device_key, metric_key, bucket_ms, min, max, sum, count) WITHOUT ROWID
// bucket_ms = ts_ms - ts_ms % 60000 (resp. 3600000); mean = sum / count; NULL (NaN) raw
// values are not counted. The writer updates both in the transaction that inserts the raw
// rows (see BatchCommitter), so a rollup always equals the aggregate of the raw rows it
// covers while those exist; rollups have their own, longer retention, so long views keep
// working after raw rows are pruned. The migration fills them from existing raw rows.
//
// Schema v3 identifies devices by (source, path); v4 stores raw telemetry in compressed
// blocks (schema.cpp has the details of each step).
//
// Schema v5 adds devices.tags TEXT NOT NULL DEFAULT '': the device's tags joined by U+001F
// (joinTags(), core/domain/device_tags.h); '' = no tags.
// All steps in ascending order; the last one's toVersion is Database::kSchemaVersion.
std::span<const MigrationStep> schemaMigrations();

// The cache as Database::open() sees it: schemaMigrations(), no application id,
// synchronous=NORMAL, called "cache file".
const DatabaseSchema &cacheSchema();

} // namespace fd
