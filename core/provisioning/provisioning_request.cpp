#include "core/provisioning/provisioning_request.h"

#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_reason.h"
#include "core/domain/json_names.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace fd {
namespace {

using Error = ProvisioningRequest::Error;

bool fail(Error *error, const QString &key, const QString &detail)
{
    if (error) {
        error->key = key;
        error->detail = detail;
    }
    return false;
}

// A string field as FleetDeck reads it however it was written: QJsonDocument drops a
// leading U+FEFF from a string without escapes and keeps it in one with an escape, so
// leading U+FEFF are dropped always (core/domain/json_names.h). Without this, a request
// written again by toJson() read back as another one (found by fuzz_provisioning_request).
QString text(const QJsonValue &v)
{
    return jsonName(v.toString());
}

bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

// Common fields: v, nonce, ts, csr.
bool parseCommon(const QJsonObject &o, ProvisioningRequest *out, Error *error)
{
    const QJsonValue nonce = o.value(u"nonce");
    if (!nonce.isString() || !ProvisioningIds::isValidNonce(text(nonce)))
        return fail(error, ProvisioningReason::Malformed,
                    ProvisioningRequest::tr("\"nonce\" must be 32 to 64 hexadecimal characters"));
    out->nonce = text(nonce).toLower();
    if (error)
        error->nonce = out->nonce;
    const QJsonValue v = o.value(u"v");
    if (!v.isDouble() || v.toDouble() != 1.0)
        return fail(error, ProvisioningReason::Malformed, ProvisioningRequest::tr("\"v\" must be 1"));
    const QJsonValue ts = o.value(u"ts");
    const double t = ts.toDouble(-1);
    if (!ts.isDouble() || t < 0 || t > 9007199254740991.0 || std::floor(t) != t)
        return fail(error, ProvisioningReason::Malformed,
                    ProvisioningRequest::tr("\"ts\" must be an integer number of ms since the epoch"));
    out->tsMs = qint64(t);
    const QJsonValue csr = o.value(u"csr");
    if (!csr.isString() || text(csr).isEmpty())
        return fail(error, ProvisioningReason::Malformed, ProvisioningRequest::tr("\"csr\" must be a PEM string"));
    out->csrPem = text(csr).toUtf8();
    if (out->csrPem.size() > ProvisioningRequest::kMaxCsrBytes)
        return fail(error, ProvisioningReason::CsrTooLarge,
                    ProvisioningRequest::tr("the CSR is larger than %1 bytes").arg(ProvisioningRequest::kMaxCsrBytes));
    return true;
}

std::optional<QJsonObject> parseObject(QByteArrayView payload, Error *error)
{
    if (payload.size() > ProvisioningRequest::kMaxBytes) {
        fail(error, ProvisioningReason::TooLarge,
             ProvisioningRequest::tr("%1 bytes, the limit is %2").arg(payload.size()).arg(ProvisioningRequest::kMaxBytes));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, ProvisioningReason::Malformed, ProvisioningRequest::tr("not a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

} // namespace

std::optional<ProvisioningRequest> ProvisioningRequest::parseEnroll(QByteArrayView payload,
                                                                    const QString &topicSerial, Error *error)
{
    const std::optional<QJsonObject> parsed = parseObject(payload, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &o = *parsed;
    ProvisioningRequest r;
    r.kind = Kind::Enroll;
    if (!parseCommon(o, &r, error))
        return std::nullopt;

    const QJsonValue serial = o.value(u"serial");
    if (!serial.isString() || !ProvisioningIds::isValidSerial(text(serial))) {
        fail(error, ProvisioningReason::Malformed,
             tr("\"serial\" must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
        return std::nullopt;
    }
    r.serial = text(serial);
    if (r.serial != topicSerial) {
        fail(error, ProvisioningReason::Malformed, tr("\"serial\" is not the serial of the request topic"));
        return std::nullopt;
    }
    const QJsonValue model = o.value(u"model");
    if (!model.isString() || text(model).isEmpty() || text(model).size() > kMaxModelChars || hasControl(text(model))) {
        fail(error, ProvisioningReason::Malformed, tr("\"model\" must be 1 to %1 printable characters").arg(kMaxModelChars));
        return std::nullopt;
    }
    r.model = text(model);

    const QJsonValue claim = o.value(u"claim");
    const QJsonValue claimHash = o.value(u"claim_sha256");
    if (claim.isString() == claimHash.isString() || (!claim.isUndefined() && !claim.isString())
        || (!claimHash.isUndefined() && !claimHash.isString())) {
        fail(error, ProvisioningReason::Malformed, tr("exactly one of \"claim\" and \"claim_sha256\" must be given"));
        return std::nullopt;
    }
    if (claim.isString()) {
        const QString code = text(claim);
        if (code.isEmpty() || code.size() > kMaxClaimChars || hasControl(code)) {
            fail(error, ProvisioningReason::Malformed, tr("\"claim\" must be 1 to %1 printable characters").arg(kMaxClaimChars));
            return std::nullopt;
        }
        r.claimHash = ProvisioningIds::claimHash(r.serial, code);
    } else {
        if (!ProvisioningIds::isValidClaimHash(text(claimHash))) {
            fail(error, ProvisioningReason::Malformed, tr("\"claim_sha256\" must be 64 hexadecimal characters"));
            return std::nullopt;
        }
        r.claimHash = text(claimHash).toLower();
    }

    const QJsonValue deviceId = o.value(u"device_id");
    if (deviceId.isUndefined() || deviceId.isNull()) {
        r.deviceId = ProvisioningIds::defaultDeviceId(r.serial);
    } else if (!deviceId.isString()) {
        fail(error, ProvisioningReason::Malformed, tr("\"device_id\" must be a string"));
        return std::nullopt;
    } else {
        r.deviceId = text(deviceId).left(kMaxDeviceIdChars);
    }
    return r;
}

std::optional<ProvisioningRequest> ProvisioningRequest::parseRotation(QByteArrayView payload,
                                                                      const QString &topicDeviceId, Error *error)
{
    const std::optional<QJsonObject> parsed = parseObject(payload, error);
    if (!parsed)
        return std::nullopt;
    ProvisioningRequest r;
    r.kind = Kind::Rotate;
    if (!parseCommon(*parsed, &r, error))
        return std::nullopt;
    r.deviceId = topicDeviceId.left(kMaxDeviceIdChars);
    return r;
}

QByteArray ProvisioningRequest::toJson(const QString &claimCode) const
{
    QJsonObject o{{QStringLiteral("v"), 1},
                  {QStringLiteral("nonce"), nonce},
                  {QStringLiteral("ts"), double(tsMs)},
                  {QStringLiteral("csr"), QString::fromUtf8(csrPem)}};
    if (kind == Kind::Enroll) {
        o.insert(QStringLiteral("serial"), serial);
        o.insert(QStringLiteral("model"), model);
        o.insert(QStringLiteral("device_id"), deviceId);
        if (!claimCode.isNull())
            o.insert(QStringLiteral("claim"), claimCode);
        else
            o.insert(QStringLiteral("claim_sha256"), claimHash);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace fd
