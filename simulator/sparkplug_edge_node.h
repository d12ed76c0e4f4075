#pragma once

#include "simulator/sparkplug_connection.h"
#include "simulator/sparkplug_device_model.h"
#include "simulator/sparkplug_host_watch.h"
#include "simulator/sparkplug_node_faults.h"
#include "simulator/sparkplug_node_model.h"
#include "simulator/sparkplug_node_stats.h"
#include "simulator/sparkplug_topics.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace fleetdeck::sparkplug_b {
class Payload;
}

namespace fd::sim {

// One Sparkplug B 3.0 edge node with its devices, on its own MQTT 5 connection:
// - every connect carries a Will NDEATH (QoS 1, not retained) with the metric bdSeq (Int64),
//   0..255, +1 per connect; subscribes NCMD and DCMD/+ (QoS 1), then NBIRTH (seq 0, the
//   same bdSeq) and a DBIRTH per device; DATA every interval, alias only, changed metrics;
//   seq 0..255 over NBIRTH, DBIRTH, NDATA and DDATA, wrapping;
// - NCMD Node Control/Rebirth = true: NBIRTH and DBIRTHs again (same bdSeq, seq from 0);
//   NCMD/DCMD writing a writable metric (by alias or name, its datatype): applied and sent
//   in a DATA at once;
// - with a primary host (--sparkplug-primary-host): BIRTHs only while its STATE is online;
//   an offline STATE ends the session (NDEATH, disconnect) and a new one starts;
// - a lost connection: reconnect with the next bdSeq; stop: NDEATH, then disconnect;
// - the faults of SparkplugNodeFaults.
class SparkplugEdgeNode : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        int index = 0;  // gw-01 is 0
        QString group;
        int devices = 0;
        int intervalMs = 1000;
        quint64 seed = 1;
        QString primaryHost;
        QList<SparkplugFaultSpec> faults;  // this node's
        SparkplugConnection::Config connection;  // subscriptions are added here
        QString tag;  // log prefix
    };

    explicit SparkplugEdgeNode(Config config, QObject *parent = nullptr);  // throws mqtt::exception
    ~SparkplugEdgeNode() override;

    const QString &id() const { return m_node.id(); }
    QString path() const { return m_config.group + u'/' + m_node.id(); }
    bool isBorn() const { return m_state == State::Born; }

    void start();
    // Shutdown, part 1: timers off, the NDEATH (QoS 1) published; wait for the token.
    mqtt::delivery_token_ptr beginStop();
    // Part 2: the clean disconnect (no Will).
    mqtt::token_ptr finishStop();

    QJsonObject manifest() const;

private:
    enum class State { Disconnected, Connecting, WaitingForHost, PreBirth, Born };

    void connectNow();
    void scheduleReconnect(qint64 delayMs);
    void onReady();
    void onConnectFailed(const QString &reason);
    void onLost(const QString &reason);
    void onMessage(const QString &topic, const QByteArray &payload, bool retained);
    void onCommand(const QString &device, const QByteArray &payload);
    void onHostState(const QByteArray &payload);
    void enterSession();  // connected (and the host online): births, or DATA first (fault)
    void publishBirths();
    void publishData();
    void publishPreBirthData();
    bool publishWithSeq(const char *type, const QString &device, fleetdeck::sparkplug_b::Payload &payload);
    mqtt::delivery_token_ptr publishDeath(quint8 bdSeq);
    void endSessionForHost();
    void runFaults();
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    void log(const QString &text) const;

    Config m_config;
    SparkplugNodeModel m_node;
    std::vector<SparkplugDeviceModel> m_devices;
    SparkplugTopics m_topics;
    SparkplugNodeFaults m_faults;
    SparkplugHostWatch m_host;  // --sparkplug-primary-host
    std::unique_ptr<SparkplugConnection> m_connection;
    QTimer m_dataTimer;
    QTimer m_faultTimer;
    QTimer m_reconnectTimer;
    QTimer m_preBirthTimer;
    QElapsedTimer m_clock;
    qint64 m_sessionStartMs = 0;
    State m_state = State::Disconnected;
    int m_bdSeq = -1;         // of the current (or last) connect; -1: never connected
    quint8 m_seq = 0;          // the next message's seq
    bool m_skipSeq = false;    // seq_gap due: the next DATA skips one number
    bool m_preBirthDone = false;
    int m_failedConnects = 0;
    bool m_stopping = false;
    SparkplugNodeStats m_stats;
};

} // namespace fd::sim
