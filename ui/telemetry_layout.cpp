#include "ui/telemetry_layout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace fd {

QByteArray TelemetryLayout::toJson() const
{
    QJsonArray charts;
    for (const Chart &chart : this->charts) {
        QJsonArray series;
        for (const Series &s : chart.series)
            series.append(QJsonObject{{u"source"_s, s.device.source}, {u"device"_s, s.device.path},
                                      {u"metric"_s, s.metric}, {u"visible"_s, s.visible}});
        charts.append(QJsonObject{{u"series"_s, series}});
    }
    const QJsonObject root{{u"version"_s, 1},
                           {u"charts"_s, charts},
                           {u"windowMs"_s, double(windowMs)},
                           {u"follow"_s, follow},
                           {u"fromMs"_s, double(fromMs)},
                           {u"toMs"_s, double(toMs)}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

TelemetryLayout TelemetryLayout::fromJson(const QByteArray &json, bool *ok)
{
    TelemetryLayout layout;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (ok)
        *ok = error.error == QJsonParseError::NoError && doc.isObject();
    if (!doc.isObject())
        return layout;
    const QJsonObject root = doc.object();
    layout.windowMs = qint64(root.value(u"windowMs"_s).toDouble(double(layout.windowMs)));
    layout.follow = root.value(u"follow"_s).toBool(true);
    layout.fromMs = qint64(root.value(u"fromMs"_s).toDouble());
    layout.toMs = qint64(root.value(u"toMs"_s).toDouble());
    for (const QJsonValue &c : root.value(u"charts"_s).toArray()) {
        Chart chart;
        for (const QJsonValue &sv : c.toObject().value(u"series"_s).toArray()) {
            const QJsonObject so = sv.toObject();
            const DeviceKey device{so.value(u"source"_s).toString(DeviceKey::defaultSource()),
                                   so.value(u"device"_s).toString()};
            Series s{device, so.value(u"metric"_s).toString(), so.value(u"visible"_s).toBool(true)};
            if (!s.device.source.isEmpty() && !s.device.path.isEmpty() && !s.metric.isEmpty())
                chart.series.append(s);
        }
        if (!chart.series.isEmpty())
            layout.charts.append(chart);
    }
    return layout;
}

} // namespace fd
