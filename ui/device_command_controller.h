#pragma once

#include "core/commands/command_record.h"
#include "core/domain/device_key.h"
#include "core/protocol/sparkplug/sparkplug_command_builder.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace fd {

class FleetSession;
class OperationsStore;

// An operator asks a device to do something (ping, identify): the request is recorded in
// the operations store FIRST, the command goes out through the device's source only once
// that record is committed, and its outcome (answered, timed out, failed) is recorded
// again; the operator is told about each step only after its commit. Without an open
// operations store nothing is sent: an action that cannot be audited is not taken.
class DeviceCommandController : public QObject
{
    Q_OBJECT
public:
    DeviceCommandController(FleetSession *session, OperationsStore *operations, QString actor,
                            QObject *parent = nullptr);

    // Starts the action; the answer comes as progress()/finished().
    void request(const DeviceKey &device, const QString &command, int timeoutMs = 10000);
    // A Sparkplug B command (NCMD/DCMD: a write, a rebirth request) to a node or device,
    // by the same path: recorded as "device.sparkplug.<name>" with details (for a write:
    // metric, datatype, the value before and the value typed, as "before" / "after"), sent
    // as it is (QoS 0, no answer expected: done once handed to the broker), outcome recorded.
    void requestSparkplug(const DeviceKey &device, const SparkplugCommandMessage &message,
                          const QJsonObject &details = {}, int timeoutMs = 10000);
    int pendingCount() const { return int(m_byJob.size() + m_byAction.size()); }

signals:
    // For the status bar: what happened, committed.
    void progress(const QString &message);
    // The outcome is committed to the audit log.
    void finished(qint64 actionId, bool succeeded, const QString &message);

private:
    struct Pending
    {
        DeviceKey device;
        QString command;
        int timeoutMs = 0;
        qint64 actionId = 0;
        bool succeeded = false;
        QString message;
        bool final = false;  // the job records the outcome
        QString label;       // for messages ("write setpoint = 22.5"); empty: command
        QString rawTopic;    // a Sparkplug command: published as it is
        QByteArray rawPayload;
    };

    void onCommitted(quint64 jobId, qint64 rowId);
    void onFailed(quint64 jobId, const QString &reason);
    void onCommandUpdated(const CommandRecord &record);
    void onCommandRefused(const DeviceCommand &command, const QString &reason);
    void recordOutcome(qint64 actionId, bool succeeded, const QString &message);

    FleetSession *m_session;
    OperationsStore *m_operations;
    QString m_actor;
    QHash<quint64, Pending> m_byJob;     // operations jobs in flight
    QHash<qint64, Pending> m_byAction;   // commands in flight, by action id
};

} // namespace fd
