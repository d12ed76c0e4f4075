#pragma once

#include "core/pki/certificate_filter.h"
#include "core/pki/certificate_record.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's certificates table (schema v4). Writes run inside a job's
// transaction and audit themselves there (object_kind "certificate", object_id the serial);
// reads take any connection (the worker's, or fleetdeckctl's read-only one).
class CertificateTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::CertificateTable)
public:
    // Inserts an issued certificate with its audit entry ("certificate.issued"); with
    // replacesSerial, the replaced row gets replaced_by_serial in the same transaction.
    // False on a serial clash (*serialClash set: the caller retries with a new serial) or
    // any other failure (reason in *error).
    static bool insert(OperationsTransaction &transaction, const CertificateRecord &record, const QString &actor,
                       QString *error, bool *serialClash = nullptr);
    // Marks a certificate revoked ("certificate.revoked", before/after). False if unknown or
    // revoked already.
    static bool revoke(OperationsTransaction &transaction, const QString &serial, const QString &reason, qint64 nowMs,
                       const QString &actor, QString *error);

    static bool exists(sqlite3 *db, const QString &serial, bool *found, QString *error);
    static bool bySerial(sqlite3 *db, const QString &serial, CertificateRecord *out, bool *found, QString *error);
    // Every certificate of a device, newest issued first.
    static bool forDevice(sqlite3 *db, const QString &deviceId, QList<CertificateRecord> *out, QString *error);
    static bool list(sqlite3 *db, const CertificateFilter &filter, QList<CertificateRecord> *out, QString *error);
    // Valid certificates with nowMs < not_after_ms <= nowMs + windowMs (and, with
    // includeExpired, those already expired too), soonest first.
    static bool expiring(sqlite3 *db, qint64 nowMs, qint64 windowMs, QList<CertificateRecord> *out, QString *error,
                         bool includeExpired = false);
    // (serial bytes, revoked_ms) of every revoked certificate, for FleetCa::crlPem().
    static bool revokedForCrl(sqlite3 *db, QList<QPair<QByteArray, qint64>> *out, QString *error);

    // The JSON of a row for the audit log and `pki list --json` (no PEM).
    static QString describeJson(const CertificateRecord &record);
};

} // namespace fd
