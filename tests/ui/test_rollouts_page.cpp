// The Rollouts page over a real operations store and RolloutService (no broker: the runner
// waits for its source): a rollout created through the service appears in the list, its
// detail shows the waves, devices and the reason it waits; actions the state allows are the
// only ones offered; an action that cannot run says why; names are shown as plain text.
#include "core/operations/operations_store.h"
#include "core/ota/release_catalog.h"
#include "core/ota/rollout_service.h"
#include "models/rollout_device_model.h"
#include "models/rollout_list_model.h"
#include "ui/rollout_detail_panel.h"
#include "ui/rollouts_page.h"
#include "widgets/breakdown_card.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestRolloutsPage : public QObject
{
    Q_OBJECT
private slots:
    void showsACreatedRolloutWithItsWavesAndDevices();
    void withoutAServiceItSaysRolloutsAreUnavailable();
};

void TestRolloutsPage::showsACreatedRolloutWithItsWavesAndDevices()
{
    QTemporaryDir dir;
    const QString cache = dir.filePath(QStringLiteral("fleet.sqlite"));
    OperationsStore store;
    QSignalSpy opened(&store, &OperationsStore::opened);
    store.open(OperationsStore::pathForCache(cache));
    QVERIFY(opened.wait(10000));
    RolloutService service(&store, cache, QStringLiteral("tester"));
    ReleaseCatalog catalog(&store, nullptr, cache, QStringLiteral("tester"));
    RolloutsPage page(&service, &catalog, [] { return QList<Device>(); });
    page.resize(1200, 800);
    page.show();
    QVERIFY(page.newButton()->isEnabled());
    QCOMPARE(page.detailPanel()->titleLabel()->text(), QStringLiteral("No rollout selected"));

    Rollout r;
    r.name = QStringLiteral("<b>TH-100 2.5.0</b> to Lyon");
    r.artifactId = QStringLiteral("0123456789abcdef");
    r.createdBy = QStringLiteral("tester");
    r.plan.canary = 1;
    QList<RolloutDevice> rows;
    for (int i = 0; i < 5; ++i) {
        RolloutDevice d;
        d.key = DeviceKey(QStringLiteral("lyon"), QStringLiteral("dev-%1").arg(i));
        d.deviceId = d.key.path;
        d.model = QStringLiteral("TH-100");
        d.fromVersion = QStringLiteral("2.4.0");
        d.wave = i == 0 ? 0 : 1;
        d.position = i;
        rows.append(d);
    }
    QSignalSpy created(&service, &RolloutService::created);
    service.create(r, rows, false);
    QVERIFY(created.wait(10000));
    const qint64 id = created.constFirst().at(1).toLongLong();
    QTRY_COMPARE(page.listModel()->rowCount(), 1);
    page.selectRollout(id);
    RolloutDetailPanel *detail = page.detailPanel();
    QCOMPARE(detail->rolloutId(), id);
    QCOMPARE(detail->titleLabel()->text(), r.name);  // plain text
    QCOMPARE(detail->titleLabel()->textFormat(), Qt::PlainText);
    QVERIFY(detail->stateLabel()->text().contains(QStringLiteral("scheduled")));
    QCOMPARE(detail->waveCards().size(), 2);  // canary + wave 1
    QVERIFY(detail->waveCards().at(0)->title().startsWith(QStringLiteral("canary")));
    QCOMPARE(detail->overallCard()->legendText(), QStringLiteral("5 waiting"));
    QTRY_COMPARE(detail->deviceModel()->rowCount(), 5);
    // Scheduled: start, abort and cancel; no pause, no resume.
    QVERIFY(!detail->actionButton(RolloutDetailPanel::Action::Start)->isHidden());
    QVERIFY(detail->actionButton(RolloutDetailPanel::Action::Pause)->isHidden());
    QVERIFY(detail->actionButton(RolloutDetailPanel::Action::Resume)->isHidden());
    QVERIFY(!detail->actionButton(RolloutDetailPanel::Action::Cancel)->isHidden());
    QVERIFY(detail->actionButton(RolloutDetailPanel::Action::RollBackFailed)->isHidden());
    // No broker for its source: Start says why instead of doing nothing.
    detail->actionButton(RolloutDetailPanel::Action::Start)->click();
    QVERIFY(page.feedbackLabel()->text().contains(QStringLiteral("not connected to lyon")));
    service.shutdown();
}

void TestRolloutsPage::withoutAServiceItSaysRolloutsAreUnavailable()
{
    RolloutsPage page(nullptr, nullptr, {});
    QVERIFY(!page.newButton()->isEnabled());
    QVERIFY(page.feedbackLabel()->text().contains(QStringLiteral("unavailable")));
}

QTEST_MAIN(TestRolloutsPage)
#include "test_rollouts_page.moc"
