#include "core/storage/background_integrity_check.h"

#include "core/storage/database.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_log.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QThread>

#include <sqlite3.h>

#include <atomic>

namespace fd {

namespace {
constexpr int kMaxReportedProblems = 5;
} // namespace

struct BackgroundIntegrityCheck::Impl
{
    std::unique_ptr<QThread> thread;
    std::atomic<bool> cancelled{false};
};

BackgroundIntegrityCheck::BackgroundIntegrityCheck(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
}

BackgroundIntegrityCheck::~BackgroundIntegrityCheck()
{
    cancel();
}

void BackgroundIntegrityCheck::start(const QString &path)
{
    cancel();
    d->cancelled = false;
    d->thread.reset(QThread::create([this, path] {
        QElapsedTimer timer;
        timer.start();
        Database db;
        const Database::OpenResult opened = db.open(path, true);
        if (!opened.ok()) {
            if (!d->cancelled)
                emit finished(false, opened.message);
            return;
        }
        // cancel() sets the flag; SQLite polls it every few thousand VM steps and stops.
        sqlite3_progress_handler(
            db.handle(), 10000,
            [](void *flag) { return static_cast<std::atomic<bool> *>(flag)->load() ? 1 : 0; }, &d->cancelled);
        QStringList problems;
        SqlStatement st;
        QString error;
        int rc = SQLITE_ERROR;
        if (st.prepare(db.handle(), "PRAGMA quick_check", &error)) {
            while ((rc = st.step()) == SQLITE_ROW) {
                const QString line = st.columnText(0);
                if (line != QLatin1StringView("ok") && problems.size() < kMaxReportedProblems)
                    problems.append(line);
            }
            if (rc != SQLITE_DONE)
                error = st.errorMessage();
        }
        st.finalize();
        sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
        if (d->cancelled)
            return;
        if (rc == SQLITE_DONE && problems.isEmpty()) {
            qCInfo(lcStorage).noquote() << "integrity check of" << path << "ok in" << timer.elapsed() << "ms";
            emit finished(true, QString());
            return;
        }
        const QString detail = problems.isEmpty() ? error : Database::summarizeProblems(problems);
        const QString message =
            tr("The cache file %1 is damaged (%2). FleetDeck goes on with it, but damaged history may be "
               "missing or fail to save. Quit, move the file aside and start with an empty cache.")
                .arg(path, detail);
        qCWarning(lcStorage).noquote() << message;
        emit finished(false, message);
    }));
    d->thread->setObjectName(QStringLiteral("fleetdeck-integrity"));
    d->thread->start(QThread::LowPriority);
}

void BackgroundIntegrityCheck::cancel()
{
    if (!d->thread)
        return;
    d->cancelled = true;
    d->thread->wait();
    d->thread.reset();
}

bool BackgroundIntegrityCheck::isRunning() const
{
    return d->thread && d->thread->isRunning();
}

} // namespace fd
