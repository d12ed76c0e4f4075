#include "core/domain/metric_catalogue_json.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace fd::MetricCatalogueJson {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fd::MetricCatalogueJson", text);
}

bool hasControlCharacters(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c.isSurrogate())
            return true;
    }
    return false;
}

// Reads a text field; an error message when it is not a string, too long or has controls.
QString readText(const QJsonObject &o, QLatin1StringView key, qsizetype maxLength, QString *out)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        return tr("\"%1\" must be text").arg(key);
    const QString text = v.toString();
    if (text.size() > maxLength)
        return tr("\"%1\" is longer than %2 characters").arg(key).arg(maxLength);
    if (hasControlCharacters(text))
        return tr("\"%1\" contains control characters").arg(key);
    *out = text.trimmed();
    return {};
}

QString readNumber(const QJsonObject &o, QLatin1StringView key, std::optional<double> *out)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return tr("\"%1\" must be a finite number").arg(key);
    *out = v.toDouble();
    return {};
}

QString readEntry(const QJsonObject &o, MetricInfo *m)
{
    QString error = readText(o, QLatin1StringView("name"), MetricInfo::kMaxNameLength, &m->name);
    if (error.isEmpty() && m->name.isEmpty())
        error = tr("\"name\" is required");
    if (error.isEmpty())
        error = readText(o, QLatin1StringView("display_name"), MetricInfo::kMaxNameLength, &m->displayName);
    if (error.isEmpty())
        error = readText(o, QLatin1StringView("unit"), MetricInfo::kMaxUnitLength, &m->unit);
    if (!error.isEmpty())
        return error;

    const QJsonValue precision = o.value(QLatin1StringView("precision"));
    if (!precision.isUndefined() && !precision.isNull()) {
        const double p = precision.toDouble(-2);
        if (!precision.isDouble() || p != std::floor(p) || p < -1 || p > MetricInfo::kMaxPrecision)
            return tr("\"precision\" must be a whole number from 0 to %1 (or -1 for automatic)")
                .arg(MetricInfo::kMaxPrecision);
        m->precision = int(p);
    }
    std::optional<double> scale;
    if (error = readNumber(o, QLatin1StringView("scale"), &scale); !error.isEmpty())
        return error;
    if (scale) {
        if (*scale == 0.0)
            return tr("\"scale\" must not be 0");
        m->scale = *scale;
    }
    if (error = readNumber(o, QLatin1StringView("min"), &m->expectedMin); !error.isEmpty())
        return error;
    if (error = readNumber(o, QLatin1StringView("max"), &m->expectedMax); !error.isEmpty())
        return error;
    if (m->expectedMin && m->expectedMax && !(*m->expectedMin < *m->expectedMax))
        return tr("\"min\" must be less than \"max\"");
    return {};
}

} // namespace

QByteArray write(const QList<MetricInfo> &entries)
{
    QJsonArray metrics;
    for (const MetricInfo &m : entries) {
        QJsonObject o;
        o.insert(QLatin1StringView("name"), m.name);
        if (!m.displayName.isEmpty())
            o.insert(QLatin1StringView("display_name"), m.displayName);
        if (!m.unit.isEmpty())
            o.insert(QLatin1StringView("unit"), m.unit);
        o.insert(QLatin1StringView("precision"), m.precision);
        if (m.scale != 1.0)
            o.insert(QLatin1StringView("scale"), m.scale);
        if (m.expectedMin)
            o.insert(QLatin1StringView("min"), *m.expectedMin);
        if (m.expectedMax)
            o.insert(QLatin1StringView("max"), *m.expectedMax);
        metrics.append(o);
    }
    QJsonObject root;
    root.insert(QLatin1StringView("metrics"), metrics);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

ReadResult read(const QByteArray &json)
{
    ReadResult result;
    if (json.size() > kMaxFileBytes) {
        result.error = tr("The file is larger than %1 MB.").arg(kMaxFileBytes / (1024 * 1024));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = tr("Not valid JSON at byte %1: %2.").arg(parseError.offset).arg(parseError.errorString());
        return result;
    }
    const QJsonValue metrics = doc.object().value(QLatin1StringView("metrics"));
    if (!doc.isObject() || !metrics.isArray()) {
        result.error = tr("Not a metric catalogue: expected an object with a \"metrics\" list.");
        return result;
    }
    const QJsonArray array = metrics.toArray();
    if (array.size() > kMaxEntries) {
        result.error = tr("The catalogue has %1 metrics; at most %2 are accepted.").arg(array.size()).arg(kMaxEntries);
        return result;
    }
    QSet<QString> seen;
    for (qsizetype i = 0; i < array.size(); ++i) {
        MetricInfo m;
        QString error = array.at(i).isObject() ? readEntry(array.at(i).toObject(), &m)
                                               : tr("each metric must be an object");
        if (error.isEmpty() && seen.contains(m.name))
            error = tr("\"%1\" appears twice").arg(m.name);
        if (!error.isEmpty()) {
            result.error = tr("Metric %1: %2.").arg(i + 1).arg(error);
            result.entries.clear();
            return result;
        }
        seen.insert(m.name);
        result.entries.append(std::move(m));
    }
    return result;
}

} // namespace fd::MetricCatalogueJson
