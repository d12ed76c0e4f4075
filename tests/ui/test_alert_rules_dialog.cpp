// Alerts > Rules…: the rule editor validates as the user types (the problem shown, Save
// disabled while there is one), shows the fields of the chosen kind only, previews how many
// devices the scope matches and replays the cached history; saving, duplicates, deleting,
// the Enabled checkbox, import and export go through a real AlertService on a real
// operations store and show only once committed.
#include "core/alerts/alert_rule_json.h"
#include "core/ingest/fleet_session.h"
#include "models/alert_rule_list_model.h"
#include "models/device_inventory_model.h"
#include "tests/ui/alert_fixture.h"
#include "ui/alert_rule_editor_dialog.h"
#include "ui/alert_rule_preview_panel.h"
#include "ui/alert_rules_dialog.h"
#include "ui/alert_scope_picker.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

Device device(int i, const QString &site)
{
    Device d;
    d.source = u"plant"_s;
    d.id = d.path = u"dev-%1"_s.arg(i);
    d.site = site;
    d.model = i % 2 ? u"TH-200"_s : u"GW-10"_s;
    d.online = true;
    d.metrics = {MetricValue(u"temperature"_s, 20.0 + i)};
    if (i == 3)
        d.tags = {u"cold-chain"_s, u"<b>vip</b>"_s};
    return d;
}

void setText(QWidget *field, const QString &text)
{
    if (auto *edit = qobject_cast<QLineEdit *>(field)) {
        edit->clear();
        QTest::keyClicks(edit, text);
    } else if (auto *combo = qobject_cast<QComboBox *>(field)) {
        combo->setEditText(text);
    }
}

} // namespace

class TestAlertRulesDialog : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void validatesAsYouType();
    void showsTheFieldsOfTheKind();
    void previewCountsDevicesAndReplays();
    void savesThroughTheService();
    void duplicateNameIsRefusedAndShown();
    void enableToggleAndDelete();
    void importAndExport();

private:
    AlertRuleEditorDialog *fillValidRule(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<test::AlertFixture> m_alerts;
    std::unique_ptr<FleetSession> m_session;
    std::unique_ptr<DeviceInventoryModel> m_inventory;
    std::unique_ptr<AlertRulesDialog> m_dialog;
};

void TestAlertRulesDialog::init()
{
    m_alerts = std::make_unique<test::AlertFixture>();
    QVERIFY(m_alerts->start());
    m_session = std::make_unique<FleetSession>();  // a real (empty) cache for the replay
    QVERIFY(m_session->open(m_dir.filePath(u"cache.sqlite"_s)).ok());
    m_inventory = std::make_unique<DeviceInventoryModel>();
    m_inventory->resetDevices({device(1, u"Lyon-Nord"_s), device(2, u"Lyon-Nord"_s), device(3, u"Rotterdam"_s)});
    m_dialog = std::make_unique<AlertRulesDialog>(&m_alerts->service, m_inventory.get(), m_session->databasePath());
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestAlertRulesDialog::cleanup()
{
    m_dialog.reset();
    m_inventory.reset();
    m_session.reset();
    m_alerts.reset();
}

AlertRuleEditorDialog *TestAlertRulesDialog::fillValidRule(const QString &name)
{
    AlertRuleEditorDialog *editor = m_dialog->addRule();
    if (!editor)
        return nullptr;
    setText(editor->nameField(), name);
    setText(editor->metricField(), u"temperature"_s);
    setText(editor->field(u"threshold"_s), u"40"_s);
    return editor;
}

void TestAlertRulesDialog::validatesAsYouType()
{
    AlertRuleEditorDialog *editor = m_dialog->addRule();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    QVERIFY(!editor->okButton()->isEnabled());
    QVERIFY2(editor->problemLabel()->text().contains(u"the rule has no name"_s), qPrintable(editor->problemLabel()->text()));
    QTest::keyClicks(editor->nameField(), u"<b>Overheat</b>"_s);
    QVERIFY(editor->problemLabel()->text().contains(u"metric"_s));
    setText(editor->metricField(), u"temperature"_s);
    QVERIFY(editor->problemLabel()->text().contains(u"threshold is required"_s));
    setText(editor->field(u"threshold"_s), u"4o"_s);
    QVERIFY2(editor->problemLabel()->text().contains(u"threshold is not a number"_s),
             qPrintable(editor->problemLabel()->text()));
    QVERIFY(!editor->okButton()->isEnabled());
    setText(editor->field(u"threshold"_s), u"40"_s);
    QVERIFY(editor->problem().isEmpty());
    QVERIFY(editor->okButton()->isEnabled());
    QVERIFY(!editor->problemLabel()->isVisible());
    // Hysteresis the wrong way round.
    setText(editor->field(u"clear"_s), u"45"_s);
    QVERIFY(!editor->okButton()->isEnabled());
    QVERIFY(editor->problemLabel()->text().contains(u"clear_below (45) must not be above the threshold (40)"_s));
    setText(editor->field(u"clear"_s), u"35"_s);
    QVERIFY(editor->okButton()->isEnabled());
    const AlertRule rule = editor->rule();
    QCOMPARE(rule.name, u"<b>Overheat</b>"_s);
    QCOMPARE(rule.threshold, 40.0);
    QCOMPARE(rule.clearThreshold, 35.0);
    QCOMPARE(rule.forMs, 10'000);
    // The condition in words, literally.
    auto *condition = editor->findChild<QLabel *>(u"ruleCondition"_s);
    QVERIFY(condition->text().contains(u"temperature above 40 for 10 s (clears below 35)"_s));
    QCOMPARE(condition->textFormat(), Qt::PlainText);
    // A scope without its value.
    editor->scopePicker()->kindChoice()->setCurrentIndex(editor->scopePicker()->kindChoice()->findData(u"site"_s));
    QVERIFY(!editor->okButton()->isEnabled());
    QVERIFY(editor->problemLabel()->text().contains(u"the scope site needs a value"_s));
}

void TestAlertRulesDialog::showsTheFieldsOfTheKind()
{
    AlertRuleEditorDialog *editor = m_dialog->addRule();
    QComboBox *kind = editor->kindChoice();
    const auto choose = [kind](const char *key) { kind->setCurrentIndex(kind->findData(QString::fromLatin1(key))); };
    const auto shown = [editor](std::initializer_list<const char *> keys) {
        for (const char *k : keys)
            if (!editor->isFieldShown(QString::fromLatin1(k)))
                return false;
        return true;
    };
    const auto hidden = [editor](std::initializer_list<const char *> keys) {
        for (const char *k : keys)
            if (editor->isFieldShown(QString::fromLatin1(k)))
                return false;
        return true;
    };
    choose("above");
    QVERIFY(shown({"metric", "threshold", "clear", "for", "clear_for"}));
    QVERIFY(hidden({"low", "high", "count", "window", "direction", "tolerance"}));
    choose("outside");
    QVERIFY(shown({"low", "high", "clear_low", "clear_high", "for", "clear_for"}));
    QVERIFY(hidden({"threshold", "clear", "count"}));
    choose("occurrences");
    QVERIFY(shown({"threshold", "condition", "count", "window"}));
    QVERIFY(hidden({"clear", "low"}));
    choose("rate");
    QVERIFY(shown({"threshold", "clear", "direction"}));
    choose("stuck");
    QVERIFY(shown({"tolerance", "for"}));
    QVERIFY(hidden({"threshold"}));
    choose("offline");
    QVERIFY(hidden({"metric", "threshold", "tolerance"}));
    QVERIFY(shown({"for"}));
    // Tab follows the rows: name, description, enabled, severity, then the scope.
    editor->activateWindow();
    editor->nameField()->setFocus();
    QTRY_VERIFY(editor->nameField()->hasFocus());
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), editor->scopePicker()->kindChoice());
    kind->setCurrentIndex(kind->findData(u"above"_s));
    editor->scopePicker()->kindChoice()->setCurrentIndex(editor->scopePicker()->kindChoice()->findData(u"site"_s));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QVERIFY(editor->scopePicker()->valueField()->isAncestorOf(QApplication::focusWidget())
            || QApplication::focusWidget() == editor->scopePicker()->valueField());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), kind);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QVERIFY2(editor->metricField() == QApplication::focusWidget() || editor->field(u"metric"_s) == QApplication::focusWidget(),
             QApplication::focusWidget()->metaObject()->className());
    editor->scopePicker()->kindChoice()->setCurrentIndex(0);
    choose("offline");
    setText(editor->nameField(), u"Gone"_s);
    editor->findChild<QDoubleSpinBox *>(u"rule-for"_s)->setValue(0);
    QVERIFY(editor->problemLabel()->text().contains(u"for_s must be above 0"_s));
    editor->findChild<QDoubleSpinBox *>(u"rule-for"_s)->setValue(60);
    QVERIFY(editor->okButton()->isEnabled());
    QCOMPARE(editor->rule().kind, AlertRuleKind::Offline);
}

void TestAlertRulesDialog::previewCountsDevicesAndReplays()
{
    AlertRuleEditorDialog *editor = fillValidRule(u"Overheat"_s);
    AlertRulePreviewPanel *preview = editor->preview();
    preview->matchNow();
    QCOMPARE(preview->matchedDevices(), 3);
    QVERIFY(test::plural(preview->matchText()).startsWith(u"Matches 3 devices"_s));
    AlertScopePicker *scope = editor->scopePicker();
    scope->kindChoice()->setCurrentIndex(scope->kindChoice()->findData(u"site"_s));
    QVERIFY(scope->valueField()->findText(u"Rotterdam"_s) >= 0);  // suggested from the inventory
    scope->valueField()->setEditText(u"Lyon-Nord"_s);
    preview->matchNow();
    QCOMPARE(preview->matchedDevices(), 2);
    QVERIFY(test::plural(preview->matchText()).startsWith(u"Matches 2 devices of the 3"_s));
    // Tags: suggested from the inventory, matched on its devices.
    scope->kindChoice()->setCurrentIndex(scope->kindChoice()->findData(u"tag"_s));
    QVERIFY(scope->valueField()->findText(u"<b>vip</b>"_s) >= 0);
    scope->valueField()->setEditText(u"cold-chain"_s);
    preview->matchNow();
    QCOMPARE(preview->matchedDevices(), 1);
    scope->kindChoice()->setCurrentIndex(scope->kindChoice()->findData(u"site"_s));
    scope->valueField()->setEditText(u"Lyon-Nord"_s);
    preview->matchNow();
    // The replay over an empty cache: no data, no firing; busy meanwhile.
    QSignalSpy replayed(preview, &AlertRulePreviewPanel::replayFinished);
    preview->replayNow();
    QVERIFY(preview->isBusy());
    QVERIFY(replayed.wait(10000));
    QVERIFY(!preview->isBusy());
    QCOMPARE(preview->lastResult().devicesInScope, 2);
    QVERIFY2(test::plural(preview->replayText()).startsWith(u"Would have fired 0 times on 0 devices over the last 24 h"_s),
             qPrintable(preview->replayText()));
}

void TestAlertRulesDialog::savesThroughTheService()
{
    AlertRuleEditorDialog *editor = fillValidRule(u"Overheat"_s);
    QVERIFY(editor->okButton()->isEnabled());
    QSignalSpy saved(editor, &AlertRuleEditorDialog::saved);
    editor->okButton()->click();
    QVERIFY(saved.wait(5000));
    QTRY_COMPARE(m_dialog->model()->rowCount(), 1);
    QCOMPARE(m_dialog->model()->ruleAt(0)->name, u"Overheat"_s);
    QVERIFY(m_dialog->model()->ruleAt(0)->id > 0);
    QCOMPARE(m_alerts->service.rules().size(), 1);
    QCOMPARE(m_dialog->statusLabel()->text(), u"Saved \"Overheat\"."_s);
    QVERIFY(m_dialog->selectedRule());
    // Edit it: the same id, a new threshold.
    AlertRuleEditorDialog *edit = m_dialog->editSelected();
    QVERIFY(edit);
    setText(edit->field(u"threshold"_s), u"42"_s);
    QSignalSpy editSaved(edit, &AlertRuleEditorDialog::saved);
    edit->okButton()->click();
    QVERIFY(editSaved.wait(5000));
    QTRY_COMPARE(m_alerts->service.rules().constFirst().threshold, 42.0);
    QCOMPARE(m_alerts->service.rules().size(), 1);
}

void TestAlertRulesDialog::duplicateNameIsRefusedAndShown()
{
    QVERIFY(m_alerts->addRule(u"Overheat"_s, AlertSeverity::Major) > 0);
    QTRY_COMPARE(m_dialog->model()->rowCount(), 1);
    m_dialog->selectRule(u"Overheat"_s);
    AlertRuleEditorDialog *copy = m_dialog->duplicateSelected();
    QVERIFY(copy);
    QCOMPARE(copy->nameField()->text(), u"Overheat (copy)"_s);
    setText(copy->nameField(), u"Overheat"_s);
    QVERIFY(copy->okButton()->isEnabled());  // the name is known to the service, not to the form
    copy->okButton()->click();
    QTRY_VERIFY(copy->problemLabel()->text().startsWith(u"Not saved: "_s));
    QVERIFY(copy->problemLabel()->isVisible());
    QVERIFY(copy->isVisible());
    QCOMPARE(m_alerts->service.rules().size(), 1);
}

void TestAlertRulesDialog::enableToggleAndDelete()
{
    QVERIFY(m_alerts->addRule(u"Overheat"_s, AlertSeverity::Major) > 0);
    QTRY_COMPARE(m_dialog->model()->rowCount(), 1);
    const QModelIndex enabled = m_dialog->table()->model()->index(0, AlertRuleListModel::EnabledColumn);
    m_dialog->table()->model()->setData(enabled, Qt::Unchecked, Qt::CheckStateRole);
    QTRY_VERIFY(!m_alerts->service.rules().constFirst().enabled);
    QTRY_COMPARE(m_dialog->model()->index(0, AlertRuleListModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Unchecked));
    QTRY_COMPARE(m_dialog->statusLabel()->text(), u"Disabled \"Overheat\"."_s);

    m_dialog->selectRule(u"Overheat"_s);
    auto *box = qobject_cast<QMessageBox *>(m_dialog->confirmDelete());
    QVERIFY(box);
    QCOMPARE(box->textFormat(), Qt::PlainText);
    box->findChild<QPushButton *>(u"confirmDeleteRule"_s)->click();
    QTRY_COMPARE(m_dialog->model()->rowCount(), 0);
    QVERIFY(m_alerts->service.rules().isEmpty());
}

void TestAlertRulesDialog::importAndExport()
{
    // The minimum a rules file must accept (issue 11).
    const QString in = m_dir.filePath(u"rules.json"_s);
    QFile file(in);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"rules":[{"name":"Overheat","severity":"MAJOR","scope":{"site":"Lyon-Nord"},)"
               R"("metric":"temperature","kind":"above","threshold":40,"for_s":10,"clear_below":35}]})");
    file.close();
    QVERIFY(m_dialog->importFile(in));
    QTRY_COMPARE(m_dialog->model()->rowCount(), 1);
    QTRY_VERIFY(test::plural(m_dialog->statusLabel()->text()).startsWith(u"Imported 1 rule "_s));
    const AlertRule imported = m_alerts->service.rules().constFirst();
    QCOMPARE(imported.scope, AlertScope::of(AlertScope::Kind::Site, u"Lyon-Nord"_s));
    QCOMPARE(imported.clearThreshold, 35.0);

    // A broken file imports nothing and says why.
    QFile bad(m_dir.filePath(u"bad.json"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"rules":[{"name":"X","kind":"above","metric":"t","threshold":"high"}]})");
    bad.close();
    QVERIFY(!m_dialog->importFile(bad.fileName()));
    QVERIFY(m_dialog->statusLabel()->text().startsWith(u"Nothing imported"_s));
    QCOMPARE(m_alerts->service.rules().size(), 1);

    const QString out = m_dir.filePath(u"out.json"_s);
    QVERIFY(m_dialog->exportFile(out));
    QFile exported(out);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    const AlertRuleJson::ParseResult parsed = AlertRuleJson::parse(exported.readAll());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.rules.size(), 1);
    QVERIFY(parsed.rules.constFirst().sameDefinition(imported));
}

QTEST_MAIN(TestAlertRulesDialog)
#include "test_alert_rules_dialog.moc"
