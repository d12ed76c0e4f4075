#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fd::sim {

// What a simulated device makes of FleetDeck's answer to its provisioning or rotation
// request (ProvisioningResponse on {root}/{serial}/response or {prefix}/{id}/pki/cert):
// untrusted bytes, bounded by the parser. An answer to another nonce is Ignored (an old
// request's, another device's); an acceptance counts only with a certificate for the key
// the device holds and for the device id it expects, otherwise it is Rejected "bad_answer".
struct IdentityAnswer
{
    enum class Kind { Ignored, Accepted, Rejected };

    Kind kind = Kind::Ignored;
    QString reasonKey;      // Rejected: the answer's reason, or "bad_answer"
    QString message;        // Rejected / Ignored: why, for the log
    QString deviceId;       // Accepted: the certificate's CN
    QString certSerial;     // Accepted: uppercase hex
    QByteArray certChainPem;  // Accepted: the certificate, then the chain (what D.crt holds)

    static IdentityAnswer read(QByteArrayView payload, const QString &nonce, const QByteArray &keyPem,
                               const QString &expectedDeviceId);
};

} // namespace fd::sim
