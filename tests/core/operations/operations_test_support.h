#pragma once

#include "tests/support/raw_db.h"

// Helpers shared by the operations store tests (header-only): open a store and wait for
// the result, collect the outcome of every job, look at the file with a raw connection.

#include "core/operations/operations_store.h"

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>


namespace fd::operationstest {

// Opens store at path and waits for opened(); the result, or Unreadable on timeout.
inline Database::OpenResult openStore(OperationsStore &store, const QString &path)
{
    QSignalSpy spy(&store, &OperationsStore::opened);
    store.open(path);
    if (!spy.wait(10000))
        return {Database::OpenStatus::Unreadable, QStringLiteral("opened() did not come"), 0};
    return spy.first().first().value<Database::OpenResult>();
}

// Records committed() / failed() of a store, by job id.
class JobOutcomes : public QObject
{
public:
    explicit JobOutcomes(OperationsStore &store)
    {
        connect(&store, &OperationsStore::committed, this,
                [this](quint64 id, qint64 rowId) { committed.insert(id, rowId); });
        connect(&store, &OperationsStore::failed, this,
                [this](quint64 id, const QString &reason) { failed.insert(id, reason); });
    }
    bool done(quint64 id) const { return committed.contains(id) || failed.contains(id); }

    QHash<quint64, qint64> committed;  // job id -> row id
    QHash<quint64, QString> failed;    // job id -> reason
};

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

using RawDb = fd::test::RawDb;  // tests/support/raw_db.h

} // namespace fd::operationstest
