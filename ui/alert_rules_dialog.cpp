#include "ui/alert_rules_dialog.h"

#include "core/alerts/alert_rule_json.h"
#include "core/alerts/alert_service.h"
#include "models/alert_rule_list_model.h"
#include "ui/alert_rule_editor_dialog.h"
#include "widgets/status_dot_delegate.h"
#include "widgets/warning_colors.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

AlertRulesDialog::AlertRulesDialog(AlertService *service, DeviceInventoryModel *inventory, const QString &cachePath,
                                   QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_inventory(inventory)
    , m_cachePath(cachePath)
    , m_model(new AlertRuleListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_duplicate(new QPushButton(tr("D&uplicate…"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
{
    setObjectName(QStringLiteral("alertRulesDialog"));
    setWindowTitle(tr("Alert Rules"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AlertRuleListModel::SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AlertRuleListModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setTabKeyNavigation(false);
    m_table->setAccessibleName(tr("Alert rules"));
    m_table->setItemDelegateForColumn(AlertRuleListModel::SeverityColumn, new StatusDotDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *header = m_table->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(true);
    const QFontMetrics fm = m_table->fontMetrics();
    header->resizeSection(AlertRuleListModel::EnabledColumn, fm.horizontalAdvance(QStringLiteral("On____")));
    header->resizeSection(AlertRuleListModel::NameColumn, fm.horizontalAdvance(QStringLiteral("Temperature rising fast___")));
    header->resizeSection(AlertRuleListModel::SeverityColumn, fm.horizontalAdvance(QStringLiteral("Indeterminate_____")));
    header->resizeSection(AlertRuleListModel::KindColumn, fm.horizontalAdvance(QStringLiteral("Occurrences in a window__")));
    header->resizeSection(AlertRuleListModel::ScopeColumn, fm.horizontalAdvance(QStringLiteral("site Rotterdam-Port___")));

    auto *add = new QPushButton(tr("&Add…"), this);
    add->setObjectName(QStringLiteral("addRule"));
    m_edit->setObjectName(QStringLiteral("editRule"));
    m_duplicate->setObjectName(QStringLiteral("duplicateRule"));
    m_delete->setObjectName(QStringLiteral("deleteRule"));
    auto *import = new QPushButton(tr("&Import…"), this);
    import->setObjectName(QStringLiteral("importRules"));
    import->setToolTip(tr("Add the rules of a JSON rules file; a rule of the same name is replaced"));
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    exportButton->setObjectName(QStringLiteral("exportRules"));
    exportButton->setToolTip(tr("Save every rule to a JSON rules file"));
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {add, m_edit, m_duplicate, m_delete})
        buttons->addWidget(b);
    buttons->addSpacing(12);
    buttons->addWidget(import);
    buttons->addWidget(exportButton);
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_table, 1);
    row->addLayout(buttons);

    m_status->setObjectName(QStringLiteral("rulesStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(m_status);
    layout->addWidget(close);
    resize(920, 460);

    connect(add, &QPushButton::clicked, this, &AlertRulesDialog::addRule);
    connect(m_edit, &QPushButton::clicked, this, &AlertRulesDialog::editSelected);
    connect(m_duplicate, &QPushButton::clicked, this, &AlertRulesDialog::duplicateSelected);
    connect(m_delete, &QPushButton::clicked, this, &AlertRulesDialog::deleteSelected);
    connect(m_table, &QTableView::activated, this, &AlertRulesDialog::editSelected);
    connect(import, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Alert Rules"),
                                                          QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
                                                          tr("Rules files (*.json);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Alert Rules"),
                                                          QDir(dir).filePath(QStringLiteral("alert-rules.json")),
                                                          tr("Rules files (*.json)"));
        if (!path.isEmpty())
            exportFile(path);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlertRulesDialog::updateButtons);
    connect(m_model, &AlertRuleListModel::enabledToggleRequested, this, [this](const AlertRule &rule, bool enabled) {
        AlertRule changed = rule;
        changed.enabled = enabled;
        track(m_service->saveRule(changed), enabled ? tr("Enabled \"%1\".").arg(rule.name)
                                                    : tr("Disabled \"%1\".").arg(rule.name));
    });
    if (m_service) {
        m_model->setRules(m_service->rules());
        connect(m_service, &AlertService::rulesChanged, this, [this](const QList<AlertRule> &rules) {
            const AlertRule *selected = selectedRule();
            const QString name = selected ? selected->name : QString();
            m_model->setRules(rules);
            if (!name.isEmpty())
                selectRule(name);
            updateButtons();
        });
        connect(m_service, &AlertService::actionFinished, this, [this](quint64 id, bool ok, const QString &error) {
            const auto it = m_requests.constFind(id);
            if (it == m_requests.cend())
                return;
            const QString done = *it;
            m_requests.erase(it);
            showStatus(ok ? done : tr("Not done: %1").arg(error), !ok);
        });
    } else {
        add->setEnabled(false);
        import->setEnabled(false);
        showStatus(tr("Alert rules live in the operations store beside the cache, which is not open."), true);
    }
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    updateButtons();
    m_table->setFocus();
}

AlertRuleEditorDialog *AlertRulesDialog::editor() const
{
    return m_editor.data();
}

const AlertRule *AlertRulesDialog::selectedRule() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return m_model->ruleAt(m_proxy->mapToSource(rows.constFirst()).row());
}

bool AlertRulesDialog::selectRule(const QString &name)
{
    const int row = m_model->rowOfName(name);
    if (row < 0)
        return false;
    m_table->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
    return true;
}

void AlertRulesDialog::updateButtons()
{
    const bool one = m_service && selectedRule();
    m_edit->setEnabled(one);
    m_duplicate->setEnabled(one);
    m_delete->setEnabled(one);
}

void AlertRulesDialog::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, error ? warningColors(palette()).errorText : palette().color(QPalette::WindowText));
    m_status->setPalette(p);
}

void AlertRulesDialog::track(quint64 requestId, const QString &done)
{
    if (requestId != 0)
        m_requests.insert(requestId, done);
}

AlertRuleEditorDialog *AlertRulesDialog::openEditor(const AlertRule &rule)
{
    if (!m_service)
        return nullptr;
    if (m_editor)
        m_editor->close();
    auto *editor = new AlertRuleEditorDialog(rule, m_service, m_inventory, m_cachePath, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &AlertRuleEditorDialog::saved, this, [this](const AlertRule &saved) {
        showStatus(tr("Saved \"%1\".").arg(saved.name), false);
        selectRule(saved.name);
    });
    m_editor = editor;
    editor->open();
    return editor;
}

AlertRuleEditorDialog *AlertRulesDialog::addRule()
{
    AlertRule rule;
    rule.forMs = 10'000;
    return openEditor(rule);
}

AlertRuleEditorDialog *AlertRulesDialog::editSelected()
{
    const AlertRule *rule = selectedRule();
    return rule ? openEditor(*rule) : nullptr;
}

AlertRuleEditorDialog *AlertRulesDialog::duplicateSelected()
{
    const AlertRule *selected = selectedRule();
    if (!selected)
        return nullptr;
    AlertRule copy = *selected;
    copy.id = 0;
    QString name = tr("%1 (copy)").arg(selected->name);
    for (int n = 2; m_model->rowOfName(name) >= 0; ++n)
        name = tr("%1 (copy %2)").arg(selected->name).arg(n);
    copy.name = name.left(AlertRule::kMaxNameLength);
    return openEditor(copy);
}

void AlertRulesDialog::deleteSelected()
{
    confirmDelete();
}

QWidget *AlertRulesDialog::confirmDelete()
{
    const AlertRule *rule = selectedRule();
    if (!rule || !m_service)
        return nullptr;
    const AlertRule target = *rule;
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("deleteRuleConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setIcon(QMessageBox::Warning);
    box->setWindowTitle(tr("Delete Alert Rule"));
    box->setTextFormat(Qt::PlainText);
    box->setText(tr("Delete the rule \"%1\"?").arg(target.name));
    box->setInformativeText(tr("Its open alerts are resolved (\"the rule was deleted\"). The deletion is recorded "
                               "in the audit log."));
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDeleteRule"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::finished, this, [this, box, remove, target] {
        if (box->clickedButton() == remove)
            track(m_service->deleteRule(target.id), tr("Deleted \"%1\".").arg(target.name));
    });
    box->open();
    return box;
}

bool AlertRulesDialog::importFile(const QString &path)
{
    if (!m_service)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showStatus(tr("%1 could not be read: %2").arg(QDir::toNativeSeparators(path), file.errorString()), true);
        return false;
    }
    if (file.size() > AlertRuleJson::kMaxFileBytes) {
        showStatus(tr("%1 is too large for a rules file.").arg(QDir::toNativeSeparators(path)), true);
        return false;
    }
    const AlertRuleJson::ParseResult parsed = AlertRuleJson::parse(file.readAll());
    if (!parsed.ok()) {
        constexpr qsizetype kShown = 5;
        QStringList shown = parsed.errors.mid(0, kShown);
        if (parsed.errors.size() > kShown)
            shown.append(tr("… and %n more", nullptr, int(parsed.errors.size() - kShown)));
        showStatus(tr("Nothing imported from %1:\n%2").arg(QDir::toNativeSeparators(path), shown.join(u'\n')), true);
        return false;
    }
    track(m_service->importRules(parsed.rules),
          tr("Imported %n rule(s) from %1.", nullptr, int(parsed.rules.size())).arg(QDir::toNativeSeparators(path)));
    showStatus(tr("Importing…"), false);
    return true;
}

bool AlertRulesDialog::exportFile(const QString &path)
{
    QSaveFile file(path);
    const QByteArray data = AlertRuleJson::serialize(m_model->rules());
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        showStatus(tr("%1 could not be written: %2").arg(QDir::toNativeSeparators(path), file.errorString()), true);
        return false;
    }
    showStatus(tr("Exported %n rule(s) to %1.", nullptr, int(m_model->rowCount())).arg(QDir::toNativeSeparators(path)),
               false);
    return true;
}

} // namespace fd
