#pragma once

#include "core/domain/device_key.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace fd {

class FleetSession;
class OperationsStore;

// An operator deletes devices (the inventory's "Delete Device…"): the request is recorded
// in the operations store FIRST (operator action "device.delete" and its audit entry), the
// devices are deleted (FleetSession::deleteDevices: live state, models, cache) only once
// that record is committed, and the outcome is recorded once the cache has committed the
// deletion; the operator is told about each step only after its commit. Without an open
// operations store nothing is deleted: an action that cannot be audited is not taken.
class DeviceDeletionController : public QObject
{
    Q_OBJECT
public:
    DeviceDeletionController(FleetSession *session, OperationsStore *operations, QString actor,
                             QObject *parent = nullptr);

    // Starts the deletion; false (with progress() saying why) when it cannot be recorded.
    bool request(const QList<DeviceKey> &devices);
    int pendingCount() const { return int(m_byJob.size() + m_byDeletion.size()); }

signals:
    // For the status bar: what happened, committed.
    void progress(const QString &message);
    // The outcome is committed to the audit log.
    void finished(qint64 actionId, bool succeeded, const QString &message);

private:
    struct Pending
    {
        QList<DeviceKey> devices;
        qint64 actionId = 0;
        bool succeeded = false;
        QString message;
        bool final = false;  // the job records the outcome
    };

    static QString describe(const QList<DeviceKey> &devices);
    void onCommitted(quint64 jobId, qint64 rowId);
    void onFailed(quint64 jobId, const QString &reason);
    void onDevicesDeleted(quint64 deletionId, const QList<DeviceKey> &devices, bool committed);
    void recordOutcome(Pending p, bool committed);

    FleetSession *m_session;
    OperationsStore *m_operations;
    QString m_actor;
    QHash<quint64, Pending> m_byJob;       // operations jobs in flight
    QHash<quint64, Pending> m_byDeletion;  // deletions in flight, by FleetSession request id
};

} // namespace fd
