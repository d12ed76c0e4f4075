#include "tests/reliability/tcp_drop_proxy.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace fd::test {

TcpDropProxy::TcpDropProxy(quint16 upstreamPort, int holdMs)
    : m_upstreamPort(upstreamPort)
    , m_holdMs(holdMs)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpDropProxy::onNewConnection);
}

TcpDropProxy::~TcpDropProxy()
{
    m_server.close();
}

bool TcpDropProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpDropProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_accepted;
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        if (m_upstreamPort == 0) {
            client->disconnectFromHost();
            continue;
        }
        auto *upstream = new QTcpSocket(client);  // goes with the client
        QPointer<QTcpSocket> clientGuard(client);
        connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(client->readAll());  // else sent once connected
        });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(upstream, &QTcpSocket::connected, client, [client, upstream] {
            if (client->bytesAvailable() > 0)
                upstream->write(client->readAll());
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
        QTimer::singleShot(m_holdMs, client, [clientGuard] {
            if (!clientGuard)
                return;
            clientGuard->abort();  // the connection drops, without an MQTT DISCONNECT
            clientGuard->deleteLater();
        });
    }
}

} // namespace fd::test
