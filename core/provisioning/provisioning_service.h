#pragma once

#include "core/domain/connection_state.h"
#include "core/domain/mqtt_message.h"
#include "core/pki/certificate_record.h"
#include "core/provisioning/expected_device.h"
#include "core/provisioning/provisioning_policy.h"
#include "core/provisioning/provisioning_request_record.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/transport/connection_profile.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

namespace fd {

class CertificateRotationTracker;
class FleetCa;
class OperationsStore;
class OperationsTransaction;
class ProvisioningLink;

// What the technician decides for a pending request (approve()).
struct Enrollment
{
    QString deviceId;     // empty: the one the device asked for (its CSR's CN); a different one is refused
    QString name;
    QString site;
    QStringList tags;
    int days = 0;         // 0: the policy's certDays
    QString typedSerial;  // from the label (enroll requests; ignored for rotations)
    QString typedClaim;
};

// A request waiting for a decision, with what the automatic checks found.
struct PendingRequest
{
    ProvisioningRequestRecord record;
    std::optional<ExpectedDevice> expected;  // the list's entry of the serial, if listed
    bool listed() const { return expected.has_value(); }
};

// The console side of provisioning (docs/protocol.md "Provisioning"). Per source (broker
// connection) its own MqttClient, client id "fleetdeck-provisioning-<uid>", subscribed to
// {root}/+/request, {prefix}/+/pki/csr and {prefix}/+/status.
//
// Every request is recorded (provisioning_requests row + audit entry, in one job on the
// operations store's worker, where the checks read what they need in the same transaction);
// a request whose nonce is known already is a replay: answered "replay" and audited, no row
// (the nonce is UNIQUE). Automatic rejections are answered at once on the response topic
// with their reason key. Valid requests wait as pending for the technician (approve() /
// reject()), or are issued at once when policy.autoApproveListed and the serial is listed
// (bulk pre-provisioning). Pending requests expire after policy.requestTtlMs (answered
// "expired").
//
// Lost acceptances (idempotent enrollment): an enrolled serial asking again (new nonce) for
// its device id with a CSR for the same public key (SubjectPublicKeyInfo) as a valid
// certificate of that id gets "accepted" again with that certificate and its chain, at once
// and even while the CA is locked (nothing is signed); audited "provisioning_request.resent".
// Another key is still already_enrolled.
//
// Rotation: requestRotation() publishes the v1 command "pki.rekey" on {prefix}/{id}/cmd; the
// device's CSR on {prefix}/{id}/pki/csr (within requestTtlMs) is issued at once (replaces the
// old certificate) and answered on {prefix}/{id}/pki/cert; once the device's status carries
// the new "cert_serial", the old certificate is revoked, a new CRL written (crlChanged) and
// rotationFinished emitted. A CSR on pki/csr nobody asked for waits for the technician.
// The rotation bookkeeping (asked, awaited, revoke + CRL) is a CertificateRotationTracker.
//
// All store work runs on the OperationsStore worker; signals come on this object's thread.
class ProvisioningService : public QObject
{
    Q_OBJECT
public:
    ProvisioningService(OperationsStore *store, QString actor, ProvisioningPolicy policy, QObject *parent = nullptr);
    ~ProvisioningService() override;

    // The provisioning root (default "fleetdeck/provisioning"); call before setSourceLink().
    void setRoot(const QString &root);
    // Connects (its own client) to that source's broker; the v1 prefix is the profile's.
    void setSourceLink(const QString &source, const ConnectionProfile &profile, const ConnectionSecrets &secrets);
    void removeSourceLink(const QString &source);
    // Connected and subscribed to its three filters.
    bool isReady(const QString &source) const;

    // Null: requests wait as pending ("CA locked"); approving is refused until it is set.
    void setAuthority(std::shared_ptr<const FleetCa> ca);
    void setPolicy(const ProvisioningPolicy &policy) { m_policy = policy; }
    ProvisioningPolicy policy() const { return m_policy; }
    // How often pending requests are checked for expiry (default 30 s).
    void setExpiryCheckIntervalMs(int ms);

    // Reads the pending requests from the store (also called by the first setSourceLink()).
    void reload();
    // Bulk pre-provisioning: adds / updates expected devices (enrolled ones are kept).
    quint64 importExpected(const QList<ExpectedDevice> &devices);

    QList<PendingRequest> pending() const;
    // 0 (and error()) when the request is not pending, the device id is refused, or the CA is
    // locked; else the job id; the outcome comes as requestDecided().
    quint64 approve(qint64 requestId, const Enrollment &enrollment);
    quint64 reject(qint64 requestId, const QString &reason);
    // 0 (and error()) when the source is not connected.
    quint64 requestRotation(const QString &source, const QString &deviceId);

signals:
    void pendingChanged();
    void requestReceived(const fd::ProvisioningRequestRecord &record);
    void requestDecided(qint64 requestId, bool accepted, const QString &reasonKey, const QString &reason,
                        const fd::CertificateRecord &cert);
    void expectedImported(int added, int updated, int skippedEnrolled);
    void rotationFinished(const QString &deviceId, const QString &oldSerial, const QString &newSerial);
    void crlChanged(const QByteArray &pem);
    void linkReady(const QString &source);
    void error(const QString &message);

private:
    struct Outcome;
    void onMessages(const QString &source, const MqttMessageBatch &batch);
    void onRequest(const QString &source, const ProvisioningTopics::Parsed &topic, const QByteArray &payload);
    void record(const QString &source, const std::shared_ptr<Outcome> &outcome);
    void finish(const std::shared_ptr<Outcome> &outcome);
    void answer(const QString &source, const QString &topic, const QByteArray &payload);
    void expirePending();
    quint64 decide(qint64 requestId, const Enrollment *enrollment, const QString &rejectReason);
    // Inside a store job: signs o->record's CSR (CA usable, fresh serial, certificates row),
    // decides the request accepted (or rejected with the reason the CA gave), enrolls the
    // expected device, and fills o's answer. False only for a store failure.
    // Inside the receive job: a lost acceptance (ProvisioningVerdict::resendIssued). Records
    // the request accepted with cert (no new certificate), audits
    // "provisioning_request.resent" and fills o's answer with cert and its CA's chain.
    static bool resendInJob(OperationsTransaction &tx, Outcome *o, const CertificateRecord &cert, const FleetCa *ca,
                            const QString &actor, QString *error);
    static bool issueInJob(OperationsTransaction &tx, Outcome *o, const FleetCa *ca, int days, const QString &actor,
                           const Enrollment *enrollment, QString *error);

    OperationsStore *m_store;
    QString m_actor;
    ProvisioningPolicy m_policy;
    QString m_root;
    std::shared_ptr<const FleetCa> m_ca;
    QHash<QString, ProvisioningLink *> m_links;  // children, by source
    QHash<qint64, PendingRequest> m_pending;
    CertificateRotationTracker *m_rotations;  // child: rekey sent .. old certificate revoked
    QTimer m_expiry;
    bool m_loaded = false;
    quint64 m_commandCounter = 0;
    QString m_uid;
};

} // namespace fd
