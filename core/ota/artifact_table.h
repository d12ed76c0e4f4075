#pragma once

#include "core/ota/firmware_artifact.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's artifacts table (schema v3). insert() runs inside a job's
// transaction and audits there (object_kind "artifact", object_id the id); reads take any
// connection. No signature policy here: ArtifactImporter decides, this reads and writes.
class ArtifactTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::ArtifactTable)
public:
    // Inserts the artifact with its audit entry ("artifact.imported"). The same id already
    // there: nothing is written, *existed is set and it succeeds (a re-import). False with
    // the reason when SQLite fails.
    static bool insert(OperationsTransaction &transaction, const FirmwareArtifact &artifact, const QString &actor,
                       bool *existed, QString *error);

    static bool read(sqlite3 *db, const QString &id, FirmwareArtifact *out, bool *found, QString *error);
    // Every artifact, newest first.
    static bool list(sqlite3 *db, QList<FirmwareArtifact> *out, QString *error);

    // The JSON of an artifact for the audit log and `artifact list --json`: id, version,
    // models, notes, file_name, sha256, size, key_id, created_ms.
    static QJsonObject describe(const FirmwareArtifact &artifact);
};

} // namespace fd
