// SourceBanner alone: one line per source that is not connected (a summary past
// kMaxLines), the countdown to the next retry, the whole reason, Retry / Connect / Edit.
#include "ui/source_banner.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestSourceBanner : public QObject
{
    Q_OBJECT
private slots:
    void linesAndActions();
    void summaryWhenMany();
};

void TestSourceBanner::linesAndActions()
{
    qint64 now = 1'700'000'000'000;
    SourceBanner banner;
    banner.setClock([&now] { return now; });
    banner.resize(900, 200);
    QVERIFY(banner.isHidden());

    const QString reason = u"cannot connect to mqtt://10.0.0.7:1883 (connection refused, unreachable or timed out) "
                           u"<b>not markup</b> and a long tail that must not be cut off"_s;
    SourceBanner::Entry lyon;
    lyon.source = u"lyon"_s;
    lyon.state = ConnectionState::Reconnecting;
    lyon.lastUpdateMs = now - 3 * 60 * 1000;
    lyon.nextRetryMs = now + 12'000;
    lyon.reason = reason;
    SourceBanner::Entry rotterdam;
    rotterdam.source = u"rotterdam"_s;
    rotterdam.state = ConnectionState::Disconnected;
    banner.setEntries({lyon, rotterdam});
    banner.show();
    QVERIFY(banner.isVisible());
    QVERIFY2(banner.headline(u"lyon"_s).startsWith(u"Not connected to lyon — last update "_s),
             qPrintable(banner.headline(u"lyon"_s)));
    QVERIFY(banner.headline(u"lyon"_s).contains(u"(3 min ago) — retrying in 12 s"_s));
    QCOMPARE(banner.reasonText(u"lyon"_s), reason);  // whole, word-wrapped, plain text
    QCOMPARE(banner.headline(u"rotterdam"_s), u"Disconnected from rotterdam — no update received"_s);
    QCOMPARE(banner.actionButton(u"lyon"_s)->text(), u"Retry"_s);
    QCOMPARE(banner.actionButton(u"rotterdam"_s)->text(), u"Connect"_s);
    QVERIFY(banner.summaryText().isEmpty());

    // The countdown follows the clock (ticks once a second while shown).
    now += 5000;
    QTRY_VERIFY_WITH_TIMEOUT(banner.headline(u"lyon"_s).endsWith(u"retrying in 7 s"_s), 3000);

    QSignalSpy retry(&banner, &SourceBanner::retryRequested);
    QSignalSpy connectAgain(&banner, &SourceBanner::connectRequested);
    QSignalSpy edit(&banner, &SourceBanner::editRequested);
    QTest::mouseClick(banner.actionButton(u"lyon"_s), Qt::LeftButton);
    QTest::mouseClick(banner.actionButton(u"rotterdam"_s), Qt::LeftButton);
    QTest::mouseClick(banner.editButton(u"lyon"_s), Qt::LeftButton);
    QCOMPARE(retry.size(), 1);
    QCOMPARE(retry.at(0).at(0).toString(), u"lyon"_s);
    QCOMPARE(connectAgain.size(), 1);
    QCOMPARE(connectAgain.at(0).at(0).toString(), u"rotterdam"_s);
    QCOMPARE(edit.size(), 1);

    // A failed source is not retried on its own.
    lyon.state = ConnectionState::Failed;
    lyon.nextRetryMs = 0;
    banner.setEntries({lyon, rotterdam});
    QVERIFY(banner.headline(u"lyon"_s).endsWith(u"not retrying"_s));

    banner.setEntries({});
    QVERIFY(banner.isHidden());
    QVERIFY(!banner.actionButton(u"lyon"_s));
}

void TestSourceBanner::summaryWhenMany()
{
    SourceBanner banner;
    QList<SourceBanner::Entry> entries;
    for (int i = 0; i < 6; ++i) {
        SourceBanner::Entry e;
        e.source = u"site-%1"_s.arg(i);
        e.state = ConnectionState::Reconnecting;
        entries.append(e);
    }
    banner.setEntries(entries);
    QVERIFY(banner.actionButton(u"site-2"_s));
    QVERIFY(!banner.actionButton(u"site-3"_s));
    QVERIFY2(banner.summaryText().contains(u"not connected: site-3, site-4, site-5"_s),
             qPrintable(banner.summaryText()));
    // Four fit without a summary (a summary line for one source would save nothing).
    entries.resize(4);
    banner.setEntries(entries);
    QVERIFY(banner.actionButton(u"site-3"_s));
    QVERIFY(banner.summaryText().isEmpty());
}

QTEST_MAIN(TestSourceBanner)
#include "test_source_banner.moc"
