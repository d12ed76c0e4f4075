#pragma once

#include "core/domain/device.h"
#include "core/protocol/sparkplug/sparkplug_command_builder.h"

#include <QDialog>

#include <functional>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace fd {

// "Write Metric…" for a Sparkplug B edge node or device: choose one of the writable
// metrics its last BIRTH declared (Device::sparkplug.metrics), see its datatype and current
// value, type the new value. The value is checked as typed by the command that will be sent
// (SparkplugCommandBuilder::write: the datatype's range, a finite number, ...); its reason
// shows under the field and Write stays disabled until the value fits. Device-supplied
// names and values are shown as plain text.
class SparkplugWriteDialog : public QDialog
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;  // ms since epoch, for the command's timestamps

    explicit SparkplugWriteDialog(const Device &device, QWidget *parent = nullptr);

    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Preselects a metric (false if it is not one of the writable ones).
    bool selectMetric(const QString &metric);
    QStringList writableMetrics() const;  // in the chooser's order

    QString metric() const;
    quint32 datatype() const;       // Sparkplug datatype code of metric()
    QString datatypeName() const;   // "Double", ...
    QString currentValueText() const;  // metric()'s value as shown ("—": none yet)
    QString valueText() const;
    QString errorText() const;      // why the typed value is refused (empty: fine, or nothing typed)
    bool isValueAcceptable() const;
    // The command for the typed value (nullopt while it does not fit). Built with the clock's
    // time of the call.
    std::optional<SparkplugCommandMessage> command() const;

    QComboBox *metricChooser() const { return m_metric; }
    QLineEdit *valueField() const { return m_value; }
    QPushButton *writeButton() const;

private:
    void onMetricChanged();
    void validate();
    const SparkplugMetricDefinition *definition() const;

    Device m_device;
    Clock m_clock;
    QComboBox *m_metric;
    QLabel *m_datatype;
    QLabel *m_current;
    QLineEdit *m_value;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QString m_currentText;  // as a whole (the label may shorten it)
    bool m_acceptable = false;
};

} // namespace fd
