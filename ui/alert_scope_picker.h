#pragma once

#include "core/domain/alert_scope.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace fd {

class DeviceInventoryModel;

// Which devices a rule watches, for the rule editor: all devices, a source, a site, a model,
// a tag or one device, with the value typed or picked from what the inventory knows (its
// sources, sites, models and tags; device ids complete from the inventory's rows).
// changed() on every edit.
class AlertScopePicker : public QWidget
{
    Q_OBJECT
public:
    explicit AlertScopePicker(DeviceInventoryModel *inventory, QWidget *parent = nullptr);

    void setScope(const AlertScope &scope);
    AlertScope scope() const;
    QComboBox *kindChoice() const { return m_kind; }
    QComboBox *valueField() const { return m_value; }
    QComboBox *sourceField() const { return m_source; }

signals:
    void changed();

private:
    void updateSuggestions();

    DeviceInventoryModel *m_inventory;
    QComboBox *m_kind;
    QComboBox *m_value;
    QLabel *m_sourceLabel;
    QComboBox *m_source;
};

} // namespace fd
