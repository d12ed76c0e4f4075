#include "core/provisioning/provisioning_response.h"

#include "core/domain/json_names.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace fd {

ProvisioningResponse ProvisioningResponse::rejection(const QString &nonce, const QString &reasonKey,
                                                     const QString &message)
{
    ProvisioningResponse r;
    r.nonce = nonce;
    r.accepted = false;
    r.reasonKey = reasonKey;
    r.message = message;
    return r;
}

QByteArray ProvisioningResponse::toJson() const
{
    QJsonObject o{{QStringLiteral("v"), 1},
                  {QStringLiteral("nonce"), nonce},
                  {QStringLiteral("status"), accepted ? QStringLiteral("accepted") : QStringLiteral("rejected")}};
    if (accepted) {
        o.insert(QStringLiteral("device_id"), deviceId);
        o.insert(QStringLiteral("serial"), certSerial);
        o.insert(QStringLiteral("certificate"), QString::fromUtf8(certificatePem));
        o.insert(QStringLiteral("chain"), QString::fromUtf8(chainPem));
    } else {
        o.insert(QStringLiteral("reason"), reasonKey);
        o.insert(QStringLiteral("message"), message);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<ProvisioningResponse> ProvisioningResponse::parse(QByteArrayView payload, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (payload.size() > kMaxBytes)
        return fail(tr("the response is larger than %1 bytes").arg(kMaxBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(tr("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(u"v").toDouble() != 1.0)
        return fail(tr("\"v\" must be 1"));
    auto text = [&o](QStringView key, QString *out) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            return true;
        if (!v.isString())
            return false;
        *out = jsonName(v.toString());  // the same however it was written (provisioning_request.cpp)
        return true;
    };
    ProvisioningResponse r;
    const QString status = jsonName(o.value(u"status").toString());
    if (status != u"accepted" && status != u"rejected")
        return fail(tr("\"status\" must be \"accepted\" or \"rejected\""));
    r.accepted = status == u"accepted";
    QString cert;
    QString chain;
    if (!text(u"nonce", &r.nonce) || !text(u"reason", &r.reasonKey) || !text(u"message", &r.message)
        || !text(u"device_id", &r.deviceId) || !text(u"serial", &r.certSerial) || !text(u"certificate", &cert)
        || !text(u"chain", &chain))
        return fail(tr("a field has the wrong type"));
    r.certificatePem = cert.toUtf8();
    r.chainPem = chain.toUtf8();
    if (r.accepted && (r.certificatePem.isEmpty() || r.deviceId.isEmpty() || r.certSerial.isEmpty()))
        return fail(tr("an acceptance without certificate, device id or serial"));
    if (!r.accepted && r.reasonKey.isEmpty())
        return fail(tr("a rejection without a reason"));
    return r;
}

} // namespace fd
