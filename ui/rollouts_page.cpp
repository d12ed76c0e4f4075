#include "ui/rollouts_page.h"

#include "core/ota/release_catalog.h"
#include "core/ota/rollout_service.h"
#include "models/rollout_list_model.h"
#include "ui/rollout_detail_panel.h"
#include "ui/rollout_wizard.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

RolloutsPage::RolloutsPage(RolloutService *service, ReleaseCatalog *catalog, InventoryProvider inventory,
                           QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_catalog(catalog)
    , m_inventory(std::move(inventory))
    , m_model(new RolloutListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_detail(new RolloutDetailPanel(this))
    , m_new(new QPushButton(tr("&New rollout…"), this))
    , m_feedback(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RolloutListModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RolloutListModel::NameColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(RolloutListModel::NameColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);
    m_feedback->setTextFormat(Qt::PlainText);
    m_feedback->setWordWrap(true);

    auto *top = new QHBoxLayout;
    auto *title = new QLabel(tr("Firmware rollouts"), this);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    title->setFont(bold);
    top->addWidget(title);
    top->addStretch(1);
    top->addWidget(m_new);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({150, 650});  // the detail (waves, devices) gets the room

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_feedback);
    layout->addWidget(splitter, 1);

    if (!m_service || !m_catalog) {
        m_new->setEnabled(false);
        setFeedback(tr("Rollouts are unavailable: the operations store is not open."));
        return;
    }
    connect(m_new, &QPushButton::clicked, this, &RolloutsPage::openWizard);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RolloutsPage::onCurrentChanged);
    connect(m_detail, &RolloutDetailPanel::actionRequested, this,
            [this](RolloutDetailPanel::Action action, qint64 id) { onAction(int(action), id); });
    connect(m_service, &RolloutService::rolloutsLoaded, this, [this](const QList<RolloutSnapshot> &all) {
        const qint64 current = m_detail->rolloutId();
        m_model->setRollouts(all);
        if (current != 0)
            selectRollout(current);
        else if (!all.isEmpty())
            m_table->selectRow(0);
        emit activeCountChanged(m_service->activeCount());
    });
    connect(m_service, &RolloutService::rolloutChanged, this, [this](const RolloutSnapshot &snapshot) {
        m_model->updateRollout(snapshot);
        if (snapshot.rollout.id == m_detail->rolloutId())
            m_detail->setSnapshot(snapshot);
        emit activeCountChanged(m_service->activeCount());
    });
    connect(m_service, &RolloutService::devicesChanged, m_detail, &RolloutDetailPanel::setDevices);
    connect(m_service, &RolloutService::eventsRead, m_detail, &RolloutDetailPanel::setEvents);
    connect(m_service, &RolloutService::runnerMessage, this, [this](qint64 id, const QString &message) {
        if (id == m_detail->rolloutId())
            m_detail->setRunnerMessage(message);
    });
    connect(m_service, &RolloutService::actionFailed, this,
            [this](qint64, const QString &error) { setFeedback(error); });
    connect(m_service, &RolloutService::created, this,
            [this](quint64 request, qint64 id, const QString &error) {
                if (request != m_createRequest)
                    return;
                if (!error.isEmpty()) {
                    setFeedback(tr("The rollout was not created: %1").arg(error));
                    return;
                }
                setFeedback(tr("Rollout %1 created.").arg(id));
                selectRollout(id);
            });
    m_model->setRollouts(m_service->rollouts());
}

void RolloutsPage::setFeedback(const QString &text)
{
    m_feedback->setText(text);
    m_feedback->setVisible(!text.isEmpty());
}

void RolloutsPage::selectRollout(qint64 id)
{
    const int row = m_model->rowOfRollout(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RolloutsPage::onCurrentChanged()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const RolloutSnapshot *s = m_model->rolloutAt(current.row());
    m_detail->setSnapshot(s ? std::optional(*s) : std::nullopt);
    if (!m_service)
        return;
    m_service->watch(s ? s->rollout.id : 0);
    if (s)
        m_service->readEvents(s->rollout.id);
}

void RolloutsPage::openWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return;
    }
    startWizard(new RolloutWizard(m_catalog, m_inventory ? m_inventory() : QList<Device>(), m_service->actor(), this));
}

void RolloutsPage::startWizard(RolloutWizard *wizard)
{
    m_wizard = wizard;
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QWizard::accepted, this, [this, wizard] {
        QString error;
        const std::optional<RolloutBuilder::Result> draft = wizard->draft(&error);
        if (!draft) {
            setFeedback(tr("The rollout was not created: %1").arg(error));
            return;
        }
        setFeedback(tr("Creating rollout %1…").arg(draft->rollout.name));
        m_createRequest = m_service->create(draft->rollout, draft->devices, wizard->startNow());
    });
    connect(wizard, &QObject::destroyed, this, [this] { m_wizard = nullptr; });
    wizard->show();
}

void RolloutsPage::openRollBack(qint64 id)
{
    QSet<DeviceKey> failed;
    for (const RolloutDevice &d : m_service->devices(id)) {
        if (isFailure(d.state))
            failed.insert(d.key);
    }
    QList<Device> targets;
    for (const Device &d : m_inventory ? m_inventory() : QList<Device>()) {
        if (failed.contains(d.key()))
            targets.append(d);
    }
    if (targets.isEmpty()) {
        setFeedback(tr("None of the failed devices of rollout %1 is in the inventory.").arg(id));
        return;
    }
    auto *wizard = new RolloutWizard(m_catalog, targets, m_service->actor(), this);
    wizard->setFixedTargets(targets);
    startWizard(wizard);
}

void RolloutsPage::onAction(int action, qint64 id)
{
    const std::optional<RolloutSnapshot> s = m_service->rollout(id);
    if (!s)
        return;
    setFeedback({});
    switch (RolloutDetailPanel::Action(action)) {
    case RolloutDetailPanel::Action::Start:
        m_service->start(id);
        break;
    case RolloutDetailPanel::Action::Pause:
        m_service->pause(id, tr("paused by %1").arg(m_service->actor()));
        break;
    case RolloutDetailPanel::Action::Resume:
        m_service->resume(id);
        break;
    case RolloutDetailPanel::Action::Abort: {
        bool ok = false;
        const QString reason = QInputDialog::getText(
            this, tr("Abort rollout"),
            tr("Abort \"%1\"? Devices not started never start; %n device(s) updating now may finish.\n\nReason:",
               nullptr, s->inProgress())
                .arg(s->rollout.name),
            QLineEdit::Normal, QString(), &ok);
        if (ok)
            m_service->abort(id, reason.trimmed().isEmpty() ? tr("aborted by %1").arg(m_service->actor()) : reason.trimmed());
        break;
    }
    case RolloutDetailPanel::Action::Cancel: {
        QMessageBox box(QMessageBox::Warning, tr("Cancel rollout"),
                        tr("Cancel \"%1\" now?").arg(s->rollout.name), QMessageBox::Yes | QMessageBox::No, this);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(tr("Every job not finished is withdrawn from the broker (%n device(s) in progress). "
                                  "A device already installing may still finish.",
                                  nullptr, s->inProgress()));
        box.setDefaultButton(QMessageBox::No);
        if (box.exec() == QMessageBox::Yes)
            m_service->cancel(id);
        break;
    }
    case RolloutDetailPanel::Action::RollBackFailed:
        openRollBack(id);
        break;
    }
}

} // namespace fd
