#pragma once

#include "simulator/device_cert_dir.h"
#include "simulator/identity_answer.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <string>

namespace fd::sim {

// Certificate rotation on an enrolled device (docs/protocol.md "Provisioning"): the command
// pki.rekey makes a new key and CSR, published on {prefix}/{id}/pki/csr; FleetDeck's answer
// on {prefix}/{id}/pki/cert (subscribed with the device's other topics) brings the new
// certificate, which replaces the files in the certificate folder. The owner then reconnects
// with them, and its status carries the new "cert_serial". One rotation at a time: a second
// pki.rekey replaces the pending one (its key is dropped, a late answer to it is ignored).
class CertRotation
{
public:
    static constexpr const char *kCommand = "pki.rekey";

    CertRotation(QString deviceId, DeviceCertDir dir, const QString &prefix);

    std::string csrTopic() const { return m_csrTopic; }
    std::string certTopic() const { return m_certTopic; }
    bool isPending() const { return !m_pendingKey.isEmpty(); }

    // pki.rekey: the payload for csrTopic(); nullopt with *error if no key could be made.
    std::optional<QByteArray> begin(qint64 nowMs, QString *error);
    QString pendingNonce() const { return m_nonce; }

    // An answer on certTopic(). Accepted: the new identity is stored (a store failure turns
    // it into Rejected "store_failed") and the rotation is over; Rejected: over too.
    IdentityAnswer onAnswer(QByteArrayView payload);

private:
    QString m_deviceId;
    DeviceCertDir m_dir;
    std::string m_csrTopic;
    std::string m_certTopic;
    QByteArray m_pendingKey;
    QString m_nonce;
};

} // namespace fd::sim
