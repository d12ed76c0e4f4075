#pragma once

#include "core/domain/alert.h"
#include "core/storage/history_request.h"

#include <QWidget>

#include <memory>
#include <utility>

class QLabel;
class QStackedWidget;

namespace fd {

class HistoryReader;
class TelemetryChart;
class TelemetrySeriesData;

// The metric of an alert around its time, in the telemetry chart: the cached history of
// the alert's device and metric from kMarginMs before the first occurrence to kMarginMs
// after the last one (or its clear; never past now), read off the GUI thread
// (HistoryReader), with the rule's threshold(s) as flat reference lines. Alerts without a
// metric (offline, group alerts) show a short message instead.
class AlertMetricChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 kMarginMs = 30LL * 60 * 1000;

    explicit AlertMetricChart(QWidget *parent = nullptr);
    ~AlertMetricChart() override;

    void setHistoryDatabase(const QString &path);
    // nullptr: nothing. The same alert again re-reads only when its time range grew.
    void showAlert(const Alert *alert, const AlertRule *rule);
    // [first - margin, max(last, clear) + margin], the end no later than nowMs.
    static std::pair<qint64, qint64> rangeFor(const Alert &alert, qint64 nowMs);

    TelemetryChart *chart() const { return m_chart; }
    QString message() const;  // the text shown instead of a chart, empty with a chart
    quint64 pendingRequest() const { return m_pending; }

signals:
    void historyApplied(quint64 requestId, qint64 rows);

private:
    void showMessage(const QString &text);
    void onHistory(const fd::HistoryResult &result);
    void addReferenceLine(const QString &label, double value, qint64 fromMs, qint64 toMs);

    std::unique_ptr<HistoryReader> m_reader;
    QStackedWidget *m_stack;
    TelemetryChart *m_chart;
    QLabel *m_message;
    std::shared_ptr<TelemetrySeriesData> m_data;
    quint64 m_pending = 0;
    qint64 m_alertId = 0;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
};

} // namespace fd
