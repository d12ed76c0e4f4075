#pragma once

#include "core/storage/history_query.h"
#include "core/storage/history_request.h"

#include <QObject>
#include <QString>

#include <memory>

namespace fd {

// Reads history off the calling (GUI) thread: a worker thread with its own read-only
// connection to the cache runs the requests in order and delivers each result with
// finished() on the thread this object lives in. request() returns at once.
// The connection is opened on first use; the file must already have the current schema
// (FleetSession / StorageWriter migrate it when they open it).
class HistoryReader : public QObject
{
    Q_OBJECT
public:
    explicit HistoryReader(QObject *parent = nullptr);
    ~HistoryReader() override;  // waits for the running query, drops the queued ones

    void setDatabasePath(const QString &path);
    QString databasePath() const;
    void setThresholds(const HistoryQuery::Thresholds &thresholds);

    // Queues a read; returns its id (also in the result).
    quint64 request(HistoryRequest request);
    // A cancelled request that has not started is skipped (no finished() for it).
    void cancel(quint64 id);
    // Cancels everything queued before this call.
    void cancelAll();

signals:
    void finished(const fd::HistoryResult &result);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
