#include "simulator/command_responder.h"

#include "core/commands/command_codec.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fd::sim {

CommandResponder::Outcome CommandResponder::respond(QByteArrayView payload, qint64 uptimeMs)
{
    Outcome out;
    CommandRequest request;
    QString why;
    if (!CommandCodec::parseRequest(payload, &request, &why)) {
        // Answer the error if the id at least is readable, so the sender learns why.
        if (payload.size() > CommandCodec::kMaxPayloadBytes)
            return out;
        const QJsonValue id = QJsonDocument::fromJson(payload.toByteArray()).object().value(QLatin1StringView("id"));
        if (!id.isString() || !CommandCodec::isValidToken(id.toString()))
            return out;
        out.answer = true;
        out.response = {id.toString(), false, {}, QStringLiteral("bad request: %1").arg(why)};
        return out;
    }
    out.answer = true;
    out.response.id = request.id;
    if (request.name == u"ping") {
        out.response.ok = true;
        out.response.result.insert(QLatin1StringView("uptime_s"), double(uptimeMs / 1000));
    } else if (request.name == u"identify") {
        out.response.ok = true;
    } else if (request.name == u"set_interval") {
        const QJsonValue v = request.params.value(QLatin1StringView("interval_ms"));
        const double ms = v.toDouble(-1);
        if (!v.isDouble() || std::floor(ms) != ms || ms < kMinIntervalMs || ms > kMaxIntervalMs) {
            out.response.ok = false;
            out.response.error = QStringLiteral("interval_ms must be an integer between %1 and %2")
                                     .arg(kMinIntervalMs)
                                     .arg(kMaxIntervalMs);
        } else {
            out.response.ok = true;
            out.intervalMs = int(ms);
            out.response.result.insert(QLatin1StringView("interval_ms"), ms);
        }
    } else {
        out.response.ok = false;
        out.response.error = QStringLiteral("unknown command");
    }
    return out;
}

bool CommandResponder::isMuted(int index, double fraction)
{
    if (fraction <= 0)
        return false;
    if (fraction >= 1)
        return true;
    return std::floor(double(index + 1) * fraction) > std::floor(double(index) * fraction);
}

} // namespace fd::sim
