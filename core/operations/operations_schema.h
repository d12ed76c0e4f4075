#pragma once

#include "core/storage/database_schema.h"

#include <QtGlobal>

namespace fd {

// Schema of the operations store, its own SQLite file beside the telemetry cache
// (OperationsStore::pathForCache). Ordered migrations like the cache's: PRAGMA user_version
// is the version, each step runs in its own transaction; later features (alerts, rollouts,
// certificates) append steps, never edit shipped ones. PRAGMA application_id is
// kOperationsApplicationId ("FDOP"), set by step 1; synchronous=FULL.
//
// Schema v1
//   meta(key TEXT PK, value TEXT)            FleetDeck version that last migrated, ...
//   audit_log(id INTEGER PK AUTOINCREMENT, ts_ms INTEGER NOT NULL, actor TEXT NOT NULL,
//             action TEXT NOT NULL, source, device_path, object_kind, object_id,
//             before_json, after_json, detail)        append-only; index on ts_ms and on
//                                                     (source, device_path, ts_ms)
//   operator_actions(id INTEGER PK AUTOINCREMENT, ts_ms INTEGER NOT NULL,
//             actor TEXT NOT NULL, kind TEXT NOT NULL, source, device_path, payload_json,
//             state TEXT NOT NULL (OperatorAction::stateKey), result_detail,
//             updated_ms INTEGER NOT NULL)            index on (state, updated_ms)
// Later steps (v2 alerts, v3 firmware updates, v4 fleet PKI and commissioning) are
// described beside their SQL in operations_schema.cpp and in docs/architecture.md.
//
// AUTOINCREMENT: ids are never reused, so an audit entry's object_id keeps pointing at the
// action it was written for even if rows are deleted one day.
constexpr qint32 kOperationsApplicationId = 0x46444F50;  // "FDOP"

const DatabaseSchema &operationsSchema();

} // namespace fd
