#include "core/storage/database.h"

#include "core/storage/schema.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_log.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <sqlite3.h>

#include <mutex>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

QMutex g_checkedMutex;
QSet<QString> g_checkedFiles;  // files that passed quick_check in this process, as checkKey()

// A file is checked again once it changed on disk (size or time) since it passed.
QString checkKey(const QString &path)
{
    const QFileInfo info(path);
    return info.absoluteFilePath() + u'|' + QString::number(info.size()) + u'|'
           + QString::number(info.lastModified().toMSecsSinceEpoch());
}

bool needsQuickCheck(const QString &path)
{
    QMutexLocker lock(&g_checkedMutex);
    return !g_checkedFiles.contains(checkKey(path));
}

void markQuickChecked(const QString &path)
{
    QMutexLocker lock(&g_checkedMutex);
    g_checkedFiles.insert(checkKey(path));
}


constexpr const char kMemoryPath[] = ":memory:";
constexpr int kMaxReportedProblems = 5;

QString sqliteMessage(sqlite3 *db)
{
    return db ? QString::fromUtf8(sqlite3_errmsg(db)) : u"out of memory"_s;
}

// Reads the first column of the first row of sql as an integer.
bool queryInt(sqlite3 *db, const char *sql, int *out, QString *error)
{
    SqlStatement st;
    if (!st.prepare(db, sql, error))
        return false;
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
        *out = int(st.columnInt64(0));
        return true;
    }
    if (error)
        *error = rc == SQLITE_DONE ? u"no result"_s : st.errorMessage();
    return false;
}

// Process-wide SQLite settings, applied once before the first connection. Memory
// statistics cost a global mutex per allocation and FleetDeck does not read them.
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        if (rc != SQLITE_OK)  // SQLite was initialised by someone else first: keep defaults
            qCDebug(lcStorage) << "SQLITE_CONFIG_MEMSTATUS not applied:" << sqlite3_errstr(rc);
    });
}

} // namespace

struct Database::Impl
{
    sqlite3 *db = nullptr;
    QString path;
    bool readOnly = false;

    OpenResult fail(OpenStatus status, const QString &message, int version = 0)
    {
        qCWarning(lcStorage).noquote() << message;
        closeHandle();
        return OpenResult{status, message, version};
    }

    void closeHandle()
    {
        if (db) {
            const int rc = sqlite3_close(db);
            if (rc != SQLITE_OK) {
                // Unfinalized statements: a bug in FleetDeck. Close lazily rather than leak.
                qCWarning(lcStorage).noquote() << "closing" << path << "with open statements:"
                                               << sqliteMessage(db);
                sqlite3_close_v2(db);
            }
            db = nullptr;
        }
    }

    // The whole file, or (table non-empty) one table and its indexes.
    bool quickCheck(QStringList *problems, QString *error, const QString &table = QString())
    {
        SqlStatement st;
        const QByteArray sql = table.isEmpty() ? QByteArray("PRAGMA quick_check")
                                               : "PRAGMA quick_check(\"" + table.toUtf8() + "\")";
        if (!st.prepare(db, sql.constData(), error))
            return false;
        int rc;
        while ((rc = st.step()) == SQLITE_ROW) {
            const QString line = st.columnText(0);
            if (line != u"ok"_s && problems->size() < kMaxReportedProblems)
                problems->append(line);
        }
        if (rc != SQLITE_DONE) {
            if (error)
                *error = st.errorMessage();
            return false;
        }
        return true;
    }

    bool runStep(const MigrationStep &step, qint32 applicationId, int *version, QString *error)
    {
        auto rollback = [this] { sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr); };
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
            *error = sqliteMessage(db);
            return false;
        }
        // Another connection may have migrated while we waited for the write lock.
        int current = 0;
        if (!queryInt(db, "PRAGMA user_version", &current, error)) {
            rollback();
            return false;
        }
        if (current >= step.toVersion) {
            rollback();
            *version = current;
            return true;
        }
        char *msg = nullptr;
        if (sqlite3_exec(db, step.sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            *error = msg ? QString::fromUtf8(msg) : sqliteMessage(db);
            sqlite3_free(msg);
            rollback();
            return false;
        }
        QByteArray setVersion = "PRAGMA user_version = " + QByteArray::number(step.toVersion);
        if (applicationId != 0)  // in the step's transaction: no tables without the id
            setVersion += "; PRAGMA application_id = " + QByteArray::number(applicationId);
        SqlStatement meta;
        bool ok = sqlite3_exec(db, setVersion.constData(), nullptr, nullptr, nullptr) == SQLITE_OK
                  && meta.prepare(db,
                                  "INSERT INTO meta(key, value) VALUES('migrated_by', ?1) "
                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                  error);
        if (ok) {
            meta.bindText(1, QByteArrayLiteral("FleetDeck " FLEETDECK_VERSION));
            ok = meta.execute(error);
            meta.finalize();
        } else if (error->isEmpty()) {
            *error = sqliteMessage(db);
        }
        if (ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
            *error = sqliteMessage(db);
            ok = false;
        }
        if (!ok) {
            rollback();
            return false;
        }
        *version = step.toVersion;
        qCInfo(lcStorage).noquote() << "migrated" << path << "to schema" << step.toVersion
                                    << QStringLiteral("(%1)").arg(QString::fromUtf8(step.description));
        return true;
    }
};

Database::Database()
    : d(std::make_unique<Impl>())
{
    configureSqliteOnce();
}

Database::~Database()
{
    close();
}

Database::OpenResult Database::open(const QString &path, bool readOnly)
{
    return open(path, cacheSchema(), readOnly);
}

Database::OpenResult Database::open(const QString &path, const DatabaseSchema &schema, bool readOnly)
{
    close();
    d->path = path;
    d->readOnly = readOnly;
    const bool memory = path == QLatin1StringView(kMemoryPath);
    // "The cache file /x" / "The operations store /x": the noun of this kind of file.
    const QString kind = tr(schema.fileKind ? schema.fileKind : QT_TRANSLATE_NOOP("fd::Database", "database"));
    const QString emptyKind = tr(schema.emptyKind ? schema.emptyKind : QT_TRANSLATE_NOOP("fd::Database", "file"));
    const int knownVersion = schema.version();

    if (!memory) {
        const QFileInfo info(path);
        if (info.isDir())
            return d->fail(OpenStatus::Unreadable,
                           tr("The %1 %2 is a folder, not a file.").arg(kind, path));
        if (readOnly && !info.exists())
            return d->fail(OpenStatus::Unreadable,
                           tr("The %1 %2 does not exist.").arg(kind, path));
        const QString dir = info.absolutePath();
        if (!readOnly && !QDir(dir).exists() && !QDir().mkpath(dir))
            return d->fail(OpenStatus::Unreadable,
                           tr("Cannot create the folder %1 for the %2 %3. Check the "
                              "permissions or choose another location.")
                               .arg(dir, kind, path));
    }

    // NOMUTEX: a connection is used by one thread at a time (see the class comment), so
    // SQLite's per-call connection mutex would only cost time.
    const int flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
                      | SQLITE_OPEN_NOMUTEX;
    const QByteArray nativePath = memory ? QByteArray(kMemoryPath) : QFile::encodeName(path);
    if (sqlite3_open_v2(nativePath.constData(), &d->db, flags, nullptr) != SQLITE_OK) {
        const QString hint = readOnly ? tr("Check that the file exists and is readable.")
                                      : tr("Check that the file and its folder are writable.");
        return d->fail(OpenStatus::Unreadable,
                       tr("Cannot open the %1 %2: %3. %4")
                           .arg(kind, path, sqliteMessage(d->db), hint));
    }
    sqlite3_extended_result_codes(d->db, 1);
    sqlite3_busy_timeout(d->db, kBusyTimeoutMs);
    // SQLite quietly opens a file it may not write read-only; every commit would then fail.
    // Say so now. The folder must be writable too: the WAL and its index live beside the file.
    if (!readOnly && !memory) {
        const QString dir = QFileInfo(path).absolutePath();
        if (sqlite3_db_readonly(d->db, "main") == 1 || !QFileInfo(dir).isWritable()) {
            const bool fileReadOnly = sqlite3_db_readonly(d->db, "main") == 1;
            return d->fail(OpenStatus::ReadOnly,
                           tr("The %1 %2 cannot be written: %3 is read-only for this user. FleetDeck "
                              "saves everything it receives there; make it writable or choose another "
                              "%4. The file was left unchanged.")
                               .arg(kind, path, fileReadOnly ? tr("the file") : tr("its folder %1").arg(dir),
                                    emptyKind));
        }
    }

    // 1. Is it a database at all? Reading the header fails for any other file.
    int version = 0;
    QString error;
    if (!queryInt(d->db, "PRAGMA user_version", &version, &error)) {
        return d->fail(OpenStatus::Unreadable,
                       tr("The %1 %2 cannot be read (%3). It is not a FleetDeck "
                          "database or it is damaged. Move it aside to start with an empty "
                          "%4; the file was left unchanged.")
                           .arg(kind, path, error, emptyKind));
    }
    // 2. Is it ours? A schema with an application id wants that id (or a new, empty file);
    // a schema without one (the cache) wants none: a file with an id belongs to someone else.
    if (!memory) {
        int applicationId = 0;
        int objects = 0;
        // One statement, so one snapshot: another connection may be creating the schema
        // right now (its first migration commits tables and user_version together).
        SqlStatement header;
        bool read = header.prepare(d->db,
                                   "SELECT (SELECT user_version FROM pragma_user_version()),"
                                   " (SELECT application_id FROM pragma_application_id()),"
                                   " (SELECT count(*) FROM sqlite_master)",
                                   &error);
        if (read) {
            read = header.step() == SQLITE_ROW;
            if (read) {
                version = int(header.columnInt64(0));
                applicationId = int(header.columnInt64(1));
                objects = int(header.columnInt64(2));
            } else {
                error = header.errorMessage();
            }
        }
        header.finalize();
        if (!read) {
            return d->fail(OpenStatus::Unreadable,
                           tr("The %1 %2 cannot be read (%3). It is not a FleetDeck "
                              "database or it is damaged. Move it aside to start with an empty "
                              "%4; the file was left unchanged.")
                               .arg(kind, path, error, emptyKind));
        }
        const bool fresh = applicationId == 0 && version == 0 && objects == 0;
        // Without an id of its own (the cache), a file is ours if it is new or has a schema
        // version: any other SQLite file (user_version 0 with tables) belongs to someone else.
        const bool ours = schema.applicationId != 0 ? (applicationId == schema.applicationId || fresh)
                                                    : applicationId == 0 && (version > 0 || fresh);
        if (!ours) {
            return d->fail(OpenStatus::NotOurs,
                           tr("The file %1 is not a FleetDeck %2 (application id %3, schema %4). "
                              "Choose another file; the file was left unchanged.")
                               .arg(path, kind, u"0x"_s + QString::number(quint32(applicationId), 16))
                               .arg(version),
                           version);
        }
    }
    // 3. Never touch a file of a newer FleetDeck.
    if (version > knownVersion) {
        return d->fail(OpenStatus::NewerSchema,
                       tr("The %1 %2 was written by a newer FleetDeck (schema %3, this "
                          "version understands up to %4). Use the newer FleetDeck, or choose "
                          "another %5; the file was left unchanged.")
                           .arg(kind, path)
                           .arg(version)
                           .arg(knownVersion)
                           .arg(kind),
                       version);
    }
    // 4. Integrity, before anything is written. quick_check reads the whole file (about
    // 6 ms per MB here), so it runs once per file and process (the reader and the writer of
    // a session open the same file). Above kFullCheckMaxBytes only the tables that are not
    // bulk history are checked now (they hold the inventory, and are small); the caller runs
    // the whole-file check in the background (integrityCheckDeferred).
    bool deferred = false;
    if (!readOnly && !memory && needsQuickCheck(path)) {
        QElapsedTimer timer;
        timer.start();
        QStringList problems;
        bool checked = true;
        if (QFileInfo(path).size() <= kFullCheckMaxBytes) {
            checked = d->quickCheck(&problems, &error);
        } else {
            deferred = true;
            QStringList tables;
            SqlStatement list;
            if (!list.prepare(d->db, "SELECT name FROM sqlite_master WHERE type = 'table'", &error)) {
                checked = false;
            } else {
                while (list.step() == SQLITE_ROW)
                    tables.append(list.columnText(0));
            }
            for (const char *bulk : schema.bulkTables)
                tables.removeAll(QString::fromLatin1(bulk));
            for (const QString &table : std::as_const(tables)) {
                if (!checked || !problems.isEmpty())
                    break;
                checked = d->quickCheck(&problems, &error, table);
            }
        }
        if (!checked || !problems.isEmpty()) {
            const QString detail = problems.isEmpty() ? error : Database::summarizeProblems(problems);
            return d->fail(OpenStatus::Unreadable,
                           tr("The %1 %2 is damaged (%3). Move it aside to start with an "
                              "empty %4; the file was left unchanged.")
                               .arg(kind, path, detail, emptyKind),
                           version);
        }
        qCDebug(lcStorage) << "quick_check of" << path << (deferred ? "(small tables)" : "") << "took"
                           << timer.elapsed() << "ms";
        if (!deferred)
            markQuickChecked(path);
    }
    // 5. Connection settings.
    if (!readOnly) {
        SqlStatement mode;
        if (!mode.prepare(d->db, "PRAGMA journal_mode = WAL", &error) || mode.step() != SQLITE_ROW) {
            // WAL is a performance setting; the file still works in rollback-journal mode.
            qCWarning(lcStorage).noquote() << "cannot switch" << path << "to WAL mode:"
                                           << (error.isEmpty() ? mode.errorMessage() : error);
        } else if (!memory && mode.columnText(0) != u"wal"_s) {
            qCWarning(lcStorage).noquote() << path << "stays in journal mode" << mode.columnText(0);
        }
    }
    const char *settings = schema.synchronousFull ? "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                                                  : "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
    if (!exec(settings, &error))
        return d->fail(OpenStatus::Unreadable,
                       tr("Cannot configure the %1 %2: %3").arg(kind, path, error), version);

    // 6. Schema.
    if (readOnly) {
        if (version < knownVersion)
            return d->fail(OpenStatus::Unreadable,
                           tr("The %1 %2 has schema %3 but this FleetDeck needs %4; it "
                              "has to be opened for writing once to be upgraded.")
                               .arg(kind, path)
                               .arg(version)
                               .arg(knownVersion),
                           version);
        return OpenResult{OpenStatus::Ok, QString(), version};
    }
    OpenResult ok{OpenStatus::Ok, QString(), version};
    ok.integrityCheckDeferred = deferred;
    for (const MigrationStep &step : schema.migrations) {
        if (step.toVersion <= version)
            continue;
        if (!d->runStep(step, schema.applicationId, &version, &error)) {
            // A new file on a full disk fails here too: say what to do about it.
            const QString remedy = error.contains(u"disk is full")
                                       ? tr(" Free disk space on its drive and start again.")
                                       : QString();
            return d->fail(OpenStatus::MigrationFailed,
                           tr("Cannot upgrade the %1 %2 to schema %3 (%4): %5. The file "
                              "was left at schema %6.")
                                   .arg(kind, path)
                                   .arg(step.toVersion)
                                   .arg(QString::fromUtf8(step.description), error)
                                   .arg(version)
                               + remedy,
                           version);
        }
    }
    if (version > knownVersion) {  // a newer FleetDeck migrated it meanwhile
        return d->fail(OpenStatus::NewerSchema,
                       tr("The %1 %2 was written by a newer FleetDeck (schema %3, this "
                          "version understands up to %4).")
                           .arg(kind, path)
                           .arg(version)
                           .arg(knownVersion),
                       version);
    }
    ok.schemaVersion = version;
    return ok;
}

QString Database::summarizeProblems(const QStringList &problems)
{
    constexpr int kMaxLines = 5;
    QStringList lines;
    qsizetype total = 0;
    for (const QString &problem : problems) {
        for (const QString &line : problem.split(u'\n', Qt::SkipEmptyParts)) {
            if (line.startsWith(u"*** in database"_s))
                continue;
            ++total;
            if (lines.size() < kMaxLines)
                lines.append(line);
        }
    }
    QString text = lines.join(u"; "_s);
    if (total > lines.size())
        text += tr("; and %n more problem(s)", nullptr, int(total - lines.size()));
    return text;
}

void Database::close()
{
    d->closeHandle();
}

bool Database::isOpen() const
{
    return d->db != nullptr;
}

bool Database::isReadOnly() const
{
    return d->readOnly;
}

QString Database::path() const
{
    return d->path;
}

sqlite3 *Database::handle() const
{
    return d->db;
}

void Database::rollbackIfOpen()
{
    if (!handle() || sqlite3_get_autocommit(handle()))
        return;
    QString error;
    if (!exec("ROLLBACK", &error))
        qCWarning(lcStorage).noquote() << "rollback failed:" << error;
}

bool Database::exec(const char *sql, QString *error)
{
    if (!d->db) {
        if (error)
            *error = u"database is not open"_s;
        return false;
    }
    char *msg = nullptr;
    if (sqlite3_exec(d->db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        const QString text = msg ? QString::fromUtf8(msg) : sqliteMessage(d->db);
        sqlite3_free(msg);
        if (error)
            *error = text;
        else
            qCWarning(lcStorage).noquote() << "SQL failed on" << d->path << ":" << text;
        return false;
    }
    return true;
}

QString Database::moveAside(const QString &path, QString *error)
{
    auto failWith = [error](const QString &message) {
        qCWarning(lcStorage).noquote() << message;
        if (error)
            *error = message;
        return QString();
    };
    if (path.isEmpty() || path == QLatin1StringView(kMemoryPath))
        return failWith(tr("There is no cache file to move aside."));
    if (!QFileInfo::exists(path))
        return failWith(tr("Cannot move the cache file %1 aside: it does not exist.").arg(path));

    const QString stamp = QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
    const QString base = path + u".broken-"_s + stamp;
    QString target = base;
    auto taken = [](const QString &name) {
        return QFileInfo::exists(name) || QFileInfo::exists(name + u"-wal"_s)
               || QFileInfo::exists(name + u"-shm"_s);
    };
    for (int i = 2; taken(target); ++i)
        target = base + u'-' + QString::number(i);

    if (!QFile::rename(path, target))
        return failWith(tr("Cannot rename the cache file %1 to %2. Check the folder's "
                           "permissions.")
                            .arg(path, target));
    // SQLite finds a WAL next to the database by name, so keep the pair together.
    QStringList moved;
    for (const QString &suffix : {u"-wal"_s, u"-shm"_s}) {
        const QString from = path + suffix;
        if (!QFileInfo::exists(from))
            continue;
        if (!QFile::rename(from, target + suffix)) {
            // Undo, so the database and its WAL are not separated.
            bool undone = QFile::rename(target, path);
            for (const QString &s : std::as_const(moved))
                undone = QFile::rename(target + s, path + s) && undone;
            if (!undone)
                qCCritical(lcStorage).noquote() << "could not undo moving" << path << "to" << target;
            return failWith(tr("Cannot rename %1 to %2; the cache file was left in place.")
                                .arg(from, target + suffix));
        }
        moved.append(suffix);
    }
    qCInfo(lcStorage).noquote() << "moved" << path << "aside to" << target;
    return target;
}

} // namespace fd
