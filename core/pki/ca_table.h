#pragma once

#include "core/pki/ca_record.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the pki_authorities table. Writes audit themselves in the job's transaction
// (object_kind "certificate_authority", object_id the name).
class CaTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::CaTable)
public:
    // Inserts a CA with its audit entry ("certificate_authority.created", or ".imported"
    // with imported). Refuses an invalid name or one that exists; returns the id (0 with
    // *error).
    static qint64 insert(OperationsTransaction &transaction, const CaRecord &ca, bool imported, const QString &actor,
                         QString *error);
    // Increments crl_number and returns the new number (0 with *error); audited
    // ("certificate_authority.crl_written").
    static qint64 nextCrlNumber(OperationsTransaction &transaction, const QString &name, const QString &actor,
                                QString *error);

    // The CA named name; with an empty name the first one (by id).
    static bool read(sqlite3 *db, const QString &name, CaRecord *out, bool *found, QString *error);
    static bool list(sqlite3 *db, QList<CaRecord> *out, QString *error);

    static QString describeJson(const CaRecord &ca);
};

} // namespace fd
