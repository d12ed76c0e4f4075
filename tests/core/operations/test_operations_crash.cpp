// kill -9 test of the operations store: a child process (operations_crash_child) records
// actions and prints each id once committed() reported it; the test kills it with SIGKILL
// after a number of confirmations and checks that the file is intact and holds every
// confirmed action. Several cycles on the same file.


#include "operations_test_support.h"

#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd::operationstest;

class TestOperationsCrash : public QObject
{
    Q_OBJECT

private slots:
    void confirmedActionsSurviveSigkill();
};

void TestOperationsCrash::confirmedActionsSurviveSigkill()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"fleet.operations.sqlite"_s);
    const QString child = QStringLiteral(FLEETDECK_BIN_DIR "/operations_crash_child");
    QSet<qint64> confirmedAll;
    constexpr int kCycles = 5;
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        QProcess process;
        process.setProcessChannelMode(QProcess::SeparateChannels);
        QByteArray buffer;
        QSet<qint64> confirmed;
        connect(&process, &QProcess::readyReadStandardOutput, this, [&] {
            buffer += process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                confirmed.insert(buffer.left(newline).toLongLong());
                buffer.remove(0, newline + 1);
            }
        });
        process.start(child, {path});
        QVERIFY2(process.waitForStarted(5000), qPrintable(process.errorString()));
        // Kill at a different point each cycle, while actions are in flight.
        const int target = 20 + cycle * 23;
        QTRY_VERIFY_WITH_TIMEOUT(confirmed.size() >= target || process.state() == QProcess::NotRunning, 10000);
        QVERIFY2(process.state() == QProcess::Running, process.readAllStandardError().constData());
        process.kill();  // SIGKILL
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::CrashExit);
        QVERIFY(confirmed.size() >= target);
        confirmedAll.unite(confirmed);

        RawDb raw(path);  // independent connection; recovers the WAL of the killed writer
        QVERIFY(raw.isOpen());
        QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{u"ok"_s});
        QSet<qint64> stored;
        for (const QString &id : raw.texts("SELECT id FROM operator_actions"))
            stored.insert(id.toLongLong());
        QSet<qint64> missing = confirmedAll;
        missing.subtract(stored);
        QVERIFY2(missing.isEmpty(), qPrintable(u"cycle %1: %2 confirmed actions missing"_s.arg(cycle).arg(missing.size())));
        // Every stored action has its audit entry (same transaction).
        QCOMPARE(raw.integer("SELECT count(*) FROM operator_actions a WHERE NOT EXISTS (SELECT 1 FROM "
                             "audit_log l WHERE l.object_kind = 'operator_action' AND l.object_id = a.id)"),
                 qint64(0));
    }
}

QTEST_GUILESS_MAIN(TestOperationsCrash)
#include "test_operations_crash.moc"
