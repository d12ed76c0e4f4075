#pragma once

#include "core/domain/device.h"

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace fd {

class ReleaseCatalog;
class RolloutDetailPanel;
class RolloutListModel;
class RolloutService;
class RolloutWizard;

// Rollouts: every firmware rollout (RolloutListModel: state, progress, updated, failed, time
// left) above the selected one's detail (RolloutDetailPanel: actions, per-wave progress,
// devices, failure reasons, timeline). "New rollout…" opens the RolloutWizard on the
// inventory of the moment. Operator actions go through RolloutService after a confirmation
// where they stop something (abort, cancel); the list follows the committed changes.
// Without a RolloutService (no operations store) the page says rollouts are unavailable.
class RolloutsPage : public QWidget
{
    Q_OBJECT
public:
    using InventoryProvider = std::function<QList<Device>()>;

    RolloutsPage(RolloutService *service, ReleaseCatalog *catalog, InventoryProvider inventory,
                 QWidget *parent = nullptr);

    RolloutListModel *listModel() const { return m_model; }
    QTableView *table() const { return m_table; }
    RolloutDetailPanel *detailPanel() const { return m_detail; }
    QPushButton *newButton() const { return m_new; }
    QLabel *feedbackLabel() const { return m_feedback; }
    // The wizard (null when none is open).
    RolloutWizard *wizard() const { return m_wizard; }

    // Opens the wizard (non-modal; one at a time).
    void openWizard();
    void selectRollout(qint64 id);

signals:
    void activeCountChanged(int active);

private:
    void onCurrentChanged();
    void onAction(int action, qint64 id);
    void openRollBack(qint64 id);
    void startWizard(RolloutWizard *wizard);
    void setFeedback(const QString &text);

    RolloutService *m_service;
    ReleaseCatalog *m_catalog;
    InventoryProvider m_inventory;
    RolloutListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    RolloutDetailPanel *m_detail;
    QPushButton *m_new;
    QLabel *m_feedback;
    RolloutWizard *m_wizard = nullptr;
    quint64 m_createRequest = 0;
};

} // namespace fd
