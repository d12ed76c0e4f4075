#pragma once

#include "core/storage/storage_batch.h"

#include <QObject>
#include <QString>

#include <memory>

namespace fd {

// The single writer of the cache: its own thread and its own SQLite connection. submit() is
// thread-safe and cheap (appends to a queue); the thread commits everything queued so far in
// one transaction, so load turns into few, large transactions. Raw telemetry older than the
// retention is deleted periodically. flush() blocks until everything submitted is durable.
class StorageWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultRetentionDays = 7;

    explicit StorageWriter(QObject *parent = nullptr);
    ~StorageWriter() override;  // flushes and stops the thread

    // Opens path with its own connection and starts the thread. Returns false with error.
    bool start(const QString &path, QString *error = nullptr);
    void stop();  // flush + stop

    void submit(StorageBatch batch);
    // Blocks until everything submitted before this call is committed (or failed).
    bool flush(int timeoutMs = 10000);

    void setRetentionDays(int days);
    // Deletes raw telemetry older than now - retention; returns rows deleted (writer thread).
    void pruneNow();

    quint64 committedSamples() const;
    quint64 committedTransactions() const;

signals:
    // Emitted from the writer thread (connect queued) when a transaction fails.
    void writeFailed(const QString &message);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
