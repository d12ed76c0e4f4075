#include "core/provisioning/provisioning_service.h"

#include "core/provisioning/certificate_rotation_tracker.h"

#include "core/commands/command_codec.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate.h"
#include "core/pki/certificate_request.h"
#include "core/pki/certificate_issuance.h"
#include "core/pki/certificate_table.h"
#include "core/pki/fleet_ca.h"
#include "core/provisioning/expected_device_table.h"
#include "core/provisioning/provisioning_checker.h"
#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_link.h"
#include "core/provisioning/provisioning_logging.h"
#include "core/provisioning/provisioning_reason.h"
#include "core/provisioning/provisioning_request.h"
#include "core/provisioning/provisioning_request_table.h"
#include "core/provisioning/provisioning_response.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace fd {

namespace {

constexpr int kDefaultExpiryCheckMs = 30000;

// The newest valid, unexpired device certificate of deviceId, if any.
bool currentCertificate(sqlite3 *db, const QString &deviceId, qint64 nowMs, std::optional<CertificateRecord> *out,
                        QString *error)
{
    QList<CertificateRecord> certs;
    if (!CertificateTable::forDevice(db, deviceId, &certs, error))
        return false;
    out->reset();
    for (const CertificateRecord &c : std::as_const(certs)) {
        if (c.kind == CertificateRecord::Kind::Device && !c.isRevoked() && !c.isExpired(nowMs)) {
            *out = c;
            break;
        }
    }
    return true;
}

// A lost acceptance: the valid, unexpired device certificate of deviceId whose public key
// (SubjectPublicKeyInfo, byte for byte) is the CSR's, if any. An unreadable CSR matches none.
bool certificateForKey(sqlite3 *db, const QString &deviceId, const QByteArray &csrPem, qint64 nowMs,
                       std::optional<CertificateRecord> *out, QString *error)
{
    out->reset();
    const std::optional<CertificateRequest> csr = CertificateRequest::fromPem(csrPem, nullptr);
    const QByteArray key = csr ? csr->publicKeyInfoDer() : QByteArray();
    if (key.isEmpty())
        return true;
    QList<CertificateRecord> certs;
    if (!CertificateTable::forDevice(db, deviceId, &certs, error))
        return false;
    for (const CertificateRecord &c : std::as_const(certs)) {  // newest first
        if (c.kind != CertificateRecord::Kind::Device || c.isRevoked() || c.isExpired(nowMs))
            continue;
        const std::optional<Certificate> cert = Certificate::fromPem(c.pem, nullptr);
        if (cert && cert->publicKeyInfoDer() == key) {
            *out = c;
            break;
        }
    }
    return true;
}

// The chain (intermediate then root) of the CA that issued certPem: the unlocked CA's, or
// one of the store's CAs (a re-sent certificate needs no private key). Empty: none.
bool chainOf(sqlite3 *db, const QByteArray &certPem, const FleetCa *ca, QByteArray *chain, QString *error)
{
    chain->clear();
    const std::optional<Certificate> cert = Certificate::fromPem(certPem, nullptr);
    if (!cert)
        return true;
    if (ca && cert->isIssuedBy(ca->intermediate())) {
        *chain = ca->chainPem();
        return true;
    }
    QList<CaRecord> cas;
    if (!CaTable::list(db, &cas, error))
        return false;
    for (const CaRecord &r : std::as_const(cas)) {
        const std::optional<Certificate> intermediate = Certificate::fromPem(r.intermediatePem, nullptr);
        if (intermediate && cert->isIssuedBy(*intermediate)) {
            *chain = r.chainPem();
            return true;
        }
    }
    return true;
}

ProvisioningRequest requestOf(const ProvisioningRequestRecord &r)
{
    ProvisioningRequest q;
    q.kind = r.kind == ProvisioningRequestRecord::Kind::Rotate ? ProvisioningRequest::Kind::Rotate
                                                                 : ProvisioningRequest::Kind::Enroll;
    q.serial = r.serial;
    q.model = r.model;
    q.claimHash = r.claimHash;
    q.deviceId = r.deviceId;
    q.csrPem = r.csrPem;
    q.nonce = r.nonce;
    q.tsMs = r.requestTsMs;
    return q;
}

} // namespace

// One request (or decision) carried through a store job and back.
struct ProvisioningService::Outcome
{
    // In.
    QString source;
    QString answerTopic;
    bool parsed = false;
    ProvisioningRequest request;
    ProvisioningRequest::Error parseError;
    QString topicId;        // serial (enroll) or device id (rotate) from the topic
    bool rotate = false;
    bool rotationAsked = false;
    // Out.
    bool recorded = false;  // a row was written (record is it)
    ProvisioningRequestRecord record;
    std::optional<ExpectedDevice> expected;
    std::optional<CertificateRecord> cert;
    QString oldSerial;
    bool pending = false;
    bool decided = false;   // record / reasonKey hold the decision
    QString reasonKey;
    QString reason;
    QByteArray answer;      // to publish on answerTopic; empty: nothing
    QString refusal;        // approve()/reject() refused without a decision: error()
};

namespace {

bool rejectDecided(OperationsTransaction &tx, ProvisioningRequestRecord *rec, const QString &key, const QString &reason,
                   const QString &actor, QString *error)
{
    if (!ProvisioningRequestTable::decide(tx, rec->id, ProvisioningRequestRecord::State::Rejected, key, reason,
                                          QString(), actor, error))
        return false;
    rec->state = ProvisioningRequestRecord::State::Rejected;
    rec->reasonKey = key;
    rec->reason = reason;
    return true;
}

} // namespace

ProvisioningService::ProvisioningService(OperationsStore *store, QString actor, ProvisioningPolicy policy,
                                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_actor(actor.isEmpty() ? QStringLiteral("fleetdeck") : std::move(actor))
    , m_policy(policy)
    , m_root(ProvisioningTopics::kDefaultRoot.toString())
    , m_rotations(new CertificateRotationTracker(store, m_actor, this))
    , m_uid(QStringLiteral("%1").arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0')))
{
    connect(m_rotations, &CertificateRotationTracker::rotationFinished, this, &ProvisioningService::rotationFinished);
    connect(m_rotations, &CertificateRotationTracker::crlChanged, this, &ProvisioningService::crlChanged);
    connect(m_rotations, &CertificateRotationTracker::error, this, &ProvisioningService::error);
    m_expiry.setInterval(kDefaultExpiryCheckMs);
    connect(&m_expiry, &QTimer::timeout, this, &ProvisioningService::expirePending);
    m_expiry.start();
}

ProvisioningService::~ProvisioningService()
{
    for (ProvisioningLink *link : std::as_const(m_links))
        link->close(1000);
}

void ProvisioningService::setRoot(const QString &root)
{
    m_root = root;
}

void ProvisioningService::setExpiryCheckIntervalMs(int ms)
{
    m_expiry.setInterval(qMax(10, ms));
}

void ProvisioningService::setAuthority(std::shared_ptr<const FleetCa> ca)
{
    m_rotations->setAuthority(ca);
    m_ca = std::move(ca);
}

void ProvisioningService::setSourceLink(const QString &source, const ConnectionProfile &profile,
                                        const ConnectionSecrets &secrets)
{
    removeSourceLink(source);
    if (!m_loaded)
        reload();
    auto *link = new ProvisioningLink(source, m_root, profile, this);
    m_links.insert(source, link);
    connect(link, &ProvisioningLink::messagesReceived, this,
            [this, source](const MqttMessageBatch &batch) { onMessages(source, batch); });
    connect(link, &ProvisioningLink::ready, this, [this, source] {
        if (isReady(source))  // the link of that source now
            emit linkReady(source);
    });
    connect(link, &ProvisioningLink::error, this, &ProvisioningService::error);
    link->open(QStringLiteral("fleetdeck-provisioning-") + m_uid, secrets);
}

void ProvisioningService::removeSourceLink(const QString &source)
{
    ProvisioningLink *link = m_links.take(source);
    if (link) {
        link->close(1000);
        link->deleteLater();
    }
}

bool ProvisioningService::isReady(const QString &source) const
{
    const ProvisioningLink *link = m_links.value(source);
    return link && link->isReady();
}

void ProvisioningService::reload()
{
    m_loaded = true;
    auto rows = std::make_shared<QList<PendingRequest>>();
    OperationsJob job;
    job.name = QStringLiteral("read pending provisioning requests");
    job.run = [rows](OperationsTransaction &tx, QString *error) {
        QList<ProvisioningRequestRecord> records;
        if (!ProvisioningRequestTable::pending(tx.handle(), &records, error))
            return false;
        for (const ProvisioningRequestRecord &r : std::as_const(records)) {
            PendingRequest p;
            p.record = r;
            if (r.kind == ProvisioningRequestRecord::Kind::Enroll) {
                ExpectedDevice d;
                bool found = false;
                if (!ExpectedDeviceTable::bySerial(tx.handle(), r.serial, &d, &found, error))
                    return false;
                if (found)
                    p.expected = d;
            }
            rows->append(p);
        }
        return true;
    };
    QString why;
    if (m_store->submit(std::move(job), this,
                        [this, rows](bool ok, const QString &reason) {
                            if (!ok) {
                                emit error(tr("Cannot read the pending provisioning requests: %1").arg(reason));
                                return;
                            }
                            for (const PendingRequest &p : std::as_const(*rows))
                                m_pending.insert(p.record.id, p);
                            emit pendingChanged();
                        },
                        &why)
        == 0)
        emit error(why);
}

quint64 ProvisioningService::importExpected(const QList<ExpectedDevice> &devices)
{
    auto result = std::make_shared<ExpectedDeviceTable::ImportResult>();
    OperationsJob job;
    job.name = QStringLiteral("import expected devices");
    job.run = [devices, result, actor = m_actor](OperationsTransaction &tx, QString *error) {
        return ExpectedDeviceTable::importAll(tx, devices, actor, result.get(), error);
    };
    QString why;
    const quint64 id = m_store->submit(std::move(job), this, [this, result](bool ok, const QString &reason) {
        if (!ok) {
            emit error(tr("Cannot import the expected devices: %1").arg(reason));
            return;
        }
        emit expectedImported(result->added, result->updated, result->skippedEnrolled);
    }, &why);
    if (id == 0)
        emit error(why);
    return id;
}

QList<PendingRequest> ProvisioningService::pending() const
{
    QList<PendingRequest> out = m_pending.values();
    std::sort(out.begin(), out.end(), [](const PendingRequest &a, const PendingRequest &b) { return a.record.id < b.record.id; });
    return out;
}

void ProvisioningService::onMessages(const QString &source, const MqttMessageBatch &batch)
{
    ProvisioningLink *const link = m_links.value(source);
    if (!link)
        return;
    for (const MqttMessage &m : batch) {
        const ProvisioningTopics::Parsed parsed = link->topics().parse(m.topic);
        if (parsed.kind == ProvisioningTopics::Kind::Request || parsed.kind == ProvisioningTopics::Kind::RotationCsr) {
            if (m.discardedPayloadBytes > 0) {
                // Too big to be copied off the network thread: answered as too large.
                onRequest(source, parsed, QByteArray(ProvisioningRequest::kMaxBytes + 1, ' '));
            } else {
                onRequest(source, parsed, m.payload);
            }
            continue;
        }
        const TopicScheme::Parsed status = link->scheme().parse(m.topic);
        if (status.kind == TopicScheme::Kind::Status && status.deviceIdValid && m_rotations->isAwaitingStatus())
            m_rotations->onStatus(source, QString::fromUtf8(status.deviceId), m.payload);
    }
}

void ProvisioningService::onRequest(const QString &source, const ProvisioningTopics::Parsed &topic,
                                    const QByteArray &payload)
{
    ProvisioningLink *const link = m_links.value(source);
    auto o = std::make_shared<Outcome>();
    o->source = source;
    o->topicId = topic.id;
    o->rotate = topic.kind == ProvisioningTopics::Kind::RotationCsr;
    o->answerTopic = o->rotate ? link->topics().rotationCertTopic(topic.id) : link->topics().responseTopic(topic.id);
    std::optional<ProvisioningRequest> r =
        o->rotate ? ProvisioningRequest::parseRotation(payload, topic.id, &o->parseError)
                  : ProvisioningRequest::parseEnroll(payload, topic.id, &o->parseError);
    o->parsed = r.has_value();
    if (r)
        o->request = *r;
    if (o->rotate)
        o->rotationAsked = m_rotations->wasAsked(source, topic.id, QDateTime::currentMSecsSinceEpoch(), m_policy.requestTtlMs);
    record(source, o);
}

// The receive job: checks and records in one transaction (see the class comment).
void ProvisioningService::record(const QString &source, const std::shared_ptr<Outcome> &o)
{
    OperationsJob job;
    job.name = QStringLiteral("record a provisioning request");
    job.run = [o, policy = m_policy, ca = m_ca, actor = m_actor](OperationsTransaction &tx, QString *error) -> bool {
        const qint64 now = tx.nowMs();
        auto answerRejection = [&](const QString &nonce, const QString &key, const QString &reason) {
            o->decided = true;
            o->reasonKey = key;
            o->reason = reason;
            o->answer = ProvisioningResponse::rejection(nonce, key, reason).toJson();
        };
        auto auditOnly = [&](const QString &action, const QString &objectId, const QString &detail) {
            AuditEntry e;
            e.tsMs = now;
            e.actor = actor;
            e.action = QStringLiteral("provisioning_request.") + action;
            e.source = o->source;
            e.devicePath = o->rotate ? o->topicId : QString();
            e.objectKind = QStringLiteral("provisioning_request");
            e.objectId = objectId;
            e.detail = (o->rotate ? QStringLiteral("rotation of ") : QStringLiteral("serial ")) + o->topicId
                       + QStringLiteral(": ") + detail;
            return tx.insertAudit(e, error) > 0;
        };

        ProvisioningRequestRecord &rec = o->record;
        rec.kind = o->rotate ? ProvisioningRequestRecord::Kind::Rotate : ProvisioningRequestRecord::Kind::Enroll;
        rec.source = o->source;
        rec.receivedMs = now;
        if (o->rotate) {
            rec.deviceId = o->topicId;
            QString serial;
            if (!ProvisioningRequestTable::enrolledSerialOf(tx.handle(), o->topicId, &serial, error))
                return false;
            rec.serial = serial.isEmpty() ? o->topicId : serial;
        } else {
            rec.serial = o->topicId;
        }

        if (!o->parsed) {
            const ProvisioningRequest::Error &pe = o->parseError;
            if (pe.nonce.isEmpty()) {
                // No nonce to key a row on: the attempt is audited and answered.
                answerRejection(QString(), pe.key, pe.detail);
                return auditOnly(pe.key, QString(), pe.key + QStringLiteral(": ") + pe.detail);
            }
            rec.nonce = pe.nonce;
            rec.state = ProvisioningRequestRecord::State::Rejected;
            rec.reasonKey = pe.key;
            rec.reason = pe.detail;
            bool clash = false;
            if (!ProvisioningRequestTable::insert(tx, &rec, actor, error, &clash)) {
                if (!clash)
                    return false;
                answerRejection(pe.nonce, ProvisioningReason::Replay, ProvisioningReason::describe(ProvisioningReason::Replay));
                return auditOnly(QStringLiteral("replay"), pe.nonce, ProvisioningReason::Replay);
            }
            o->recorded = true;
            answerRejection(pe.nonce, pe.key, pe.detail);
            return true;
        }

        const ProvisioningRequest &r = o->request;
        rec.model = r.model;
        rec.nonce = r.nonce;
        rec.deviceId = r.deviceId;
        rec.requestTsMs = r.tsMs;
        rec.csrPem = r.csrPem;
        rec.claimHash = r.claimHash;

        ProvisioningFacts facts;
        if (!ProvisioningRequestTable::nonceExists(tx.handle(), r.nonce, &facts.nonceSeen, error))
            return false;
        if (facts.nonceSeen) {
            answerRejection(r.nonce, ProvisioningReason::Replay, ProvisioningReason::describe(ProvisioningReason::Replay));
            return auditOnly(QStringLiteral("replay"), r.nonce, ProvisioningReason::Replay);
        }
        if (!ProvisioningRequestTable::pendingFor(tx.handle(), rec.kind, o->rotate ? r.deviceId : r.serial,
                                                  &facts.samePending, error))
            return false;
        if (!o->rotate) {
            ExpectedDevice d;
            bool found = false;
            if (!ExpectedDeviceTable::bySerial(tx.handle(), r.serial, &d, &found, error))
                return false;
            if (found)
                facts.listed = d;
            o->expected = facts.listed;
        }
        std::optional<CertificateRecord> current;
        if (ProvisioningIds::isValidDeviceIdSyntax(r.deviceId)
            && !currentCertificate(tx.handle(), r.deviceId, now, &current, error))
            return false;
        facts.deviceIdHasValidCertificate = current.has_value();
        if (current)
            o->oldSerial = current->serial;
        // An enrolled serial asking again for its own device id: is it the same key?
        std::optional<CertificateRecord> issuedForKey;
        if (!o->rotate && current && facts.listed && facts.listed->state == ExpectedDevice::State::Enrolled
            && facts.listed->deviceId == r.deviceId) {
            if (!certificateForKey(tx.handle(), r.deviceId, r.csrPem, now, &issuedForKey, error))
                return false;
            facts.enrolledKeyMatches = issuedForKey.has_value();
        }

        const ProvisioningVerdict verdict = ProvisioningChecker::check(r, facts, policy, now);
        if (verdict.resendIssued && issuedForKey)
            return ProvisioningService::resendInJob(tx, o.get(), *issuedForKey, ca.get(), actor, error);
        rec.state = verdict.ok() ? ProvisioningRequestRecord::State::Pending : ProvisioningRequestRecord::State::Rejected;
        rec.reasonKey = verdict.reasonKey;
        rec.reason = verdict.reason;
        if (!ProvisioningRequestTable::insert(tx, &rec, actor, error))
            return false;
        o->recorded = true;
        if (!verdict.ok()) {
            answerRejection(r.nonce, verdict.reasonKey, verdict.reason);
            return true;
        }
        const bool automatic = o->rotate ? o->rotationAsked : (policy.autoApproveListed && facts.listed.has_value());
        if (!automatic || !ca) {
            o->pending = true;  // the technician decides (or the CA is locked: it waits)
            return true;
        }
        return ProvisioningService::issueInJob(tx, o.get(), ca.get(), policy.certDays, actor, nullptr, error);
    };
    QString why;
    if (m_store->submit(std::move(job), this,
                        [this, o](bool ok, const QString &reason) {
                            if (!ok) {
                                qCWarning(lcProvisioning).noquote() << "cannot record a request from" << o->source << reason;
                                emit error(tr("Cannot record a provisioning request: %1").arg(reason));
                                return;
                            }
                            finish(o);
                        },
                        &why)
        == 0) {
        // The store is overloaded: the device is told nothing and retries (its request expires).
        qCWarning(lcProvisioning).noquote() << "request from" << source << "dropped:" << why;
        emit error(tr("A provisioning request was dropped: %1").arg(why));
    }
}

bool ProvisioningService::resendInJob(OperationsTransaction &tx, Outcome *o, const CertificateRecord &cert,
                                      const FleetCa *ca, const QString &actor, QString *error)
{
    ProvisioningRequestRecord &rec = o->record;
    QByteArray chain;
    if (!chainOf(tx.handle(), cert.pem, ca, &chain, error))
        return false;
    if (chain.isEmpty()) {
        // Cannot happen with one fleet CA; refused rather than answered without a chain.
        rec.state = ProvisioningRequestRecord::State::Rejected;
        rec.reasonKey = ProvisioningReason::CaUnusable;
        rec.reason = tr("the CA that issued certificate %1 is not in this store").arg(cert.serial);
        if (!ProvisioningRequestTable::insert(tx, &rec, actor, error))
            return false;
        o->recorded = true;
        o->decided = true;
        o->reasonKey = rec.reasonKey;
        o->reason = rec.reason;
        o->answer = ProvisioningResponse::rejection(rec.nonce, rec.reasonKey, rec.reason).toJson();
        return true;
    }
    rec.state = ProvisioningRequestRecord::State::Accepted;
    rec.certSerial = cert.serial;
    rec.reason = tr("re-sent certificate %1 (issued %2 for this key); nothing new issued")
                     .arg(cert.serial, QDateTime::fromMSecsSinceEpoch(cert.issuedMs, Qt::UTC).toString(Qt::ISODate));
    if (!ProvisioningRequestTable::insert(tx, &rec, actor, error))
        return false;
    o->recorded = true;
    AuditEntry e;
    e.tsMs = tx.nowMs();
    e.actor = actor;
    e.action = QStringLiteral("provisioning_request.resent");
    e.source = rec.source;
    e.devicePath = rec.deviceId;
    e.objectKind = QStringLiteral("provisioning_request");
    e.objectId = QString::number(rec.id);
    e.afterJson = ProvisioningRequestTable::describeJson(rec);
    e.detail = tr("serial %1 asked again with the key of its certificate %2: the acceptance was re-sent")
                   .arg(rec.serial, cert.serial);
    if (tx.insertAudit(e, error) <= 0)
        return false;

    o->decided = true;
    o->cert = cert;
    ProvisioningResponse answer;
    answer.nonce = rec.nonce;
    answer.accepted = true;
    answer.deviceId = rec.deviceId;
    answer.certSerial = cert.serial;
    answer.certificatePem = cert.pem;
    answer.chainPem = chain;
    o->answer = answer.toJson();
    return true;
}

bool ProvisioningService::issueInJob(OperationsTransaction &tx, Outcome *o, const FleetCa *ca, int days,
                                     const QString &actor, const Enrollment *enrollment, QString *error)
{
    ProvisioningRequestRecord &rec = o->record;
    const qint64 now = tx.nowMs();
    auto rejected = [&](const QString &key, const QString &reason) {
        if (!rejectDecided(tx, &rec, key, reason, actor, error))
            return false;
        o->decided = true;
        o->reasonKey = key;
        o->reason = reason;
        o->answer = ProvisioningResponse::rejection(rec.nonce, key, reason).toJson();
        return true;
    };
    QString why;
    if (!ca->isUsable(now, &why))
        return rejected(ProvisioningReason::CaUnusable, why);
    const QByteArray csr = rec.csrPem;
    const QString deviceId = rec.deviceId;
    const CertificateIssuance::Sign sign = [&](const QByteArray &serial, QString *signWhy, QString *key) {
        return ca->issueDevice(csr, deviceId, days, serial, now, signWhy, key);
    };
    QString key;
    const QString replaces = rec.kind == ProvisioningRequestRecord::Kind::Rotate ? o->oldSerial : QString();
    const std::optional<CertificateRecord> cert =
        CertificateIssuance::run(tx, sign, CertificateRecord::Kind::Device, deviceId, actor, replaces, &why, &key);
    if (!cert) {
        if (key.isEmpty() || key == u"store_failed") {
            *error = why;
            return false;
        }
        return rejected(key, why);
    }
    if (!ProvisioningRequestTable::decide(tx, rec.id, ProvisioningRequestRecord::State::Accepted, QString(), QString(),
                                          cert->serial, actor, error))
        return false;
    rec.state = ProvisioningRequestRecord::State::Accepted;
    rec.certSerial = cert->serial;
    rec.reasonKey.clear();
    rec.reason.clear();

    if (rec.kind == ProvisioningRequestRecord::Kind::Enroll) {
        // The list of expected devices knows every enrolled device, listed before or not,
        // with what the technician assigned.
        ExpectedDevice d;
        bool found = false;
        if (!ExpectedDeviceTable::bySerial(tx.handle(), rec.serial, &d, &found, error))
            return false;
        if (!found) {
            d.serial = rec.serial;
            d.model = rec.model;
            d.claimHash = rec.claimHash;
        }
        d.deviceId = deviceId;
        if (enrollment) {
            if (!enrollment->name.isEmpty())
                d.name = enrollment->name;
            if (!enrollment->site.isEmpty())
                d.site = enrollment->site;
            if (!enrollment->tags.isEmpty())
                d.tags = enrollment->tags;
        }
        if (!found || enrollment) {
            ExpectedDeviceTable::ImportResult ignored;
            if (!ExpectedDeviceTable::importAll(tx, {d}, actor, &ignored, error))
                return false;
        }
        if (!ExpectedDeviceTable::markEnrolled(tx, rec.serial, deviceId, actor, error))
            return false;
    }

    o->decided = true;
    o->cert = cert;
    ProvisioningResponse answer;
    answer.nonce = rec.nonce;
    answer.accepted = true;
    answer.deviceId = deviceId;
    answer.certSerial = cert->serial;
    answer.certificatePem = cert->pem;
    answer.chainPem = ca->chainPem();
    o->answer = answer.toJson();
    return true;
}

void ProvisioningService::finish(const std::shared_ptr<Outcome> &o)
{
    if (!o->refusal.isEmpty())
        emit error(o->refusal);
    if (!o->answer.isEmpty())
        answer(o->source, o->answerTopic, o->answer);
    if (o->recorded)
        emit requestReceived(o->record);
    if (o->pending) {
        m_pending.insert(o->record.id, PendingRequest{o->record, o->expected});
        emit pendingChanged();
    }
    if (o->decided) {
        if (m_pending.remove(o->record.id) > 0)
            emit pendingChanged();
        const bool accepted = o->cert.has_value();
        qCInfo(lcProvisioning).noquote() << "request" << o->record.id << (o->rotate ? "rotate" : "enroll")
                                         << o->record.serial << (accepted ? "accepted" : "rejected") << o->reasonKey;
        if (accepted && o->rotate)
            m_rotations->issued(o->source, o->record.deviceId, o->oldSerial, o->cert->serial);
        emit requestDecided(o->record.id, accepted, o->reasonKey, o->reason, o->cert.value_or(CertificateRecord{}));
    }
}

void ProvisioningService::answer(const QString &source, const QString &topic, const QByteArray &payload)
{
    ProvisioningLink *const link = m_links.value(source);
    if (!link || topic.isEmpty()) {
        qCWarning(lcProvisioning).noquote() << "no connection to" << source << "to answer on" << topic;
        return;
    }
    link->answer(topic, payload);
}

quint64 ProvisioningService::approve(qint64 requestId, const Enrollment &enrollment)
{
    return decide(requestId, &enrollment, QString());
}

quint64 ProvisioningService::reject(qint64 requestId, const QString &reason)
{
    return decide(requestId, nullptr, reason);
}

quint64 ProvisioningService::decide(qint64 requestId, const Enrollment *enrollment, const QString &rejectReason)
{
    const auto it = m_pending.constFind(requestId);
    if (it == m_pending.cend()) {
        emit error(tr("Provisioning request %1 is not pending").arg(requestId));
        return 0;
    }
    const ProvisioningRequestRecord rec = it->record;
    ProvisioningLink *const link = m_links.value(rec.source);
    const bool rotate = rec.kind == ProvisioningRequestRecord::Kind::Rotate;
    auto o = std::make_shared<Outcome>();
    o->source = rec.source;
    o->rotate = rotate;
    o->record = rec;
    o->expected = it->expected;
    if (link)
        o->answerTopic = rotate ? link->topics().rotationCertTopic(rec.deviceId) : link->topics().responseTopic(rec.serial);

    std::optional<Enrollment> e;
    if (enrollment) {
        e = *enrollment;
        if (e->deviceId.isEmpty())
            e->deviceId = rec.deviceId;
        if (e->deviceId != rec.deviceId) {
            emit error(tr("The device asked for the id %1 (its certificate request names it); a different id needs a "
                          "new request from the device")
                           .arg(rec.deviceId));
            return 0;
        }
        if (!m_ca) {
            emit error(tr("The fleet CA is locked: unlock it to approve the request"));
            return 0;
        }
        if (e->days <= 0)
            e->days = m_policy.certDays;
    }

    OperationsJob job;
    job.name = enrollment ? QStringLiteral("approve provisioning request %1").arg(requestId)
                          : QStringLiteral("reject provisioning request %1").arg(requestId);
    job.run = [o, e, rejectReason, ca = m_ca, actor = m_actor](OperationsTransaction &tx, QString *error) -> bool {
        ProvisioningRequestRecord &r = o->record;
        bool found = false;
        if (!ProvisioningRequestTable::byId(tx.handle(), r.id, &r, &found, error))
            return false;
        if (!found || r.state != ProvisioningRequestRecord::State::Pending) {
            o->refusal = ProvisioningService::tr("Provisioning request %1 was decided meanwhile").arg(r.id);
            return true;
        }
        auto rejected = [&](const QString &key, const QString &reason) {
            if (!rejectDecided(tx, &r, key, reason, actor, error))
                return false;
            o->decided = true;
            o->reasonKey = key;
            o->reason = reason;
            o->answer = ProvisioningResponse::rejection(r.nonce, key, reason).toJson();
            return true;
        };
        if (!e)
            return rejected(ProvisioningReason::RejectedByTechnician,
                            rejectReason.isEmpty() ? ProvisioningReason::describe(ProvisioningReason::RejectedByTechnician)
                                                   : rejectReason.left(1024));
        const qint64 now = tx.nowMs();
        std::optional<CertificateRecord> current;
        if (!currentCertificate(tx.handle(), r.deviceId, now, &current, error))
            return false;
        if (r.kind == ProvisioningRequestRecord::Kind::Enroll) {
            std::optional<ExpectedDevice> listed;
            ExpectedDevice d;
            if (!ExpectedDeviceTable::bySerial(tx.handle(), r.serial, &d, &found, error))
                return false;
            if (found)
                listed = d;
            const ProvisioningVerdict v = ProvisioningChecker::checkTechnician(requestOf(r), listed, e->typedSerial, e->typedClaim);
            if (!v.ok())
                return rejected(v.reasonKey, v.reason);
            if (listed && listed->state == ExpectedDevice::State::Enrolled)
                return rejected(ProvisioningReason::AlreadyEnrolled, ProvisioningReason::describe(ProvisioningReason::AlreadyEnrolled));
            if (current)
                return rejected(ProvisioningReason::AlreadyEnrolled,
                                ProvisioningChecker::tr("device id %1 already has a valid certificate").arg(r.deviceId));
        } else {
            if (!current)
                return rejected(ProvisioningReason::InvalidDeviceId,
                                ProvisioningChecker::tr("device %1 has no valid certificate to rotate").arg(r.deviceId));
            o->oldSerial = current->serial;
        }
        return ProvisioningService::issueInJob(tx, o.get(), ca.get(), e->days, actor, &*e, error);
    };
    QString why;
    const quint64 id = m_store->submit(std::move(job), this, [this, o](bool ok, const QString &reason) {
        if (!ok) {
            emit error(tr("Cannot decide provisioning request %1: %2").arg(o->record.id).arg(reason));
            return;
        }
        finish(o);
    }, &why);
    if (id == 0)
        emit error(why);
    return id;
}

void ProvisioningService::expirePending()
{
    if (m_pending.isEmpty())
        return;
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - m_policy.requestTtlMs;
    bool any = false;
    for (const PendingRequest &p : std::as_const(m_pending))
        any = any || p.record.receivedMs < cutoff;
    if (!any)
        return;
    auto expired = std::make_shared<QList<qint64>>();
    OperationsJob job;
    job.name = QStringLiteral("expire provisioning requests");
    job.run = [expired, cutoff, actor = m_actor](OperationsTransaction &tx, QString *error) {
        return ProvisioningRequestTable::expirePending(tx, cutoff, actor, expired.get(), error);
    };
    m_store->submit(std::move(job), this, [this, expired](bool ok, const QString &reason) {
        if (!ok) {
            emit error(tr("Cannot expire provisioning requests: %1").arg(reason));
            return;
        }
        for (qint64 id : std::as_const(*expired)) {
            const PendingRequest p = m_pending.take(id);
            if (p.record.id == 0)
                continue;
            ProvisioningLink *const link = m_links.value(p.record.source);
            const QString why = ProvisioningChecker::tr("not decided within %1 s").arg(m_policy.requestTtlMs / 1000);
            if (link) {
                const bool rotate = p.record.kind == ProvisioningRequestRecord::Kind::Rotate;
                answer(p.record.source,
                       rotate ? link->topics().rotationCertTopic(p.record.deviceId) : link->topics().responseTopic(p.record.serial),
                       ProvisioningResponse::rejection(p.record.nonce, ProvisioningReason::Expired, why).toJson());
            }
            emit requestDecided(id, false, ProvisioningReason::Expired, why, CertificateRecord{});
        }
        if (!expired->isEmpty())
            emit pendingChanged();
    });
}

quint64 ProvisioningService::requestRotation(const QString &source, const QString &deviceId)
{
    ProvisioningLink *const link = m_links.value(source);
    QString why;
    if (!ProvisioningIds::isValidDeviceId(deviceId, &why)) {
        emit error(why);
        return 0;
    }
    if (!link || !link->isConnected()) {
        emit error(tr("Not connected to %1: cannot ask %2 for a new key").arg(source, deviceId));
        return 0;
    }
    CommandRequest cmd;
    cmd.id = QStringLiteral("prov-%1-%2").arg(m_uid).arg(++m_commandCounter);
    cmd.name = QStringLiteral("pki.rekey");
    cmd.tsMs = QDateTime::currentMSecsSinceEpoch();
    if (!link->publishNow(link->scheme().commandTopic(deviceId), CommandCodec::encodeRequest(cmd))) {
        emit error(tr("Cannot publish the rekey command to %1").arg(deviceId));
        return 0;
    }
    const quint64 id = m_rotations->rekeySent(source, deviceId, cmd.id, cmd.tsMs);
    return id == 0 ? quint64(1) : id;  // the command went out: not a refusal
}

} // namespace fd
