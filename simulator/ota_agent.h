#pragma once

#include "simulator/ota_options.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fd::sim {

// One simulated protocol v1 device's OTA agent (docs/protocol.md, "Firmware updates (OTA)"):
// takes job documents from {prefix}/{d}/ota/job, checks the signed manifest against the
// trusted release key, the job, its model and the version rule, downloads the firmware in
// chunks ({prefix}/{d}/ota/chunk/request -> {prefix}/{d}/ota/chunk) at the configured
// bandwidth, checks size and SHA-256, installs, reboots (the connection drops so that the
// Last Will fires, then comes back with the new fw_version) and reports every step on
// {prefix}/{d}/ota/status (retained, QoS 1). Failures are simulated per --ota-failures from a
// generator seeded from (seed, device), so runs are reproducible.
//
// Lives on the Qt thread: the device's connection posts messages, connects and drops here.
// Nothing runs (no timer, no buffer) until a job comes.
class OtaAgent : public QObject
{
    Q_OBJECT
public:
    // What the agent needs from the device's connection (FleetRunner's OtaDeviceLink; a fake
    // in tests). Callbacks may run on any thread; the agent posts them to its own.
    class Link
    {
    public:
        virtual ~Link() = default;
        virtual bool isConnected() const = 0;
        virtual bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained) = 0;
        // Drop the connection so that the Last Will fires; dropped() once it is down.
        virtual bool dropWithWill(std::function<void()> dropped) = 0;
        // Leave (or stop reconnecting) and stay down until reconnect().
        virtual void stayDown() = 0;
        // Connect again; done(ok) once connected and subscribed (or failed).
        virtual bool reconnect(std::function<void(bool ok)> done) = 0;
        // The firmware the device runs from now on (its v1 status on the next connect).
        virtual void setFirmwareVersion(const QString &version) = 0;
    };

    struct Config
    {
        QString deviceId;
        QString model;
        QString fwVersion;      // running at the start
        QString prefix;         // protocol v1 prefix, e.g. "fleetdeck/v1"
        OtaOptions options;     // trusted key, failures, bandwidth, delays
        quint64 seed = 0;       // this device's OTA generator
        int retryMs = 10000;    // re-ask an unanswered chunk after this long
        int maxRetries = 5;     // re-asks of one chunk before FAILED "download timed out"
        int window = 4;         // chunk requests outstanding at once (the console allows 4)
        int dropTimeoutMs = 10000;  // reboot: give up waiting for the Will, leave cleanly
        // --ota-state: the device writes its flash before it reports a job's end (UPDATED,
        // FAILED, ...): persistThen(done) calls done once what stateChanged() announced is
        // saved. Unset: the end is reported at once.
        std::function<void(std::function<void()> done)> persistThen;
    };

    static constexpr qsizetype kMaxJobBytes = 16 * 1024;
    static constexpr qint64 kMaxFirmwareBytes = 64ll * 1024 * 1024;
    static constexpr int kMaxChunkSize = 65536;
    static constexpr qsizetype kMaxManifestBytes = 12 * 1024;  // what fits a 16 KiB job document
    static constexpr qsizetype kMaxChunkAnswerBytes = 128 * 1024;  // base64 of 64 KiB and the rest
    static constexpr int kMaxJobIds = 1000;  // job ids remembered (counted, finished)

    OtaAgent(Config config, Link &link, QObject *parent = nullptr);
    ~OtaAgent() override;

    // The topics the device subscribes for its agent.
    static std::vector<std::string> subscriptions(const QString &prefix, const QString &deviceId);

    // From the connection (any thread): a message on an OTA topic, a (re)connect.
    void postMessage(const std::string &topic, QByteArray payload, bool retained);
    void postConnected();

    // Qt thread.
    void handleMessage(const std::string &topic, const QByteArray &payload, bool retained);
    void handleConnected();
    void stop();  // the simulator is exiting: no more timers or publishes

    // --ota-state: what the device kept in flash from an earlier run (its firmware, the jobs
    // it received and finished). Before the first connect.
    void restore(const OtaStateFile::Device &state);
    // What it keeps now; stateChanged() after every change worth keeping (a job counted, a
    // job finished, an install).
    OtaStateFile::Device state() const;

    QString fwVersion() const { return m_fwVersion; }
    const QMap<QString, int> &jobCounts() const { return m_jobCounts; }
    int installs() const { return m_installs; }

    // -1, 0, 1 (FirmwareVersion::compare: dotted numeric parts, missing ones are 0, then a
    // version with a pre-release suffix "-rc1" sorts before the same one without).
    static int compareVersions(const QString &a, const QString &b);

signals:
    void stateChanged();

private:
    enum class State { Idle, Silent, Downloading, Installing, Dropping, Rebooting, Reconnecting };

    struct Job
    {
        QString id;
        QString version;
        qint64 size = 0;
        QString sha256;  // lowercase hex
        QByteArray manifest;
        QByteArray signature;
        int chunkSize = 16384;
        bool rollback = false;
    };

    struct Request
    {
        qint64 sentMs = 0;
        int attempts = 0;  // requests sent for this chunk
    };

    void onJob(const QByteArray &payload, bool retained);
    void onChunk(const QByteArray &payload);
    std::optional<Job> parseJob(const QByteArray &payload, QString *jobId, QString *error) const;
    QString checkJob(const Job &job) const;  // empty: fine; else the REJECTED reason
    void startJob(Job job);
    void startDownload();
    void pump();
    void sendRequest(qint64 chunk);
    void downloaded();
    void reboot();
    void onDropped();
    void comeBack();
    void onReconnected(bool ok);
    void finish(const QString &state, const QString &reason, int progress);
    void abandon(const QString &why);
    void publishStatus(const QString &state, int progress, const QString &reason, bool afterPersist = false);
    void publishPendingFinal();
    void countDelivery(const QString &jobId, bool retained);
    bool isInstalling() const;
    qint64 nowMs() const;
    qint64 chunkLength(qint64 chunk) const;

    Config m_config;
    Link &m_link;
    std::string m_jobTopic;
    std::string m_chunkTopic;
    std::string m_requestTopic;
    std::string m_statusTopic;
    std::mt19937_64 m_rng;
    QString m_fwVersion;
    QMap<QString, int> m_jobCounts;
    QMap<QString, QString> m_finished;  // job id -> final wire state
    int m_installs = 0;
    bool m_stopped = false;

    // The job in progress (State::Idle: none).
    State m_state = State::Idle;
    Job m_job;
    bool m_failSignature = false;
    bool m_failBoot = false;
    qint64 m_failAtOffset = -1;  // simulated download failure once this many bytes are in
    QByteArray m_data;
    std::vector<bool> m_have;
    qint64 m_haveCount = 0;
    qint64 m_haveBytes = 0;
    qint64 m_firstMissing = 0;  // chunk index
    QMap<qint64, Request> m_outstanding;
    QMap<qint64, int> m_attempts;  // chunk -> requests sent (kept across re-asks)
    qint64 m_nextSendMs = 0;
    int m_lastProgress = -1;
    qint64 m_lastProgressMs = 0;
    QByteArray m_lastStatus;    // re-published after a reconnect when it could not go out
    bool m_statusPending = false;
    QByteArray m_pendingFinal;  // a job's end, waiting for the flash (Config::persistThen)
    QTimer m_timer;             // download pacing and re-asks; install; reboot
    QTimer m_dropTimer;         // reboot: the Will did not come in time
};

} // namespace fd::sim
