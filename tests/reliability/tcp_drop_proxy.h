#pragma once

#include <QList>
#include <QObject>
#include <QTcpServer>

namespace fd::test {

// A broker that accepts connections and then drops them, on a real loopback socket: every
// connection is either closed at once (upstreamPort 0: the TCP handshake succeeds, no MQTT
// answer ever comes) or forwarded both ways to the real broker on upstreamPort and closed
// after holdMs (the client is connected, CONNACK and all, then loses the connection).
// Runs on the test's event loop (wait with QTest::qWaitFor, not with blocking waits).
class TcpDropProxy : public QObject
{
public:
    explicit TcpDropProxy(quint16 upstreamPort = 0, int holdMs = 0);
    ~TcpDropProxy() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    int accepted() const { return m_accepted; }

private:
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_upstreamPort;
    int m_holdMs;
    int m_accepted = 0;
};

} // namespace fd::test
