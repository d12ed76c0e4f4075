#include "models/model_expectations.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fd::ModelExpectations", text);
}

QString number(double v)
{
    return QLocale::c().toString(v, 'g', 6);
}

} // namespace

QString MetricRange::text() const
{
    const QString range = tr("%1 to %2").arg(number(min), number(max));
    return unit.isEmpty() ? range : tr("%1 %2").arg(range, unit);
}

ModelExpectations ModelExpectations::builtIn()
{
    ModelExpectations e;
    // The demo's factory model; ranges wide enough for a cold room and a hot attic.
    e.setRanges(QStringLiteral("TH-100"),
                {{QStringLiteral("temperature"), -20.0, 60.0, QStringLiteral("°C")},
                 {QStringLiteral("humidity"), 0.0, 100.0, QStringLiteral("%")},
                 {QStringLiteral("battery"), 0.0, 100.0, QStringLiteral("%")},
                 {QStringLiteral("rssi"), -120.0, 0.0, QStringLiteral("dBm")}});
    return e;
}

void ModelExpectations::setRanges(const QString &model, const QList<MetricRange> &ranges)
{
    if (ranges.isEmpty())
        m_ranges.remove(model);
    else
        m_ranges.insert(model, ranges);
}

QStringList ModelExpectations::models() const
{
    QStringList names = m_ranges.keys();
    std::sort(names.begin(), names.end());
    return names;
}

QList<MetricCheck> ModelExpectations::check(const QString &model, const MetricValues &values) const
{
    QList<MetricCheck> checks;
    for (const MetricRange &range : m_ranges.value(model)) {
        MetricCheck c;
        c.metric = range.metric;
        c.expected = range.text();
        const MetricValue *value = findMetricValue(values, range.metric);
        if (!value) {
            c.note = tr("not reported");
        } else {
            c.observed = value->displayText();
            if (!value->isNumeric() || std::isnan(value->value))
                c.note = tr("not a number");
            else if (value->value < range.min)
                c.note = tr("below the expected range");
            else if (value->value > range.max)
                c.note = tr("above the expected range");
            else
                c.passed = true;
        }
        checks.append(c);
    }
    return checks;
}

} // namespace fd
