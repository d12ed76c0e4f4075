#pragma once

#include "core/domain/metric_value.h"

#include <QHash>
#include <QList>
#include <QString>

namespace fd {

// A metric's plausible range for one device model (inclusive), e.g. temperature -20..60 °C.
struct MetricRange
{
    QString metric;
    double min = 0.0;
    double max = 0.0;
    QString unit;  // shown only: "°C", "%", "dBm"

    QString text() const;  // "-20 to 60 °C"
};

// One line of a commissioning check: a metric against its range.
struct MetricCheck
{
    QString metric;
    QString expected;  // "-20 to 60 °C"
    QString observed;  // the value as reported, "" when it was not
    bool passed = false;
    QString note;      // why it failed, in plain words; "" when it passed
};

// What the first telemetry of a newly commissioned device is checked against: per model, the
// metrics it must send and their ranges. builtIn() knows the demo's factory model "TH-100"
// (what fleetdeck-sim's TH-100 devices send: temperature, humidity, battery, rssi); a model
// with no ranges is checked for telemetry arrival only (the Verify page says so).
class ModelExpectations
{
public:
    static ModelExpectations builtIn();

    void setRanges(const QString &model, const QList<MetricRange> &ranges);
    bool knows(const QString &model) const { return m_ranges.contains(model); }
    QList<MetricRange> ranges(const QString &model) const { return m_ranges.value(model); }
    QStringList models() const;

    // One check per range of model, in the ranges' order: a missing metric, a text value or
    // a value outside the range fails with the reason. Empty for a model with no ranges.
    QList<MetricCheck> check(const QString &model, const MetricValues &values) const;

private:
    QHash<QString, QList<MetricRange>> m_ranges;
};

} // namespace fd
