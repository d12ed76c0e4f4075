#include "core/commands/command_codec.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>

namespace fd {

namespace {

bool fail(QString *why, const QString &text)
{
    if (why)
        *why = text;
    return false;
}

// Size check and JSON object, nothing else.
bool parseObject(QByteArrayView payload, QJsonObject *out, QString *why)
{
    if (payload.size() > CommandCodec::kMaxPayloadBytes)
        return fail(why, QStringLiteral("payload larger than %1 bytes").arg(CommandCodec::kMaxPayloadBytes));
    if (payload.isEmpty())
        return fail(why, QStringLiteral("empty payload"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(why, QStringLiteral("not a JSON object"));
    *out = doc.object();
    return true;
}

bool readToken(const QJsonObject &o, QLatin1StringView key, QString *out, QString *why)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fail(why, QStringLiteral("\"%1\" is missing").arg(key));
    if (!v.isString() || !CommandCodec::isValidToken(v.toString()))
        return fail(why, QStringLiteral("\"%1\" must be a string of 1-64 letters, digits, '.', '_' or '-'").arg(key));
    *out = v.toString();
    return true;
}

// Absent or null: empty object.
bool readOptionalObject(const QJsonObject &o, QLatin1StringView key, QJsonObject *out, QString *why)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) {
        *out = {};
        return true;
    }
    if (!v.isObject())
        return fail(why, QStringLiteral("\"%1\" must be an object").arg(key));
    *out = v.toObject();
    return true;
}

} // namespace

bool CommandCodec::isValidToken(QStringView token)
{
    if (token.isEmpty() || token.size() > kMaxTokenChars)
        return false;
    for (QChar c : token) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'.'
            || u == u'_' || u == u'-';
        if (!ok)
            return false;
    }
    return true;
}

QByteArray CommandCodec::encodeRequest(const CommandRequest &request)
{
    QJsonObject o;
    o.insert(QLatin1StringView("id"), request.id);
    o.insert(QLatin1StringView("name"), request.name);
    o.insert(QLatin1StringView("params"), request.params);
    o.insert(QLatin1StringView("ts"), double(request.tsMs));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool CommandCodec::parseRequest(QByteArrayView payload, CommandRequest *out, QString *why)
{
    QJsonObject o;
    if (!parseObject(payload, &o, why))
        return false;
    CommandRequest r;
    if (!readToken(o, QLatin1StringView("id"), &r.id, why) || !readToken(o, QLatin1StringView("name"), &r.name, why)
        || !readOptionalObject(o, QLatin1StringView("params"), &r.params, why))
        return false;
    const QJsonValue ts = o.value(QLatin1StringView("ts"));
    if (!ts.isUndefined()) {
        const double t = ts.toDouble(-1);
        if (!ts.isDouble() || t < 0 || t > 9007199254740992.0 || std::floor(t) != t)
            return fail(why, QStringLiteral("\"ts\" must be an integer >= 0"));
        r.tsMs = qint64(t);
    }
    *out = std::move(r);
    return true;
}

QByteArray CommandCodec::encodeResponse(const CommandResponse &response)
{
    QJsonObject o;
    o.insert(QLatin1StringView("id"), response.id);
    o.insert(QLatin1StringView("ok"), response.ok);
    if (!response.result.isEmpty())
        o.insert(QLatin1StringView("result"), response.result);
    if (!response.error.isEmpty())
        o.insert(QLatin1StringView("error"), response.error);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool CommandCodec::parseResponse(QByteArrayView payload, CommandResponse *out, QString *why)
{
    QJsonObject o;
    if (!parseObject(payload, &o, why))
        return false;
    CommandResponse r;
    if (!readToken(o, QLatin1StringView("id"), &r.id, why))
        return false;
    const QJsonValue ok = o.value(QLatin1StringView("ok"));
    if (ok.isUndefined())
        return fail(why, QStringLiteral("\"ok\" is missing"));
    if (!ok.isBool())
        return fail(why, QStringLiteral("\"ok\" must be true or false"));
    r.ok = ok.toBool();
    if (!readOptionalObject(o, QLatin1StringView("result"), &r.result, why))
        return false;
    const QJsonValue error = o.value(QLatin1StringView("error"));
    if (!error.isUndefined() && !error.isNull()) {
        if (!error.isString() || error.toString().size() > kMaxErrorChars)
            return fail(why, QStringLiteral("\"error\" must be a string of at most %1 characters").arg(kMaxErrorChars));
        r.error = error.toString();
    }
    *out = std::move(r);
    return true;
}

} // namespace fd
