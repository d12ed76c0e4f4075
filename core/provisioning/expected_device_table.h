#pragma once

#include "core/provisioning/expected_device.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's expected_devices table (schema v4). Writes run inside a
// job's transaction and audit themselves there (object_kind "expected_device").
class ExpectedDeviceTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::ExpectedDeviceTable)
public:
    struct ImportResult
    {
        int added = 0;
        int updated = 0;          // expected devices whose row was replaced
        int skippedEnrolled = 0;  // enrolled devices are never reset by an import
    };
    // Adds or replaces expected devices (an enrolled one is kept as it is), with one audit
    // entry for the import ("expected_device.imported", object_id "import", the counts).
    static bool importAll(OperationsTransaction &tx, const QList<ExpectedDevice> &devices, const QString &actor,
                          ImportResult *result, QString *error);
    // The device is enrolled now (with the device id it got); audited with before/after.
    // False if the serial is not listed.
    static bool markEnrolled(OperationsTransaction &tx, const QString &serial, const QString &deviceId,
                             const QString &actor, QString *error);
    static bool remove(OperationsTransaction &tx, const QString &serial, const QString &actor, QString *error);

    static bool bySerial(sqlite3 *db, const QString &serial, ExpectedDevice *out, bool *found, QString *error);
    static bool list(sqlite3 *db, QList<ExpectedDevice> *out, QString *error);
    static bool counts(sqlite3 *db, int *expected, int *enrolled, QString *error);

    static QString describeJson(const ExpectedDevice &device);  // no claim hash
};

} // namespace fd
