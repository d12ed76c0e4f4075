#pragma once

#include "core/commands/command_publisher.h"

#include <QList>

namespace fd::test {

// A CommandPublisher the test drives: connect/disconnect, acknowledge or fail deliveries.
class FakeCommandPublisher : public CommandPublisher
{
    Q_OBJECT
public:
    struct Published
    {
        quint64 token;
        QString topic;
        QByteArray payload;
        int qos;
        bool retained = false;
    };

    bool isConnected() const override { return m_connected; }
    QString connectionDetail() const override { return m_connected ? QStringLiteral("up") : QStringLiteral("broker down"); }
    quint64 publishTracked(const QString &topic, const QByteArray &payload, int qos, bool retained, QString *error) override
    {
        if (!m_connected || refuseNext) {
            refuseNext = false;
            if (error)
                *error = m_connected ? QStringLiteral("buffer full") : QStringLiteral("not connected");
            return 0;
        }
        published.append({m_nextToken, topic, payload, qos, retained});
        return m_nextToken++;
    }

    void setConnected(bool connected)
    {
        m_connected = connected;
        emit connectedChanged(connected);
    }
    void ack(quint64 token) { emit publishFinished(token, true, QString()); }
    void failDelivery(quint64 token, const QString &error) { emit publishFinished(token, false, error); }

    QList<Published> published;
    bool refuseNext = false;

private:
    bool m_connected = false;
    quint64 m_nextToken = 1;
};

} // namespace fd::test
