#pragma once

#include "core/ota/release_key_record.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's release_keys table (schema v3). Writes run inside a job's
// transaction and audit themselves there (object_kind "release_key", object_id the name);
// reads take any connection (the worker's, or a read-only one of fleetdeckctl).
class ReleaseKeyTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::ReleaseKeyTable)
public:
    // Inserts a key and its audit entry ("release_key.created" for a key with a private
    // part, "release_key.imported" for a trusted public key). Refuses an invalid name, a
    // name or key id already known, a public PEM that does not match the key id, a
    // passphrase key without its encrypted PEM; false with the reason.
    static bool insert(OperationsTransaction &transaction, const ReleaseKeyRecord &key, const QString &actor,
                       QString *error);
    // Deletes a key by name with its audit entry ("release_key.deleted"); false if unknown.
    static bool remove(OperationsTransaction &transaction, const QString &name, const QString &actor, QString *error);

    static bool read(sqlite3 *db, const QString &name, ReleaseKeyRecord *out, bool *found, QString *error);
    // Every key, by name.
    static bool list(sqlite3 *db, QList<ReleaseKeyRecord> *out, QString *error);

    // The JSON of a key for the audit log and `keys list --json` (never the private PEM).
    static QString describeJson(const ReleaseKeyRecord &key);
};

} // namespace fd
