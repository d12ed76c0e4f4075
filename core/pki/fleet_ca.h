#pragma once

#include "core/pki/certificate.h"
#include "core/pki/pki_key.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd {

// The fleet CA: a root (self-signed, CA:TRUE pathlen 1) and an issuing intermediate
// (CA:TRUE pathlen 0, signed by the root), both ECDSA P-256 with SHA-256 signatures. Holds
// the intermediate's private key (unlocked); everything it issues is signed by the
// intermediate. Immutable once made: safe to share (std::shared_ptr<const FleetCa>) and to
// use from the operations worker.
//
// Issued certificates: version 3, SHA-256, notBefore = now - 5 min (clock skew), notAfter =
// now + days, subject CN only, SKI (SHA-1 of the key) and AKI (keyid of the intermediate),
// basicConstraints critical CA:FALSE, keyUsage critical digitalSignature, and the EKU of
// their kind (device/client: clientAuth; server: serverAuth plus subjectAltName).
class FleetCa
{
    Q_DECLARE_TR_FUNCTIONS(fd::FleetCa)
public:
    static constexpr int kMinDays = 1;
    static constexpr int kMaxDays = 3650;
    static constexpr qint64 kBackdateMs = 5 * 60 * 1000;
    static constexpr int kMaxHosts = 32;

    struct Created;
    // A new root and intermediate: root CN "<name> Root CA", intermediate CN "<name> Issuing
    // CA", O "FleetDeck". Valid from now - 5 min. Never fails short of an OpenSSL internal
    // error (qFatal).
    static Created create(const QString &name, int rootDays = 7300, int intermediateDays = 3650,
                          qint64 nowMs = 0 /* 0: the current time */);
    // An existing CA: the intermediate must be a CA certificate signed by root, root a CA
    // certificate signed by itself, intermediateKey the intermediate's key; otherwise
    // std::nullopt with the reason.
    static std::optional<FleetCa> fromParts(const Certificate &root, const Certificate &intermediate,
                                            const PkiKey &intermediateKey, QString *error);

    Certificate root() const { return m_root; }
    Certificate intermediate() const { return m_intermediate; }
    PkiKey intermediateKey() const { return m_key; }
    // Intermediate then root: what a broker's cafile and a device need.
    QByteArray chainPem() const;
    // False with the reason when the intermediate or the root is expired or not yet valid.
    bool isUsable(qint64 nowMs, QString *why) const;

    // A device client certificate for a CSR (CN = deviceId). Refuses (std::nullopt + why)
    // a CSR that CsrCheck refuses (*problemKey gets its key, when given), an unusable CA,
    // days outside [kMinDays, kMaxDays], a serial that is not 1..20 bytes.
    std::optional<Certificate> issueDevice(const QByteArray &csrPem, const QString &deviceId, int days,
                                           const QByteArray &serial, qint64 nowMs, QString *why,
                                           QString *problemKey = nullptr) const;
    // A client certificate for a key FleetDeck made (operator, bootstrap identity).
    std::optional<Certificate> issueClient(const PkiKey &key, const QString &commonName, int days,
                                           const QByteArray &serial, qint64 nowMs, QString *why) const;
    // The broker's server certificate: serverAuth and subjectAltName with each host (an IP
    // address becomes IP:, anything else DNS:).
    std::optional<Certificate> issueServer(const PkiKey &key, const QString &commonName, const QStringList &hosts,
                                           int days, const QByteArray &serial, qint64 nowMs, QString *why) const;
    // A CRL (v2) signed by the intermediate: each revoked serial with its revocation time,
    // crlNumber, lastUpdate = now, nextUpdate = now + nextUpdateDays, AKI. PEM; empty with
    // the reason on failure.
    QByteArray crlPem(const QList<QPair<QByteArray /*serial*/, qint64 /*revokedMs*/>> &revoked, qint64 crlNumber,
                      qint64 nowMs, int nextUpdateDays, QString *why) const;

private:
    FleetCa(Certificate root, Certificate intermediate, PkiKey key);

    Certificate m_root;
    Certificate m_intermediate;
    PkiKey m_key;
};

struct FleetCa::Created
{
    FleetCa ca;
    PkiKey rootKey;
};

} // namespace fd
