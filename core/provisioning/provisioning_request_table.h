#pragma once

#include "core/provisioning/provisioning_request_record.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's provisioning_requests table (schema v4). Writes run inside
// a job's transaction and audit themselves there (object_kind "provisioning_request",
// object_id the row id, actions "provisioning_request.received" / ".accepted" /
// ".rejected" / ".expired"); reads take any connection.
class ProvisioningRequestTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::ProvisioningRequestTable)
public:
    // Inserts the request (record->id is set). False with *nonceClash when the nonce is
    // known already (a replay: nothing is written), or with *error.
    static bool insert(OperationsTransaction &tx, ProvisioningRequestRecord *record, const QString &actor,
                       QString *error, bool *nonceClash = nullptr);
    // A pending request decided: state, reason, certificate; audited with before/after. False
    // if the row is unknown or not pending any more.
    static bool decide(OperationsTransaction &tx, qint64 id, ProvisioningRequestRecord::State state,
                       const QString &reasonKey, const QString &reason, const QString &certSerial,
                       const QString &actor, QString *error);
    // Pending requests received before cutoffMs become expired (audited each); their ids.
    static bool expirePending(OperationsTransaction &tx, qint64 cutoffMs, const QString &actor, QList<qint64> *expired,
                              QString *error);

    static bool nonceExists(sqlite3 *db, const QString &nonce, bool *exists, QString *error);
    // A pending request of that kind for the serial (enroll) or device id (rotate).
    static bool pendingFor(sqlite3 *db, ProvisioningRequestRecord::Kind kind, const QString &serialOrDeviceId,
                           bool *exists, QString *error);
    static bool byId(sqlite3 *db, qint64 id, ProvisioningRequestRecord *out, bool *found, QString *error);
    static bool pending(sqlite3 *db, QList<ProvisioningRequestRecord> *out, QString *error);
    // The newest `limit` requests, newest first.
    static bool list(sqlite3 *db, QList<ProvisioningRequestRecord> *out, QString *error, int limit = 1000);
    // The serial of the device's accepted enrollment (rotation rows carry it), or empty.
    static bool enrolledSerialOf(sqlite3 *db, const QString &deviceId, QString *serial, QString *error);

    // The JSON of a row for the audit log and `provision list --json` (no CSR, no claim hash).
    static QString describeJson(const ProvisioningRequestRecord &record);
};

} // namespace fd
