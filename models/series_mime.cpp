#include "models/series_mime.h"

#include "core/domain/json_names.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QSet>

#include <utility>

namespace fd {

namespace {
const QString kDevice = QStringLiteral("device");
const QString kMetric = QStringLiteral("metric");
const QString kMetrics = QStringLiteral("metrics");
const QString kSource = QStringLiteral("source");

bool validName(const QString &name)
{
    return !name.isEmpty() && name.size() <= SeriesMime::kMaxNameLength;
}
} // namespace

QString SeriesMime::mimeType()
{
    return QStringLiteral("application/x-fleetdeck-series");
}

QByteArray SeriesMime::encode(const QList<DraggedSeries> &series)
{
    QJsonArray array;
    for (const DraggedSeries &s : series) {
        QJsonObject o;
        o.insert(kDevice, s.deviceId);
        o.insert(kSource, s.source);
        if (!s.metric.isEmpty())
            o.insert(kMetric, s.metric);
        if (!s.metrics.isEmpty())
            o.insert(kMetrics, QJsonArray::fromStringList(s.metrics));
        array.append(o);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QList<DraggedSeries> SeriesMime::decode(const QByteArray &json)
{
    QList<DraggedSeries> out;
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isArray())
        return out;
    const QJsonArray array = doc.array();
    QSet<std::pair<DeviceKey, QString>> seen;  // (device, metric) of the entries kept
    for (const QJsonValue &v : array) {
        if (out.size() >= kMaxEntries)
            break;
        const QJsonObject o = v.toObject();
        DraggedSeries s;
        s.deviceId = jsonName(o.value(kDevice).toString());
        if (!validName(s.deviceId))
            continue;
        const QJsonValue source = o.value(kSource);
        if (!source.isUndefined()) {
            s.source = jsonName(source.toString());
            if (!validName(s.source))
                continue;
        }
        const QJsonValue metric = o.value(kMetric);
        if (!metric.isUndefined() && !metric.isNull()) {
            s.metric = jsonName(metric.toString());
            if (!validName(s.metric))
                continue;
        }
        const QJsonArray metrics = o.value(kMetrics).toArray();
        for (const QJsonValue &m : metrics) {
            const QString name = jsonName(m.toString());
            if (validName(name) && !s.metrics.contains(name) && s.metrics.size() < 64)
                s.metrics.append(name);
        }
        // A set, not a scan of what was kept: the drop target decodes on every drag move,
        // and a scan made a large or hostile drop quadratic (1,000 entries: 25 ms a move).
        if (!seen.contains({s.device(), s.metric})) {
            seen.insert({s.device(), s.metric});
            out.append(s);
        }
    }
    return out;
}

QMimeData *SeriesMime::toMimeData(const QList<DraggedSeries> &series)
{
    auto *data = new QMimeData;
    data->setData(mimeType(), encode(series));
    QStringList lines;
    for (const DraggedSeries &s : series)
        lines.append(s.metric.isEmpty() ? s.deviceId : s.deviceId + QLatin1Char(' ') + s.metric);
    data->setText(lines.join(QLatin1Char('\n')));
    return data;
}

bool SeriesMime::canDecode(const QMimeData *data)
{
    return data && data->hasFormat(mimeType());
}

QList<DraggedSeries> SeriesMime::fromMimeData(const QMimeData *data)
{
    return canDecode(data) ? decode(data->data(mimeType())) : QList<DraggedSeries>();
}

} // namespace fd
