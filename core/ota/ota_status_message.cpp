#include "core/ota/ota_status_message.h"

#include "core/domain/json_names.h"
#include "core/domain/plain_text.h"
#include "core/ota/ota_job_document.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace fd {

namespace {

constexpr qsizetype kMaxStatusBytes = 4096;
constexpr qsizetype kMaxReasonChars = 512;
constexpr qsizetype kMaxVersionChars = 64;

std::optional<OtaStatus> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

bool needsReason(OtaDeviceState s)
{
    return s == OtaDeviceState::Failed || s == OtaDeviceState::Rejected || s == OtaDeviceState::TimedOut
           || s == OtaDeviceState::RolledBack;
}

} // namespace

std::optional<OtaStatus> OtaStatus::parse(QByteArrayView json, QString *error)
{
    if (json.isEmpty())
        return refuse(error, QStringLiteral("empty status"));
    if (json.size() > kMaxStatusBytes)
        return refuse(error, QStringLiteral("status of %1 bytes, the limit is %2").arg(json.size()).arg(kMaxStatusBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(error, QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return refuse(error, QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();

    OtaStatus s;
    const QJsonValue jobId = o.value(QLatin1StringView("job_id"));
    if (!jobId.isString() || !OtaJobDocument::isValidJobId(jobId.toString()))
        return refuse(error, QStringLiteral("\"job_id\" must be 1-64 letters, digits, '.', '_' or '-'"));
    s.jobId = jobId.toString();

    const QJsonValue state = o.value(QLatin1StringView("state"));
    if (!state.isString())
        return refuse(error, QStringLiteral("\"state\" must be a string"));
    const QString stateName = state.toString();
    const std::optional<OtaDeviceState> parsed = otaDeviceStateFromWireName(stateName);
    if (!parsed)
        return refuse(error, QStringLiteral("unknown state \"%1\"").arg(oneLineText(stateName, 32)));
    s.state = *parsed;

    const QJsonValue progress = o.value(QLatin1StringView("progress"));
    if (!progress.isUndefined()) {
        const double p = progress.toDouble(std::nan(""));
        if (!progress.isDouble() || !std::isfinite(p) || p < 0 || p > 100)
            return refuse(error, QStringLiteral("\"progress\" must be a number from 0 to 100"));
        s.progress = int(p);
    }

    const QJsonValue reason = o.value(QLatin1StringView("reason"));
    if (!reason.isUndefined() && !reason.isNull()) {
        if (!reason.isString())
            return refuse(error, QStringLiteral("\"reason\" must be a string"));
        if (reason.toString().size() > kMaxReasonChars)
            return refuse(error, QStringLiteral("\"reason\" is longer than %1 characters").arg(kMaxReasonChars));
        s.reason = jsonName(reason.toString());  // U+FEFF: read the same however it was written
    }
    if (s.reason.isEmpty() && needsReason(s.state))  // required, but a lost terminal status costs a timeout
        s.reason = QStringLiteral("the device gave no reason");

    const QJsonValue fw = o.value(QLatin1StringView("fw_version"));
    if (!fw.isUndefined() && !fw.isNull()) {
        if (!fw.isString() || fw.toString().size() > kMaxVersionChars)
            return refuse(error, QStringLiteral("\"fw_version\" must be a string of at most %1 characters").arg(kMaxVersionChars));
        s.fwVersion = jsonName(fw.toString());
    }

    const QJsonValue ts = o.value(QLatin1StringView("ts"));
    if (!ts.isUndefined()) {
        const double t = ts.toDouble(std::nan(""));
        if (!ts.isDouble() || !std::isfinite(t) || t < 0 || t > 9007199254740992.0)
            return refuse(error, QStringLiteral("\"ts\" must be a time in ms since the epoch"));
        s.tsMs = qint64(t);
    }
    return s;
}

} // namespace fd
