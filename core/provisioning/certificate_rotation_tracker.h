#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace fd {

class FleetCa;
class OperationsStore;

// The console's bookkeeping of certificate rotations (docs/protocol.md "Provisioning"),
// one device at a time per source: the "pki.rekey" command was sent (rekeySent), the
// device's CSR on pki/csr was asked for (wasAsked) and issued (issued), and the console
// waits for the device's status to carry the new "cert_serial" (onStatus); then the old
// certificate is revoked and a new CRL written, in one job on the OperationsStore worker
// (crlChanged, rotationFinished). Publishing and issuing are the ProvisioningService's.
// Signals come on this object's thread.
class CertificateRotationTracker : public QObject
{
    Q_OBJECT
public:
    CertificateRotationTracker(OperationsStore *store, QString actor, QObject *parent = nullptr);

    // Null: the old certificate is still revoked, the CRL waits for the CA (error()).
    void setAuthority(std::shared_ptr<const FleetCa> ca);

    // The command commandId (pki.rekey) went out to deviceId at tsMs: remembered for
    // wasAsked() and audited "certificate.rotation_requested". The audit job id, or 0 (and
    // error()) when the store refused it.
    quint64 rekeySent(const QString &source, const QString &deviceId, const QString &commandId, qint64 tsMs);
    // Was deviceId asked for a new key at most ttlMs before nowMs (its CSR is then issued
    // without a technician)?
    bool wasAsked(const QString &source, const QString &deviceId, qint64 nowMs, qint64 ttlMs) const;
    // The rotation of deviceId was issued: newSerial replaces oldSerial (empty: nothing to
    // revoke, nothing awaited) once the device's status shows it.
    void issued(const QString &source, const QString &deviceId, const QString &oldSerial, const QString &newSerial);
    // Some rotation waits for a status (cheap check before parsing status topics).
    bool isAwaitingStatus() const { return !m_awaited.isEmpty(); }
    // A status message of deviceId on source (anything, from the device: bounded).
    void onStatus(const QString &source, const QString &deviceId, const QByteArray &payload);

signals:
    void rotationFinished(const QString &deviceId, const QString &oldSerial, const QString &newSerial);
    void crlChanged(const QByteArray &pem);
    void error(const QString &message);

private:
    struct AwaitedRotation
    {
        QString oldSerial;
        QString newSerial;
    };
    void finishRotation(const QString &source, const QString &deviceId, const QString &oldSerial,
                        const QString &newSerial);

    OperationsStore *m_store;
    QString m_actor;
    std::shared_ptr<const FleetCa> m_ca;
    QHash<QString, qint64> m_asked;             // source + '\n' + device id -> asked at (ms)
    QHash<QString, AwaitedRotation> m_awaited;  // source + '\n' + device id
};

} // namespace fd
