#pragma once

#include "core/domain/device.h"

#include <QList>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>

class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QMimeData;
class QStackedWidget;

namespace fd {

class DeviceInventoryModel;
class SelectionSummaryView;
class StatusBadge;

// The right-hand panel of the inventory: attributes, latest metrics, message counts and
// rejected-message reasons of one device. Follows live updates of that device through the
// inventory model. Everything is shown as plain text (payload strings are untrusted).
// A row of "Latest metrics" can be dragged (SeriesMime: this device and that metric) onto
// a chart of the Telemetry page.
class DeviceDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DeviceDetailPanel(DeviceInventoryModel *inventory, QWidget *parent = nullptr);

    void showDevice(const DeviceKey &key);  // null: placeholder
    // A device of the default source (caches recorded before sources existed); empty: placeholder.
    void showDevice(const QString &deviceId);
    // Several devices: a summary of them (SelectionSummaryView, refreshed at most once a
    // second while they change); fewer than two: showDevice() of the first, or the placeholder.
    void showSelection(const QList<DeviceKey> &keys);
    qsizetype selectionSize() const { return m_selection.size(); }  // 0 unless a summary is shown
    SelectionSummaryView *summaryView() const { return m_summary; }
    // True when the panel shows neither a device nor a summary.
    bool isPlaceholderShown() const;

    DeviceKey deviceKey() const { return m_key; }
    QString deviceId() const { return m_key.id(); }

    QSize sizeHint() const override;

    // The Sparkplug B section (hidden for protocol v1 devices) and its actions.
    QGroupBox *sparkplugSection() const { return m_sessionBox; }
    QPushButton *writeMetricButton() const { return m_writeButton; }
    QPushButton *rebirthButton() const { return m_rebirthButton; }

    // The drag data of a metric row (null without a device): SeriesMime, caller owns.
    QMimeData *mimeDataForMetric(const QString &metric) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    // "Chart…" was clicked: chart this device's metrics on the Telemetry page.
    void chartRequested(const fd::DeviceKey &device);
    // Sparkplug B nodes and devices: "Write Metric…" / "Request Rebirth" were clicked (only
    // possible while SparkplugActions allows it; the buttons say why not otherwise).
    void writeMetricRequested(const fd::DeviceKey &device);
    void rebirthRequested(const fd::DeviceKey &device);

private:
    void refresh(bool force = false);
    void refreshSummary();
    void updateLastSeen(const Device &device);
    void refreshIfShown(int firstRow, int lastRow);
    void fill(const Device &device);
    void fillSparkplug(const Device &device);
    static void clearForm(QFormLayout *form);
    QLabel *valueLabel(const QString &text) const;
    void startMetricDrag(const QString &metric);

    DeviceInventoryModel *m_inventory;
    DeviceKey m_key;

    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    SelectionSummaryView *m_summary;
    QList<DeviceKey> m_selection;
    QTimer m_summaryTimer;
    QLabel *m_title;
    QLabel *m_subtitle;
    StatusBadge *m_status;
    QGroupBox *m_sessionBox;
    QFormLayout *m_session;
    QWidget *m_sparkplugActions;
    QPushButton *m_writeButton;
    QPushButton *m_rebirthButton;
    QFormLayout *m_attributes;
    QFormLayout *m_metrics;
    QFormLayout *m_counts;
    QFormLayout *m_rejects;
    QLabel *m_lastSeen = nullptr;
    std::optional<Device> m_shown;  // what the forms show now
    int m_shownLook = -1;           // presence and staleness it was shown with
    QString m_pressMetric;          // metric row under a mouse press (drag start)
    QPoint m_pressPos;
};

} // namespace fd
