// The rollout wizard over a real operations store: firmware import and choice, targets with
// live counts and exclusions, plan validation (a wave of 0 devices refused), typed
// confirmation above the plan's size, and the draft it hands to RolloutService.
#include "core/operations/operations_store.h"
#include "core/ota/release_catalog.h"
#include "models/rollout_exclusion_model.h"
#include "ui/rollout_artifact_page.h"
#include "ui/rollout_plan_page.h"
#include "ui/rollout_review_page.h"
#include "ui/rollout_targets_page.h"
#include "ui/rollout_wizard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace fd;

namespace {

Device device(int i, const QString &model, const QString &fw, const QString &site)
{
    Device d;
    d.source = QStringLiteral("plant");
    d.id = QStringLiteral("dev-%1").arg(i, 4, 10, QLatin1Char('0'));
    d.path = d.id;
    d.name = QStringLiteral("<b>Device %1</b>").arg(i);
    d.model = model;
    d.fwVersion = fw;
    d.site = site;
    d.online = i % 7 != 0;
    return d;
}

QList<Device> inventory()
{
    QList<Device> devices;
    for (int i = 0; i < 60; ++i)
        devices.append(device(i, QStringLiteral("TH-100"), i % 10 == 0 ? QStringLiteral("2.5.0") : QStringLiteral("2.4.0"),
                              i < 40 ? QStringLiteral("Lyon") : QStringLiteral("Osaka")));
    for (int i = 60; i < 70; ++i)
        devices.append(device(i, QStringLiteral("TH-200"), QStringLiteral("1.0.0"), QStringLiteral("Lyon")));
    return devices;
}

} // namespace

class TestRolloutWizard : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void importsAFirmwareFileAndSignsIt();
    void targetsCountLiveAndListExclusions();
    void planRefusesAWaveOfNoDevice();
    void reviewAsksForTheTypedCountAboveTheLimit();
    void rollBackTargetsAreFixed();
    void oneSourcePerRollout();

private:
    void prepareArtifact();
    void goTo(RolloutWizard &wizard, int page);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<ReleaseCatalog> m_catalog;
};

void TestRolloutWizard::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<OperationsStore>();
    QSignalSpy opened(m_store.get(), &OperationsStore::opened);
    const QString cache = m_dir->filePath(QStringLiteral("fleet.sqlite"));
    m_store->open(OperationsStore::pathForCache(cache));
    QVERIFY(opened.wait(10000));
    m_catalog = std::make_unique<ReleaseCatalog>(m_store.get(), nullptr, cache, QStringLiteral("tester"));
}

void TestRolloutWizard::cleanup()
{
    m_catalog.reset();
    m_store.reset();
    m_dir.reset();
}

void TestRolloutWizard::prepareArtifact()
{
    QSignalSpy created(m_catalog.get(), &ReleaseCatalog::keyCreated);
    QSignalSpy keysRead(m_catalog.get(), &ReleaseCatalog::catalogRead);
    m_catalog->createKey(QStringLiteral("release-1"), ReleaseKey::Algorithm::Ed25519,
                         ReleaseCatalog::KeyStorage::Passphrase, "correct horse");
    QVERIFY(created.wait(10000));
    QCOMPARE(created.constFirst().at(1).toString(), QString());
    QVERIFY(keysRead.wait(10000));  // the catalog knows the key once it re-read the store
    const QString path = m_dir->filePath(QStringLiteral("th100-2.5.0.bin"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(50'000, 'f'));
    f.close();
    ArtifactImportRequest request{path, QStringLiteral("2.5.0"), {QStringLiteral("TH-100")}, QString()};
    QSignalSpy imported(m_catalog.get(), &ReleaseCatalog::artifactImported);
    QSignalSpy read(m_catalog.get(), &ReleaseCatalog::catalogRead);
    m_catalog->importArtifact(request, QStringLiteral("release-1"), "correct horse");
    QVERIFY(imported.wait(10000));
    QCOMPARE(imported.constFirst().at(1).toString(), QString());
    QVERIFY(read.wait(10000));
}

void TestRolloutWizard::goTo(RolloutWizard &wizard, int page)
{
    while (wizard.currentId() != page) {
        QVERIFY2(wizard.currentPage()->isComplete(), qPrintable(QStringLiteral("page %1").arg(wizard.currentId())));
        wizard.next();
    }
}

void TestRolloutWizard::importsAFirmwareFileAndSignsIt()
{
    QSignalSpy created(m_catalog.get(), &ReleaseCatalog::keyCreated);
    m_catalog->createKey(QStringLiteral("release-1"), ReleaseKey::Algorithm::Ed25519,
                         ReleaseCatalog::KeyStorage::Passphrase, "correct horse");
    QVERIFY(created.wait(10000));

    RolloutWizard wizard(m_catalog.get(), inventory(), QStringLiteral("tester"));
    wizard.show();
    RolloutArtifactPage *page = wizard.artifactPage();
    QTRY_COMPARE(page->keyChoice()->count(), 1);
    QCOMPARE(page->keyChoice()->currentText(), QStringLiteral("release-1"));
    QVERIFY(!page->isComplete());  // nothing imported yet
    QVERIFY(!page->importButton()->isEnabled());

    const QString path = m_dir->filePath(QStringLiteral("th100-2.6.1.bin"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(20'000, 'g'));
    f.close();
    page->fileEdit()->setText(path);
    page->versionEdit()->setText(QStringLiteral("not a version"));
    page->modelsEdit()->setText(QStringLiteral("TH-100, TH-100 ,"));
    QVERIFY(page->importProblem().startsWith(QStringLiteral("Version")));
    page->versionEdit()->setText(QStringLiteral("2.6.1"));
    QCOMPARE(page->importProblem(), QStringLiteral("Type the release key's passphrase."));
    page->passphraseEdit()->setText(QStringLiteral("wrong one"));
    QVERIFY(page->importButton()->isEnabled());
    page->importButton()->click();
    QTRY_VERIFY(page->statusLabel()->text().startsWith(QStringLiteral("Not imported")));
    QVERIFY(!page->isComplete());

    page->passphraseEdit()->setText(QStringLiteral("correct horse"));
    page->importButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(page->isComplete(), 10000);
    QCOMPARE(page->artifactList()->topLevelItemCount(), 1);
    QCOMPARE(page->artifactList()->currentItem()->text(0), QStringLiteral("2.6.1"));
    QCOMPARE(wizard.context().artifact->models, QStringList{QStringLiteral("TH-100")});
    QVERIFY(page->passphraseEdit()->text().isEmpty());  // not kept around
}

void TestRolloutWizard::targetsCountLiveAndListExclusions()
{
    prepareArtifact();
    RolloutWizard wizard(m_catalog.get(), inventory(), QStringLiteral("tester"));
    wizard.show();
    QTRY_VERIFY(wizard.artifactPage()->isComplete());
    goTo(wizard, RolloutWizard::TargetsPageId);
    RolloutTargetsPage *targets = wizard.targetsPage();
    // The artifact's only model is preselected; 6 of the 60 TH-100 already run 2.5.0.
    QCOMPARE(targets->filterChoice(RolloutTargetsPage::ModelFilter)->currentText(), QStringLiteral("TH-100"));
    QCOMPARE(wizard.context().selection.targets.size(), 54);
    QCOMPARE(targets->excludedModel()->rowCount(), 6);
    QVERIFY(targets->excludedModel()->index(0, RolloutExclusionModel::ReasonColumn).data().toString().contains(QStringLiteral("already on 2.5.0")));
    QVERIFY(targets->countLabel()->text().contains(QStringLiteral("54")));
    // Site and state filters narrow it live.
    QComboBox *site = targets->filterChoice(RolloutTargetsPage::SiteFilter);
    site->setCurrentIndex(site->findData(QStringLiteral("Osaka")));
    QCOMPARE(wizard.context().selection.targets.size(), 18);
    QComboBox *state = targets->filterChoice(RolloutTargetsPage::OnlineFilter);
    state->setCurrentIndex(state->findData(QStringLiteral("true")));
    QVERIFY(wizard.context().selection.targets.size() < 18);
    for (const Device &d : wizard.context().selection.targets)
        QVERIFY(d.online && d.site == u"Osaka");
    // Any model: TH-200 devices are listed as incompatible.
    QComboBox *model = targets->filterChoice(RolloutTargetsPage::ModelFilter);
    model->setCurrentIndex(0);
    site->setCurrentIndex(0);
    state->setCurrentIndex(0);
    QCOMPARE(wizard.context().selection.targets.size(), 54);
    QCOMPARE(targets->excludedModel()->rowCount(), 16);
    // Nothing left: the page cannot go on.
    model->setCurrentIndex(model->findData(QStringLiteral("TH-200")));
    QVERIFY(!targets->isComplete());
    model->setCurrentIndex(0);
    QVERIFY(targets->isComplete());
}

void TestRolloutWizard::oneSourcePerRollout()
{
    prepareArtifact();
    QList<Device> devices = inventory();
    for (qsizetype i = 0; i < 5; ++i)
        devices[i].source = QStringLiteral("other-broker");
    RolloutWizard wizard(m_catalog.get(), devices, QStringLiteral("tester"));
    wizard.show();
    QTRY_VERIFY(wizard.artifactPage()->isComplete());
    goTo(wizard, RolloutWizard::TargetsPageId);
    RolloutTargetsPage *targets = wizard.targetsPage();
    QCOMPARE(targets->sources().size(), 2);
    QVERIFY(!targets->isComplete());
    QVERIFY(targets->countLabel()->text().contains(QStringLiteral("choose one source")));
    QComboBox *source = targets->filterChoice(RolloutTargetsPage::SourceFilter);
    source->setCurrentIndex(source->findData(QStringLiteral("plant")));
    QVERIFY(targets->isComplete());
}

void TestRolloutWizard::planRefusesAWaveOfNoDevice()
{
    prepareArtifact();
    QList<Device> few;
    for (int i = 1; i <= 5; ++i)
        few.append(device(i, QStringLiteral("TH-100"), QStringLiteral("2.4.0"), QStringLiteral("Lyon")));
    RolloutWizard wizard(m_catalog.get(), few, QStringLiteral("tester"));
    wizard.show();
    QTRY_VERIFY(wizard.artifactPage()->isComplete());
    goTo(wizard, RolloutWizard::PlanPageId);
    RolloutPlanPage *plan = wizard.planPage();
    plan->canarySpin()->setValue(1);
    plan->wavesEdit()->setText(QStringLiteral("10%,100%"));  // 10 % of 4 rounds to 0
    QVERIFY(!plan->isComplete());
    QVERIFY2(plan->problemLabel()->text().contains(QStringLiteral("0")), qPrintable(plan->problemLabel()->text()));
    plan->wavesEdit()->setText(QStringLiteral("50%,100%"));
    QVERIFY2(plan->isComplete(), qPrintable(plan->problem()));
    QVERIFY(plan->waveSizesLabel()->text().contains(QStringLiteral("canary: 1")));
    plan->wavesEdit()->setText(QStringLiteral("50%,abc"));
    QVERIFY(!plan->isComplete());
    plan->wavesEdit()->setText(QStringLiteral("2,100%"));
    QVERIFY(plan->isComplete());
    plan->abortPercentSpin()->setValue(5);
    plan->minExecutedSpin()->setValue(3);
    QCOMPARE(wizard.context().plan.abortCriteria.size(), 1);
    QCOMPARE(wizard.context().plan.abortCriteria.constFirst().thresholdPct, 5);
    QCOMPARE(wizard.context().plan.abortCriteria.constFirst().minExecuted, 3);
    plan->abortCheck()->setChecked(false);
    QVERIFY(wizard.context().plan.abortCriteria.isEmpty());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(RolloutWizard::ReviewPageId));
    QString error;
    const std::optional<RolloutBuilder::Result> draft = wizard.draft(&error);
    QVERIFY2(draft, qPrintable(error));
    QCOMPARE(draft->devices.size(), 5);
    QCOMPARE(draft->devices.at(0).wave, 0);  // canary
    QCOMPARE(draft->devices.at(1).wave, 1);
    QCOMPARE(draft->devices.at(2).wave, 1);
    QCOMPARE(draft->devices.at(4).wave, 2);
    QCOMPARE(draft->rollout.createdBy, QStringLiteral("tester"));
}

void TestRolloutWizard::reviewAsksForTheTypedCountAboveTheLimit()
{
    prepareArtifact();
    RolloutWizard wizard(m_catalog.get(), inventory(), QStringLiteral("tester"));
    wizard.show();
    QTRY_VERIFY(wizard.artifactPage()->isComplete());
    goTo(wizard, RolloutWizard::ReviewPageId);
    RolloutReviewPage *review = wizard.reviewPage();
    QVERIFY(review->needsTypedConfirmation());  // 54 > 50
    QVERIFY(!review->isComplete());
    review->confirmEdit()->setText(QStringLiteral("53"));
    QVERIFY(!review->isComplete());
    review->confirmEdit()->setText(QStringLiteral("54"));
    QVERIFY(review->isComplete());
    const QString summary = review->summaryView()->toPlainText();
    QVERIFY2(summary.contains(QStringLiteral("54 device(s) will be updated")), qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("release-1")));
    QVERIFY(summary.contains(QStringLiteral("model = TH-100")));
    QVERIFY(!review->nameEdit()->text().isEmpty());
    review->nameEdit()->clear();
    QVERIFY(!review->isComplete());
}

void TestRolloutWizard::rollBackTargetsAreFixed()
{
    prepareArtifact();  // 2.5.0; the failed devices of a 2.6 rollout run 2.6.0 and go back
    QList<Device> failed;
    for (int i = 1; i <= 3; ++i)
        failed.append(device(i, QStringLiteral("TH-100"), QStringLiteral("2.6.0"), QStringLiteral("Lyon")));
    RolloutWizard wizard(m_catalog.get(), failed, QStringLiteral("tester"));
    wizard.setFixedTargets(failed);
    wizard.show();
    QTRY_VERIFY(wizard.artifactPage()->isComplete());
    goTo(wizard, RolloutWizard::TargetsPageId);
    QVERIFY(!wizard.targetsPage()->filterChoice(RolloutTargetsPage::SiteFilter)->isEnabled());
    QCOMPARE(wizard.context().selection.targets.size(), 3);  // older version allowed: a rollback
    wizard.next();
    // The default plan (canary 2, then 10 %, 50 %, the rest) has no device for its first wave.
    QVERIFY(!wizard.planPage()->isComplete());
    wizard.planPage()->canarySpin()->setValue(1);
    wizard.planPage()->wavesEdit()->setText(QStringLiteral("100%"));
    goTo(wizard, RolloutWizard::ReviewPageId);
    const std::optional<RolloutBuilder::Result> draft = wizard.draft();
    QVERIFY(draft);
    QVERIFY(draft->rollout.plan.rollback);
    QVERIFY(wizard.reviewPage()->summaryView()->toPlainText().contains(QStringLiteral("ROLLBACK")));
}

QTEST_MAIN(TestRolloutWizard)
#include "test_rollout_wizard.moc"
