#pragma once

#include "core/domain/device.h"
#include "core/domain/mqtt_message.h"
#include "core/ingest/fleet_state.h"
#include "core/ingest/ingest_stats.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace fd {

class StorageWriter;

// Decodes message batches, updates the FleetState, hands raw telemetry (every batch) and
// changed devices (about once a second) to the StorageWriter, and publishes coalesced device
// updates for the UI at most once per publish interval. Lives on the ingest thread;
// processBatch() is connected (queued) to MqttClient::messagesReceived.
class IngestPipeline : public QObject
{
    Q_OBJECT
public:
    IngestPipeline(const TopicScheme &topics, const PayloadCodec &codec,
                   StorageWriter *writer /* may be null: no persistence */,
                   QObject *parent = nullptr);

    void setInitialDevices(const QList<Device> &devices);
    void setTopicScheme(const TopicScheme &topics);
    void setPublishIntervalMs(int ms);          // default 100 (about 10 Hz)
    void setStorageDeviceIntervalMs(int ms);    // default 1000
    // Decoded samples for live charts, at most one samplesDecoded() per interval
    // (0, the default, turns it off: no copies for headless users).
    void setLiveSamplesIntervalMs(int ms);
    const FleetState &state() const { return m_state; }
    IngestStats stats() const { return m_stats; }

public slots:
    void processBatch(const fd::MqttMessageBatch &batch);
    // Publishes pending device changes and stats now and hands everything to storage
    // (used at shutdown).
    void flushNow();

signals:
    void devicesUpdated(const QList<fd::Device> &changed);
    void statsUpdated(const fd::IngestStats &stats);
    // Every accepted telemetry sample since the last emission, coalesced (see
    // setLiveSamplesIntervalMs()); never one signal per message.
    void samplesDecoded(const QList<fd::TelemetrySample> &samples);

private:
    void processOne(const MqttMessage &message, QList<TelemetrySample> &samples);
    void rejectUnattributed(RejectReason reason);
    void publishChanges();
    void persistDevices();
    void publishStats();
    void publishLiveSamples();

    TopicScheme m_topics;
    PayloadCodec m_codec;
    StorageWriter *m_writer;
    FleetState m_state;
    IngestStats m_stats;
    QTimer m_publishTimer;
    QTimer m_storageTimer;
    QTimer m_statsTimer;
    QTimer m_liveTimer;
    QList<TelemetrySample> m_liveSamples;
    bool m_liveEnabled = false;
    QElapsedTimer m_rateClock;
    quint64 m_receivedAtLastRate = 0;
};

} // namespace fd
