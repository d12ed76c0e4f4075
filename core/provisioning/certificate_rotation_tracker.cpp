#include "core/provisioning/certificate_rotation_tracker.h"

#include "core/operations/audit_entry.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_table.h"
#include "core/pki/fleet_ca.h"
#include "core/provisioning/provisioning_logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace fd {

namespace {

constexpr qsizetype kMaxStatusBytes = 64 * 1024;

QString deviceKey(const QString &source, const QString &deviceId)
{
    return source + u'\n' + deviceId;
}

} // namespace

CertificateRotationTracker::CertificateRotationTracker(OperationsStore *store, QString actor, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_actor(std::move(actor))
{
}

void CertificateRotationTracker::setAuthority(std::shared_ptr<const FleetCa> ca)
{
    m_ca = std::move(ca);
}

quint64 CertificateRotationTracker::rekeySent(const QString &source, const QString &deviceId,
                                              const QString &commandId, qint64 tsMs)
{
    m_asked.insert(deviceKey(source, deviceId), tsMs);
    AuditEntry entry;
    entry.actor = m_actor;
    entry.action = QStringLiteral("certificate.rotation_requested");
    entry.source = source;
    entry.devicePath = deviceId;
    entry.objectKind = QStringLiteral("certificate");
    entry.objectId = deviceId;
    entry.detail = tr("command pki.rekey %1 sent").arg(commandId);
    QString why;
    const quint64 id = m_store->recordAudit(entry, &why);
    if (id == 0)
        emit error(why);
    return id;
}

bool CertificateRotationTracker::wasAsked(const QString &source, const QString &deviceId, qint64 nowMs,
                                          qint64 ttlMs) const
{
    const auto it = m_asked.constFind(deviceKey(source, deviceId));
    return it != m_asked.cend() && nowMs - it.value() <= ttlMs;
}

void CertificateRotationTracker::issued(const QString &source, const QString &deviceId, const QString &oldSerial,
                                        const QString &newSerial)
{
    m_asked.remove(deviceKey(source, deviceId));
    if (!oldSerial.isEmpty())
        m_awaited.insert(deviceKey(source, deviceId), AwaitedRotation{oldSerial, newSerial});
}

void CertificateRotationTracker::onStatus(const QString &source, const QString &deviceId, const QByteArray &payload)
{
    const auto it = m_awaited.constFind(deviceKey(source, deviceId));
    if (it == m_awaited.cend() || payload.size() > kMaxStatusBytes)
        return;
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QString serial = o.value(u"cert_serial").toString();
    if (serial.isEmpty() || serial.compare(it->newSerial, Qt::CaseInsensitive) != 0)
        return;
    const AwaitedRotation done = *it;
    m_awaited.erase(it);
    finishRotation(source, deviceId, done.oldSerial, done.newSerial);
}

void CertificateRotationTracker::finishRotation(const QString &source, const QString &deviceId,
                                                const QString &oldSerial, const QString &newSerial)
{
    auto pem = std::make_shared<QByteArray>();
    auto crlWhy = std::make_shared<QString>();
    OperationsJob job;
    job.name = QStringLiteral("revoke the replaced certificate of %1").arg(deviceId);
    job.run = [=, ca = m_ca, actor = m_actor](OperationsTransaction &tx, QString *error) {
        CertificateRecord old;
        bool found = false;
        if (!CertificateTable::bySerial(tx.handle(), oldSerial, &old, &found, error))
            return false;
        if (found && !old.isRevoked()
            && !CertificateTable::revoke(tx, oldSerial, QStringLiteral("superseded by %1").arg(newSerial), tx.nowMs(),
                                         actor, error))
            return false;
        if (!ca) {
            *crlWhy = CertificateRotationTracker::tr("the fleet CA is locked: the CRL is written once it is unlocked");
            return true;
        }
        QList<QPair<QByteArray, qint64>> revoked;
        if (!CertificateTable::revokedForCrl(tx.handle(), &revoked, error))
            return false;
        const qint64 number = CaTable::nextCrlNumber(tx, QString(), actor, error);
        if (number <= 0)
            return false;
        *pem = ca->crlPem(revoked, number, tx.nowMs(), 30, error);
        return !pem->isEmpty();
    };
    m_store->submit(std::move(job), this, [=, this](bool ok, const QString &reason) {
        if (!ok) {
            emit error(tr("Cannot revoke the replaced certificate %1 of %2: %3").arg(oldSerial, deviceId, reason));
            return;
        }
        if (!crlWhy->isEmpty())
            emit error(*crlWhy);
        if (!pem->isEmpty())
            emit crlChanged(*pem);
        qCInfo(lcProvisioning).noquote() << source << deviceId << "rotated" << oldSerial << "->" << newSerial;
        emit rotationFinished(deviceId, oldSerial, newSerial);
    });
}

} // namespace fd
