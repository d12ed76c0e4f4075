#include "core/operations/operations_schema.h"

#include <QCoreApplication>

#include <array>

namespace fd {
namespace {

constexpr const char kOperationsV1[] = R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms       INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    source      TEXT,
    device_path TEXT,
    object_kind TEXT,
    object_id   TEXT,
    before_json TEXT,
    after_json  TEXT,
    detail      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log(ts_ms);
CREATE INDEX audit_log_by_device ON audit_log(source, device_path, ts_ms);

CREATE TABLE operator_actions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms         INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    source        TEXT,
    device_path   TEXT,
    payload_json  TEXT,
    state         TEXT NOT NULL,
    result_detail TEXT,
    updated_ms    INTEGER NOT NULL
);
CREATE INDEX operator_actions_by_state ON operator_actions(state, updated_ms);
)sql";

constexpr std::array<MigrationStep, 1> kSteps = {{
    {1, "create operations schema v1 (audit log, operator actions)", kOperationsV1},
}};

} // namespace

const DatabaseSchema &operationsSchema()
{
    static const DatabaseSchema schema{
        kSteps,
        kOperationsApplicationId,
        true,
        QT_TRANSLATE_NOOP("fd::Database", "operations store"),
        QT_TRANSLATE_NOOP("fd::Database", "operations store"),
        {},  // no bulk tables: small, checked whole at open
    };
    return schema;
}

} // namespace fd
