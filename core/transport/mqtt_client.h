#pragma once

#include "core/domain/mqtt_message.h"
#include "core/transport/connection_profile.h"
#include "core/domain/connection_state.h"
#include "core/transport/inbound_queue.h"
#include "core/transport/session_presence.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace fd {

// Thin Qt facade over a Paho MQTT C++ async client.
//
// Threading: Paho calls back on its own thread. The callbacks only copy the message into a
// mutex-protected, bounded queue (InboundQueue: a full queue drops and counts, an oversize
// payload is not copied) and, when the queue was empty, post one queued call to this
// object's thread, which drains the whole queue into one messagesReceived() batch (at most
// one batch per batch window, see setBatchWindowMs()). After a message Paho's thread had
// to wait for, the callback may nap up to 2 ms (ReceivePacer) so the next messages are read
// in one go rather than with a wake-up each. Nothing else runs on Paho's thread. State
// changes are likewise posted. Paho C's trace level is set to ERROR once per process
// (its in-memory trace costs several µs per message) unless MQTT_C_CLIENT_TRACE* is set.
//
// Reconnect: capped exponential backoff (1 s doubling to 30 s), then re-subscribe to every
// filter given to subscribe(). The backoff starts over only once a connection has stayed up
// kStableConnectionMs: a connection lost sooner (a broker that drops every client, another
// client taking the session over with the same client id, which MQTT 3.1.1 does not announce)
// counts as a failed attempt, so such a loop slows down to the cap instead of reconnecting
// every second; the state detail says how long it lasted and names the likely cause. TLS: hostname verification is on unless the profile says
// otherwise; OpenSSL's reason for a failed handshake is reported in stateChanged's detail.
class MqttClient : public QObject
{
    Q_OBJECT
public:
    // A connection lost sooner than this after it was made does not reset the backoff.
    static constexpr int kStableConnectionMs = 5000;

    explicit MqttClient(QObject *parent = nullptr);
    ~MqttClient() override;

    // Starts connecting (returns immediately). Any previous connection is closed first.
    void connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets = {});
    // Clean disconnect; no reconnect. Blocks at most timeoutMs.
    void disconnectFromBroker(int timeoutMs = 2000);

    // While reconnecting (or failed): the next attempt now instead of at the scheduled time
    // (the backoff is kept). Does nothing while connected, connecting or disconnected.
    void retryNow();

    // Remembered and re-applied after every reconnect.
    void subscribe(const QString &filter, int qos = 1);

    // Announces this client's presence on every connection (SessionPresence: the offline
    // message as the Will, the online one once every subscription is answered, the offline
    // one again before a clean disconnect). Call before connectToBroker(); a message
    // without a topic turns it off.
    void setPresence(const PresenceMessage &message);
    // Someone announced this client offline on its presence topic (a late Will of an earlier
    // connection, another process): publishes the online message again (Sparkplug: a host
    // that sees its own STATE offline re-announces itself), unless that message is older
    // than this connection's (offlineSessionMs < its session time) or nothing was announced yet.
    void reassertPresence(qint64 offlineSessionMs);
    QString presenceTopic() const;

    // Fire-and-forget publish (thread-safe); false if not connected.
    bool publish(const QString &topic, const QByteArray &payload, int qos = 0, bool retained = false);

    // Tracked publish (call on this object's thread). Returns a token (> 0) whose outcome
    // is reported once by publishFinished(): ok when Paho's delivery completes (PUBACK at
    // QoS 1, PUBCOMP at QoS 2, written to the socket at QoS 0), not ok when it fails or the
    // connection is closed or lost first. Fails at once (returns 0, no signal, *error set)
    // when not connected or when Paho refuses the message.
    quint64 publishTracked(const QString &topic, const QByteArray &payload, int qos = 1, bool retained = false,
                           QString *error = nullptr);
    // Tracked publishes not finished yet.
    int pendingTrackedCount() const;

    ConnectionState state() const;
    QString stateDetail() const;  // last error / broker address, for the status bar
    QString clientId() const;     // the id actually used
    quint64 receivedCount() const;  // messages received (and queued) since construction
    // Messages dropped because the receive queue was full (InboundLimits): ingest did not
    // keep up. Since construction.
    quint64 droppedCount() const;
    // Bounds of the queue between Paho's thread and this object's (defaults: InboundLimits).
    void setInboundLimits(const InboundLimits &limits);
    InboundLimits inboundLimits() const;

    // Upper bound of one messagesReceived() batch (default 5000).
    void setMaxBatchSize(int messages);
    // Minimum time between two messagesReceived() batches while messages keep arriving
    // (default 20 ms; 0: one batch per wake-up). The first message after a quiet spell is
    // delivered at once; under load, batches are collected for this long. Every batch wakes
    // this thread, the ingest thread and the storage writer once (measured: ingest thread
    // 9-10 -> 7-8 µs/msg, this thread 3 -> 1 µs/msg at 4,000 msg/s, 5 -> 20 ms).
    void setBatchWindowMs(int ms);

signals:
    void stateChanged(fd::ConnectionState state, const QString &detail);
    void messagesReceived(const fd::MqttMessageBatch &batch);
    // A reconnect is scheduled at atMs (ms since epoch) after `reason` (the failure, without
    // the "retrying in" part). Emitted just before stateChanged(Reconnecting, ...).
    void retryScheduled(qint64 atMs, const QString &reason);
    // Outcome of a publishTracked(); emitted on this object's thread, once per token.
    void publishFinished(quint64 token, bool ok, const QString &error);
    // The broker answered a subscription of filter (SUBACK), after every (re)connect;
    // ok == false: it refused it.
    void subscribed(const QString &filter, bool ok);
    // The online presence message of the connection stamped sessionMs was published
    // (setPresence()), after every subscription of that connection was answered.
    void presenceAnnounced(qint64 sessionMs);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
