#pragma once

#include "core/domain/alert_rule.h"
#include "core/domain/device_key.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <memory>

namespace fd {

// What a rule would have done over the cached history (the rule editor's preview).
struct AlertRulePreviewResult
{
    int devicesInScope = 0;   // devices given (the caller matched the scope)
    int devicesWithData = 0;  // of those, with the rule's metric in the cache
    int firings = 0;          // raises over the range, all devices
    int devicesFired = 0;
    qint64 pointsRead = 0;
    bool truncated = false;   // stopped at the point budget; the counts are a lower bound
    QString error;            // empty when the read went well
};

// Replays the cached raw history of each device through the rule (the engine's own
// evaluator), off the caller's thread: a QObject worker on its own QThread with its own
// read-only connection to the cache. Offline rules cannot be replayed (the cache keeps no
// presence history): devicesWithData stays 0. A new run() cancels the one in progress.
class AlertRulePreview : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultPointBudget = 5'000'000;

    explicit AlertRulePreview(QObject *parent = nullptr);
    ~AlertRulePreview() override;

    // Devices: those the scope matches (the caller knows the inventory).
    quint64 run(const QString &cachePath, const AlertRule &rule, const QList<DeviceKey> &devices, qint64 fromMs,
                qint64 toMs, qint64 pointBudget = kDefaultPointBudget);

signals:
    void finished(quint64 runId, const fd::AlertRulePreviewResult &result);

private:
    QThread m_thread;
    QObject *m_worker = nullptr;
    quint64 m_nextRun = 1;
    std::shared_ptr<std::atomic<quint64>> m_current;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::AlertRulePreviewResult)
