#include "core/commands/mqtt_command_publisher.h"

#include "core/transport/mqtt_client.h"

namespace fd {

MqttCommandPublisher::MqttCommandPublisher(MqttClient *client, QObject *parent)
    : CommandPublisher(parent)
    , m_client(client)
    , m_connected(client && client->state() == ConnectionState::Connected)
{
    if (!client)
        return;
    connect(client, &MqttClient::stateChanged, this, [this](ConnectionState state) {
        const bool connected = state == ConnectionState::Connected;
        if (connected == m_connected)
            return;
        m_connected = connected;
        emit connectedChanged(connected);
    });
    connect(client, &MqttClient::publishFinished, this, &CommandPublisher::publishFinished);
}

bool MqttCommandPublisher::isConnected() const
{
    return m_client && m_connected;
}

QString MqttCommandPublisher::connectionDetail() const
{
    if (!m_client)
        return tr("no MQTT client");
    const QString detail = m_client->stateDetail();
    return detail.isEmpty() ? connectionStateKey(m_client->state()) : detail;
}

quint64 MqttCommandPublisher::publishTracked(const QString &topic, const QByteArray &payload, int qos, bool retained,
                                             QString *error)
{
    if (!m_client) {
        if (error)
            *error = tr("no MQTT client");
        return 0;
    }
    return m_client->publishTracked(topic, payload, qos, retained, error);
}

} // namespace fd
