#pragma once

#include "core/domain/alert_rule.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The alert rules as a table (Alerts > Rules…): enabled, name, severity, kind, scope and
// the condition in words. The rules are AlertService's: setRules() replaces them when it
// reports rulesChanged() (a rule set has tens to a few thousand rules, edited rarely). The
// Enabled checkbox does not change the row: it asks (enabledToggleRequested) and the row
// follows once the service committed the change.
class AlertRuleListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { EnabledColumn, NameColumn, SeverityColumn, KindColumn, ScopeColumn, ConditionColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, RuleIdRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setRules(const QList<fd::AlertRule> &rules);
    const QList<AlertRule> &rules() const { return m_rules; }
    const AlertRule *ruleAt(int row) const;
    int rowOfRule(qint64 id) const;  // -1 if unknown
    int rowOfName(const QString &name) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    void enabledToggleRequested(const fd::AlertRule &rule, bool enabled);

private:
    QList<AlertRule> m_rules;
};

} // namespace fd
