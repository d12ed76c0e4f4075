#include "core/ota/rollout_table.h"

#include "core/operations/operations_transaction.h"
#include "core/storage/sql_statement.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <sqlite3.h>

namespace fd {
namespace {

constexpr int kUidAttempts = 8;

constexpr const char kRolloutColumns[] =
    "SELECT id, uid, name, artifact_id, state, plan, targets, current_wave, state_reason, created_ms, created_by,"
    " started_ms, finished_ms, updated_ms FROM rollouts ";

constexpr const char kDeviceColumns[] =
    "SELECT rollout_id, source, device_path, device_id, model, from_version, wave, position, state, attempt, job_id,"
    " progress, reason, to_version, dispatched_ms, updated_ms FROM rollout_devices ";

QString orEmpty(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString newUid()
{
    return QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

// A row we wrote ourselves may still be damaged or from a newer version: never crash,
// keep what can be read and fall back on safe values.
Rollout rowToRollout(const SqlStatement &st)
{
    Rollout r;
    r.id = st.columnInt64(0);
    r.uid = st.columnText(1);
    r.name = st.columnText(2);
    r.artifactId = st.columnText(3);
    r.state = rolloutStateFromKey(st.columnText(4)).value_or(RolloutState::Paused);
    QString planError;
    r.plan = RolloutPlan::fromJsonBytes(st.columnView(5), &planError).value_or(RolloutPlan{});
    r.targetsJson = st.columnText(6);
    r.currentWave = int(st.columnInt64(7));
    r.stateReason = st.columnText(8);
    if (!planError.isEmpty() && !isTerminal(r.state)) {
        // Never run on a plan that is not the one stored: hold it for the operator.
        r.state = RolloutState::Paused;
        r.stateReason = RolloutTable::tr("the stored plan cannot be read (%1)").arg(planError);
    }
    r.createdMs = st.columnInt64(9);
    r.createdBy = st.columnText(10);
    r.startedMs = st.columnInt64(11);
    r.finishedMs = st.columnInt64(12);
    r.updatedMs = st.columnInt64(13);
    return r;
}

RolloutDevice rowToDevice(const SqlStatement &st)
{
    RolloutDevice d;
    d.rolloutId = st.columnInt64(0);
    d.key = DeviceKey(st.columnText(1), st.columnText(2));
    d.deviceId = st.columnText(3);
    d.model = st.columnText(4);
    d.fromVersion = st.columnText(5);
    d.wave = int(st.columnInt64(6));
    d.position = int(st.columnInt64(7));
    d.state = otaDeviceStateFromKey(st.columnText(8)).value_or(OtaDeviceState::Failed);
    d.attempt = int(st.columnInt64(9));
    d.jobId = st.columnText(10);
    d.progress = int(st.columnInt64(11));
    d.reason = st.columnText(12);
    d.toVersion = st.columnText(13);
    d.dispatchedMs = st.columnInt64(14);
    d.updatedMs = st.columnInt64(15);
    return d;
}

bool prepareDeviceWrite(sqlite3 *db, SqlStatement &st, QString *error)
{
    return st.prepare(db,
                      "INSERT OR REPLACE INTO rollout_devices(rollout_id, source, device_path, device_id, model,"
                      " from_version, wave, position, state, attempt, job_id, progress, reason, to_version,"
                      " dispatched_ms, updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                      " ?15, ?16)",
                      error);
}

// st: prepared by prepareDeviceWrite (reset by execute()).
bool writeDevice(SqlStatement &st, const RolloutDevice &d, qint64 rolloutId, qint64 nowMs, QString *error)
{
    st.bindInt64(1, rolloutId);
    st.bindText(2, orEmpty(d.key.source));
    st.bindText(3, orEmpty(d.key.path));
    st.bindText(4, orEmpty(d.deviceId));
    st.bindText(5, orEmpty(d.model));
    st.bindText(6, orEmpty(d.fromVersion));
    st.bindInt64(7, d.wave);
    st.bindInt64(8, d.position);
    st.bindText(9, otaDeviceStateKey(d.state));
    st.bindInt64(10, d.attempt);
    st.bindText(11, orEmpty(d.jobId));
    st.bindInt64(12, d.progress);
    st.bindText(13, orEmpty(d.reason));
    st.bindText(14, orEmpty(d.toVersion));
    st.bindInt64(15, d.dispatchedMs);
    st.bindInt64(16, d.updatedMs > 0 ? d.updatedMs : nowMs);
    return st.execute(error);
}

bool writeEvent(sqlite3 *db, const RolloutEvent &e, qint64 rolloutId, qint64 nowMs, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, "INSERT INTO rollout_events(rollout_id, ts_ms, kind, actor, detail) VALUES(?1, ?2, ?3, ?4, ?5)",
                    error))
        return false;
    st.bindInt64(1, rolloutId);
    st.bindInt64(2, e.tsMs > 0 ? e.tsMs : nowMs);
    st.bindText(3, orEmpty(e.kind));
    st.bindText(4, e.actor.isEmpty() ? rolloutSystemActor() : e.actor);
    st.bindText(5, orEmpty(e.detail));
    return st.execute(error);
}

QString auditJson(const Rollout &r)
{
    const QJsonObject o{{QStringLiteral("id"), double(r.id)},
                        {QStringLiteral("uid"), r.uid},
                        {QStringLiteral("name"), r.name},
                        {QStringLiteral("artifact"), r.artifactId},
                        {QStringLiteral("state"), rolloutStateKey(r.state)},
                        {QStringLiteral("current_wave"), r.currentWave},
                        {QStringLiteral("reason"), r.stateReason}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

bool audit(OperationsTransaction &tx, const RolloutEvent &e, qint64 rolloutId, const QString &before,
           const QString &after, QString *error)
{
    AuditEntry entry;
    entry.tsMs = e.tsMs;
    entry.actor = e.actor.isEmpty() ? rolloutSystemActor() : e.actor;
    entry.action = QStringLiteral("rollout.") + e.kind;
    entry.objectKind = QStringLiteral("rollout");
    entry.objectId = QString::number(rolloutId);
    entry.beforeJson = before;
    entry.afterJson = after;
    entry.detail = e.detail;
    return tx.insertAudit(entry, error) > 0;
}

bool readRollout(sqlite3 *db, qint64 id, Rollout *out, bool *found, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kRolloutColumns) + "WHERE id = ?1").constData(), error))
        return false;
    st.bindInt64(1, id);
    const int rc = st.step();
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        *out = rowToRollout(st);
    else if (rc != SQLITE_DONE) {
        *error = st.errorMessage();
        return false;
    }
    return true;
}

} // namespace

bool RolloutTable::insertRollout(OperationsTransaction &tx, Rollout *rollout, QList<RolloutDevice> *devices,
                                 QString *error)
{
    sqlite3 *db = tx.handle();
    const qint64 now = tx.nowMs();
    if (rollout->createdMs <= 0)
        rollout->createdMs = now;
    if (rollout->updatedMs <= 0)
        rollout->updatedMs = rollout->createdMs;
    if (rollout->createdBy.isEmpty())
        rollout->createdBy = rolloutSystemActor();
    for (int attempt = 0;; ++attempt) {
        rollout->uid = newUid();
        SqlStatement st;
        if (!st.prepare(db,
                        "INSERT INTO rollouts(uid, name, artifact_id, state, plan, targets, current_wave, state_reason,"
                        " created_ms, created_by, started_ms, finished_ms, updated_ms)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        error))
            return false;
        st.bindText(1, rollout->uid);
        st.bindText(2, orEmpty(rollout->name));
        st.bindText(3, orEmpty(rollout->artifactId));
        st.bindText(4, rolloutStateKey(rollout->state));
        st.bindText(5, rollout->plan.toJsonBytes());
        st.bindText(6, rollout->targetsJson.isEmpty() ? QStringLiteral("{}") : rollout->targetsJson);
        st.bindInt64(7, rollout->currentWave);
        st.bindText(8, orEmpty(rollout->stateReason));
        st.bindInt64(9, rollout->createdMs);
        st.bindText(10, rollout->createdBy);
        st.bindInt64(11, rollout->startedMs);
        st.bindInt64(12, rollout->finishedMs);
        st.bindInt64(13, rollout->updatedMs);
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            break;
        if ((rc & 0xff) == SQLITE_CONSTRAINT && attempt + 1 < kUidAttempts)
            continue;  // the random uid is taken: draw another
        *error = st.errorMessage();
        return false;
    }
    rollout->id = sqlite3_last_insert_rowid(db);
    SqlStatement write;
    if (!prepareDeviceWrite(db, write, error))
        return false;
    for (RolloutDevice &d : *devices) {
        d.rolloutId = rollout->id;
        if (d.updatedMs <= 0)
            d.updatedMs = rollout->createdMs;
        if (!writeDevice(write, d, rollout->id, now, error))
            return false;
    }
    RolloutEvent created;
    created.rolloutId = rollout->id;
    created.tsMs = rollout->createdMs;
    created.kind = QStringLiteral("created");
    created.actor = rollout->createdBy;
    created.detail = tr("%n devices, artifact %1", nullptr, int(devices->size())).arg(rollout->artifactId);
    created.operatorAction = true;
    if (!writeEvent(db, created, rollout->id, now, error))
        return false;
    tx.setResultId(rollout->id);
    return audit(tx, created, rollout->id, QString(), auditJson(*rollout), error);
}

bool RolloutTable::applyChanges(OperationsTransaction &tx, const RolloutChanges &changes, QString *error)
{
    sqlite3 *db = tx.handle();
    const qint64 now = tx.nowMs();
    qint64 rolloutId = changes.rollout ? changes.rollout->id : 0;
    if (rolloutId == 0 && !changes.devices.isEmpty())
        rolloutId = changes.devices.first().rolloutId;
    if (rolloutId == 0 && !changes.events.isEmpty())
        rolloutId = changes.events.first().rolloutId;
    if (rolloutId <= 0) {
        if (changes.isEmpty())
            return true;
        *error = tr("rollout changes without a rollout id");
        return false;
    }
    Rollout before;
    bool found = false;
    if (!readRollout(db, rolloutId, &before, &found, error))
        return false;
    if (!found) {
        *error = tr("rollout %1 does not exist").arg(rolloutId);
        return false;
    }
    if (changes.rollout) {
        const Rollout &r = *changes.rollout;
        SqlStatement st;
        if (!st.prepare(db,
                        "UPDATE rollouts SET name = ?2, state = ?3, plan = ?4, current_wave = ?5, state_reason = ?6,"
                        " started_ms = ?7, finished_ms = ?8, updated_ms = ?9 WHERE id = ?1",
                        error))
            return false;
        st.bindInt64(1, r.id);
        st.bindText(2, orEmpty(r.name));
        st.bindText(3, rolloutStateKey(r.state));
        st.bindText(4, r.plan.toJsonBytes());
        st.bindInt64(5, r.currentWave);
        st.bindText(6, orEmpty(r.stateReason));
        st.bindInt64(7, r.startedMs);
        st.bindInt64(8, r.finishedMs);
        st.bindInt64(9, r.updatedMs > 0 ? r.updatedMs : now);
        if (!st.execute(error))
            return false;
    }
    if (!changes.devices.isEmpty()) {
        SqlStatement write;
        if (!prepareDeviceWrite(db, write, error))
            return false;
        for (const RolloutDevice &d : changes.devices) {
            if (!writeDevice(write, d, rolloutId, now, error))
                return false;
        }
    }
    const QString beforeJson = auditJson(before);
    const QString afterJson = auditJson(changes.rollout ? *changes.rollout : before);
    for (const RolloutEvent &e : changes.events) {
        if (!writeEvent(db, e, rolloutId, now, error))
            return false;
        if (e.operatorAction && !audit(tx, e, rolloutId, beforeJson, afterJson, error))
            return false;
    }
    tx.setResultId(rolloutId);
    return true;
}

bool RolloutTable::loadRollout(sqlite3 *db, qint64 id, Rollout *rollout, QList<RolloutDevice> *devices, bool *found,
                               QString *error)
{
    if (!readRollout(db, id, rollout, found, error))
        return false;
    if (!*found)
        return true;
    devices->clear();
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kDeviceColumns) + "WHERE rollout_id = ?1 ORDER BY position, source, device_path")
                            .constData(),
                    error))
        return false;
    st.bindInt64(1, id);
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        devices->append(rowToDevice(st));
    }
}

bool RolloutTable::listRollouts(sqlite3 *db, QList<Rollout> *out, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, QByteArray(QByteArray(kRolloutColumns) + "ORDER BY id DESC").constData(), error))
        return false;
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        out->append(rowToRollout(st));
    }
}

bool RolloutTable::events(sqlite3 *db, qint64 rolloutId, QList<RolloutEvent> *out, QString *error, int limit)
{
    SqlStatement st;
    if (!st.prepare(db,
                    "SELECT id, rollout_id, ts_ms, kind, actor, detail FROM (SELECT * FROM rollout_events"
                    " WHERE rollout_id = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id",
                    error))
        return false;
    st.bindInt64(1, rolloutId);
    st.bindInt64(2, qMax(1, limit));
    for (;;) {
        const int rc = st.step();
        if (rc == SQLITE_DONE)
            return true;
        if (rc != SQLITE_ROW) {
            *error = st.errorMessage();
            return false;
        }
        RolloutEvent e;
        e.id = st.columnInt64(0);
        e.rolloutId = st.columnInt64(1);
        e.tsMs = st.columnInt64(2);
        e.kind = st.columnText(3);
        e.actor = st.columnText(4);
        e.detail = st.columnText(5);
        out->append(e);
    }
}

} // namespace fd
