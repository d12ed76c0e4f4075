// The Triage page worked from the keyboard, over a real AlertService on a real operations
// store (temporary directory) with alerts raised as the rule engine raises them: J/K move
// the selection, Shift+J extends it; A acknowledges the selected alerts and the rows show
// "Active, acknowledged" only after the store committed (the audit log has it); S opens the
// snooze menu, E the assign prompt, N the note prompt, R the resolve prompt, and their
// answers reach the store; letters typed in the search field are text, not actions;
// refusals are shown with their reason; exports of alerts and the audit log.
#include "core/domain/alert_filter.h"
#include "core/storage/storage_writer.h"
#include "models/alert_filter_proxy_model.h"
#include "models/alert_queue_model.h"
#include "models/alert_timeline_model.h"
#include "tests/ui/alert_fixture.h"
#include "ui/alert_detail_panel.h"
#include "ui/alert_export_controller.h"
#include "ui/alert_metric_chart.h"
#include "ui/alert_text_prompt.h"
#include "ui/alert_triage_controller.h"
#include "ui/alerts_page.h"
#include "ui/critical_alert_notifier.h"
#include "ui/snooze_menu.h"
#include "widgets/filter_bar.h"
#include "widgets/telemetry_chart.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestAlertsPage : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void jkMoveTheSelection();
    void acknowledgeShowsOnlyAfterCommit();
    void bulkAcknowledgeWithShiftJ();
    void snoozeMenuFromS();
    void assignPromptFromE();
    void notePromptFromN();
    void resolvePromptFromR();
    void lettersInTheSearchAreText();
    void refusalIsShownWithItsReason();
    void detailShowsTimeline();
    void chartShowsTheMetricAroundTheAlert();
    void keysAreShown();
    void exportsAlertsAndAudit();
    void criticalNotificationsOncePerAlert();

private:
    int rowOf(const QString &device) const;
    QModelIndex statusIndex(const QString &device) const;
    void focusQueue();

    std::unique_ptr<test::AlertFixture> m_alerts;
    std::unique_ptr<AlertQueueModel> m_queue;
    std::unique_ptr<AlertsPage> m_page;
    qint64 m_rule = 0;
};

void TestAlertsPage::init()
{
    m_alerts = std::make_unique<test::AlertFixture>();
    QVERIFY(m_alerts->start());
    m_rule = m_alerts->addRule(u"Overheat"_s, AlertSeverity::Critical);
    QVERIFY(m_rule > 0);
    for (const QString &device : {u"dev-1"_s, u"dev-2"_s, u"dev-3"_s})
        QVERIFY(m_alerts->raise(m_rule, device));
    // The window's wiring (MainWindow::connectAlerts): the queue follows the service.
    m_queue = std::make_unique<AlertQueueModel>();
    m_queue->resetAlerts(m_alerts->service.openAlerts());
    connect(&m_alerts->service, &AlertService::alertsChanged, m_queue.get(), &AlertQueueModel::applyChanges);
    m_page = std::make_unique<AlertsPage>(m_queue.get(), &m_alerts->service, &m_alerts->store);
    m_page->proxy()->sort(AlertQueueModel::DeviceColumn, Qt::AscendingOrder);
    m_page->resize(1200, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    QCOMPARE(m_page->proxy()->rowCount(), 3);
}

void TestAlertsPage::cleanup()
{
    m_page.reset();
    m_queue.reset();
    m_alerts.reset();
}

int TestAlertsPage::rowOf(const QString &device) const
{
    for (int row = 0; row < m_page->proxy()->rowCount(); ++row) {
        if (m_page->proxy()->index(row, AlertQueueModel::DeviceColumn).data().toString() == device)
            return row;
    }
    return -1;
}

QModelIndex TestAlertsPage::statusIndex(const QString &device) const
{
    return m_page->proxy()->index(rowOf(device), AlertQueueModel::StatusColumn);
}

void TestAlertsPage::focusQueue()
{
    m_page->table()->setFocus();
    QTRY_VERIFY(m_page->table()->hasFocus());
}

void TestAlertsPage::jkMoveTheSelection()
{
    focusQueue();
    QTableView *table = m_page->table();
    QCOMPARE(table->currentIndex().row(), 0);  // the first alert is selected when the page shows
    QTest::keyClick(table, Qt::Key_J);
    QCOMPARE(table->currentIndex().row(), 1);
    QCOMPARE(m_page->selectedAlertIds().size(), 1);
    QTest::keyClick(table, Qt::Key_J);
    QTest::keyClick(table, Qt::Key_J);  // stays on the last row
    QCOMPARE(table->currentIndex().row(), 2);
    QTest::keyClick(table, Qt::Key_K);
    QCOMPARE(table->currentIndex().row(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(m_page->detailPanel()->fieldText(u"Device"_s), u"dev-2 (plant)"_s);
}

void TestAlertsPage::acknowledgeShowsOnlyAfterCommit()
{
    focusQueue();
    QTest::keyClick(m_page->table(), Qt::Key_J);  // dev-2
    const qint64 id = m_page->currentAlertId();
    QSignalSpy finished(&m_alerts->service, &AlertService::actionFinished);
    QTest::keyClick(m_page->table(), Qt::Key_A);
    // Asked, not yet done: the row and the feedback say so.
    QCOMPARE(statusIndex(u"dev-2"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveUnack));
    QVERIFY2(test::plural(m_page->feedbackLabel()->text()).startsWith(u"Acknowledging 1 alert"_s),
             qPrintable(m_page->feedbackLabel()->text()));
    QCOMPARE(finished.size(), 0);
    // Committed: the service says so, then the row shows it.
    QTRY_COMPARE(statusIndex(u"dev-2"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveAck));
    QCOMPARE(finished.size(), 1);
    QVERIFY(finished.constFirst().at(1).toBool());
    QCOMPARE(m_alerts->service.alert(id)->status, AlertStatus::ActiveAck);
    QCOMPARE(m_alerts->service.alert(id)->ackBy, u"tester"_s);
    QCOMPARE(statusIndex(u"dev-2"_s).data().toString(), u"Active, acknowledged"_s);
    QTRY_COMPARE(test::plural(m_page->feedbackLabel()->text()), u"Acknowledged 1 alert."_s);
    // The others are untouched; the audit log has the action.
    QCOMPARE(statusIndex(u"dev-1"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveUnack));
    QSignalSpy audit(&m_alerts->store, &OperationsStore::auditRead);
    m_alerts->store.queryAudit(AuditFilter{});
    QVERIFY(audit.wait(5000));
    const auto entries = audit.constFirst().at(1).value<QList<AuditEntry>>();
    QVERIFY(std::any_of(entries.cbegin(), entries.cend(), [](const AuditEntry &e) {
        return e.action.contains(u"acknowledge"_s) && e.actor == u"tester"_s;
    }));
    // The detail pane's timeline got the new line.
    QTRY_VERIFY(m_page->detailPanel()->timeline()->rowCount() >= 2);
    const QList<AlertEvent> events = m_page->detailPanel()->timeline()->events();
    QCOMPARE(events.constLast().kind, u"acknowledged"_s);
    // Acknowledging again does not ask the service.
    QTest::keyClick(m_page->table(), Qt::Key_A);
    QCOMPARE(test::plural(m_page->feedbackLabel()->text()), u"Already acknowledged."_s);
}

void TestAlertsPage::bulkAcknowledgeWithShiftJ()
{
    focusQueue();
    QTest::keyClick(m_page->table(), Qt::Key_J, Qt::ShiftModifier);
    QCOMPARE(m_page->selectedAlertIds().size(), 2);
    QTest::keyClick(m_page->table(), Qt::Key_A);
    QTRY_COMPARE(statusIndex(u"dev-2"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveAck));
    QCOMPARE(statusIndex(u"dev-1"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveAck));
    QCOMPARE(statusIndex(u"dev-3"_s).data(AlertQueueModel::StatusRole).toInt(), int(AlertStatus::ActiveUnack));
    QTRY_COMPARE(test::plural(m_page->feedbackLabel()->text()), u"Acknowledged 2 alerts."_s);
}

void TestAlertsPage::snoozeMenuFromS()
{
    focusQueue();
    const qint64 id = m_page->currentAlertId();
    QTest::keyClick(m_page->table(), Qt::Key_S);
    SnoozeMenu *menu = m_page->triage()->snoozeMenu();
    QTRY_VERIFY(menu->isVisible());
    QStringList entries;
    for (QAction *a : menu->actions())
        if (!a->isSeparator())
            entries.append(a->text().remove(u'&'));
    QCOMPARE(entries, (QStringList{u"15 minutes"_s, u"1 hour"_s, u"4 hours"_s, u"Until tomorrow 08:00"_s,
                                   u"Custom…"_s, u"Unsnooze"_s}));
    QVERIFY(!menu->unsnoozeAction()->isEnabled());
    menu->findChild<QAction *>(u"snooze60"_s)->trigger();
    menu->close();
    // Committed: snoozed, so it leaves the "needs attention" queue.
    QTRY_COMPARE(m_page->proxy()->rowCount(), 2);
    const qint64 until = m_alerts->service.alert(id)->snoozedUntilMs;
    QVERIFY(qAbs(until - (QDateTime::currentMSecsSinceEpoch() + 3'600'000)) < 60'000);
    QTRY_VERIFY(test::plural(m_page->feedbackLabel()->text()).startsWith(u"Snoozed 1 alert until"_s));
    // Still there among all open alerts, marked.
    m_page->scopeChoice()->setCurrentIndex(1);
    QCOMPARE(m_page->proxy()->rowCount(), 3);
    QVERIFY(statusIndex(u"dev-1"_s).data().toString().contains(u"snoozed"_s));
    // Tomorrow 08:00 is the next day's morning, local time.
    const QDateTime evening(QDate(2026, 11, 30), QTime(21, 15));
    QCOMPARE(SnoozeMenu::tomorrowMorning(evening), QDateTime(QDate(2026, 12, 1), QTime(8, 0)));
}

void TestAlertsPage::assignPromptFromE()
{
    focusQueue();
    QTest::keyClick(m_page->table(), Qt::Key_E);
    auto *prompt = qobject_cast<AlertTextPrompt *>(m_page->triage()->openPrompt());
    QVERIFY(prompt);
    QCOMPARE(prompt->objectName(), u"assignPrompt"_s);
    QTRY_VERIFY(prompt->isVisible());
    QCOMPARE(prompt->text(), u"tester"_s);  // the operator by default
    prompt->setText(u"<b>alice</b>"_s);
    prompt->okButton()->click();
    QTRY_COMPARE(m_page->proxy()->index(rowOf(u"dev-1"_s), AlertQueueModel::AssigneeColumn).data().toString(),
                 u"<b>alice</b>"_s);
    QTRY_COMPARE(m_page->detailPanel()->fieldText(u"Assignee"_s), u"<b>alice</b>"_s);
}

void TestAlertsPage::notePromptFromN()
{
    focusQueue();
    QTest::keyClick(m_page->table(), Qt::Key_N);
    auto *prompt = qobject_cast<AlertTextPrompt *>(m_page->triage()->openPrompt());
    QVERIFY(prompt);
    QCOMPARE(prompt->objectName(), u"notePrompt"_s);
    QTRY_VERIFY(prompt->isVisible());
    QVERIFY(!prompt->okButton()->isEnabled());  // an empty note is no note
    QTest::keyClicks(prompt->editor(), u"Fan replaced"_s);
    QVERIFY(prompt->okButton()->isEnabled());
    prompt->okButton()->click();
    QTRY_COMPARE(test::plural(m_page->feedbackLabel()->text()), u"Note added to 1 alert."_s);
    QTRY_VERIFY(!m_page->detailPanel()->timeline()->events().isEmpty()
                && m_page->detailPanel()->timeline()->events().constLast().kind == u"note");
    QCOMPARE(m_page->detailPanel()->timeline()->events().constLast().detail, u"Fan replaced"_s);
}

void TestAlertsPage::resolvePromptFromR()
{
    focusQueue();
    const qint64 id = m_page->currentAlertId();
    QTest::keyClick(m_page->table(), Qt::Key_R);
    auto *prompt = qobject_cast<AlertTextPrompt *>(m_page->triage()->openPrompt());
    QVERIFY(prompt);
    QCOMPARE(prompt->objectName(), u"resolvePrompt"_s);
    QVERIFY(!prompt->okButton()->isEnabled());
    prompt->setText(u"Fixed on site"_s);
    prompt->okButton()->click();
    QTRY_COMPARE(m_page->proxy()->rowCount(), 2);
    QCOMPARE(m_alerts->service.alert(id), nullptr);
    QTRY_COMPARE(test::plural(m_page->feedbackLabel()->text()), u"Resolved 1 alert."_s);
    // The current row moved on to another alert, and the pane follows it.
    QVERIFY(m_page->currentAlertId() != 0);
    QCOMPARE(m_page->detailPanel()->alertId(), m_page->currentAlertId());
}

void TestAlertsPage::lettersInTheSearchAreText()
{
    QLineEdit *search = m_page->filterBar()->searchField();
    search->setFocus();
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, u"dev-3 as"_s);
    QCOMPARE(search->text(), u"dev-3 as"_s);
    QVERIFY(m_page->triage()->openPrompt() == nullptr);
    QVERIFY(!m_page->triage()->snoozeMenu()->isVisible());
    QCOMPARE(m_page->triage()->pendingActions(), 0);
}

void TestAlertsPage::refusalIsShownWithItsReason()
{
    QSignalSpy completed(m_page->triage(), &AlertTriageController::actionCompleted);
    m_page->triage()->addNote({987654}, u"hello"_s);
    QVERIFY(completed.wait(5000));
    QCOMPARE(completed.constFirst().at(0).toBool(), false);
    QVERIFY2(test::plural(m_page->feedbackLabel()->text()).startsWith(u"Could not add the note: "_s),
             qPrintable(m_page->feedbackLabel()->text()));
    QVERIFY(test::plural(m_page->feedbackLabel()->text()).contains(u"987654"_s));
}

void TestAlertsPage::detailShowsTimeline()
{
    QTRY_COMPARE(m_page->detailPanel()->titleText(), u"Overheat"_s);
    QTRY_VERIFY(m_page->detailPanel()->timeline()->rowCount() >= 1);
    QCOMPARE(m_page->detailPanel()->timeline()->events().constFirst().kind, u"raised"_s);
    QCOMPARE(m_page->detailPanel()->fieldText(u"Site"_s), u"Lyon-Nord"_s);
    QVERIFY(m_page->detailPanel()->fieldText(u"Condition"_s).startsWith(u"temperature above 40"_s));
}

void TestAlertsPage::chartShowsTheMetricAroundTheAlert()
{
    // Two hours of temperature of dev-1 in a cache: the chart reads the part around the alert.
    const QString cache = m_alerts->dir.filePath(u"cache.sqlite"_s);
    {
        StorageWriter writer;
        QVERIFY(writer.start(cache));
        StorageBatch batch;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        Device d;
        d.source = u"plant"_s;
        d.id = d.path = u"dev-1"_s;
        d.lastSeenMs = now;
        batch.devices.append(d);
        for (int m = 0; m < 120; ++m) {
            TelemetrySample sample;
            sample.source = d.source;
            sample.deviceId = sample.path = d.id;
            sample.timestampMs = now - m * 60'000;
            sample.metrics = {MetricValue(u"temperature"_s, 30.0 + m % 20)};
            batch.samples.append(sample);
        }
        writer.submit(std::move(batch));
        QVERIFY(writer.flush());
    }
    AlertMetricChart *chart = m_page->chart();
    QSignalSpy applied(chart, &AlertMetricChart::historyApplied);
    m_page->setHistoryDatabase(cache);
    m_page->table()->setFocus();
    QTest::keyClick(m_page->table(), Qt::Key_J);  // dev-2: no history
    QTest::keyClick(m_page->table(), Qt::Key_K);  // dev-1
    QTRY_VERIFY(!applied.isEmpty() && applied.constLast().at(1).toLongLong() > 0);
    QVERIFY(chart->message().isEmpty());
    // The metric and the rule's threshold; the range: 30 min before the alert up to now.
    QCOMPARE(chart->chart()->seriesCount(), 2);
    QVERIFY(chart->chart()->seriesLabel(chart->chart()->seriesIds().at(1)).startsWith(u"threshold 40"_s));
    const Alert *alert = m_alerts->service.alert(m_page->currentAlertId());
    QVERIFY(alert);
    QCOMPARE(chart->chart()->fromMs(), alert->firstTsMs - AlertMetricChart::kMarginMs);
    QVERIFY(chart->chart()->toMs() <= QDateTime::currentMSecsSinceEpoch());
    QVERIFY(chart->chart()->title().contains(u"dev-1"_s));
}

void TestAlertsPage::keysAreShown()
{
    const QString hint = m_page->keyHint()->text();
    for (const QString &part : {u"j/k"_s, u"a acknowledge"_s, u"s snooze"_s, u"e assign"_s, u"n note"_s,
                                u"r resolve"_s})
        QVERIFY2(hint.contains(part), qPrintable(hint));
    QStringList keys;
    for (QAction *action : m_page->keyboardActions())
        keys.append(action->shortcut().toString());
    QCOMPARE(keys, (QStringList{u"J"_s, u"K"_s, u"Shift+J"_s, u"Shift+K"_s, u"A"_s, u"S"_s, u"E"_s, u"N"_s, u"R"_s}));
}

void TestAlertsPage::exportsAlertsAndAudit()
{
    AlertExportController *exports = m_page->exports();
    QSignalSpy done(exports, &AlertExportController::finished);
    const QString csv = m_alerts->dir.filePath(u"alerts.csv"_s);
    QVERIFY(exports->exportTo(AlertExportController::What::OpenAlerts, csv, AlertExportController::Format::Csv));
    QVERIFY(done.wait(5000));
    QVERIFY(done.constLast().at(1).toBool());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 4);  // header + 3 alerts
    QVERIFY(lines.constFirst().contains("rule"));
    QVERIFY(lines.at(1).contains("Overheat"));

    const QString audit = m_alerts->dir.filePath(u"audit.json"_s);
    QVERIFY(exports->exportTo(AlertExportController::What::AuditLog, audit,
                              AlertExportController::formatForPath(audit)));
    QVERIFY(done.wait(5000));
    QVERIFY(done.constLast().at(1).toBool());
    QFile auditFile(audit);
    QVERIFY(auditFile.open(QIODevice::ReadOnly));
    const QJsonArray entries = QJsonDocument::fromJson(auditFile.readAll()).array();
    QVERIFY(!entries.isEmpty());
    QVERIFY(entries.first().toObject().contains(u"actor"_s));
    QVERIFY(test::plural(m_page->feedbackLabel()->text()).startsWith(u"Exported "_s));
}

void TestAlertsPage::criticalNotificationsOncePerAlert()
{
    CriticalAlertNotifier notifier{QIcon()};
    QSignalSpy notified(&notifier, &CriticalAlertNotifier::notified);
    const auto critical = [](qint64 id) {
        Alert a;
        a.id = id;
        a.ruleName = u"<b>Overheat</b>"_s;
        a.severity = AlertSeverity::Critical;
        a.device = DeviceKey(u"plant"_s, u"dev-%1"_s.arg(id));
        a.site = u"Lyon-Nord"_s;
        a.message = u"temperature 47 above 40"_s;
        return a;
    };
    // Before the service loaded: not news.
    notifier.onAlertsChanged({critical(1)});
    QCOMPARE(notified.size(), 0);
    // At load: one summary of what is open.
    notifier.setInitial({critical(1), critical(2)});
    QCOMPARE(notified.size(), 1);
    QVERIFY(test::plural(notified.constLast().at(0).toString()).startsWith(u"2 unacknowledged critical alerts"_s));
    // A new one: once, with its rule and device as text; its repeats and a reopen: never again.
    Alert fresh = critical(3);
    notifier.onAlertsChanged({fresh});
    QCOMPARE(notified.size(), 2);
    QCOMPARE(notified.constLast().at(0).toString(), u"Critical: <b>Overheat</b>"_s);
    QVERIFY(notified.constLast().at(1).toString().startsWith(u"dev-3 at Lyon-Nord"_s));
    fresh.count = 5;
    notifier.onAlertsChanged({fresh});
    fresh.status = AlertStatus::ClearedUnack;
    notifier.onAlertsChanged({fresh});
    fresh.status = AlertStatus::ActiveUnack;
    notifier.onAlertsChanged({fresh});
    QCOMPARE(notified.size(), 2);
    // Not critical, acknowledged, snoozed or grouped: nothing. Several at once: one message.
    Alert major = critical(4);
    major.severity = AlertSeverity::Major;
    Alert acked = critical(5);
    acked.status = AlertStatus::ActiveAck;
    Alert snoozed = critical(6);
    snoozed.snoozedUntilMs = QDateTime::currentMSecsSinceEpoch() + 60'000;
    Alert child = critical(7);
    child.parentId = 99;
    notifier.onAlertsChanged({major, acked, snoozed, child});
    QCOMPARE(notified.size(), 2);
    notifier.onAlertsChanged({critical(8), critical(9), critical(10), critical(11)});
    QCOMPARE(notified.size(), 3);
    QVERIFY(test::plural(notified.constLast().at(0).toString()).startsWith(u"4 new critical alerts"_s));
    QVERIFY(notified.constLast().at(1).toString().contains(u"… and 1 more"_s));
    QCOMPARE(notifier.notificationCount(), 3);
}

QTEST_MAIN(TestAlertsPage)
#include "test_alerts_page.moc"
