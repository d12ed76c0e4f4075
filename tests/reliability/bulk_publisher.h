#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

namespace fd::test {

// A fast MQTT publisher for reliability tests (one Paho async client, MQTT 3.1.1, clean
// session): what mosquitto_pub, one process per message, is far too slow for (100,000
// distinct topics, floods of big payloads). Publishes are pipelined: publish() returns at
// once unless `window` of them are not settled yet (PUBACK at QoS 1, written at QoS 0).
class BulkPublisher
{
public:
    BulkPublisher(const QString &brokerUrl, const QString &clientId, int window = 5000);
    ~BulkPublisher();
    BulkPublisher(const BulkPublisher &) = delete;
    BulkPublisher &operator=(const BulkPublisher &) = delete;

    bool connect(QString *error, int timeoutMs = 10000);
    // Any topic bytes (mosquitto drops the connection of a client sending invalid UTF-8).
    // False when the client refused it (not connected).
    bool publish(const QByteArray &topic, const QByteArray &payload, int qos = 0);
    // Waits until every publish so far is settled. False on timeout.
    bool waitSettled(int timeoutMs);
    void disconnect();

    qint64 published() const;  // handed to the client
    qint64 delivered() const;  // settled ok
    qint64 failed() const;     // settled with a failure

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd::test
