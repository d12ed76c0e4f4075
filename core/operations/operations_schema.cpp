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

// v2: alerts (issue 11). One open alert per (rule, device) is enforced by a partial unique
// index; a rule's name is unique; rule states survive restarts (pending conditions).
constexpr const char kOperationsV2[] = R"sql(
CREATE TABLE alert_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    definition  TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);

CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id          INTEGER NOT NULL,
    rule_name        TEXT NOT NULL,
    rule_kind        TEXT NOT NULL,
    severity         TEXT NOT NULL,
    source           TEXT NOT NULL,
    device_path      TEXT NOT NULL,
    site             TEXT NOT NULL DEFAULT '',
    metric           TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    is_open          INTEGER NOT NULL DEFAULT 1,
    first_ts_ms      INTEGER NOT NULL,
    last_ts_ms       INTEGER NOT NULL,
    clear_ts_ms      INTEGER NOT NULL DEFAULT 0,
    ack_ts_ms        INTEGER NOT NULL DEFAULT 0,
    ack_by           TEXT NOT NULL DEFAULT '',
    assignee         TEXT NOT NULL DEFAULT '',
    snoozed_until_ms INTEGER NOT NULL DEFAULT 0,
    resolved_ts_ms   INTEGER NOT NULL DEFAULT 0,
    resolved_by      TEXT NOT NULL DEFAULT '',
    resolution       TEXT NOT NULL DEFAULT '',
    count            INTEGER NOT NULL DEFAULT 1,
    last_value       TEXT NOT NULL DEFAULT '',
    message          TEXT NOT NULL DEFAULT '',
    parent_id        INTEGER NOT NULL DEFAULT 0,
    group_key        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alerts_one_open ON alerts(rule_id, source, device_path, group_key) WHERE is_open = 1;
CREATE INDEX alerts_open ON alerts(is_open, id);
CREATE INDEX alerts_by_parent ON alerts(parent_id) WHERE parent_id <> 0;

CREATE TABLE alert_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id  INTEGER NOT NULL,
    ts_ms     INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    value     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_by_alert ON alert_events(alert_id, id);

CREATE TABLE alert_rule_state (
    rule_id     INTEGER NOT NULL,
    source      TEXT NOT NULL,
    device_path TEXT NOT NULL,
    state       TEXT NOT NULL,
    updated_ms  INTEGER NOT NULL,
    PRIMARY KEY (rule_id, source, device_path)
) WITHOUT ROWID;
)sql";

// v3: firmware updates (issue 13): release keys, signed artifacts, rollouts with their
// devices and timeline. Every rollout transition is a row change committed before it is
// acted on (docs/ota.md).
constexpr const char kOperationsV3[] = R"sql(
CREATE TABLE release_keys (
    name            TEXT PRIMARY KEY,          -- [A-Za-z0-9._-]{1,64}
    algorithm       TEXT NOT NULL,             -- 'ed25519' | 'ecdsa-p256'
    key_id          TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the DER SubjectPublicKeyInfo, first 16 chars
    public_pem      TEXT NOT NULL,
    private_pem     TEXT NOT NULL DEFAULT '',  -- encrypted PKCS#8 PEM (passphrase), '' otherwise
    private_storage TEXT NOT NULL,             -- 'passphrase' | 'keychain' | 'none' (trusted public key only)
    created_ms      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE artifacts (
    id          TEXT PRIMARY KEY,     -- first 16 hex chars of SHA-256(manifest)
    version     TEXT NOT NULL,
    models      TEXT NOT NULL,        -- JSON array of model names
    notes       TEXT NOT NULL DEFAULT '',
    file_name   TEXT NOT NULL,        -- original base name, display only
    sha256      TEXT NOT NULL,        -- lowercase hex of the file
    size        INTEGER NOT NULL,
    manifest    BLOB NOT NULL,        -- the exact signed bytes (FirmwareManifest::toBytes)
    signature   BLOB NOT NULL,        -- raw signature bytes
    key_id      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE rollouts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- the printed rollout id
    uid           TEXT NOT NULL UNIQUE,               -- 8 random hex chars; a job id is "<uid>-<attempt>"
    name          TEXT NOT NULL,
    artifact_id   TEXT NOT NULL,
    state         TEXT NOT NULL,     -- RolloutState key
    plan          TEXT NOT NULL,     -- RolloutPlan::toJson, compact
    targets       TEXT NOT NULL,     -- JSON: the target filter as given (for display)
    current_wave  INTEGER NOT NULL DEFAULT 0,
    state_reason  TEXT NOT NULL DEFAULT '',
    created_ms    INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    started_ms    INTEGER NOT NULL DEFAULT 0,
    finished_ms   INTEGER NOT NULL DEFAULT 0,
    updated_ms    INTEGER NOT NULL
);
CREATE TABLE rollout_devices (
    rollout_id    INTEGER NOT NULL,
    source        TEXT NOT NULL,
    device_path   TEXT NOT NULL,     -- DeviceKey path joined with '/'
    device_id     TEXT NOT NULL,     -- last path element (protocol v1 device id)
    model         TEXT NOT NULL DEFAULT '',
    from_version  TEXT NOT NULL DEFAULT '',
    wave          INTEGER NOT NULL,  -- 0 = canary (when the plan has one), then 1..n
    position      INTEGER NOT NULL,  -- dispatch order within the rollout
    state         TEXT NOT NULL,     -- OtaDeviceState key
    attempt       INTEGER NOT NULL DEFAULT 0,   -- jobs sent so far (0: none)
    job_id        TEXT NOT NULL DEFAULT '',
    progress      INTEGER NOT NULL DEFAULT 0,   -- 0..100
    reason        TEXT NOT NULL DEFAULT '',
    to_version    TEXT NOT NULL DEFAULT '',     -- what the device reported after UPDATED
    dispatched_ms INTEGER NOT NULL DEFAULT 0,   -- when the current attempt was committed as dispatching
    updated_ms    INTEGER NOT NULL,
    PRIMARY KEY (rollout_id, source, device_path)
) WITHOUT ROWID;
CREATE INDEX rollout_devices_by_state ON rollout_devices(rollout_id, state);
CREATE TABLE rollout_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rollout_id  INTEGER NOT NULL,
    ts_ms       INTEGER NOT NULL,
    kind        TEXT NOT NULL,       -- created, started, wave_started, paused, resumed, aborted, cancelled, completed, rollback_requested, ...
    actor       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rollout_events_by_rollout ON rollout_events(rollout_id, id);
)sql";

// v4: fleet PKI and commissioning (issue 14): the fleet CA (root + issuing intermediate),
// the certificate inventory, the expected devices of bulk pre-provisioning, every
// provisioning request (accepted or not) and the commissioning reports (docs/pki.md,
// docs/protocol.md). One step for all five tables, so there is one migration.
constexpr const char kOperationsV4[] = R"sql(
CREATE TABLE pki_authorities (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT UNIQUE NOT NULL,     -- [A-Za-z0-9._-]{1,64}
    root_pem             TEXT NOT NULL,
    intermediate_pem     TEXT NOT NULL,
    root_key_pem         TEXT,                     -- encrypted PKCS#8 (passphrase); NULL: keychain or not held (import)
    intermediate_key_pem TEXT,                     -- encrypted PKCS#8 (passphrase); NULL: keychain
    key_storage          TEXT NOT NULL,            -- 'passphrase' | 'keychain'
    created_ms           INTEGER NOT NULL,
    crl_number           INTEGER NOT NULL DEFAULT 0 -- of the last CRL written
);
CREATE TABLE certificates (
    serial             TEXT PRIMARY KEY,   -- uppercase hex, no colons (Certificate::serialHex)
    kind               TEXT NOT NULL,      -- 'device' | 'operator' | 'server' | 'bootstrap'
    common_name        TEXT NOT NULL,
    device_id          TEXT,               -- device certificates
    not_before_ms      INTEGER NOT NULL,
    not_after_ms       INTEGER NOT NULL,
    status             TEXT NOT NULL,      -- 'valid' | 'revoked' ("expired"/"expiring" derive from now)
    revoked_ms         INTEGER,
    revoke_reason      TEXT,
    replaces_serial    TEXT,
    replaced_by_serial TEXT,
    fingerprint        TEXT NOT NULL,      -- SHA-256, "AB:CD:..."
    pem                TEXT NOT NULL,
    issued_ms          INTEGER NOT NULL,
    issued_by          TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX certificates_by_device ON certificates(device_id);
CREATE INDEX certificates_by_status ON certificates(status, not_after_ms);
CREATE TABLE expected_devices (
    serial      TEXT PRIMARY KEY,
    model       TEXT NOT NULL,
    claim_hash  TEXT NOT NULL,             -- hex SHA-256(serial + ':' + claim code)
    device_id   TEXT,
    name        TEXT,
    site        TEXT,
    tags        TEXT,
    imported_ms INTEGER NOT NULL,
    state       TEXT NOT NULL,             -- 'expected' | 'enrolled'
    enrolled_ms INTEGER
) WITHOUT ROWID;
CREATE TABLE provisioning_requests (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    serial        TEXT NOT NULL,
    model         TEXT,
    nonce         TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,           -- 'enroll' | 'rotate'
    source        TEXT NOT NULL,
    device_id     TEXT,
    received_ms   INTEGER NOT NULL,
    request_ts_ms INTEGER,
    csr_pem       TEXT,
    claim_hash    TEXT,
    state         TEXT NOT NULL,           -- 'pending' | 'accepted' | 'rejected' | 'expired'
    reason_key    TEXT,
    reason        TEXT,
    cert_serial   TEXT,
    decided_ms    INTEGER,
    decided_by    TEXT
);
CREATE INDEX provisioning_requests_by_serial ON provisioning_requests(serial, id);
CREATE INDEX provisioning_requests_by_state ON provisioning_requests(state, id);
CREATE TABLE commissioning_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT NOT NULL,
    serial      TEXT,
    cert_serial TEXT,
    fingerprint TEXT,
    technician  TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    checks_json TEXT NOT NULL,
    pdf         BLOB
);
CREATE INDEX commissioning_reports_by_device ON commissioning_reports(device_id, id);
)sql";

constexpr std::array<MigrationStep, 4> kSteps = {{
    {1, "create operations schema v1 (audit log, operator actions)", kOperationsV1},
    {2, "add alerts (rules, alerts, their timeline, rule states)", kOperationsV2},
    {3, "add firmware updates (release keys, artifacts, rollouts, their devices and events)", kOperationsV3},
    {4, "add fleet PKI and commissioning (CA, certificates, expected devices, provisioning requests, reports)",
     kOperationsV4},
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
