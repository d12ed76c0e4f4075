#pragma once

#include "core/domain/alert_rule.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace fd {

class AlertRuleEditorDialog;
class AlertRuleListModel;
class AlertService;
class DeviceInventoryModel;

// Alerts > Rules…: the alert rules (enabled, name, severity, kind, scope, condition) with
// Add, Edit, Duplicate, Delete, Import and Export (the JSON rules file, AlertRuleJson).
// The list is AlertService's: it follows rulesChanged(); every change goes through the
// service and is reported ("Saved", or why not) when it committed. Editing opens
// AlertRuleEditorDialog. Non-modal, one at a time (the window keeps it).
class AlertRulesDialog : public QDialog
{
    Q_OBJECT
public:
    AlertRulesDialog(AlertService *service, DeviceInventoryModel *inventory, const QString &cachePath,
                     QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    AlertRuleListModel *model() const { return m_model; }
    QLabel *statusLabel() const { return m_status; }
    // The selected rule (nullptr without one).
    const AlertRule *selectedRule() const;
    bool selectRule(const QString &name);

    // The buttons' work, without their file dialogs where there are any.
    AlertRuleEditorDialog *addRule();
    AlertRuleEditorDialog *editSelected();
    AlertRuleEditorDialog *duplicateSelected();
    void deleteSelected();  // asks first (window-modal); the box is returned by confirmDelete()
    QWidget *confirmDelete();
    // Reads a rules file and imports it (all or nothing); false with the problems shown.
    bool importFile(const QString &path);
    bool exportFile(const QString &path);
    AlertRuleEditorDialog *editor() const;

private:
    void track(quint64 requestId, const QString &done);
    void updateButtons();
    AlertRuleEditorDialog *openEditor(const AlertRule &rule);
    void showStatus(const QString &text, bool error);

    AlertService *m_service;
    DeviceInventoryModel *m_inventory;
    QString m_cachePath;
    AlertRuleListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_status;
    QPushButton *m_edit;
    QPushButton *m_duplicate;
    QPushButton *m_delete;
    QHash<quint64, QString> m_requests;  // request -> what to say when it committed
    QPointer<AlertRuleEditorDialog> m_editor;
};

} // namespace fd
