#include "app/ctl/device_delete_command.h"

#include "app/ctl/device_lookup.h"

#include "core/operations/operations_store.h"
#include "core/storage/database.h"
#include "core/storage/device_deleter.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>


namespace fd {

namespace {

// The store answers through signals on this thread: run its events until job is done.
bool waitForJob(OperationsStore &store, quint64 job, qint64 *rowId, QString *error)
{
    QEventLoop loop;
    bool committed = false;
    const auto onCommitted = QObject::connect(&store, &OperationsStore::committed, &loop,
                                              [&](quint64 id, qint64 row) {
                                                  if (id != job)
                                                      return;
                                                  committed = true;
                                                  *rowId = row;
                                                  loop.quit();
                                              });
    const auto onFailed = QObject::connect(&store, &OperationsStore::failed, &loop,
                                           [&](quint64 id, const QString &reason) {
                                               if (id != job)
                                                   return;
                                               *error = reason;
                                               loop.quit();
                                           });
    loop.exec();
    QObject::disconnect(onCommitted);
    QObject::disconnect(onFailed);
    return committed;
}

Database::OpenResult openStore(OperationsStore &store, const QString &path)
{
    QEventLoop loop;
    Database::OpenResult result;
    QObject::connect(&store, &OperationsStore::opened, &loop, [&](const Database::OpenResult &r) {
        result = r;
        loop.quit();
    });
    store.open(path);
    loop.exec();
    return result;
}

QString operatorName()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? QStringLiteral("operator") : user;
}

} // namespace

int DeviceDeleteCommand::run(const QString &cachePath, const QString &name, const QString &source, QTextStream &out,
                             QTextStream &err)
{
    const char *const prefix = "fleetdeckctl devices: ";
    Database db;
    const Database::OpenResult opened = db.open(cachePath);
    if (!opened.ok()) {
        err << prefix << opened.message << '\n';
        return 2;
    }
    int exitCode = 0;
    const std::optional<DeviceKey> found =
        DeviceLookup::find(db, name, source, cachePath, prefix, "; nothing was deleted", err, &exitCode);
    if (!found)
        return exitCode;
    const DeviceKey device = *found;
    QString error;

    // Recorded before it is done, as in the GUI: an action that cannot be audited is not taken.
    OperationsStore store;
    const Database::OpenResult storeOpened = openStore(store, OperationsStore::pathForCache(cachePath));
    if (!storeOpened.ok()) {
        err << prefix << "the deletion cannot be recorded: " << storeOpened.message << "; nothing was deleted\n";
        return 2;
    }
    OperatorAction action;
    action.actor = operatorName();
    action.kind = QStringLiteral("device.delete");
    action.source = device.source;
    action.devicePath = device.path;
    action.payloadJson = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("devices"),
                                   QJsonArray{QJsonObject{{QStringLiteral("source"), device.source},
                                                          {QStringLiteral("path"), device.path}}}},
                                  {QStringLiteral("via"), QStringLiteral("fleetdeckctl")}})
            .toJson(QJsonDocument::Compact));
    qint64 actionId = 0;
    const quint64 job = store.recordAction(action, &error);
    if (job == 0 || !waitForJob(store, job, &actionId, &error)) {
        err << prefix << "the deletion cannot be recorded: " << error << "; nothing was deleted\n";
        return 3;
    }

    // One IMMEDIATE transaction: it waits (busy timeout) while a recorder commits, and the
    // recorder waits for it; nobody sees the device half deleted.
    DeviceDeleter deleter(db);
    DeviceDeleter::Counts counts;
    const bool deleted = deleter.prepare(&error) && db.exec("BEGIN IMMEDIATE", &error)
                         && deleter.deleteDevice(device, &counts, &error) && db.exec("COMMIT", &error);
    if (!deleted)
        db.exec("ROLLBACK");
    const QString detail =
        deleted ? QStringLiteral("deleted %1 / %2: %3 raw telemetry rows, %4 rollup rows")
                      .arg(device.source, device.path)
                      .arg(counts.rawRows)
                      .arg(counts.rollupRows)
                : QStringLiteral("deleting %1 / %2 failed: %3").arg(device.source, device.path, error);
    QString recordError;
    qint64 unused = 0;
    const quint64 outcome = store.updateAction(
        actionId, deleted ? OperatorAction::State::Succeeded : OperatorAction::State::Failed, detail, action.actor,
        &recordError);
    const bool recorded = outcome != 0 && waitForJob(store, outcome, &unused, &recordError);
    store.shutdown();
    if (!deleted) {
        err << prefix << detail << " (is another program holding the cache?)\n";
        return 3;
    }
    out << detail << '\n';
    if (!recorded) {
        err << prefix << "deleted, but the outcome could not be recorded in the audit log: " << recordError << '\n';
        return 3;
    }
    return 0;
}

} // namespace fd
