#include "ui/device_command_controller.h"

#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace fd {

DeviceCommandController::DeviceCommandController(FleetSession *session, OperationsStore *operations,
                                                 QString actor, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_operations(operations)
    , m_actor(std::move(actor))
{
    if (m_operations) {
        connect(m_operations, &OperationsStore::committed, this, &DeviceCommandController::onCommitted);
        connect(m_operations, &OperationsStore::failed, this, &DeviceCommandController::onFailed);
    }
    connect(m_session, &FleetSession::commandUpdated, this, &DeviceCommandController::onCommandUpdated);
    connect(m_session, &FleetSession::commandRefused, this, &DeviceCommandController::onCommandRefused);
}

void DeviceCommandController::request(const DeviceKey &device, const QString &command, int timeoutMs)
{
    const QString what = tr("%1 %2 on %3").arg(command, device.path, device.source);
    if (!m_operations || !m_operations->isOpen()) {
        emit progress(tr("Not sent: %1 cannot be recorded (the operations store is not open).").arg(what));
        return;
    }
    OperatorAction action;
    action.actor = m_actor;
    action.kind = QStringLiteral("device.command");
    action.source = device.source;
    action.devicePath = device.path;
    action.payloadJson = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("command"), command}}).toJson(QJsonDocument::Compact));
    QString error;
    const quint64 job = m_operations->recordAction(action, &error);
    if (job == 0) {
        emit progress(tr("Not sent: %1 cannot be recorded: %2").arg(what, error));
        return;
    }
    Pending p;
    p.device = device;
    p.command = command;
    p.timeoutMs = timeoutMs;
    m_byJob.insert(job, p);
    emit progress(tr("Recording %1…").arg(what));
}

void DeviceCommandController::requestSparkplug(const DeviceKey &device, const SparkplugCommandMessage &message,
                                               const QJsonObject &details, int timeoutMs)
{
    const QString label = details.contains(QStringLiteral("metric"))
                              ? tr("write %1 = %2").arg(details.value(QStringLiteral("metric")).toString().left(128),
                                                        details.value(QStringLiteral("after")).toString().left(128))
                          : message.name == QStringLiteral("rebirth") ? tr("rebirth request")
                                                                       : message.name;
    const QString what = tr("%1 to %2 on %3").arg(label, device.path, device.source);
    if (!m_operations || !m_operations->isOpen()) {
        emit progress(tr("Not sent: %1 cannot be recorded (the operations store is not open).").arg(what));
        return;
    }
    if (message.topic.isEmpty()) {
        emit progress(tr("Not sent: %1 has no topic.").arg(what));
        return;
    }
    OperatorAction action;
    action.actor = m_actor;
    action.kind = QStringLiteral("device.sparkplug.") + message.name;
    action.source = device.source;
    action.devicePath = device.path;
    QJsonObject payload = details;
    payload.insert(QStringLiteral("command"), message.name);
    payload.insert(QStringLiteral("topic"), message.topic);
    action.payloadJson = QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    QString error;
    const quint64 job = m_operations->recordAction(action, &error);
    if (job == 0) {
        emit progress(tr("Not sent: %1 cannot be recorded: %2").arg(what, error));
        return;
    }
    Pending p;
    p.device = device;
    p.command = message.name;
    p.timeoutMs = timeoutMs;
    p.label = label;
    p.rawTopic = message.topic;
    p.rawPayload = message.payload;
    m_byJob.insert(job, p);
    emit progress(tr("Recording %1…").arg(what));
}

void DeviceCommandController::onCommitted(quint64 jobId, qint64 rowId)
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
    // The request is on disk: now, and only now, the command goes out.
    p.actionId = rowId;
    m_byAction.insert(rowId, p);
    DeviceCommand command;
    command.target = p.device;
    command.name = p.command;
    command.timeoutMs = p.timeoutMs;
    command.actionId = rowId;
    if (!p.rawTopic.isEmpty()) {
        // Sparkplug NCMD / DCMD: QoS 0, no answer (the device reports the effect in its DATA).
        command.rawTopic = p.rawTopic;
        command.rawPayload = p.rawPayload;
        command.qos = 0;
        command.expectsAnswer = false;
    }
    emit progress(tr("Sending %1 to %2…").arg(p.label.isEmpty() ? p.command : p.label, p.device.path));
    m_session->submitCommand(command);
}

void DeviceCommandController::onFailed(quint64 jobId, const QString &reason)
{
    const auto it = m_byJob.constFind(jobId);
    if (it == m_byJob.cend())
        return;
    const Pending p = it.value();
    m_byJob.erase(it);
    const QString message = p.final ? tr("%1 (the outcome could not be recorded: %2)").arg(p.message, reason)
                                    : tr("Not sent: %1 to %2 could not be recorded: %3").arg(p.command, p.device.path, reason);
    emit progress(message);
    if (p.final)
        emit finished(p.actionId, p.succeeded, message);
}

void DeviceCommandController::onCommandUpdated(const CommandRecord &record)
{
    const qint64 actionId = record.command.actionId;
    if (actionId == 0 || !m_byAction.contains(actionId) || !record.isFinished())
        return;
    const Pending &p = m_byAction[actionId];
    const QString who = p.device.path;
    switch (record.state) {
    case CommandState::Acknowledged:  // finished there: a command that expects no answer
        recordOutcome(actionId, true,
                      tr("Sent %1 to %2 (no answer is expected: the device reports the effect in its data).")
                          .arg(p.label.isEmpty() ? p.command : p.label, who));
        break;
    case CommandState::Answered: {
        const qint64 ms = record.finishedMs - record.submittedMs;
        if (record.answerOk)
            recordOutcome(actionId, true, tr("%1 answered %2 in %n ms.", nullptr, int(ms)).arg(who, p.command));
        else
            recordOutcome(actionId, false, tr("%1 refused %2: %3").arg(who, p.command, record.reason));
        break;
    }
    default:
        recordOutcome(actionId, false, tr("%1 to %2 %3: %4").arg(p.command, who, commandStateKey(record.state), record.reason));
        break;
    }
}

void DeviceCommandController::onCommandRefused(const DeviceCommand &command, const QString &reason)
{
    if (command.actionId != 0 && m_byAction.contains(command.actionId))
        recordOutcome(command.actionId, false, tr("%1 to %2 not sent: %3").arg(command.name, command.target.path, reason));
}

void DeviceCommandController::recordOutcome(qint64 actionId, bool succeeded, const QString &message)
{
    Pending p = m_byAction.take(actionId);
    p.final = true;
    p.succeeded = succeeded;
    p.message = message;
    QString error;
    const quint64 job = m_operations->updateAction(
        actionId, succeeded ? OperatorAction::State::Succeeded : OperatorAction::State::Failed, message, m_actor, &error);
    if (job == 0) {
        const QString text = tr("%1 (the outcome could not be recorded: %2)").arg(message, error);
        emit progress(text);
        emit finished(actionId, succeeded, text);
        return;
    }
    m_byJob.insert(job, p);
}

} // namespace fd
