#pragma once

#include "core/pki/ca_key_vault.h"
#include "core/pki/ca_record.h"
#include "core/pki/certificate_record.h"
#include "core/pki/fleet_ca.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace fd {

class OperationsStore;
class SecretStore;

// The fleet CA and its certificate inventory for the GUI and provisioning (async: every
// store access is a job on the OperationsStore worker, results come back on this object's
// thread, like ReleaseCatalog). Signing also runs on the worker, inside the job that
// records the certificate.
//   load()                  -> authorityLoaded(exists, name); then refresh()
//   create*()               -> done(ok, error); authorityLoaded, unlocked
//   unlockWith*()           -> unlocked() or unlockFailed(reason)
//   refresh()               -> certificatesChanged(list)
//   revoke()                -> done(ok, error); certificatesChanged
//   writeCrl()              -> done(pem, error); crlChanged(pem)  (needs the CA unlocked)
//   issueDevice()           -> done(record, reasonKey, reason); certificatesChanged
// One CA per store is used (the first, or the one named at load()).
class CertificateAuthorityService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultCrlDays = 30;

    using Done = std::function<void(bool ok, const QString &error)>;
    using CrlDone = std::function<void(const QByteArray &pem, const QString &error)>;
    // reasonKey: CsrCheck::problemKey(), "ca_unusable" (locked, none, expired), "store_failed".
    using IssueDone =
        std::function<void(std::optional<CertificateRecord> record, const QString &reasonKey, const QString &reason)>;

    // secrets may be null (no keychain: passphrase only).
    CertificateAuthorityService(OperationsStore *store, SecretStore *secrets, QString actor,
                                QObject *parent = nullptr);

    bool hasAuthority() const { return m_record.has_value(); }
    bool isUnlocked() const { return m_ca != nullptr; }
    bool hasKeychain() const { return m_vault.hasKeychain(); }
    std::optional<CaRecord> record() const { return m_record; }
    QString authorityName() const { return m_record ? m_record->name : QString(); }
    // The unlocked CA (null while locked); what ProvisioningService::setAuthority takes.
    std::shared_ptr<const FleetCa> authority() const { return m_ca; }
    // Intermediate then root PEM (no unlock needed); empty without a CA.
    QByteArray chainPem() const;
    const QList<CertificateRecord> &certificates() const { return m_certificates; }

    // Reads the CA row (name empty: the first) and then the certificates.
    void load(const QString &name = QString());
    // Creates a new CA (FleetCa::create) protected by passphrase (≥ 8 chars) / the keychain.
    void createWithPassphrase(const QString &name, const QByteArray &passphrase, Done done);
    void createInKeychain(const QString &name, Done done);
    void unlockWithPassphrase(const QByteArray &passphrase);
    void unlockFromKeychain();
    // Unlocks with an already made CA (tests, demo); must be the loaded CA's.
    bool setAuthority(std::shared_ptr<const FleetCa> ca, QString *error);
    void lock();

    void refresh();
    void revoke(const QString &serial, const QString &reason, Done done);
    // A new CRL of every revoked certificate (crl_number incremented), nextUpdate in
    // kDefaultCrlDays days.
    void writeCrl(CrlDone done);
    // Signs a device CSR (CsrCheck first) and records it (kind device, or bootstrap/operator
    // for a CSR FleetDeck was handed), replacing replacesSerial when given (rotation).
    void issueDevice(const QByteArray &csrPem, const QString &deviceId, int days, CertificateRecord::Kind kind,
                     const QString &replacesSerial, IssueDone done);

signals:
    void authorityLoaded(bool exists, const QString &name);
    void unlocked();
    void unlockFailed(const QString &reason);
    void locked();
    void certificatesChanged(const QList<fd::CertificateRecord> &certificates);
    void crlChanged(const QByteArray &pem);
    void failed(const QString &error);

private:
    void insertAuthority(const CaRecord &record, std::shared_ptr<const FleetCa> ca, Done done);

    OperationsStore *m_store;
    CaKeyVault m_vault;
    QString m_actor;
    std::optional<CaRecord> m_record;
    std::shared_ptr<const FleetCa> m_ca;
    QList<CertificateRecord> m_certificates;
};

} // namespace fd
