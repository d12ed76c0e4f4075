#include "app/ctl/operations_job_runner.h"

#include "core/operations/operations_store.h"
#include "core/storage/database.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <functional>
#include <memory>

namespace fd {
namespace {

// Runs the event loop until done() says so or the timeout; false on timeout.
bool waitUntil(const std::function<bool()> &done)
{
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(OperationsJobRunner::kTimeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

} // namespace

QString OperationsJobRunner::actor()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? QStringLiteral("fleetdeckctl") : user;
}

bool OperationsJobRunner::run(const QString &cachePath, OperationsJob job, qint64 *resultId, QString *error)
{
    // The cache first (created when missing), so that the store sits beside a real cache.
    if (!QFileInfo::exists(cachePath)) {
        Database cache;
        const Database::OpenResult created = cache.open(cachePath);
        if (!created.ok()) {
            *error = QStringLiteral("cannot create the cache %1: %2").arg(cachePath, created.message);
            return false;
        }
    }
    OperationsStore store;
    bool openDone = false;
    Database::OpenResult openResult;
    QObject::connect(&store, &OperationsStore::opened, [&](const Database::OpenResult &r) {
        openResult = r;
        openDone = true;
    });
    const QString path = OperationsStore::pathForCache(cachePath);
    store.open(path);
    if (!waitUntil([&] { return openDone; }) || !openResult.ok()) {
        *error = QStringLiteral("cannot open the operations store %1: %2")
                     .arg(path, openDone ? openResult.message : QStringLiteral("timed out"));
        return false;
    }
    bool done = false;
    bool ok = false;
    quint64 id = 0;
    QObject::connect(&store, &OperationsStore::committed, [&](quint64 jobId, qint64 rowId) {
        if (jobId != id)
            return;
        done = true;
        ok = true;
        if (resultId)
            *resultId = rowId;
    });
    QObject::connect(&store, &OperationsStore::failed, [&](quint64 jobId, const QString &reason) {
        if (jobId != id)
            return;
        done = true;
        *error = reason;  // replaced below by the job's own reason, when it gave one
    });
    // The job's own reason, without the store's "... was not saved to ..." wrapping.
    auto jobError = std::make_shared<QString>();
    OperationsJob wrapped{job.name, [run = std::move(job.run), jobError](OperationsTransaction &t, QString *e) {
                              const bool r = run(t, e);
                              if (!r)
                                  *jobError = *e;  // read after failed() arrives (queued: happens-after)
                              return r;
                          }};
    id = store.submit(std::move(wrapped), error);
    if (id == 0)
        return false;
    if (!waitUntil([&] { return done; })) {
        *error = QStringLiteral("the operations store did not answer in time");
        return false;
    }
    store.shutdown();
    if (!ok && !jobError->isEmpty())
        *error = *jobError;
    return ok;
}

} // namespace fd
