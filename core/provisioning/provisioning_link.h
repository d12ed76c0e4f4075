#pragma once

#include "core/domain/mqtt_message.h"
#include "core/protocol/topic_scheme.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/transport/connection_profile.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>

namespace fd {

class MqttClient;

// One source's (broker connection's) link for the ProvisioningService: its own MqttClient,
// without Sparkplug and with a clean session, subscribed to {root}/+/request,
// {prefix}/+/pki/csr and {prefix}/+/status (the v1 prefix is the profile's), and an outbox
// for answers that cannot be published now (not connected): at most kMaxOutbox, the oldest
// dropped, published in order once connected again.
class ProvisioningLink : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxOutbox = 1000;

    ProvisioningLink(QString source, const QString &root, ConnectionProfile profile, QObject *parent = nullptr);

    // Subscribes and connects as clientId.
    void open(const QString &clientId, const ConnectionSecrets &secrets);
    // Clean disconnect (blocks at most timeoutMs); no reconnect.
    void close(int timeoutMs);

    const QString &source() const { return m_source; }
    const ProvisioningTopics &topics() const { return m_topics; }
    const TopicScheme &scheme() const { return m_scheme; }
    bool isConnected() const;
    // Connected and subscribed to its three filters.
    bool isReady() const;

    // Publishes at QoS 1 now, or keeps it in the outbox until connected.
    void answer(const QString &topic, const QByteArray &payload);
    // Publishes at QoS 1 now; false when not connected (nothing kept).
    bool publishNow(const QString &topic, const QByteArray &payload);

signals:
    void messagesReceived(const fd::MqttMessageBatch &batch);
    // Every filter granted on this connection (after every reconnect).
    void ready();
    void error(const QString &message);

private:
    void flush();

    QString m_source;
    ConnectionProfile m_profile;
    ProvisioningTopics m_topics;
    TopicScheme m_scheme;
    MqttClient *m_client;
    QSet<QString> m_subscribed;
    QList<QPair<QString, QByteArray>> m_outbox;  // answers not published yet (not connected)
};

} // namespace fd
