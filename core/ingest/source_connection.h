#pragma once

#include "core/commands/command_record.h"
#include "core/commands/device_command.h"
#include "core/domain/mqtt_message.h"
#include "core/transport/connection_profile.h"
#include "core/domain/connection_state.h"
#include "core/transport/inbound_queue.h"

#include <QObject>
#include <QStringList>

namespace fd {

class CommandService;
class MqttClient;

// One source: a named connection to one broker, on its own thread ("fleetdeck-src-NAME"),
// so a broker that hangs on connect or disconnect never stalls ingest or another source.
// Owns its MqttClient. Hands the pipeline one batch at a time: while a batch is being
// processed, newly received messages are collected into the next one (batchConsumed()
// releases it), so a slow ingest thread gets larger batches instead of a growing queue
// of posted events. Both the client's receive queue and that next batch are bounded
// (InboundLimits): past them messages are dropped and counted (messagesDropped()).
// Also owns the source's CommandService (commands to its devices travel over its client).
// Used through queued calls only (FleetSession); the one worker idiom of the code base.
class SourceConnection : public QObject
{
    Q_OBJECT
public:
    explicit SourceConnection(const QString &name, QObject *parent = nullptr);
    ~SourceConnection() override;

    QString name() const { return m_name; }
    MqttClient *client() const { return m_client; }
    CommandService *commands() const { return m_commands; }  // after start()
    // Applies to the client's receive queue and to the batch collected meanwhile. Call
    // before start() (or on the connection's thread).
    void setInboundLimits(const InboundLimits &limits);
    quint64 droppedCount() const;  // messages dropped by this source so far

public slots:
    void start(const fd::ConnectionProfile &profile, const fd::ConnectionSecrets &secrets,
               const QStringList &subscriptions);
    // Disconnects; everything already received is still delivered (as a last batch).
    void stop();
    void batchConsumed(const QString &source);
    // The next reconnect attempt now (MqttClient::retryNow()).
    void retryNow();
    // A command to one of this source's devices; refused ones are reported at once.
    void submitCommand(const fd::DeviceCommand &command);
    // A device's answer ({prefix}/{path}/cmd/response), from the ingest thread.
    void deliverResponse(const QString &devicePath, const QByteArray &payload);

signals:
    void batchReady(const QString &source, const fd::MqttMessageBatch &batch);
    void stateChanged(const QString &source, fd::ConnectionState state, const QString &detail);
    // The connection came up (up) or went down at tsMs (ms since epoch): emitted after every
    // batch of messages received before it (IngestPipeline::sourceLinkChanged).
    void linkChanged(const QString &source, bool up, qint64 tsMs);
    void retryScheduled(const QString &source, qint64 atMs, const QString &reason);
    void commandUpdated(const fd::CommandRecord &record);
    void commandRefused(const fd::DeviceCommand &command, const QString &reason);
    // Messages dropped so far (a running total), emitted when it grows: ingest did not keep
    // up with this source for a while.
    void messagesDropped(const QString &source, quint64 total);

private:
    void reportDrops();
    void onStateChanged(fd::ConnectionState state, const QString &detail);
    void checkOwnState(const QByteArray &payload);
    void onMessages(const MqttMessageBatch &batch);

    QString m_name;
    MqttClient *m_client;
    CommandService *m_commands = nullptr;
    bool m_inFlight = false;
    bool m_linkUp = false;
    QByteArray m_presenceTopic;  // our Sparkplug STATE topic, when announced
    InboundQueue m_pending;
    quint64 m_reportedDrops = 0;
};

} // namespace fd
