#pragma once

#include "simulator/cert_rotation.h"
#include "simulator/client_tls.h"
#include "simulator/device_cert_dir.h"
#include "simulator/device_connection.h"
#include "simulator/simulated_device.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace fd::sim {

// A device that went through provisioning (FactoryDevice) and now runs as a protocol v1
// device over mTLS with its own certificate (DIR/<id>.crt/.key): retained status with
// "model", "fw_version" and "cert_serial" (not name, site or tags: those are the
// technician's, and an absent field leaves FleetDeck's value as it is), telemetry at the
// --rate, the usual commands (CommandResponder) and certificate rotation (pki.rekey).
class EnrolledDevice : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        QString deviceId;
        QString model;
        std::string serverUri;
        std::string clientId;
        std::string caFile;
        DeviceCertDir certDir;
        QString prefix = QStringLiteral("fleetdeck/v1");
        double rateHz = 1.0;
        quint64 seed = 1;
        QString tag;  // log prefix
    };

    explicit EnrolledDevice(Config config, QObject *parent = nullptr);  // throws mqtt::exception
    ~EnrolledDevice() override;

    void start();
    void stop();
    bool isConnected() const;
    QString certSerial() const { return m_certSerial; }
    quint64 telemetrySent() const { return m_sent; }

signals:
    void connected(const QString &certSerial);          // every (re)connect this object made
    void rotated(const QString &oldSerial, const QString &newSerial);

private:
    void connectNow();
    void onConnectDone(bool ok, const QString &reason);
    void onCommand(const QByteArray &payload);
    void onRotationAnswer(const QByteArray &payload);
    void publishTelemetry();

    Config m_config;
    std::unique_ptr<SimulatedDevice> m_sim;
    CertRotation m_rotation;
    std::unique_ptr<DeviceConnection> m_connection;
    QTimer m_telemetry;
    QElapsedTimer m_clock;
    qint64 m_connectedAtMs = 0;
    QString m_certSerial;
    int m_attempts = 0;
    quint64 m_sent = 0;
    bool m_stopping = false;
};

} // namespace fd::sim
