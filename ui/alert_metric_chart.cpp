#include "ui/alert_metric_chart.h"

#include "core/domain/alert_rule.h"
#include "core/storage/history_reader.h"
#include "core/telemetry/telemetry_series_data.h"
#include "widgets/telemetry_chart.h"

#include <QDateTime>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <cmath>

namespace fd {

namespace {
// Points of a reference line: evenly spaced, so the chart's gap rule connects them.
constexpr int kReferencePoints = 64;
// A range that grew by less than this is not read again (repeats move the end often).
constexpr qint64 kRereadMs = 60'000;
constexpr qint64 kReadAheadMs = 24LL * 3600 * 1000;
} // namespace

AlertMetricChart::AlertMetricChart(QWidget *parent)
    : QWidget(parent)
    , m_reader(std::make_unique<HistoryReader>())
    , m_stack(new QStackedWidget(this))
    , m_chart(new TelemetryChart(m_stack))
    , m_message(new QLabel(m_stack))
{
    setObjectName(QStringLiteral("alertMetricChart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    m_chart->setAccessibleName(tr("Metric around the alert"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_chart);
    m_stack->addWidget(m_message);
    connect(m_reader.get(), &HistoryReader::finished, this, &AlertMetricChart::onHistory);
    showMessage(tr("Select an alert to see its metric around the time it fired."));
}

AlertMetricChart::~AlertMetricChart() = default;

void AlertMetricChart::setHistoryDatabase(const QString &path)
{
    m_reader->setDatabasePath(path);
}

QString AlertMetricChart::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void AlertMetricChart::showMessage(const QString &text)
{
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
}

std::pair<qint64, qint64> AlertMetricChart::rangeFor(const Alert &alert, qint64 nowMs)
{
    const qint64 first = alert.firstTsMs > 0 ? alert.firstTsMs : alert.lastTsMs;
    const qint64 last = qMax(alert.lastTsMs, alert.clearTsMs);
    const qint64 from = first - kMarginMs;
    const qint64 to = qMax(from + 60'000, qMin(last + kMarginMs, nowMs));
    return {from, to};
}

void AlertMetricChart::showAlert(const Alert *alert, const AlertRule *rule)
{
    if (!alert) {
        m_alertId = 0;
        m_pending = 0;
        m_reader->cancelAll();
        showMessage(tr("Select an alert to see its metric around the time it fired."));
        return;
    }
    if (alert->isGroup() || alert->metric.isEmpty()) {
        m_alertId = alert->id;
        m_pending = 0;
        showMessage(alert->isGroup() ? tr("A group of offline devices: select one of its devices (show grouped "
                                          "devices) to see its history.")
                                     : tr("This alert is not about a metric (%1).")
                                           .arg(AlertRule::kindKey(alert->ruleKind)));
        return;
    }
    const auto [from, to] = rangeFor(*alert, QDateTime::currentMSecsSinceEpoch());
    if (alert->id == m_alertId && from == m_fromMs && to - m_toMs < kRereadMs)
        return;
    m_alertId = alert->id;
    m_fromMs = from;
    m_toMs = to;

    m_chart->clearSeries();
    m_data = std::make_shared<TelemetrySeriesData>();
    m_chart->setTitle(tr("%1 · %2").arg(alert->metric, alert->device.shownId()));
    m_chart->setValueAxisTitle(alert->metric);
    m_chart->addSeries(alert->metric, m_data);
    if (rule) {
        switch (rule->kind) {
        case AlertRuleKind::Above:
        case AlertRuleKind::Below:
            addReferenceLine(tr("threshold"), rule->threshold, from, to);
            if (rule->effectiveClear() != rule->threshold)
                addReferenceLine(tr("clears at"), rule->effectiveClear(), from, to);
            break;
        case AlertRuleKind::Outside:
            addReferenceLine(tr("low"), rule->low, from, to);
            addReferenceLine(tr("high"), rule->high, from, to);
            break;
        case AlertRuleKind::Occurrences:
            addReferenceLine(tr("threshold"), rule->threshold, from, to);
            break;
        default: break;
        }
    }
    m_chart->setTimeRange(from, to);
    m_stack->setCurrentWidget(m_chart);
    if (m_reader->databasePath().isEmpty()) {
        showMessage(tr("No cache to read the history from."));
        return;
    }
    // Read on to now (within a day after the range): the chart shows the alert's time, and
    // "stale" in its legend means the device really went quiet, not that the read stopped.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    HistoryRequest request;
    request.series.append({alert->device, alert->metric});
    request.fromMs = from;
    request.toMs = qBound(to, now, to + kReadAheadMs);
    m_reader->cancelAll();
    m_pending = m_reader->request(request);
}

void AlertMetricChart::addReferenceLine(const QString &label, double value, qint64 fromMs, qint64 toMs)
{
    if (!std::isfinite(value))
        return;
    // Up to now too: a rule's threshold is never "stale".
    toMs = qMax(toMs, QDateTime::currentMSecsSinceEpoch() + 60'000);
    TelemetryBuckets points;
    for (int i = 0; i < kReferencePoints; ++i) {
        TelemetryBucket b;
        b.tMs = fromMs + (toMs - fromMs) * i / (kReferencePoints - 1);
        b.min = b.max = b.mean = value;
        b.count = 1;
        points.append(b);
    }
    auto data = std::make_shared<TelemetrySeriesData>();
    data->setHistory(points);
    const int id = m_chart->addSeries(tr("%1 %2").arg(label, QString::number(value, 'g', 10)), data,
                                      palette().color(QPalette::PlaceholderText));
    m_chart->setSeriesToolTip(id, tr("The rule's %1").arg(label));
}

void AlertMetricChart::onHistory(const HistoryResult &result)
{
    if (result.id != m_pending || !m_data)
        return;
    m_pending = 0;
    if (!result.error.isEmpty()) {
        showMessage(tr("The history could not be read: %1").arg(result.error));
        return;
    }
    const TelemetryBuckets rows = result.rows.value(0);
    m_data->setHistory(rows);
    m_chart->notifyDataChanged();
    if (rows.isEmpty())
        m_chart->setTitle(tr("%1 — no cached samples around the alert").arg(m_chart->title()));
    emit historyApplied(result.id, rows.size());
}

} // namespace fd
