#pragma once

#include <QByteArrayView>
#include <QString>

namespace fd {

// The provisioning topics (docs/protocol.md "Provisioning"):
//   {root}/{serial}/request     factory device (bootstrap identity, client id = serial) -> FleetDeck
//   {root}/{serial}/response    FleetDeck -> factory device
//   {prefix}/{id}/pki/csr       enrolled device (its own certificate) -> FleetDeck: rotation CSR
//   {prefix}/{id}/pki/cert      FleetDeck -> enrolled device: the rotated certificate
// The root (default "fleetdeck/provisioning") is separate from the v1 prefix (default
// "fleetdeck/v1"): the bootstrap identity's ACL covers the root only.
class ProvisioningTopics
{
public:
    enum class Kind { None, Request, Response, RotationCsr, RotationCert };

    struct Parsed
    {
        Kind kind = Kind::None;  // None: not one of ours, or a bad serial / device id
        QString id;              // the serial (Request, Response) or the device id (RotationCsr, RotationCert)
    };

    static constexpr QStringView kDefaultRoot = u"fleetdeck/provisioning";

    explicit ProvisioningTopics(const QString &root = kDefaultRoot.toString(),
                                const QString &prefix = QStringLiteral("fleetdeck/v1"));

    QString root() const { return m_root; }
    QString prefix() const { return m_prefix; }

    QString requestTopic(const QString &serial) const;
    QString responseTopic(const QString &serial) const;
    QString rotationCsrTopic(const QString &deviceId) const;
    QString rotationCertTopic(const QString &deviceId) const;

    QString requestFilter() const;      // {root}/+/request
    QString rotationCsrFilter() const;  // {prefix}/+/pki/csr

    // Anything else (other root or prefix, other kind, more levels, a serial or device id
    // that is not valid) is None.
    Parsed parse(QByteArrayView topic) const;

private:
    QString m_root;
    QString m_prefix;
};

} // namespace fd
