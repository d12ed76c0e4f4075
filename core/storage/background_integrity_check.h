#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace fd {

// PRAGMA quick_check of a whole file on its own read-only connection and thread, for files
// too big to check at open (Database::OpenResult::integrityCheckDeferred: gigabytes of
// history take minutes). finished() reports the outcome; damage is a message for the
// operator. cancel() stops the check within milliseconds (a SQLite progress handler) and
// waits for its thread; so does the destructor. The check holds one read transaction while it runs, so
// the WAL cannot be checkpointed past it until it ends.
class BackgroundIntegrityCheck : public QObject
{
    Q_OBJECT
public:
    explicit BackgroundIntegrityCheck(QObject *parent = nullptr);
    ~BackgroundIntegrityCheck() override;

    // Starts checking path (the cache); a check already running is cancelled first.
    void start(const QString &path);
    void cancel();
    bool isRunning() const;

signals:
    // From the checking thread. ok: no damage found. Otherwise message says what and where,
    // for the operator. A cancelled check reports nothing.
    void finished(bool ok, const QString &message);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
