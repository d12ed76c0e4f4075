#pragma once

#include "core/domain/alert_rule.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace fd {

class AlertRulePreviewPanel;
class AlertScopePicker;
class AlertService;
class DeviceInventoryModel;

// Add / edit one alert rule. The form shows the fields of the chosen kind only (threshold
// and clear for above/below, low/high and the clear range for outside, count, window and
// condition for occurrences, rate threshold, clear and direction for rate, tolerance for
// stuck; for_s and clear_for_s for every kind), validated as the user types
// (AlertRule::validate(), plus numbers that do not parse): the problem is shown and OK
// stays disabled while there is one. The preview (AlertRulePreviewPanel) follows the edits.
//
// OK saves through AlertService::saveRule() and closes only once the service committed it;
// a refusal (a duplicate name, a store error) is shown and the dialog stays open.
class AlertRuleEditorDialog : public QDialog
{
    Q_OBJECT
public:
    AlertRuleEditorDialog(const AlertRule &rule, AlertService *service, DeviceInventoryModel *inventory,
                          const QString &cachePath, QWidget *parent = nullptr);

    AlertRule rule() const;  // as edited (id kept)
    QString problem() const;  // empty when the rule is valid
    bool isFieldShown(const QString &field) const;  // "threshold", "low", "count", ...
    QWidget *field(const QString &field) const;
    QLineEdit *nameField() const { return m_name; }
    QComboBox *kindChoice() const { return m_kind; }
    QLineEdit *metricField() const;
    AlertScopePicker *scopePicker() const { return m_scope; }
    AlertRulePreviewPanel *preview() const { return m_preview; }
    QPushButton *okButton() const;
    QLabel *problemLabel() const { return m_problem; }

    void accept() override;  // saves; closes when saved

signals:
    void saved(const fd::AlertRule &rule);

private:
    void load(const AlertRule &rule);
    void revalidate();
    void updateKindRows();
    QLineEdit *numberField(const QString &placeholder = QString());
    void addRow(const QString &key, const QString &label, QWidget *widget);
    double number(const QString &key, bool *ok) const;

    AlertService *m_service;
    qint64 m_id = 0;
    quint64 m_saving = 0;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QCheckBox *m_enabled;
    QComboBox *m_severity;
    AlertScopePicker *m_scope;  // made in the order of the rows: Tab follows them
    QComboBox *m_kind;
    QComboBox *m_metric;
    QLineEdit *m_threshold;
    QLineEdit *m_clear;
    QLineEdit *m_low;
    QLineEdit *m_high;
    QLineEdit *m_clearLow;
    QLineEdit *m_clearHigh;
    QComboBox *m_condition;
    QSpinBox *m_count;
    QDoubleSpinBox *m_window;
    QComboBox *m_direction;
    QLineEdit *m_tolerance;
    QDoubleSpinBox *m_for;
    QDoubleSpinBox *m_clearFor;
    QLabel *m_condText;
    QLabel *m_problem;
    AlertRulePreviewPanel *m_preview;
    QDialogButtonBox *m_buttons;
    QHash<QString, QWidget *> m_fields;
    QHash<QString, QLabel *> m_labels;
};

} // namespace fd
