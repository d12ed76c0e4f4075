#include "core/ingest/source_connection.h"

#include "core/commands/command_service.h"
#include "core/protocol/sparkplug/sparkplug_host_state.h"
#include "core/transport/mqtt_client.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace fd {

SourceConnection::SourceConnection(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_client(new MqttClient(this))
{
    connect(m_client, &MqttClient::messagesReceived, this, &SourceConnection::onMessages);
    connect(m_client, &MqttClient::stateChanged, this, &SourceConnection::onStateChanged);
    connect(m_client, &MqttClient::retryScheduled, this,
            [this](qint64 atMs, const QString &reason) { emit retryScheduled(m_name, atMs, reason); });
}

SourceConnection::~SourceConnection() = default;

void SourceConnection::start(const ConnectionProfile &profile, const ConnectionSecrets &secrets,
                             const QStringList &subscriptions)
{
    if (!m_commands || m_commands->options().prefix != profile.topicPrefix) {
        if (m_commands) {
            m_commands->cancelAll();
            delete m_commands;
        }
        CommandService::Options options;
        options.source = m_name;
        options.prefix = profile.topicPrefix;
        m_commands = new CommandService(m_client, options, this);
        connect(m_commands, &CommandService::commandUpdated, this, &SourceConnection::commandUpdated);
    }
    for (const QString &filter : subscriptions)
        m_client->subscribe(filter, profile.qos);
    // Sparkplug B host: STATE Will, then online STATE once subscribed (docs/protocol.md).
    PresenceMessage presence;
    if (profile.sparkplug && !profile.sparkplugHostId.isEmpty()) {
        presence.topic = SparkplugHostState::topic(profile.sparkplugHostId);
        presence.payload = &SparkplugHostState::payload;
    }
    m_client->setPresence(presence);
    m_presenceTopic = presence.topic.toUtf8();
    m_client->connectToBroker(profile, secrets);
}

void SourceConnection::retryNow()
{
    m_client->retryNow();
}

void SourceConnection::stop()
{
    if (m_commands)
        m_commands->cancelAll();  // nothing is left waiting for a source that is gone
    // Delivers, synchronously, everything already received as a last batch (collected in
    // m_pending when a batch is in flight), which goes out now whatever the flow control says.
    m_client->disconnectFromBroker();
    reportDrops();
    if (!m_pending.isEmpty())
        emit batchReady(m_name, m_pending.take());
}

void SourceConnection::setInboundLimits(const InboundLimits &limits)
{
    m_client->setInboundLimits(limits);
    m_pending.setLimits(limits);
}

quint64 SourceConnection::droppedCount() const
{
    return m_client->droppedCount() + m_pending.dropped();
}

void SourceConnection::reportDrops()
{
    const quint64 total = droppedCount();
    if (total == m_reportedDrops)
        return;
    m_reportedDrops = total;
    emit messagesDropped(m_name, total);
}

void SourceConnection::submitCommand(const DeviceCommand &command)
{
    QString reason;
    if (!m_commands)
        reason = tr("the connection %1 has not been started").arg(m_name);
    else if (m_commands->submit(command, &reason) != 0)
        return;
    emit commandRefused(command, reason);
}

void SourceConnection::deliverResponse(const QString &devicePath, const QByteArray &payload)
{
    if (m_commands)
        m_commands->deliverResponse(devicePath, payload);
}

void SourceConnection::onMessages(const MqttMessageBatch &batch)
{
    if (!m_presenceTopic.isEmpty()) {
        for (const MqttMessage &message : batch) {
            if (message.topic == m_presenceTopic)
                checkOwnState(message.payload);
        }
    }
    if (m_inFlight) {
        MqttMessageBatch copy = batch;  // shares the messages' data
        for (MqttMessage &message : copy)
            m_pending.push(std::move(message));
    } else {
        m_inFlight = true;
        emit batchReady(m_name, batch);
    }
    reportDrops();
}

void SourceConnection::onStateChanged(ConnectionState state, const QString &detail)
{
    const bool up = state == ConnectionState::Connected;
    if (up != m_linkUp) {
        m_linkUp = up;
        // What was received before the change goes first, whatever the flow control says
        // (one extra batch at most): a loss must not overtake the messages before it.
        if (!m_pending.isEmpty()) {
            m_inFlight = true;
            emit batchReady(m_name, m_pending.take());
        }
        emit linkChanged(m_name, up, QDateTime::currentMSecsSinceEpoch());
    }
    emit stateChanged(m_name, state, detail);
}

// Our own STATE said offline while we are connected (a late Will of an earlier session,
// another host with our id): the host announces itself online again (Sparkplug 3.0).
void SourceConnection::checkOwnState(const QByteArray &payload)
{
    const QJsonObject state = QJsonDocument::fromJson(payload.left(1024)).object();
    if (state.value(QLatin1StringView("online")).toBool(true))
        return;
    m_client->reassertPresence(qint64(state.value(QLatin1StringView("timestamp")).toDouble()));
}

void SourceConnection::batchConsumed(const QString &source)
{
    if (source != m_name)
        return;
    if (m_pending.isEmpty()) {
        m_inFlight = false;
        return;
    }
    emit batchReady(m_name, m_pending.take());
}

} // namespace fd
