#include "simulator/identity_answer.h"

#include "core/pki/certificate.h"
#include "core/pki/pki_key.h"
#include "core/provisioning/provisioning_response.h"

namespace fd::sim {

namespace {

IdentityAnswer bad(const QString &why)
{
    IdentityAnswer a;
    a.kind = IdentityAnswer::Kind::Rejected;
    a.reasonKey = QStringLiteral("bad_answer");
    a.message = why;
    return a;
}

} // namespace

IdentityAnswer IdentityAnswer::read(QByteArrayView payload, const QString &nonce, const QByteArray &keyPem,
                                    const QString &expectedDeviceId)
{
    IdentityAnswer a;
    QString why;
    const std::optional<ProvisioningResponse> response = ProvisioningResponse::parse(payload, &why);
    if (!response) {
        a.message = QStringLiteral("unreadable answer: %1").arg(why);
        return a;  // Ignored: it cannot be tied to our request
    }
    if (response->nonce.compare(nonce, Qt::CaseInsensitive) != 0) {
        a.message = QStringLiteral("answer to another request (nonce %1)").arg(response->nonce.left(64));
        return a;
    }
    if (!response->accepted) {
        a.kind = Kind::Rejected;
        a.reasonKey = response->reasonKey;
        a.message = response->message;
        return a;
    }
    const std::optional<Certificate> cert = Certificate::fromPem(response->certificatePem, &why);
    if (!cert)
        return bad(QStringLiteral("the certificate is unreadable: %1").arg(why));
    const std::optional<PkiKey> key = PkiKey::fromPrivatePem(keyPem, QByteArray(), &why);
    if (!key || cert->publicKeyPem() != key->publicPem())
        return bad(QStringLiteral("the certificate is not for this device's key"));
    if (cert->subjectCommonName() != expectedDeviceId)
        return bad(QStringLiteral("the certificate names %1, not %2").arg(cert->subjectCommonName(), expectedDeviceId));
    a.kind = Kind::Accepted;
    a.deviceId = cert->subjectCommonName();
    a.certSerial = cert->serialHex();
    a.certChainPem = cert->pem();
    if (!a.certChainPem.endsWith('\n'))
        a.certChainPem += '\n';
    a.certChainPem += response->chainPem;
    return a;
}

} // namespace fd::sim
