#include "ui/device_deletion_controller.h"

#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fd {

DeviceDeletionController::DeviceDeletionController(FleetSession *session, OperationsStore *operations,
                                                   QString actor, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_operations(operations)
    , m_actor(std::move(actor))
{
    if (m_operations) {
        connect(m_operations, &OperationsStore::committed, this, &DeviceDeletionController::onCommitted);
        connect(m_operations, &OperationsStore::failed, this, &DeviceDeletionController::onFailed);
    }
    connect(m_session, &FleetSession::devicesDeleted, this, &DeviceDeletionController::onDevicesDeleted);
}

QString DeviceDeletionController::describe(const QList<DeviceKey> &devices)
{
    if (devices.size() == 1)
        return tr("the device %1 of %2").arg(devices.constFirst().path, devices.constFirst().source);
    return tr("%n devices", nullptr, int(devices.size()));
}

bool DeviceDeletionController::request(const QList<DeviceKey> &devices)
{
    if (devices.isEmpty())
        return false;
    const QString what = describe(devices);
    if (!m_operations || !m_operations->isOpen()) {
        emit progress(tr("Not deleted: deleting %1 cannot be recorded (the operations store is not open).").arg(what));
        return false;
    }
    OperatorAction action;
    action.actor = m_actor;
    action.kind = QStringLiteral("device.delete");
    // One device: its key in the action's own columns (the audit log is indexed by device).
    // Several: the common source, if any; every key is in the payload.
    action.source = devices.constFirst().source;
    for (const DeviceKey &key : devices) {
        if (key.source != action.source)
            action.source.clear();
    }
    if (devices.size() == 1)
        action.devicePath = devices.constFirst().path;
    QJsonArray list;
    for (const DeviceKey &key : devices)
        list.append(QJsonObject{{QStringLiteral("source"), key.source}, {QStringLiteral("path"), key.path}});
    action.payloadJson = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("devices"), list}}).toJson(QJsonDocument::Compact));
    QString error;
    const quint64 job = m_operations->recordAction(action, &error);
    if (job == 0) {
        emit progress(tr("Not deleted: deleting %1 cannot be recorded: %2").arg(what, error));
        return false;
    }
    Pending p;
    p.devices = devices;
    m_byJob.insert(job, p);
    emit progress(tr("Recording the deletion of %1…").arg(what));
    return true;
}

void DeviceDeletionController::onCommitted(quint64 jobId, qint64 rowId)
{
    const auto it = m_byJob.constFind(jobId);
    if (it == m_byJob.cend())
        return;  // another user of the store
    Pending p = it.value();
    m_byJob.erase(it);
    if (p.final) {
        emit progress(p.message);
        emit finished(p.actionId, p.succeeded, p.message);
        return;
    }
    // The request is on disk: now, and only now, the devices go.
    p.actionId = rowId;
    const quint64 deletion = m_session->deleteDevices(p.devices);
    if (deletion == 0) {  // the session is shutting down
        recordOutcome(std::move(p), false);
        return;
    }
    m_byDeletion.insert(deletion, p);
    emit progress(tr("Deleting %1…").arg(describe(p.devices)));
}

void DeviceDeletionController::onFailed(quint64 jobId, const QString &reason)
{
    const auto it = m_byJob.constFind(jobId);
    if (it == m_byJob.cend())
        return;
    const Pending p = it.value();
    m_byJob.erase(it);
    const QString message = p.final ? tr("%1 (the outcome could not be recorded: %2)").arg(p.message, reason)
                                    : tr("Not deleted: deleting %1 could not be recorded: %2").arg(describe(p.devices), reason);
    emit progress(message);
    if (p.final)
        emit finished(p.actionId, p.succeeded, message);
}

void DeviceDeletionController::onDevicesDeleted(quint64 deletionId, const QList<DeviceKey> &, bool committed)
{
    const auto it = m_byDeletion.constFind(deletionId);
    if (it == m_byDeletion.cend())
        return;  // someone else's deletion
    Pending p = it.value();
    m_byDeletion.erase(it);
    recordOutcome(std::move(p), committed);
}

void DeviceDeletionController::recordOutcome(Pending p, bool committed)
{
    p.final = true;
    p.succeeded = committed;
    p.message = committed ? tr("Deleted %1 from the inventory and the cache.").arg(describe(p.devices))
                          : tr("Deleting %1 was not saved to the cache.").arg(describe(p.devices));
    QString error;
    const quint64 job = m_operations->updateAction(
        p.actionId, committed ? OperatorAction::State::Succeeded : OperatorAction::State::Failed, p.message, m_actor,
        &error);
    if (job == 0) {
        const QString text = tr("%1 (the outcome could not be recorded: %2)").arg(p.message, error);
        emit progress(text);
        emit finished(p.actionId, committed, text);
        return;
    }
    m_byJob.insert(job, p);
}

} // namespace fd
