#include "ui/metric_catalogue_dialog.h"

#include "core/domain/metric_catalogue.h"
#include "core/domain/metric_catalogue_json.h"
#include "models/metric_catalogue_model.h"
#include "widgets/plain_label.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace fd {

MetricCatalogueDialog::MetricCatalogueDialog(const QList<MetricInfo> &current, const QStringList &reportedMetrics,
                                             QWidget *parent)
    : QDialog(parent)
    , m_reported(reportedMetrics)
{
    setObjectName(QStringLiteral("MetricCatalogueDialog"));
    setWindowTitle(tr("Metric Catalogue"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(plainLabel(tr("How each metric is shown in the inventory, the detail panel and the charts. "
                                    "A metric that is not listed shows its name as sent and a plain number."),
                                 this, {.wrap = true}));

    m_model = new MetricCatalogueModel(this);
    m_model->setEntries(current);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("metricCatalogueView"));
    m_view->setAccessibleName(tr("Metric catalogue"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(MetricCatalogueModel::DisplayNameColumn, QHeaderView::Stretch);
    layout->addWidget(m_view, 1);

    m_problem = plainLabel(QString(), this, {.wrap = true, .selectable = true});
    m_problem->setObjectName(QStringLiteral("metricCatalogueProblem"));
    m_problem->hide();
    layout->addWidget(m_problem);
    connect(m_model, &MetricCatalogueModel::editRejected, this, &MetricCatalogueDialog::showProblem);
    connect(m_model, &QAbstractItemModel::dataChanged, m_problem, &QWidget::hide);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add"), this);
    auto *addReportedButton = new QPushButton(tr("Add Re&ported"), this);
    addReportedButton->setToolTip(tr("Add every metric the devices report that is not listed yet."));
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *importButton = new QPushButton(tr("&Import…"), this);
    auto *exportButton = new QPushButton(tr("&Export…"), this);
    remove->setEnabled(false);
    for (QPushButton *b : {add, addReportedButton, remove, importButton, exportButton}) {
        b->setAutoDefault(false);
        row->addWidget(b);
    }
    row->addStretch(1);
    layout->addLayout(row);
    connect(add, &QPushButton::clicked, this, &MetricCatalogueDialog::addMetric);
    connect(remove, &QPushButton::clicked, this, &MetricCatalogueDialog::removeSelected);
    connect(addReportedButton, &QPushButton::clicked, this, &MetricCatalogueDialog::addReported);
    const auto updateReported = [this, addReportedButton] {
        const qsizetype n = missingReported().size();
        addReportedButton->setEnabled(n > 0);
        addReportedButton->setText(n > 0 ? tr("Add Re&ported (%1)").arg(n) : tr("Add Re&ported"));
    };
    connect(m_model, &QAbstractItemModel::modelReset, addReportedButton, updateReported);
    connect(m_model, &QAbstractItemModel::rowsInserted, addReportedButton, updateReported);
    connect(m_model, &QAbstractItemModel::rowsRemoved, addReportedButton, updateReported);
    connect(m_model, &QAbstractItemModel::dataChanged, addReportedButton, updateReported);
    updateReported();
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, remove,
            [this, remove] { remove->setEnabled(m_view->selectionModel()->hasSelection()); });
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Metric Catalogue"), {},
                                                          tr("Metric catalogue (*.json);;All files (*)"));
        if (!path.isEmpty())
            showProblem(importFile(path));
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Metric Catalogue"),
                                                          QStringLiteral("metric-catalogue.json"),
                                                          tr("Metric catalogue (*.json)"));
        if (!path.isEmpty())
            showProblem(exportFile(path));
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                             | QDialogButtonBox::RestoreDefaults,
                                         this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { m_model->setEntries(MetricCatalogue::defaults()); m_problem->hide(); });
    layout->addWidget(buttons);
    resize(760, 420);
}

QList<MetricInfo> MetricCatalogueDialog::entries() const
{
    return m_model->entries();
}

void MetricCatalogueDialog::showProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

QString MetricCatalogueDialog::importFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("Cannot read %1: %2").arg(path, file.errorString());
    if (file.size() > MetricCatalogueJson::kMaxFileBytes)
        return tr("%1 is not a metric catalogue: it is larger than %2 MB.")
            .arg(path).arg(MetricCatalogueJson::kMaxFileBytes / (1024 * 1024));
    const MetricCatalogueJson::ReadResult result = MetricCatalogueJson::read(file.read(MetricCatalogueJson::kMaxFileBytes + 1));
    if (!result.ok())
        return tr("%1 was not imported. %2").arg(path, result.error);
    m_model->setEntries(result.entries);
    return {};
}

QString MetricCatalogueDialog::exportFile(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(MetricCatalogueJson::write(m_model->entries())) < 0
        || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void MetricCatalogueDialog::addMetric()
{
    const int row = m_model->addMetric();
    const QModelIndex index = m_model->index(row, MetricCatalogueModel::NameColumn);
    m_view->setCurrentIndex(index);
    m_view->edit(index);
}

QStringList MetricCatalogueDialog::missingReported() const
{
    QSet<QString> listed;
    for (const MetricInfo &m : m_model->entries())
        listed.insert(m.name);
    QStringList missing;
    for (const QString &name : m_reported) {
        // A name the catalogue file could not hold (controls, too long) is not offered.
        const bool storable = !name.isEmpty() && name.size() <= MetricInfo::kMaxNameLength
            && std::none_of(name.cbegin(), name.cend(), [](QChar c) {
                   return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
               });
        if (storable && !listed.contains(name))
            missing.append(name);
    }
    return missing;
}

int MetricCatalogueDialog::addReported()
{
    const QStringList missing = missingReported();
    QList<MetricInfo> entries = m_model->entries();
    for (const QString &name : missing) {
        MetricInfo m;
        m.name = name;
        entries.append(m);
    }
    if (!missing.isEmpty())
        m_model->setEntries(entries);
    return int(missing.size());
}

void MetricCatalogueDialog::removeSelected()
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(index.row());
    m_model->removeMetrics(rows);
}

} // namespace fd
