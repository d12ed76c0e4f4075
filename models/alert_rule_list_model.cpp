#include "models/alert_rule_list_model.h"

#include "models/alert_style.h"
#include "models/connection_state_style.h"

namespace fd {

void AlertRuleListModel::setRules(const QList<AlertRule> &rules)
{
    beginResetModel();
    m_rules = rules;
    endResetModel();
}

const AlertRule *AlertRuleListModel::ruleAt(int row) const
{
    return row >= 0 && row < m_rules.size() ? &m_rules.at(row) : nullptr;
}

int AlertRuleListModel::rowOfRule(qint64 id) const
{
    for (int r = 0; r < m_rules.size(); ++r) {
        if (m_rules.at(r).id == id)
            return r;
    }
    return -1;
}

int AlertRuleListModel::rowOfName(const QString &name) const
{
    for (int r = 0; r < m_rules.size(); ++r) {
        if (m_rules.at(r).name == name)
            return r;
    }
    return -1;
}

int AlertRuleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rules.size());
}

int AlertRuleListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertRuleListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertRule &rule = m_rules.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case EnabledColumn: return QVariant();
        case NameColumn: return rule.name;
        case SeverityColumn: return alertSeverityLabel(rule.severity);
        case KindColumn: return alertRuleKindLabel(rule.kind);
        case ScopeColumn: return rule.scope.displayText();
        case ConditionColumn: return rule.conditionText();
        }
        return {};
    case Qt::CheckStateRole:
        if (column == EnabledColumn)
            return rule.enabled ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::DecorationRole:
        if (column == SeverityColumn)
            return alertSeverityColor(rule.severity);
        return {};
    case Qt::ToolTipRole:
        if (column == EnabledColumn)
            return rule.enabled ? tr("Enabled: the rule is evaluated") : tr("Disabled: the rule is not evaluated");
        return plainTextToolTip(rule.description.isEmpty() ? rule.conditionText()
                                                           : rule.description + u'\n' + rule.conditionText());
    case SortRole:
        switch (column) {
        case EnabledColumn: return rule.enabled;
        case SeverityColumn: return int(rule.severity);
        case KindColumn: return int(rule.kind);
        default: return data(index, Qt::DisplayRole);
        }
    case RuleIdRole: return rule.id;
    default: return {};
    }
}

bool AlertRuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != EnabledColumn
        || role != Qt::CheckStateRole)
        return false;
    const bool enabled = value.toInt() == Qt::Checked;
    const AlertRule &rule = m_rules.at(index.row());
    if (enabled != rule.enabled)
        emit enabledToggleRequested(rule, enabled);
    return false;  // the row follows the service (setRules), not the click
}

QVariant AlertRuleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnabledColumn: return tr("On");
    case NameColumn: return tr("Name");
    case SeverityColumn: return tr("Severity");
    case KindColumn: return tr("Kind");
    case ScopeColumn: return tr("Scope");
    case ConditionColumn: return tr("Condition");
    }
    return {};
}

Qt::ItemFlags AlertRuleListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == EnabledColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

} // namespace fd
