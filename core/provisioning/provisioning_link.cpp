#include "core/provisioning/provisioning_link.h"

#include "core/provisioning/provisioning_logging.h"
#include "core/transport/mqtt_client.h"

namespace fd {

ProvisioningLink::ProvisioningLink(QString source, const QString &root, ConnectionProfile profile, QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_profile(std::move(profile))
    , m_topics(root, m_profile.topicPrefix)
    , m_scheme(m_profile.topicPrefix)
    , m_client(new MqttClient(this))
{
    connect(m_client, &MqttClient::messagesReceived, this, &ProvisioningLink::messagesReceived);
    connect(m_client, &MqttClient::stateChanged, this, [this](ConnectionState state, const QString &detail) {
        if (state == ConnectionState::Connected)
            flush();
        else
            m_subscribed.clear();
        qCDebug(lcProvisioning).noquote() << m_source << "connection" << int(state) << detail;
    });
    connect(m_client, &MqttClient::subscribed, this, [this](const QString &filter, bool ok) {
        if (!ok) {
            emit error(tr("The broker of %1 refused the subscription %2").arg(m_source, filter));
            return;
        }
        m_subscribed.insert(filter);
        if (isReady())
            emit ready();
    });
}

void ProvisioningLink::open(const QString &clientId, const ConnectionSecrets &secrets)
{
    ConnectionProfile p = m_profile;
    p.clientId = clientId;
    p.sparkplug = false;
    p.persistentSession = false;
    m_client->subscribe(m_topics.requestFilter(), 1);
    m_client->subscribe(m_topics.rotationCsrFilter(), 1);
    m_client->subscribe(m_scheme.prefix() + QStringLiteral("/+/status"), 1);
    m_client->connectToBroker(p, secrets);
}

void ProvisioningLink::close(int timeoutMs)
{
    m_client->disconnectFromBroker(timeoutMs);
}

bool ProvisioningLink::isConnected() const
{
    return m_client->state() == ConnectionState::Connected;
}

bool ProvisioningLink::isReady() const
{
    return isConnected() && m_subscribed.size() >= 3;
}

void ProvisioningLink::answer(const QString &topic, const QByteArray &payload)
{
    if (isConnected() && m_client->publish(topic, payload, 1, false))
        return;
    if (m_outbox.size() >= kMaxOutbox)
        m_outbox.removeFirst();
    m_outbox.append({topic, payload});
}

bool ProvisioningLink::publishNow(const QString &topic, const QByteArray &payload)
{
    return isConnected() && m_client->publish(topic, payload, 1, false);
}

void ProvisioningLink::flush()
{
    while (!m_outbox.isEmpty()) {
        const auto &[topic, payload] = m_outbox.constFirst();
        if (!m_client->publish(topic, payload, 1, false))
            return;
        m_outbox.removeFirst();
    }
}

} // namespace fd
