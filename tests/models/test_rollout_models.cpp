// RolloutListModel and RolloutDeviceModel: checked by QAbstractItemModelTester through every
// change they make (in-place updates, inserts, resets), and what they show.
#include "models/rollout_device_model.h"
#include "models/rollout_event_model.h"
#include "models/rollout_exclusion_model.h"
#include "models/rollout_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>

using namespace fd;

namespace {

Rollout rollout(qint64 id, RolloutState state = RolloutState::Running)
{
    Rollout r;
    r.id = id;
    r.uid = QStringLiteral("%1").arg(id, 8, 16, QLatin1Char('0'));
    r.name = QStringLiteral("<i>rollout %1</i>").arg(id);
    r.state = state;
    r.createdBy = QStringLiteral("tester");
    return r;
}

QList<RolloutDevice> devices(qint64 rolloutId, int count)
{
    QList<RolloutDevice> rows;
    for (int i = 0; i < count; ++i) {
        RolloutDevice d;
        d.rolloutId = rolloutId;
        d.deviceId = QStringLiteral("dev-%1").arg(i);
        d.key = DeviceKey(QStringLiteral("plant"), d.deviceId);
        d.model = QStringLiteral("TH-100");
        d.fromVersion = QStringLiteral("2.4.0");
        d.wave = i < 2 ? 0 : 1;
        d.position = i;
        rows.append(d);
    }
    return rows;
}

} // namespace

class TestRolloutModels : public QObject
{
    Q_OBJECT
private slots:
    void listUpdatesInPlaceAndInsertsNewestFirst();
    void listShowsProgressStateAndTimeLeft();
    void deviceRowsChangeInPlaceForTheSameRollout();
    void deviceRowsShowStateProgressAndReasonAsText();
    void timelineIsNewestFirst();
    void exclusionsShowTheReason();
    void tooltipsShowDeviceTextLiterally();
};

void TestRolloutModels::timelineIsNewestFirst()
{
    RolloutEventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<RolloutEvent> events;
    for (int i = 0; i < 3; ++i)
        events.append(RolloutEvent{i + 1, 5, 1000 * i, QStringLiteral("wave_started"), QStringLiteral("fleetdeck"),
                                   QStringLiteral("<b>wave %1</b>").arg(i), false});
    model.setEvents(5, events);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, RolloutEventModel::DetailColumn).data().toString(), QStringLiteral("<b>wave 2</b>"));
    QCOMPARE(model.index(0, RolloutEventModel::KindColumn).data().toString(), QStringLiteral("wave started"));
    model.setEvents(0, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestRolloutModels::exclusionsShowTheReason()
{
    RolloutExclusionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Device d;
    d.source = QStringLiteral("plant");
    d.id = QStringLiteral("dev-1");
    d.path = d.id;
    d.name = QStringLiteral("Cold room");
    d.model = QStringLiteral("TH-200");
    d.fwVersion = QStringLiteral("1.0.0");
    model.setExcluded({{d, QStringLiteral("model TH-200 is not compatible")}});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, RolloutExclusionModel::DeviceColumn).data().toString(), QStringLiteral("dev-1 (Cold room)"));
    QCOMPARE(model.index(0, RolloutExclusionModel::ReasonColumn).data().toString(),
             QStringLiteral("model TH-200 is not compatible"));
    model.setExcluded({});
    QCOMPARE(model.rowCount(), 0);
}

void TestRolloutModels::listUpdatesInPlaceAndInsertsNewestFirst()
{
    RolloutListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRollouts({RolloutSnapshot::from(rollout(1), devices(1, 4)), RolloutSnapshot::from(rollout(3), devices(3, 2))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rolloutAt(0)->rollout.id, 3);  // newest first
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<RolloutDevice> rows = devices(1, 4);
    rows[0].state = OtaDeviceState::Updated;
    model.updateRollout(RolloutSnapshot::from(rollout(1), rows, QStringLiteral("2.5.0")));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.constFirst().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.rolloutAt(1)->count(OtaDeviceState::Updated), 1);
    model.updateRollout(RolloutSnapshot::from(rollout(2), devices(2, 1)));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rolloutAt(1)->rollout.id, 2);  // between 3 and 1
    QCOMPARE(model.rowOfRollout(1), 2);
    QCOMPARE(model.rowOfRollout(42), -1);
}

void TestRolloutModels::listShowsProgressStateAndTimeLeft()
{
    RolloutListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<RolloutDevice> rows = devices(1, 4);
    rows[0].state = OtaDeviceState::Updated;
    rows[1].state = OtaDeviceState::Failed;
    rows[1].reason = QStringLiteral("download failed");
    rows[2].state = OtaDeviceState::Downloading;
    Rollout r = rollout(1, RolloutState::Paused);
    r.stateReason = QStringLiteral("wave 1 finished: approve to start wave 2");
    RolloutSnapshot s = RolloutSnapshot::from(r, rows, QStringLiteral("2.5.0"));
    s.etaMs = 3 * 60 * 1000 + 5000;
    model.setRollouts({s});
    const auto text = [&model](int column) { return model.index(0, column).data().toString(); };
    QCOMPARE(text(RolloutListModel::NameColumn), QStringLiteral("<i>rollout 1</i>"));  // as text
    QCOMPARE(text(RolloutListModel::VersionColumn), QStringLiteral("2.5.0"));
    QCOMPARE(text(RolloutListModel::StateColumn), QStringLiteral("paused"));
    QCOMPARE(text(RolloutListModel::ProgressColumn), QStringLiteral("50 % (2/4)"));
    QCOMPARE(text(RolloutListModel::UpdatedColumn), QStringLiteral("1"));
    QCOMPARE(text(RolloutListModel::FailedColumn), QStringLiteral("1"));
    QCOMPARE(text(RolloutListModel::InProgressColumn), QStringLiteral("1"));
    QCOMPARE(text(RolloutListModel::EtaColumn), QStringLiteral("4 min"));
    QCOMPARE(text(RolloutListModel::StartedColumn), QStringLiteral("not started"));
    QVERIFY(model.index(0, RolloutListModel::StateColumn).data(Qt::ToolTipRole).toString().contains(u"approve"));
    QCOMPARE(model.index(0, 0).data(RolloutListModel::ProgressPercentRole).toInt(), 50);
    QCOMPARE(RolloutListModel::durationText(-1), QString());
    QCOMPARE(RolloutListModel::durationText(10'000), QStringLiteral("< 1 min"));
    QCOMPARE(RolloutListModel::durationText(3 * 3600 * 1000), QStringLiteral("3 h 0 min"));
    QCOMPARE(RolloutListModel::durationText(qint64(50) * 3600 * 1000), QStringLiteral("2 d 2 h"));
    // A finished rollout shows no time left.
    s.rollout.state = RolloutState::Completed;
    model.updateRollout(s);
    QCOMPARE(text(RolloutListModel::EtaColumn), QString());
    QVERIFY(!model.index(0, 0).data(RolloutListModel::ActiveRole).toBool());
}

void TestRolloutModels::deviceRowsChangeInPlaceForTheSameRollout()
{
    RolloutDeviceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QList<RolloutDevice> rows = devices(7, 5);
    model.setDevices(7, rows);
    QCOMPARE(reset.size(), 1);
    rows[3].state = OtaDeviceState::Downloading;
    rows[3].progress = 40;
    model.setDevices(7, rows);
    QCOMPARE(reset.size(), 1);  // same devices: in place
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.constFirst().at(0).toModelIndex().row(), 3);
    model.setDevices(8, devices(8, 5));  // another rollout: reset
    QCOMPARE(reset.size(), 2);
    model.setDevices(8, devices(8, 2));  // fewer rows: reset
    QCOMPARE(reset.size(), 3);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestRolloutModels::deviceRowsShowStateProgressAndReasonAsText()
{
    RolloutDeviceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<RolloutDevice> rows = devices(1, 3);
    rows[0].state = OtaDeviceState::Downloading;
    rows[0].progress = 42;
    rows[0].attempt = 1;
    rows[1].state = OtaDeviceState::TimedOut;
    rows[1].reason = QStringLiteral("<script>no answer</script>");
    rows[2].state = OtaDeviceState::Updated;
    rows[2].toVersion = QStringLiteral("2.5.0");
    model.setDevices(1, rows);
    const auto text = [&model](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, RolloutDeviceModel::WaveColumn), QStringLiteral("canary"));
    QCOMPARE(text(2, RolloutDeviceModel::WaveColumn), QStringLiteral("wave 1"));
    QCOMPARE(text(0, RolloutDeviceModel::ProgressColumn), QStringLiteral("42 %"));
    QCOMPARE(text(1, RolloutDeviceModel::ProgressColumn), QString());
    QCOMPARE(text(1, RolloutDeviceModel::StateColumn), QStringLiteral("timed out"));
    QCOMPARE(text(1, RolloutDeviceModel::ReasonColumn), QStringLiteral("<script>no answer</script>"));
    QCOMPARE(text(2, RolloutDeviceModel::FromColumn), QStringLiteral("2.4.0 → 2.5.0"));
    QCOMPARE(text(1, RolloutDeviceModel::AttemptColumn), QString());
    QVERIFY(model.index(1, 0).data(RolloutDeviceModel::FailureRole).toBool());
    QVERIFY(!model.index(2, 0).data(RolloutDeviceModel::FailureRole).toBool());
    QCOMPARE(model.index(0, RolloutDeviceModel::ProgressColumn).data(RolloutDeviceModel::SortRole).toInt(), 42);
}

// Tooltips are rich text when they look like markup: a device's name, model, source or
// failure reason, an event's detail or actor must show as the characters they are.
void TestRolloutModels::tooltipsShowDeviceTextLiterally()
{
    const QString markup = QStringLiteral("<b>x</b><img src=\"file:///etc/passwd\">");
    const QString escaped = markup.toHtmlEscaped();
    const auto literal = [&](const QVariant &tip) {
        const QString t = tip.toString();
        return t.contains(escaped) && !t.contains(markup) && Qt::mightBeRichText(t);
    };
    {
        RolloutDeviceModel model;
        QList<RolloutDevice> rows = devices(1, 1);
        rows[0].key = DeviceKey(markup, QStringLiteral("dev-0"));
        rows[0].state = OtaDeviceState::Failed;
        rows[0].reason = markup;
        model.setDevices(1, rows);
        QVERIFY(literal(model.index(0, RolloutDeviceModel::DeviceColumn).data(Qt::ToolTipRole)));
        QVERIFY(literal(model.index(0, RolloutDeviceModel::ReasonColumn).data(Qt::ToolTipRole)));
    }
    {
        RolloutEventModel model;
        model.setEvents(5, {RolloutEvent{1, 5, 1000, QStringLiteral("device_failed"), markup, markup, false}});
        QVERIFY(literal(model.index(0, RolloutEventModel::DetailColumn).data(Qt::ToolTipRole)));
        QVERIFY(literal(model.index(0, RolloutEventModel::ActorColumn).data(Qt::ToolTipRole)));
        QCOMPARE(model.index(0, RolloutEventModel::DetailColumn).data().toString(), markup);
    }
    {
        RolloutExclusionModel model;
        Device d;
        d.source = markup;
        d.id = QStringLiteral("dev-1");
        d.path = d.id;
        d.name = markup;
        d.model = markup;
        model.setExcluded({{d, markup}});
        for (int column : {int(RolloutExclusionModel::DeviceColumn), int(RolloutExclusionModel::SourceColumn),
                           int(RolloutExclusionModel::ModelColumn), int(RolloutExclusionModel::ReasonColumn)})
            QVERIFY2(literal(model.index(0, column).data(Qt::ToolTipRole)), qPrintable(QString::number(column)));
    }
}

QTEST_GUILESS_MAIN(TestRolloutModels)
#include "test_rollout_models.moc"
