#pragma once

#include "core/alerts/alert_rule_preview.h"
#include "core/domain/alert_rule.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace fd {

class DeviceInventoryModel;

// The rule editor's preview: how many devices of the inventory the scope matches, and how
// often the rule would have fired over the last kWindowMs of cached history
// (AlertRulePreview: the engine's own evaluator replays the raw samples off the GUI
// thread; a busy bar meanwhile, a newer rule cancels the run in progress). Both follow the
// edits, debounced; the replay runs only for a valid rule.
class AlertRulePreviewPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 kWindowMs = 24LL * 3600 * 1000;
    static constexpr int kMatchDelayMs = 250;
    static constexpr int kReplayDelayMs = 800;

    AlertRulePreviewPanel(DeviceInventoryModel *inventory, const QString &cachePath, QWidget *parent = nullptr);

    // valid: AlertRule::validate() found nothing (else only the device count is updated).
    void setRule(const AlertRule &rule, bool valid);
    // The devices of the inventory in scope (by their source, path, site, model and tags).
    static QList<DeviceKey> devicesInScope(const DeviceInventoryModel &inventory, const AlertScope &scope);

    void matchNow();
    void replayNow();
    bool isBusy() const { return m_running != 0; }
    int matchedDevices() const { return int(m_devices.size()); }
    QString matchText() const;
    QString replayText() const;
    const AlertRulePreviewResult &lastResult() const { return m_result; }

signals:
    void replayFinished();

private:
    void onFinished(quint64 runId, const fd::AlertRulePreviewResult &result);

    DeviceInventoryModel *m_inventory;
    QString m_cachePath;
    AlertRulePreview m_preview;
    AlertRule m_rule;
    bool m_valid = false;
    QList<DeviceKey> m_devices;
    AlertRulePreviewResult m_result;
    quint64 m_running = 0;
    QTimer m_matchTimer;
    QTimer m_replayTimer;
    QLabel *m_matches;
    QLabel *m_replay;
    QProgressBar *m_busy;
    QPushButton *m_again;
};

} // namespace fd
