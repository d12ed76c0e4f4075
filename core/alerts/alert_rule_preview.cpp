#include "core/alerts/alert_rule_preview.h"

#include "core/alerts/series_rule_evaluator.h"
#include "core/storage/database.h"
#include "core/storage/history_query.h"

#include <atomic>
#include <memory>

namespace fd {
namespace {

// Lives on the preview's thread; one run at a time, in order.
class PreviewWorker : public QObject
{
public:
    explicit PreviewWorker(std::shared_ptr<std::atomic<quint64>> current)
        : m_current(std::move(current))
    {
    }

    AlertRulePreviewResult run(quint64 id, const QString &path, const AlertRule &rule, const QList<DeviceKey> &devices,
                               qint64 fromMs, qint64 toMs, qint64 budget)
    {
        AlertRulePreviewResult r;
        r.devicesInScope = int(devices.size());
        if (!rule.isSampleRule() || rule.metric.isEmpty())
            return r;  // offline / no data: no presence history in the cache
        Database db;
        const Database::OpenResult opened = db.open(path, /*readOnly=*/true);
        if (!opened.ok()) {
            r.error = opened.message;
            return r;
        }
        HistoryQuery query(db);
        for (const DeviceKey &device : devices) {
            if (m_current->load() != id) {
                r.error = AlertRulePreview::tr("cancelled");
                return r;
            }
            SeriesPoints points;
            QString error;
            if (!query.readRaw(device, rule.metric, fromMs, toMs, &points, &error)) {
                r.error = error;
                return r;
            }
            if (points.empty())
                continue;
            ++r.devicesWithData;
            SingleRuleSeries series;
            int fired = 0;
            for (const SeriesPoint &p : points) {
                if (series.feed(rule, p.tsMs, p.value, p.tsMs) == SeriesRuleEvaluator::Outcome::Raise)
                    ++fired;
            }
            r.pointsRead += qint64(points.size());
            r.firings += fired;
            if (fired > 0)
                ++r.devicesFired;
            if (r.pointsRead >= budget) {
                r.truncated = true;
                break;
            }
        }
        return r;
    }

private:
    std::shared_ptr<std::atomic<quint64>> m_current;
};

} // namespace

AlertRulePreview::AlertRulePreview(QObject *parent)
    : QObject(parent)
    , m_current(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<fd::AlertRulePreviewResult>();
    m_thread.setObjectName(QStringLiteral("fleetdeck-rule-preview"));
    auto *worker = new PreviewWorker(m_current);
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread.start(QThread::LowPriority);
}

AlertRulePreview::~AlertRulePreview()
{
    m_current->store(0);
    m_thread.quit();
    m_thread.wait();
}

quint64 AlertRulePreview::run(const QString &cachePath, const AlertRule &rule, const QList<DeviceKey> &devices,
                              qint64 fromMs, qint64 toMs, qint64 pointBudget)
{
    const quint64 id = m_nextRun++;
    m_current->store(id);
    auto *worker = static_cast<PreviewWorker *>(m_worker);
    QPointer<AlertRulePreview> self(this);
    QMetaObject::invokeMethod(
        worker,
        [worker, self, id, cachePath, rule, devices, fromMs, toMs, pointBudget, current = m_current] {
            if (current->load() != id)
                return;  // superseded before it started
            const AlertRulePreviewResult result = worker->run(id, cachePath, rule, devices, fromMs, toMs, pointBudget);
            if (current->load() != id)
                return;
            QMetaObject::invokeMethod(
                self, [self, id, result] { if (self) emit self->finished(id, result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return id;
}

} // namespace fd
