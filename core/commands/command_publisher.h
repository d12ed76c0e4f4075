#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace fd {

// What CommandService needs from a connection: tracked publishes and whether it is up.
// MqttCommandPublisher adapts MqttClient; tests use a fake. Lives on the service's thread.
class CommandPublisher : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual bool isConnected() const = 0;
    // For messages: "connection refused; retrying in 4 s", ...
    virtual QString connectionDetail() const = 0;
    // A token (> 0) whose outcome publishFinished() reports once; 0 with *error when the
    // publish fails at once (not connected, refused). retained: the broker keeps it.
    virtual quint64 publishTracked(const QString &topic, const QByteArray &payload, int qos, bool retained,
                                   QString *error) = 0;

signals:
    void connectedChanged(bool connected);
    void publishFinished(quint64 token, bool ok, const QString &error);
};

} // namespace fd
