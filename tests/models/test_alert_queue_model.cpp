// The triage queue's models: AlertQueueModel (incremental inserts, updates and removals of
// open alerts, coalesced; counts; snoozes ending with the clock) and AlertFilterProxyModel
// (AlertFilter: needs attention, snoozed, grouped children, severity/status/text/source/
// site/rule; sort roles; grouping by rule or site), both under QAbstractItemModelTester.
#include "core/domain/alert_filter.h"
#include "models/alert_filter_proxy_model.h"
#include "models/alert_queue_model.h"
#include "models/alert_rule_list_model.h"
#include "models/alert_timeline_model.h"
#include "tests/models/alert_factory.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace fd;
using fd::test::makeAlert;
using fd::test::makeAlerts;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'700'000'500'000;

QList<qint64> proxyIds(const AlertFilterProxyModel &proxy)
{
    QList<qint64> ids;
    for (int row = 0; row < proxy.rowCount(); ++row)
        ids.append(proxy.alertIdAt(row));
    return ids;
}

Alert withStatus(Alert a, AlertStatus status)
{
    a.status = status;
    return a;
}

} // namespace

class TestAlertQueueModel : public QObject
{
    Q_OBJECT
private slots:
    void filterMatches_data();
    void filterMatches();
    void insertsUpdatesAndRemovesIncrementally();
    void changesAreCoalesced();
    void scatteredRemovalsAreOneLayoutChange();
    void resolvedUnknownAlertIsIgnored();
    void sortRolesGiveSensibleOrders();
    void proxyNeedsAttentionAndAllOpen();
    void proxyHidesGroupedChildrenUnlessAsked();
    void proxyFiltersByFields();
    void proxyFollowsUpdates();
    void groupingByRuleAndSite();
    void snoozeEndsWithTheClock();
    void countsPerSeverity();
    void thousandsOfAlertsStayCheap();
    void ruleListAndTimeline();
};

void TestAlertQueueModel::filterMatches_data()
{
    QTest::addColumn<Alert>("alert");
    QTest::addColumn<AlertFilter>("filter");
    QTest::addColumn<bool>("expected");

    const Alert a = makeAlert(1);  // rule-1, MAJOR, site-b, dev-00001, ActiveUnack
    AlertFilter any;
    AlertFilter all;
    all.scope = AlertFilter::Scope::AllOpen;
    QTest::newRow("active unack needs attention") << a << any << true;
    QTest::newRow("active ack needs attention") << withStatus(a, AlertStatus::ActiveAck) << any << true;
    QTest::newRow("cleared unack needs attention") << withStatus(a, AlertStatus::ClearedUnack) << any << true;
    QTest::newRow("cleared ack does not") << withStatus(a, AlertStatus::ClearedAck) << any << false;
    QTest::newRow("cleared ack is open") << withStatus(a, AlertStatus::ClearedAck) << all << true;
    Alert snoozed = a;
    snoozed.snoozedUntilMs = kNow + 60'000;
    QTest::newRow("snoozed does not") << snoozed << any << false;
    QTest::newRow("snoozed is open") << snoozed << all << true;
    Alert woke = a;
    woke.snoozedUntilMs = kNow - 1;
    QTest::newRow("snooze over") << woke << any << true;
    Alert child = a;
    child.parentId = 99;
    QTest::newRow("grouped child hidden") << child << all << false;
    AlertFilter grouped = all;
    grouped.showGrouped = true;
    QTest::newRow("grouped child asked for") << child << grouped << true;
    Alert resolved = a;
    resolved.resolved = true;
    QTest::newRow("resolved never") << resolved << all << false;
    AlertFilter severity;
    severity.severity = AlertSeverity::Major;
    QTest::newRow("severity") << a << severity << true;
    severity.severity = AlertSeverity::Critical;
    QTest::newRow("other severity") << a << severity << false;
    AlertFilter status;
    status.status = AlertStatus::ActiveAck;
    QTest::newRow("other status") << a << status << false;
    AlertFilter text;
    text.text = u"DEV-00001 above"_s;
    QTest::newRow("words in any field") << a << text << true;
    text.text = u"dev-00001 below"_s;
    QTest::newRow("every word must match") << a << text << false;
    AlertFilter site;
    site.site = u"site-b"_s;
    QTest::newRow("site") << a << site << true;
    site.site = u"site-a"_s;
    QTest::newRow("other site") << a << site << false;
    AlertFilter rule;
    rule.rule = u"rule-1"_s;
    rule.source = u"broker-a"_s;
    QTest::newRow("rule and source") << a << rule << true;
    rule.source = u"broker-b"_s;
    QTest::newRow("other source") << a << rule << false;
}

void TestAlertQueueModel::filterMatches()
{
    QFETCH(Alert, alert);
    QFETCH(AlertFilter, filter);
    QFETCH(bool, expected);
    QCOMPARE(filter.matches(alert, kNow), expected);
}

void TestAlertQueueModel::insertsUpdatesAndRemovesIncrementally()
{
    AlertQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.applyChanges(makeAlerts(10));
    QVERIFY(model.hasPendingChanges());
    QCOMPARE(model.rowCount(), 0);  // coalesced: nothing until the tick
    QTRY_COMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);  // one beginInsertRows for the batch
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 9);
    QCOMPARE(model.rowOf(3), 2);
    QCOMPARE(model.index(2, AlertQueueModel::DeviceColumn).data().toString(), u"dev-00003"_s);

    // An update: one dataChanged over that row only, with the new values.
    Alert acked = makeAlert(3);
    acked.status = AlertStatus::ActiveAck;
    acked.assignee = u"<b>alice</b>"_s;
    acked.count = 7;
    model.applyChanges({acked});
    model.flushPendingChanges();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(model.index(2, AlertQueueModel::StatusColumn).data(AlertQueueModel::StatusRole).toInt(),
             int(AlertStatus::ActiveAck));
    QCOMPARE(model.index(2, AlertQueueModel::AssigneeColumn).data().toString(), u"<b>alice</b>"_s);
    QCOMPARE(model.index(2, AlertQueueModel::CountColumn).data(AlertQueueModel::SortRole).toUInt(), 7u);

    // Resolved ones leave: contiguous rows in one removal; the others keep their data.
    QList<Alert> resolved;
    for (qint64 id : {4, 5, 9}) {
        Alert a = makeAlert(id);
        a.resolved = true;
        resolved.append(a);
    }
    model.applyChanges(resolved);
    model.flushPendingChanges();
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(removed.size(), 2);  // rows 8 and 3..4
    QCOMPARE(model.rowOf(4), -1);
    QCOMPARE(model.rowOf(6), 3);
    QCOMPARE(model.idAt(6), 10);
    QCOMPARE(model.alert(10)->device.path, u"dev-00010"_s);
    QCOMPARE(resets.size(), 0);
}

void TestAlertQueueModel::changesAreCoalesced()
{
    AlertQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    Alert a = makeAlert(1);
    model.applyChanges({a});
    a.count = 2;
    model.applyChanges({a});
    a.count = 3;
    model.applyChanges({a, makeAlert(2)});
    model.flushPendingChanges();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model.alert(1)->count, 3u);
    // A new alert that is resolved before the tick never shows.
    Alert gone = makeAlert(3);
    model.applyChanges({gone});
    gone.resolved = true;
    model.applyChanges({gone});
    model.flushPendingChanges();
    QCOMPARE(model.rowCount(), 2);
}

void TestAlertQueueModel::scatteredRemovalsAreOneLayoutChange()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilter([] {
        AlertFilter f;
        f.scope = AlertFilter::Scope::AllOpen;
        return f;
    }());
    proxy.sort(AlertQueueModel::LastSeenColumn, Qt::DescendingOrder);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.resetAlerts(makeAlerts(100));
    const QPersistentModelIndex kept = model.index(model.rowOf(51), 0);
    const QPersistentModelIndex dropped = model.index(model.rowOf(50), 0);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QList<Alert> resolved;
    for (qint64 id = 2; id <= 100; id += 2) {  // 50 scattered rows
        Alert a = makeAlert(id);
        a.resolved = true;
        resolved.append(a);
    }
    model.applyChanges(resolved);
    model.flushPendingChanges();
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(proxy.rowCount(), 50);
    QCOMPARE(layouts.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(resets.size(), 0);
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data(AlertQueueModel::AlertIdRole).toLongLong(), 51);
    QVERIFY(!dropped.isValid());
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOf(model.idAt(row)), row);
}

void TestAlertQueueModel::resolvedUnknownAlertIsIgnored()
{
    AlertQueueModel model;
    Alert a = makeAlert(1);
    a.resolved = true;
    model.resetAlerts({a, makeAlert(2)});
    QCOMPARE(model.rowCount(), 1);
    model.applyChanges({a});
    model.flushPendingChanges();
    QCOMPARE(model.rowCount(), 1);
}

void TestAlertQueueModel::sortRolesGiveSensibleOrders()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QList<Alert> alerts = makeAlerts(10);
    // Times of different digit counts: numeric, not text, order.
    alerts[0].firstTsMs = 9'000;
    alerts[1].firstTsMs = 10'000;
    alerts[2].firstTsMs = 100'000;
    alerts[3].count = 12;
    alerts[4].count = 9;
    model.resetAlerts(alerts);

    proxy.sort(AlertQueueModel::SeverityColumn, Qt::AscendingOrder);
    QList<int> severities;
    for (int row = 0; row < proxy.rowCount(); ++row)
        severities.append(proxy.index(row, 0).data(AlertQueueModel::SeverityRole).toInt());
    QVERIFY(std::is_sorted(severities.begin(), severities.end()));
    QCOMPARE(severities.first(), int(AlertSeverity::Critical));
    QCOMPARE(proxy.index(0, AlertQueueModel::SeverityColumn).data().toString(), u"Critical"_s);
    // Equal severities: the newest alert first (alert 10 before alert 5, both CRITICAL).
    QCOMPARE(proxyIds(proxy).mid(0, 2), (QList<qint64>{10, 5}));
    // A repeat (a newer last occurrence) moves no row.
    Alert repeated = alerts[4];  // id 5
    repeated.lastTsMs += 3'600'000;
    repeated.count += 1;
    model.applyChanges({repeated});
    model.flushPendingChanges();
    QCOMPARE(proxyIds(proxy).mid(0, 2), (QList<qint64>{10, 5}));

    proxy.sort(AlertQueueModel::FirstSeenColumn, Qt::AscendingOrder);
    QCOMPARE(proxyIds(proxy).mid(0, 3), (QList<qint64>{1, 2, 3}));
    proxy.sort(AlertQueueModel::CountColumn, Qt::DescendingOrder);
    QCOMPARE(proxyIds(proxy).first(), 4);
    QCOMPARE(proxy.index(0, AlertQueueModel::CountColumn).data().toString(), u"12"_s);
    proxy.sort(AlertQueueModel::DeviceColumn, Qt::DescendingOrder);
    QCOMPARE(proxyIds(proxy).first(), 10);
}

void TestAlertQueueModel::proxyNeedsAttentionAndAllOpen()
{
    AlertQueueModel model;
    model.setClock([] { return kNow; });
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QList<Alert> alerts = makeAlerts(5);
    alerts[0].status = AlertStatus::ActiveAck;
    alerts[1].status = AlertStatus::ClearedUnack;
    alerts[2].status = AlertStatus::ClearedAck;
    alerts[3].snoozedUntilMs = kNow + 3'600'000;
    model.resetAlerts(alerts);
    proxy.sort(AlertQueueModel::DeviceColumn, Qt::AscendingOrder);
    QCOMPARE(proxyIds(proxy), (QList<qint64>{1, 2, 5}));
    QVERIFY(!proxy.index(0, 0).data(AlertQueueModel::SnoozedRole).toBool());
    AlertFilter all;
    all.scope = AlertFilter::Scope::AllOpen;
    proxy.setFilter(all);
    QCOMPARE(proxyIds(proxy), (QList<qint64>{1, 2, 3, 4, 5}));
    const QModelIndex snoozed = proxy.index(proxy.rowOfAlert(4), AlertQueueModel::StatusColumn);
    QVERIFY(snoozed.data(AlertQueueModel::SnoozedRole).toBool());
    QVERIFY(snoozed.data().toString().contains(u"snoozed"_s));
    QVERIFY(snoozed.data(Qt::ToolTipRole).toString().contains(u"Snoozed until"_s));
}

void TestAlertQueueModel::proxyHidesGroupedChildrenUnlessAsked()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Alert group = makeAlert(100);
    group.device = DeviceKey(u"broker-a"_s, QString());
    group.groupKey = u"source:broker-a"_s;
    group.childCount = 2;
    group.ruleKind = AlertRuleKind::Offline;
    Alert c1 = makeAlert(101);
    c1.parentId = 100;
    Alert c2 = makeAlert(102);
    c2.parentId = 100;
    model.resetAlerts({group, c1, c2, makeAlert(1)});
    proxy.sort(AlertQueueModel::DeviceColumn, Qt::AscendingOrder);
    QCOMPARE(proxyIds(proxy).size(), 2);
    QVERIFY(proxyIds(proxy).contains(100));
    const QModelIndex groupDevice = proxy.index(proxy.rowOfAlert(100), AlertQueueModel::DeviceColumn);
    QVERIFY2(groupDevice.data().toString().startsWith(u"source broker-a (2 device"_s), qPrintable(groupDevice.data().toString()));
    QVERIFY(groupDevice.data(AlertQueueModel::IsGroupRole).toBool());
    AlertFilter f;
    f.showGrouped = true;
    proxy.setFilter(f);
    QCOMPARE(proxyIds(proxy).size(), 4);
    QCOMPARE(proxy.index(proxy.rowOfAlert(101), 0).data(AlertQueueModel::ParentIdRole).toLongLong(), 100);
    // Counts leave children out (the group stands for them).
    QCOMPARE(model.counts().totalNeedsAttention(), 2);
    QCOMPARE(model.counts().total(), 4);
}

void TestAlertQueueModel::proxyFiltersByFields()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.resetAlerts(makeAlerts(30));
    AlertFilter f;
    f.severity = AlertSeverity::Critical;  // ids 5, 10, ..., 30
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 6);
    f.site = u"site-a"_s;  // id % 3 == 0: 15, 30
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 2);
    f = {};
    f.text = u"dev-0002"_s;  // 20..29
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 10);
    f.rule = u"rule-0"_s;  // 21, 24, 27
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 3);
    QCOMPARE(model.rules(), (QStringList{u"rule-0"_s, u"rule-1"_s, u"rule-2"_s}));
    QCOMPARE(model.sites().size(), 3);
    QCOMPARE(model.sources(), QStringList{u"broker-a"_s});
}

void TestAlertQueueModel::proxyFollowsUpdates()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(AlertQueueModel::SeverityColumn, Qt::AscendingOrder);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.resetAlerts(makeAlerts(10));
    QCOMPARE(proxy.rowCount(), 10);
    // Acknowledging a cleared alert takes it out of "needs attention"; a new critical one
    // sorts to the top; a resolved one leaves.
    Alert cleared = makeAlert(2);
    cleared.status = AlertStatus::ClearedAck;
    Alert resolved = makeAlert(3);
    resolved.resolved = true;
    Alert fresh = makeAlert(20);  // CRITICAL, the newest
    model.applyChanges({cleared, resolved, fresh});
    model.flushPendingChanges();
    QCOMPARE(proxy.rowCount(), 9);
    QCOMPARE(proxy.alertIdAt(0), 20);
    QCOMPARE(proxy.rowOfAlert(2), -1);
    QCOMPARE(proxy.rowOfAlert(3), -1);
}

void TestAlertQueueModel::groupingByRuleAndSite()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.resetAlerts(makeAlerts(9));
    proxy.sort(AlertQueueModel::SeverityColumn, Qt::DescendingOrder);
    proxy.setGroupBy(AlertFilterProxyModel::GroupBy::Rule);
    QCOMPARE(proxy.groupColumn(), int(AlertQueueModel::RuleColumn));
    QStringList groups;
    QStringList texts;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QModelIndex i = proxy.index(row, AlertQueueModel::RuleColumn);
        groups.append(i.data(AlertFilterProxyModel::GroupKeyRole).toString());
        if (i.data(AlertFilterProxyModel::GroupStartRole).toBool())
            texts.append(i.data().toString());
        else
            QCOMPARE(i.data().toString(), QString());
    }
    // Groups by their worst severity (rule-0: 3, 6, 9 -> ranks 3, 1, 4: MAJOR; rule-1: 1, 4, 7
    // -> MAJOR; rule-2: 2, 5, 8 -> CRITICAL), then by name, even when the column sorts
    // descending; rows of a group stay together.
    QCOMPARE(groups, (QStringList{u"rule-2"_s, u"rule-2"_s, u"rule-2"_s, u"rule-0"_s, u"rule-0"_s, u"rule-0"_s,
                                  u"rule-1"_s, u"rule-1"_s, u"rule-1"_s}));
    QCOMPARE(texts, (QStringList{u"rule-2 (3)"_s, u"rule-0 (3)"_s, u"rule-1 (3)"_s}));
    // Inside a group: the column's order (severity descending: the least severe first).
    const int first = proxy.index(0, 0).data(AlertQueueModel::SeverityRole).toInt();
    const int second = proxy.index(1, 0).data(AlertQueueModel::SeverityRole).toInt();
    QVERIFY(first >= second);

    // A group whose worst severity rises moves up.
    Alert worse = makeAlert(4);  // rule-1, MINOR -> CRITICAL
    worse.severity = AlertSeverity::Critical;
    model.applyChanges({worse});
    model.flushPendingChanges();
    QCOMPARE(proxy.index(0, AlertQueueModel::RuleColumn).data(AlertFilterProxyModel::GroupKeyRole).toString(),
             u"rule-1"_s);
    model.applyChanges({makeAlert(4)});
    model.flushPendingChanges();

    proxy.setGroupBy(AlertFilterProxyModel::GroupBy::Site);
    // site-a: 3, 6, 9 (MAJOR best), site-b: 1, 4, 7 (MAJOR), site-c: 2, 5, 8 (CRITICAL).
    QCOMPARE(proxy.index(0, AlertQueueModel::SiteColumn).data().toString(), u"site-c (3)"_s);
    // Only the group's column is a section title: the rule reads as usual.
    QCOMPARE(proxy.index(1, AlertQueueModel::RuleColumn).data().toString(),
             proxy.index(1, AlertQueueModel::RuleColumn).data(AlertQueueModel::SortRole).toString());
    // A filter changes the group sizes.
    AlertFilter f;
    f.text = u"dev-00003"_s;
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, AlertQueueModel::SiteColumn).data().toString(), u"site-a (1)"_s);  // dev-00003
    proxy.setGroupBy(AlertFilterProxyModel::GroupBy::None);
    QCOMPARE(proxy.index(0, AlertQueueModel::SiteColumn).data().toString(), u"site-a"_s);
}

void TestAlertQueueModel::snoozeEndsWithTheClock()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Alert a = makeAlert(1);
    a.snoozedUntilMs = QDateTime::currentMSecsSinceEpoch() + 300;
    model.resetAlerts({a, makeAlert(2)});
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(model.counts().totalNeedsAttention(), 1);
    QSignalSpy counts(&model, &AlertQueueModel::countsChanged);
    QTRY_COMPARE(proxy.rowCount(), 2);  // the snooze ended: back in "needs attention"
    QCOMPARE(model.counts().totalNeedsAttention(), 2);
    QVERIFY(counts.size() >= 1);
    QVERIFY(!model.index(0, AlertQueueModel::StatusColumn).data().toString().contains(u"snoozed"_s));
}

void TestAlertQueueModel::countsPerSeverity()
{
    AlertQueueModel model;
    model.setClock([] { return kNow; });
    QSignalSpy counts(&model, &AlertQueueModel::countsChanged);
    QList<Alert> alerts = makeAlerts(10);  // two of each severity
    alerts[4].status = AlertStatus::ActiveAck;     // id 5, CRITICAL
    alerts[9].status = AlertStatus::ClearedAck;    // id 10, CRITICAL
    alerts[0].snoozedUntilMs = kNow + 60'000;      // id 1, MAJOR
    model.resetAlerts(alerts);
    QCOMPARE(counts.size(), 1);
    const AlertQueueModel::Counts c = model.counts();
    QCOMPARE(c.total(), 10);
    QCOMPARE(c.open[size_t(AlertSeverity::Critical)], 2);
    QCOMPARE(c.needsAttention[size_t(AlertSeverity::Critical)], 1);
    QCOMPARE(c.unackedActive[size_t(AlertSeverity::Critical)], 0);
    QCOMPARE(c.needsAttention[size_t(AlertSeverity::Major)], 1);
    QCOMPARE(c.unackedActive[size_t(AlertSeverity::Minor)], 2);
    QCOMPARE(c.totalUnackedActive(), 7);
    // The same counts again: no signal.
    model.applyChanges({alerts[3]});
    model.flushPendingChanges();
    QCOMPARE(counts.size(), 1);
}

void TestAlertQueueModel::thousandsOfAlertsStayCheap()
{
    AlertQueueModel model;
    AlertFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(AlertQueueModel::LastSeenColumn, Qt::DescendingOrder);
    model.resetAlerts(makeAlerts(20'000));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QElapsedTimer timer;
    timer.start();
    // 50 ticks of 200 repeats each (a busy fleet), plus new alerts and resolutions.
    for (int tick = 0; tick < 50; ++tick) {
        QList<Alert> batch;
        for (int i = 0; i < 200; ++i) {
            Alert a = makeAlert(1 + (tick * 37 + i * 101) % 19'000);  // not among the resolved ones
            a.count = quint32(tick + 2);
            a.lastTsMs += tick * 1000;
            batch.append(a);
        }
        batch.append(makeAlert(30'000 + tick));
        Alert gone = makeAlert(20'000 - tick);
        gone.resolved = true;
        batch.append(gone);
        model.applyChanges(batch);
        model.flushPendingChanges();
    }
    qInfo() << "50 ticks over 20,000 alerts:" << timer.elapsed() << "ms";
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.rowCount(), 20'000);
    QCOMPARE(proxy.rowCount(), model.counts().totalNeedsAttention());
    QVERIFY2(timer.elapsed() < 20'000, "applying changes to 20,000 alerts is too slow");
}

void TestAlertQueueModel::ruleListAndTimeline()
{
    AlertRuleListModel rules;
    QAbstractItemModelTester tester(&rules, QAbstractItemModelTester::FailureReportingMode::Fatal);
    AlertRule r;
    r.id = 7;
    r.name = u"<i>Overheat</i>"_s;
    r.metric = u"temperature"_s;
    r.threshold = 40;
    r.forMs = 10'000;
    r.scope = AlertScope::of(AlertScope::Kind::Site, u"Lyon-Nord"_s);
    rules.setRules({r});
    QCOMPARE(rules.index(0, AlertRuleListModel::NameColumn).data().toString(), u"<i>Overheat</i>"_s);
    QCOMPARE(rules.index(0, AlertRuleListModel::ScopeColumn).data().toString(), u"site Lyon-Nord"_s);
    QCOMPARE(rules.index(0, AlertRuleListModel::EnabledColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QSignalSpy toggle(&rules, &AlertRuleListModel::enabledToggleRequested);
    QVERIFY(!rules.setData(rules.index(0, AlertRuleListModel::EnabledColumn), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(toggle.size(), 1);
    QCOMPARE(toggle.at(0).at(1).toBool(), false);
    QCOMPARE(rules.index(0, AlertRuleListModel::EnabledColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(rules.rowOfRule(7), 0);

    AlertTimelineModel timeline;
    QAbstractItemModelTester timelineTester(&timeline, QAbstractItemModelTester::FailureReportingMode::Fatal);
    AlertEvent raised{1, 5, 1000, u"raised"_s, u"fleetdeck"_s, u"temperature 47 above 40"_s, u"47"_s};
    AlertEvent note{3, 5, 3000, u"note"_s, u"alice"_s, u"<script>x</script>"_s, QString()};
    AlertEvent ack{2, 5, 2000, u"acknowledged"_s, u"bob"_s, QString(), QString()};
    timeline.setEvents(5, {raised, note, ack});
    QCOMPARE(timeline.rowCount(), 3);
    QCOMPARE(timeline.index(1, AlertTimelineModel::KindColumn).data().toString(), u"Acknowledged"_s);
    QCOMPARE(timeline.index(2, AlertTimelineModel::DetailColumn).data().toString(), u"<script>x</script>"_s);
    QCOMPARE(timeline.index(0, AlertTimelineModel::DetailColumn).data().toString(),
             u"temperature 47 above 40 (value 47)"_s);
}

QTEST_GUILESS_MAIN(TestAlertQueueModel)
#include "test_alert_queue_model.moc"
