#include "core/domain/metric_catalogue.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

MetricInfo entry(const char *name, QString displayName, QString unit, int precision, double scale,
                 double min, double max)
{
    MetricInfo m;
    m.name = QString::fromLatin1(name);
    m.displayName = std::move(displayName);
    m.unit = std::move(unit);
    m.precision = precision;
    m.scale = scale;
    m.expectedMin = min;
    m.expectedMax = max;
    return m;
}

} // namespace

MetricCatalogue::MetricCatalogue(QObject *parent)
    : QObject(parent)
{
    for (const MetricInfo &m : defaults())
        m_byName.insert(m.name, m);
}

QList<MetricInfo> MetricCatalogue::defaults()
{
    return {
        entry("battery", tr("Battery"), QStringLiteral("%"), 0, 1.0, 0, 100),
        entry("cpu_load", tr("CPU load"), QStringLiteral("%"), 0, 100.0, 0, 100),
        entry("humidity", tr("Humidity"), QStringLiteral("%"), 1, 1.0, 0, 100),
        entry("rssi", tr("Signal (RSSI)"), QStringLiteral("dBm"), 0, 1.0, -100, -30),
        entry("temperature", tr("Temperature"), QStringLiteral("°C"), 1, 1.0, -10, 50),
    };
}

QList<MetricInfo> MetricCatalogue::entries() const
{
    QList<MetricInfo> list = m_byName.values();
    std::sort(list.begin(), list.end(), [](const MetricInfo &a, const MetricInfo &b) { return a.name < b.name; });
    return list;
}

void MetricCatalogue::setEntries(const QList<MetricInfo> &entries)
{
    QHash<QString, MetricInfo> byName;
    for (const MetricInfo &m : entries)
        byName.insert(m.name, m);
    if (byName == m_byName)
        return;
    m_byName = std::move(byName);
    emit changed();
}

bool MetricCatalogue::isDefault() const
{
    return entries() == defaults();
}

MetricInfo MetricCatalogue::info(const QString &name) const
{
    const auto it = m_byName.constFind(name);
    if (it != m_byName.cend())
        return *it;
    MetricInfo m;
    m.name = name;
    return m;
}

QString MetricCatalogue::displayName(const QString &name) const
{
    const auto it = m_byName.constFind(name);
    return it != m_byName.cend() ? it->shownName() : name;
}

QString MetricCatalogue::unit(const QString &name) const
{
    const auto it = m_byName.constFind(name);
    return it != m_byName.cend() ? it->unit : QString();
}

QString MetricCatalogue::axisTitle(const QString &name) const
{
    const QString u = unit(name);
    return u.isEmpty() ? displayName(name) : tr("%1 (%2)").arg(displayName(name), u);
}

double MetricCatalogue::displayValue(const QString &name, double wireValue) const
{
    const auto it = m_byName.constFind(name);
    return it != m_byName.cend() ? wireValue * it->scale : wireValue;
}

QString MetricCatalogue::formatNumber(const QString &name, double wireValue) const
{
    const double v = displayValue(name, wireValue);
    if (std::isnan(v))
        return QStringLiteral("\u2014");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("\u221E") : QStringLiteral("\u2212\u221E");
    const auto it = m_byName.constFind(name);
    const int precision = it != m_byName.cend() ? it->precision : -1;
    const QLocale locale;
    if (precision < 0)
        return locale.toString(v, 'g', 6);
    QString text = locale.toString(v, 'f', std::min(precision, MetricInfo::kMaxPrecision));
    // "-0" after rounding reads as a different value from 0.
    if (text.startsWith(locale.negativeSign()) && locale.toDouble(text) == 0.0)
        text.remove(0, locale.negativeSign().size());
    return text;
}

QString MetricCatalogue::formatValue(const QString &name, double wireValue) const
{
    const QString number = formatNumber(name, wireValue);
    const QString u = unit(name);
    if (u.isEmpty() || std::isnan(displayValue(name, wireValue)))
        return number;
    return tr("%1 %2").arg(number, u);
}

} // namespace fd
