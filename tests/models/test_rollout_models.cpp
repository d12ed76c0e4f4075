// RolloutListModel and RolloutDeviceModel: checked by QAbstractItemModelTester through every
// change they make (in-place updates, inserts, resets), and what they show.
#include "models/rollout_device_model.h"
#include "models/rollout_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

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
};

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

QTEST_GUILESS_MAIN(TestRolloutModels)
#include "test_rollout_models.moc"
