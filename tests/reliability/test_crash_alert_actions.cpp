// Promise 1 (docs/reliability.md), alert actions: an action on an alert that the UI showed
// as done (AlertService::actionFinished ok) survives a SIGKILL of the process the next
// moment, exactly once, with its audit entry; the file passes PRAGMA integrity_check; every
// alert's row agrees with its timeline. A child process (alert_actions_child) runs the real
// alert path (OperationsStore + AlertService, alerts raised and cleared through the
// service's transitions) and acts on the open alerts without pause: acknowledge, assign,
// snooze, note, resolve -- the Alerts page's actions. It prints every action it submits (S)
// and every one the service confirmed (C); the test kills it at random moments, many times
// on one file, and checks the file with a connection of its own after each kill.

#include "tests/reliability/child_process.h"
#include "tests/reliability/integrity_check.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"

#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>

using namespace fd::test;
using namespace Qt::StringLiterals;

namespace {

const QString kActor = u"crash-operator"_s;

struct Action
{
    quint64 request = 0;
    QString kind;
    qint64 alertId = 0;
    QString detail;
};

// The S and C lines of one run of the child.
struct RunOutput
{
    QList<Action> submitted;
    QList<Action> confirmed;
};

RunOutput parse(const QByteArray &out)
{
    RunOutput r;
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() != 5 || (f[0] != "S" && f[0] != "C"))
            continue;  // the last line of a killed child may be cut short
        Action a{f[1].toULongLong(), QString::fromUtf8(f[2]), f[3].toLongLong(), QString::fromUtf8(f[4])};
        (f[0] == "S" ? r.submitted : r.confirmed).append(a);
    }
    return r;
}

// Rows of a query as lists of texts.
QList<QStringList> rows(RawDb &db, const QByteArray &sql, int columns)
{
    QList<QStringList> out;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db.handle(), sql.constData(), int(sql.size()), &st, nullptr) != SQLITE_OK) {
        out.append({u"error: "_s + QString::fromUtf8(sqlite3_errmsg(db.handle()))});
        return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        QStringList row;
        for (int c = 0; c < columns; ++c)
            row.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, c))));
        out.append(row);
    }
    sqlite3_finalize(st);
    return out;
}

QByteArray quoted(const QString &text)
{
    QString q = text;
    q.replace(u'\'', u"''"_s);
    return "'" + q.toUtf8() + "'";
}

} // namespace

class TestCrashAlertActions : public QObject
{
    Q_OBJECT

private slots:
    void confirmedAlertActionsSurviveSigkill();

private:
    // Every problem of the file after a kill; empty when it is right.
    QStringList check(const QString &path, const QList<Action> &confirmed, const QList<Action> &unconfirmed,
                      qint64 *checked);
};

QStringList TestCrashAlertActions::check(const QString &path, const QList<Action> &confirmed,
                                         const QList<Action> &unconfirmed, qint64 *checked)
{
    QStringList problems;
    RawDb db(path);
    if (!db.isOpen())
        return {u"cannot open %1"_s.arg(path)};
    // The audit log has no index on its object: read the alert entries once (a long run
    // checks thousands of actions after every kill).
    QHash<QString, qint64> audited;  // "<alert id>\t<action>\t<detail>" -> entries
    for (const QStringList &row : rows(db, "SELECT object_id, action, detail, count(*) FROM audit_log WHERE "
                                           "object_kind = 'alert' AND actor = " + quoted(kActor) + " GROUP BY 1, 2, 3", 4))
        if (row.size() == 4)
            audited.insert(row[0] + u'\t' + row[1] + u'\t' + row[2], row[3].toLongLong());
    const auto count = [&](const Action &a, const char *table) -> qint64 {
        if (qstrcmp(table, "events") == 0)
            return db.integer("SELECT count(*) FROM alert_events WHERE alert_id = " + QByteArray::number(a.alertId)
                              + " AND kind = " + quoted(a.kind) + " AND detail = " + quoted(a.detail)
                              + " AND actor = " + quoted(kActor));
        return audited.value(QString::number(a.alertId) + u"\talert."_s + a.kind + u'\t' + a.detail);
    };
    // Actions with a detail of their own (assign, snooze, note, resolve): exactly once if
    // confirmed, at most once if not.
    QHash<qint64, int> acksConfirmed;
    QHash<qint64, int> acksSubmitted;
    for (const Action &a : confirmed) {
        if (a.detail.isEmpty()) {
            ++acksConfirmed[a.alertId];
            ++acksSubmitted[a.alertId];
            continue;
        }
        const qint64 events = count(a, "events");
        const qint64 audit = count(a, "audit");
        if (events != 1 || audit != 1)
            problems.append(u"confirmed %1 %2 on alert %3: %4 timeline events, %5 audit entries"_s.arg(a.kind, a.detail)
                                .arg(a.alertId)
                                .arg(events)
                                .arg(audit));
        ++*checked;
    }
    for (const Action &a : unconfirmed) {
        if (a.detail.isEmpty()) {
            ++acksSubmitted[a.alertId];
            continue;
        }
        const qint64 events = count(a, "events");
        const qint64 audit = count(a, "audit");
        if (events > 1 || events != audit)
            problems.append(u"unconfirmed %1 %2 on alert %3: %4 timeline events, %5 audit entries"_s
                                .arg(a.kind, a.detail)
                                .arg(a.alertId)
                                .arg(events)
                                .arg(audit));
    }
    // Acknowledgements carry no detail: per alert, at least the confirmed ones, at most the
    // submitted ones.
    for (auto it = acksSubmitted.constBegin(); it != acksSubmitted.constEnd(); ++it) {
        const qint64 events = db.integer("SELECT count(*) FROM alert_events WHERE kind = 'acknowledged' AND alert_id = "
                                         + QByteArray::number(it.key()));
        const int confirmedHere = acksConfirmed.value(it.key());
        if (events < confirmedHere || events > it.value())
            problems.append(u"alert %1: %2 acknowledgements stored, %3 confirmed, %4 submitted"_s.arg(it.key())
                                .arg(events)
                                .arg(confirmedHere)
                                .arg(it.value()));
        *checked += confirmedHere;
    }
    // No operator event twice, each with its audit entry.
    const qint64 twice = db.integer(
        "SELECT count(*) FROM (SELECT alert_id, kind, detail, count(*) AS n FROM alert_events WHERE actor = "
        + quoted(kActor) + " AND detail <> '' GROUP BY alert_id, kind, detail HAVING n > 1)");
    if (twice != 0)
        problems.append(u"%1 operator events are stored more than once"_s.arg(twice));
    const qint64 unaudited = db.integer(
        "SELECT count(*) FROM (SELECT alert_id AS a, kind AS k, count(*) AS n FROM alert_events WHERE actor = "
        + quoted(kActor)
        + " GROUP BY 1, 2) e LEFT JOIN (SELECT CAST(object_id AS INTEGER) AS a, substr(action, 7) AS k, count(*) AS n"
          " FROM audit_log WHERE object_kind = 'alert' GROUP BY 1, 2) l ON l.a = e.a AND l.k = e.k"
          " WHERE l.n IS NULL OR l.n <> e.n");
    if (unaudited != 0)
        problems.append(u"%1 (alert, action) pairs differ between timeline and audit log"_s.arg(unaudited));

    // Every alert's row agrees with its timeline.
    const QList<QStringList> alerts =
        rows(db, "SELECT id, status, is_open, assignee, snoozed_until_ms, resolution, count FROM alerts", 7);
    for (const QStringList &a : alerts) {
        if (a.size() != 7) {
            problems.append(a.join(u' '));
            break;
        }
        const QByteArray id = a[0].toUtf8();
        const QList<QStringList> events =
            rows(db, "SELECT kind, detail FROM alert_events WHERE alert_id = " + id + " ORDER BY id", 2);
        bool active = false;
        bool acked = false;
        bool resolved = false;
        int occurrences = 0;
        int resolvedEvents = 0;
        QString assignee;
        QString snooze;
        QString resolution;
        for (const QStringList &e : events) {
            const QString &kind = e[0];
            if (kind == u"raised" || kind == u"reopened") {
                active = true;
                acked = false;
                ++occurrences;
            } else if (kind == u"cleared") {
                active = false;
            } else if (kind == u"acknowledged") {
                acked = true;
            } else if (kind == u"assigned") {
                assignee = e[1];
            } else if (kind == u"snoozed") {
                snooze = e[1];
            } else if (kind == u"resolved") {
                resolved = true;
                resolution = e[1];
                ++resolvedEvents;
            }
        }
        const QString status = QString::fromLatin1(active ? "ACTIVE_" : "CLEARED_") + (acked ? u"ACK"_s : u"UNACK"_s);
        const qint64 until = a[4].toLongLong();
        const QString snoozeWanted =
            until > 0 ? u"until "_s + QDateTime::fromMSecsSinceEpoch(until, Qt::UTC).toString(Qt::ISODate) : QString();
        QStringList wrong;
        if (a[1] != status)
            wrong.append(u"status %1, timeline says %2"_s.arg(a[1], status));
        if ((a[2] == u"0") != resolved || resolvedEvents > 1)
            wrong.append(u"is_open %1 with %2 resolved events"_s.arg(a[2]).arg(resolvedEvents));
        if (resolved && a[5] != resolution)
            wrong.append(u"resolution '%1', timeline '%2'"_s.arg(a[5], resolution));
        if (a[3] != assignee)
            wrong.append(u"assignee '%1', timeline '%2'"_s.arg(a[3], assignee));
        if (snooze != snoozeWanted && !(snooze.isEmpty() && until == 0))
            wrong.append(u"snoozed until %1, timeline '%2'"_s.arg(snoozeWanted, snooze));
        if (a[6].toInt() != occurrences)
            wrong.append(u"count %1, %2 occurrences in the timeline"_s.arg(a[6]).arg(occurrences));
        if (!wrong.isEmpty())
            problems.append(u"alert %1: %2"_s.arg(a[0], wrong.join(u"; "_s)));
    }
    // At most one open alert per (rule, device).
    const qint64 doubleOpen = db.integer("SELECT count(*) FROM (SELECT rule_id, source, device_path, count(*) AS n "
                                         "FROM alerts WHERE is_open = 1 GROUP BY 1, 2, 3 HAVING n > 1)");
    if (doubleOpen != 0)
        problems.append(u"%1 devices have two open alerts of one rule"_s.arg(doubleOpen));
    return problems;
}

void TestCrashAlertActions::confirmedAlertActionsSurviveSigkill()
{
    const int cycles = ReliabilityConfig::pick(10, 300);
    const quint64 seed = ReliabilityConfig::seed();
    QRandomGenerator rng(seed);
    qInfo("seed %llu, %d cycles", static_cast<unsigned long long>(seed), cycles);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"fleet.operations.sqlite"_s);

    QList<Action> confirmedAll;
    QList<Action> unconfirmedAll;
    int killedBeforeLoaded = 0;
    qint64 checkedLast = 0;
    QElapsedTimer clock;
    clock.start();
    for (int cycle = 0; cycle < cycles; ++cycle) {
        ChildProcess child(u"alert-child"_s);
        QVERIFY(child.start(ChildProcess::bin(u"alert_actions_child"_s), {path, QString::number(cycle)}));
        // A random moment: opening the store, loading the alerts, importing the rule, or
        // anywhere in the stream of actions (a few always in flight).
        const int lifeMs = 50 + int(rng.bounded(1500));
        QTest::qWait(lifeMs);
        QVERIFY2(child.isRunning(), child.standardError().right(2000).constData());
        child.killHard();
        if (!child.standardError().contains("alerts loaded"))
            ++killedBeforeLoaded;
        const RunOutput run = parse(child.standardOutput());
        QSet<quint64> confirmedHere;
        for (const Action &a : run.confirmed)
            confirmedHere.insert(a.request);
        for (const Action &a : run.submitted) {
            if (!confirmedHere.contains(a.request))
                unconfirmedAll.append(a);
        }
        confirmedAll += run.confirmed;

        const QString integrity = integrityProblems(path);
        QVERIFY2(integrity.isEmpty(), qPrintable(u"cycle %1: %2"_s.arg(cycle).arg(integrity)));
        qint64 checked = 0;
        const QStringList problems = check(path, confirmedAll, unconfirmedAll, &checked);
        QVERIFY2(problems.isEmpty(),
                 qPrintable(u"cycle %1 (killed after %2 ms):\n%3"_s.arg(cycle).arg(lifeMs).arg(problems.mid(0, 20).join(u'\n'))));
        checkedLast = checked;
    }
    QVERIFY2(confirmedAll.size() > cycles, "the child confirmed hardly any action");

    RawDb db(path);
    QJsonObject figures;
    figures.insert(u"cycles"_s, cycles);
    figures.insert(u"kills_before_alerts_loaded"_s, killedBeforeLoaded);
    figures.insert(u"actions_confirmed"_s, double(confirmedAll.size()));
    figures.insert(u"actions_checked"_s, double(checkedLast));
    figures.insert(u"actions_unconfirmed_at_kill"_s, double(unconfirmedAll.size()));
    figures.insert(u"unconfirmed_found_committed"_s,
                   double(std::count_if(unconfirmedAll.cbegin(), unconfirmedAll.cend(), [&](const Action &a) {
                       return !a.detail.isEmpty()
                           && db.integer("SELECT count(*) FROM alert_events WHERE detail = " + quoted(a.detail)) == 1;
                   })));
    figures.insert(u"alerts"_s, double(db.integer("SELECT count(*) FROM alerts")));
    figures.insert(u"alert_events"_s, double(db.integer("SELECT count(*) FROM alert_events")));
    figures.insert(u"lost"_s, 0);
    figures.insert(u"duplicates"_s, 0);
    figures.insert(u"seconds"_s, double(clock.elapsed()) / 1000.0);
    ReliabilityReport::write(u"crash_alert_actions"_s, figures);
}

QTEST_GUILESS_MAIN(TestCrashAlertActions)
#include "test_crash_alert_actions.moc"
