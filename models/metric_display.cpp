#include "models/metric_display.h"

#include <QCoreApplication>
#include <QLocale>

namespace fd {

QString metricDisplayName(const QString &metric)
{
    if (metric == u"temperature")
        return QCoreApplication::translate("fd::Metric", "Temperature");
    if (metric == u"humidity")
        return QCoreApplication::translate("fd::Metric", "Humidity");
    if (metric == u"battery")
        return QCoreApplication::translate("fd::Metric", "Battery");
    if (metric == u"rssi")
        return QCoreApplication::translate("fd::Metric", "Signal (RSSI)");
    if (metric == u"cpu_load")
        return QCoreApplication::translate("fd::Metric", "CPU load");
    return metric;
}

QString formatMetricValue(const QString &metric, double value)
{
    const QLocale locale;
    if (metric == u"temperature")
        return QCoreApplication::translate("fd::Metric", "%1 °C").arg(locale.toString(value, 'f', 1));
    if (metric == u"humidity")
        return QCoreApplication::translate("fd::Metric", "%1 %").arg(locale.toString(value, 'f', 1));
    if (metric == u"battery")
        return QCoreApplication::translate("fd::Metric", "%1 %").arg(locale.toString(value, 'f', 0));
    if (metric == u"rssi")
        return QCoreApplication::translate("fd::Metric", "%1 dBm").arg(locale.toString(value, 'f', 0));
    if (metric == u"cpu_load")
        return QCoreApplication::translate("fd::Metric", "%1 %").arg(locale.toString(value * 100.0, 'f', 0));
    return locale.toString(value, 'g', 6);
}

} // namespace fd
