#pragma once

#include "simulator/client_tls.h"
#include "simulator/device_cert_dir.h"
#include "simulator/enrolled_device.h"
#include "simulator/factory_fault.h"
#include "simulator/factory_identity.h"

#include <mqtt/async_client.h>

#include <QObject>
#include <QTimer>

#include <memory>

namespace fd::sim {

// A device in factory state (--factory): it connects with the shared bootstrap identity
// (client id = its serial; the broker's ACL lets it write only {root}/{serial}/request and
// read {root}/{serial}/response), subscribes to its response topic, then publishes a request
// with a key and CSR it made itself (FactoryRequest, faults applied). Accepted: it keeps the
// key and certificate in the certificate folder (DIR/<device id>.key/.crt), leaves, and runs
// as an EnrolledDevice over mTLS. Rejected: it logs the reason and asks again after
// retryMs (a "replay" refusal of its own deliberate replay, and a "duplicate" one while an
// earlier request waits for the technician, are only logged). No answer within
// kAnswerTimeoutMs (FleetDeck was not listening yet, the request was lost): it asks again;
// FleetDeck answers such a copy "duplicate" while the first waits. It keeps the keys of its
// last kMaxOutstanding requests (longer than FleetDeck keeps a request, 10 minutes), so the
// technician's late answer to an earlier one still counts. A device whose identity is already in the folder (an earlier run
// enrolled it) runs enrolled at once.
class FactoryDevice : public QObject
{
    Q_OBJECT
public:
    static constexpr int kAnswerTimeoutMs = 60 * 1000;
    static constexpr int kMaxOutstanding = 16;

    enum class State { Idle, Connecting, Requesting, Enrolled, Stopped };

    struct Config
    {
        FactoryIdentity identity;
        FactoryFaults faults;
        std::string serverUri;
        ClientTls bootstrap;          // caFile + the bootstrap certificate and key
        DeviceCertDir certDir;
        QString provisioningRoot = QStringLiteral("fleetdeck/provisioning");
        QString prefix = QStringLiteral("fleetdeck/v1");
        QString clientIdPrefix;       // of the enrolled device's connection
        double rateHz = 1.0;
        quint64 seed = 1;
        int retryMs = 30000;
        QString tag;
    };

    explicit FactoryDevice(Config config, QObject *parent = nullptr);  // throws mqtt::exception
    ~FactoryDevice() override;

    void start();
    void stop();
    State state() const { return m_state; }
    const FactoryIdentity &identity() const { return m_config.identity; }
    int requestsSent() const { return m_requests; }
    QString lastRejection() const { return m_lastRejection; }  // reason key

signals:
    void rejected(const QString &reasonKey, const QString &message);
    void enrolled(const QString &deviceId, const QString &certSerial);

private:
    class Listener;
    void connectBootstrap();
    void onBootstrapConnected();
    void onBootstrapFailed(const QString &reason);
    void sendRequest();
    void onResponse(const QByteArray &payload);
    void scheduleRetry(int delayMs);
    void runEnrolled();
    void leaveBootstrap();

    Config m_config;
    State m_state = State::Idle;
    std::string m_requestTopic;
    std::string m_responseTopic;
    QList<std::pair<QString, QByteArray>> m_outstanding;  // (nonce, key), oldest first
    QString m_lastRejection;
    int m_requests = 0;
    int m_connectAttempts = 0;
    QTimer m_retry;
    QTimer m_answerTimeout;
    std::unique_ptr<Listener> m_connectListener;    // live as long as the client (Paho keeps references)
    std::unique_ptr<Listener> m_subscribeListener;
    std::unique_ptr<mqtt::async_client> m_bootstrap;
    std::unique_ptr<EnrolledDevice> m_device;
};

} // namespace fd::sim
