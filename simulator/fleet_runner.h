#pragma once

#include "core/protocol/topic_scheme.h"
#include "simulator/cert_rotation.h"
#include "simulator/connectivity_driver.h"
#include "simulator/device_connection.h"
#include "simulator/ota_agent.h"
#include "simulator/ota_device_link.h"
#include "simulator/ota_state_keeper.h"
#include "simulator/scenario_effects.h"
#include "simulator/scenario_plan.h"
#include "simulator/simulated_device.h"
#include "simulator/sim_options.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace fd::sim {

// Runs the simulated fleet: connects every device with bounded concurrency, publishes
// telemetry round-robin so messages are spread evenly in time, prints progress, and on
// stop() settles, disconnects and writes the manifest. The devices of this process that the
// scenario plan names misbehave as planned (ScenarioEffects, ConnectivityDriver).
class FleetRunner : public QObject
{
    Q_OBJECT
public:
    explicit FleetRunner(SimOptions options, ScenarioPlan plan = {}, QObject *parent = nullptr);
    ~FleetRunner() override;

    bool start(QString *error);
    // Graceful shutdown; emits finished(exitCode) when done. Safe to call twice.
    void stop();

signals:
    void finished(int exitCode);

private:
    struct Device
    {
        std::unique_ptr<SimulatedDevice> sim;
        std::unique_ptr<SimulatedDevice> history;  // --history: the model as it was at the history start
        std::unique_ptr<DeviceConnection> connection;
        std::unique_ptr<ScenarioEffects> scenarios;          // null: no scenario for this device
        std::unique_ptr<ConnectivityDriver> connectivity;    // flapping / site_down only
        std::unique_ptr<OtaDeviceLink> otaLink;
        std::unique_ptr<OtaAgent> ota;                       // idle until a job document comes
        std::unique_ptr<CertRotation> rotation;              // --cert-dir: pki.rekey
        bool noIdentity = false;   // --cert-dir without its files: never connects
        std::string telemetryTopic;
        std::string responseTopic;
        bool muted = false;        // --mute-commands: never answers
        qint64 connectedAtMs = 0;  // m_clock; for ping's uptime
        int intervalMs = 0;        // set_interval; 0: the --rate schedule only
        qint64 lastTelemetryMs = 0;  // m_clock
        int faultCursor = 0;
        int connectAttempts = 0;
        bool connected = false;  // first connect succeeded
        qint64 historyNextMs = 0;  // next backfill timestamp (--history); 0: none pending
        qint64 historyEndMs = 0;
    };

    void connectMore();
    void startConnect(int index);
    void onConnectDone(int index, bool ok, const QString &reason);
    void tick();
    void onCommand(int index, const QByteArray &payload);
    bool rekey(Device &device, const QByteArray &payload);
    void onRotationAnswer(int index, const QByteArray &payload);
    void onRotatedConnect(int index, bool ok, const QString &reason);
    void publishNext(Device &device);
    void setUpScenarios();
    void driveScenarios();
    bool telemetryHeld(const Device &device, qint64 elapsedMs) const;
    void publishHistory();
    qint64 historySpanMs() const;
    qint64 historyStepMs() const;
    void printProgress(bool final = false);
    void waitForPending(int timeoutMs);
    bool writeManifest();
    bool writeOtaReport();
    bool writeOtaState();

    SimOptions m_options;
    ScenarioPlan m_plan;
    TopicScheme m_topics;
    std::vector<Device> m_devices;
    std::unique_ptr<OtaStateKeeper> m_otaState;  // --ota-state
    int m_nextToConnect = 0;
    int m_connectsInFlight = 0;
    int m_connectedCount = 0;
    quint64 m_issued = 0;        // publish slots handed out since the start
    quint64 m_skipped = 0;       // slots of devices not connected
    quint64 m_publishFailed = 0; // publish() refused by Paho
    quint64 m_faultsIssued = 0;
    quint64 m_commandsAnswered = 0;
    quint64 m_commandsIgnored = 0;  // muted devices, unreadable requests
    QTimer m_tickTimer;
    QTimer m_progressTimer;
    QTimer m_historyTimer;
    QTimer m_scenarioTimer;
    std::vector<int> m_scenarioDevices;  // indexes into m_devices with scenarios
    quint64 m_heldByScenarios = 0;       // publish slots of devices a scenario keeps quiet or offline
    quint64 m_scenarioOutages = 0;       // times a scenario took a device offline
    qint64 m_stoppedAtMs = -1;
    quint64 m_historyPublished = 0;
    QElapsedTimer m_clock;
    qint64 m_lastProgressMs = 0;
    qint64 m_lastTlsProbeMs = -1000000;  // m_clock; TLS refusals explained at most once a second
    quint64 m_lastProgressConfirmed = 0;
    bool m_stopping = false;
};

} // namespace fd::sim
