#include "core/storage/history_reader.h"

#include "core/storage/database.h"
#include "core/storage/storage_log.h"

#include <QMutex>
#include <QPointer>
#include <QSet>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

// Lives on the worker thread; owns the connection.
class HistoryWorker : public QObject
{
public:
    Database db;
    std::unique_ptr<HistoryQuery> query;
    QString openedPath;

    HistoryResult run(const HistoryRequest &request, const QString &path,
                      const HistoryQuery::Thresholds &thresholds)
    {
        if (!query || openedPath != path) {
            query.reset();
            const Database::OpenResult opened = db.open(path, true);
            if (!opened.ok()) {
                HistoryResult failed;
                failed.id = request.id;
                failed.fromMs = request.fromMs;
                failed.toMs = request.toMs;
                failed.series = request.series;
                for (qsizetype i = 0; i < request.series.size(); ++i)
                    failed.rows.append(TelemetryBuckets());
                failed.error = opened.message;
                return failed;
            }
            openedPath = path;
            query = std::make_unique<HistoryQuery>(db);
        }
        return query->run(request, thresholds);
    }
};

} // namespace

struct HistoryReader::Impl
{
    QThread thread;
    HistoryWorker *worker = nullptr;  // deleted on the worker thread when it finishes
    mutable QMutex mutex;
    QString path;
    HistoryQuery::Thresholds thresholds;
    QSet<quint64> cancelled;
    quint64 cancelBelow = 0;  // every id <= this is cancelled
    std::atomic<quint64> nextId{1};

    bool isCancelled(quint64 id)
    {
        QMutexLocker lock(&mutex);
        return id <= cancelBelow || cancelled.remove(id);
    }
};

HistoryReader::HistoryReader(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
    qRegisterMetaType<fd::HistoryResult>();
    d->thread.setObjectName(u"fleetdeck-history"_s);
    d->worker = new HistoryWorker;
    d->worker->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    d->thread.start();
}

HistoryReader::~HistoryReader()
{
    cancelAll();
    d->thread.quit();
    d->thread.wait();
}

void HistoryReader::setDatabasePath(const QString &path)
{
    QMutexLocker lock(&d->mutex);
    d->path = path;
}

QString HistoryReader::databasePath() const
{
    QMutexLocker lock(&d->mutex);
    return d->path;
}

void HistoryReader::setThresholds(const HistoryQuery::Thresholds &thresholds)
{
    QMutexLocker lock(&d->mutex);
    d->thresholds = thresholds;
}

quint64 HistoryReader::request(HistoryRequest request)
{
    request.id = d->nextId++;
    const quint64 id = request.id;
    QPointer<HistoryReader> self(this);
    Impl *impl = d.get();
    HistoryWorker *worker = d->worker;
    QMetaObject::invokeMethod(
        worker,
        [self, impl, worker, request] {
            // The reader waits for this thread in its destructor, so impl is alive here.
            if (impl->isCancelled(request.id))
                return;
            QString path;
            HistoryQuery::Thresholds thresholds;
            {
                QMutexLocker lock(&impl->mutex);
                path = impl->path;
                thresholds = impl->thresholds;
            }
            HistoryResult result = worker->run(request, path, thresholds);
            if (!result.error.isEmpty())
                qCWarning(lcStorage).noquote() << result.error;
            if (impl->isCancelled(request.id))
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, result = std::move(result)] {
                    if (self)
                        emit self->finished(result);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

void HistoryReader::cancel(quint64 id)
{
    QMutexLocker lock(&d->mutex);
    if (id > d->cancelBelow)
        d->cancelled.insert(id);
}

void HistoryReader::cancelAll()
{
    QMutexLocker lock(&d->mutex);
    d->cancelBelow = d->nextId.load() - 1;
    d->cancelled.clear();
}

} // namespace fd
