#pragma once

#include "core/commands/command_publisher.h"

#include <QPointer>

namespace fd {

class MqttClient;

// CommandPublisher over an MqttClient (not owned; must live on the same thread).
class MqttCommandPublisher : public CommandPublisher
{
    Q_OBJECT
public:
    explicit MqttCommandPublisher(MqttClient *client, QObject *parent = nullptr);

    bool isConnected() const override;
    QString connectionDetail() const override;
    quint64 publishTracked(const QString &topic, const QByteArray &payload, int qos, bool retained,
                           QString *error) override;

private:
    QPointer<MqttClient> m_client;
    bool m_connected = false;
};

} // namespace fd
