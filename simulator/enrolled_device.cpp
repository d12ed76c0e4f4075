#include "simulator/enrolled_device.h"

#include "core/commands/command_codec.h"
#include "core/commands/command_topics.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"
#include "simulator/command_responder.h"
#include "simulator/fleet_generator.h"
#include "simulator/sim_logging.h"

#include <QDateTime>

#include <algorithm>

namespace fd::sim {

namespace {

DeviceIdentity identityOf(const QString &deviceId, const QString &model)
{
    DeviceIdentity identity;
    identity.id = deviceId;
    identity.model = model;
    identity.fwVersion = QStringLiteral("1.0.0");  // as shipped
    return identity;
}

} // namespace

EnrolledDevice::EnrolledDevice(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_sim(std::make_unique<SimulatedDevice>(identityOf(m_config.deviceId, m_config.model),
                                              FleetGenerator::mix(m_config.seed ^ qHash(m_config.deviceId))))
    , m_rotation(m_config.deviceId, m_config.certDir, m_config.prefix)
{
    const TopicScheme topics(m_config.prefix);
    DeviceStatus online = m_sim->status(true);
    online.name.reset();  // the technician's, not the device's
    online.site.reset();
    online.tags.reset();
    DeviceConnection::Config cfg;
    cfg.serverUri = m_config.serverUri;
    cfg.clientId = m_config.clientId;
    cfg.statusTopic = topics.statusTopic(m_config.deviceId).toStdString();
    cfg.commandTopic = CommandTopics(m_config.prefix).requestTopic(m_config.deviceId).toStdString();
    cfg.extraTopics = {m_rotation.certTopic()};
    cfg.onlineStatus = PayloadCodec::encodeStatus(online);
    cfg.offlineStatus = PayloadCodec::encodeStatus(m_sim->status(false));
    cfg.caFile = m_config.caFile;
    cfg.certFile = m_config.certDir.certPath(m_config.deviceId).toStdString();
    cfg.keyFile = m_config.certDir.keyPath(m_config.deviceId).toStdString();
    m_connection = std::make_unique<DeviceConnection>(std::move(cfg));
    m_connection->setCommandHandler([this](QByteArray payload) {
        QMetaObject::invokeMethod(this, [this, payload = std::move(payload)] { onCommand(payload); }, Qt::QueuedConnection);
    });
    m_connection->setMessageHandler([this](const std::string &topic, QByteArray payload, bool) {
        if (topic == m_rotation.certTopic()) {
            QMetaObject::invokeMethod(this, [this, payload = std::move(payload)] { onRotationAnswer(payload); },
                                      Qt::QueuedConnection);
        }
    });
    m_telemetry.setInterval(m_config.rateHz > 0 ? std::max(10, int(1000.0 / m_config.rateHz)) : 1000);
    connect(&m_telemetry, &QTimer::timeout, this, &EnrolledDevice::publishTelemetry);
}

EnrolledDevice::~EnrolledDevice()
{
    m_connection.reset();  // its Paho client calls into us
}

void EnrolledDevice::start()
{
    m_clock.start();
    m_certSerial = m_config.certDir.certSerial(m_config.deviceId);
    m_connection->setCertSerial(m_certSerial);
    connectNow();
}

void EnrolledDevice::stop()
{
    m_stopping = true;
    m_telemetry.stop();
    if (mqtt::token_ptr tok = m_connection->disconnect(0)) {
        try {
            tok->wait_for(std::chrono::milliseconds(2000));
        } catch (const mqtt::exception &) {
        }
    }
}

bool EnrolledDevice::isConnected() const
{
    return m_connection->isConnected();
}

void EnrolledDevice::connectNow()
{
    ++m_attempts;
    try {
        m_connection->connect([this](bool ok, const QString &reason) {
            QMetaObject::invokeMethod(this, [this, ok, reason] { onConnectDone(ok, reason); }, Qt::QueuedConnection);
        });
    } catch (const mqtt::exception &e) {
        onConnectDone(false, QString::fromUtf8(e.what()));
    }
}

void EnrolledDevice::onConnectDone(bool ok, const QString &reason)
{
    if (m_stopping)
        return;
    if (!ok) {
        const int delay = std::min(30000, 1000 << std::min(m_attempts, 5));
        qCWarning(lcSim).noquote() << m_config.deviceId << "cannot connect with its certificate:"
                                   << reason + m_connection->tlsFailureSuffix() << "- retrying";
        QTimer::singleShot(delay, this, [this] {
            if (!m_stopping)
                connectNow();
        });
        return;
    }
    m_attempts = 0;
    m_connectedAtMs = m_clock.elapsed();
    std::fprintf(stderr, "%s: %s online over mTLS, certificate %s\n", qPrintable(m_config.tag),
                 qPrintable(m_config.deviceId), qPrintable(m_certSerial));
    if (m_config.rateHz > 0 && !m_telemetry.isActive())
        m_telemetry.start();
    emit connected(m_certSerial);
}

void EnrolledDevice::publishTelemetry()
{
    if (!m_connection->isConnected())
        return;
    TelemetrySample sample = m_sim->nextSample(QDateTime::currentMSecsSinceEpoch());
    DeviceLedger::Entry entry;
    entry.seq = sample.seq;
    entry.metrics = sample.metrics;
    if (m_connection->publish(TopicScheme(m_config.prefix).telemetryTopic(m_config.deviceId).toStdString(),
                              PayloadCodec::encodeTelemetry(sample), 1, false, std::move(entry)))
        ++m_sent;
}

void EnrolledDevice::onCommand(const QByteArray &payload)
{
    if (m_stopping)
        return;
    const std::string responseTopic = CommandTopics(m_config.prefix).responseTopic(m_config.deviceId).toStdString();
    CommandRequest request;
    if (CommandCodec::parseRequest(payload, &request) && request.name == QLatin1StringView(CertRotation::kCommand)) {
        CommandResponse response;
        response.id = request.id;
        QString error;
        const std::optional<QByteArray> csr = m_rotation.begin(QDateTime::currentMSecsSinceEpoch(), &error);
        if (csr && m_connection->publishUntracked(m_rotation.csrTopic(), *csr, 1)) {
            response.ok = true;
            response.result.insert(QStringLiteral("csr_topic"), QString::fromStdString(m_rotation.csrTopic()));
            response.result.insert(QStringLiteral("nonce"), m_rotation.pendingNonce());
            qCInfo(lcSim).noquote() << m_config.deviceId << "re-keying: new CSR sent";
        } else {
            response.error = csr ? QStringLiteral("cannot publish the CSR") : error;
        }
        m_connection->publishUntracked(responseTopic, CommandCodec::encodeResponse(response), 1);
        return;
    }
    const CommandResponder::Outcome outcome = CommandResponder::respond(payload, m_clock.elapsed() - m_connectedAtMs);
    if (!outcome.answer)
        return;
    if (outcome.intervalMs)
        m_telemetry.setInterval(*outcome.intervalMs);
    m_connection->publishUntracked(responseTopic, CommandCodec::encodeResponse(outcome.response), 1);
}

void EnrolledDevice::onRotationAnswer(const QByteArray &payload)
{
    if (m_stopping)
        return;
    const IdentityAnswer answer = m_rotation.onAnswer(payload);
    switch (answer.kind) {
    case IdentityAnswer::Kind::Ignored:
        qCInfo(lcSim).noquote() << m_config.deviceId << "ignored a certificate answer:" << answer.message;
        return;
    case IdentityAnswer::Kind::Rejected:
        qCWarning(lcSim).noquote() << m_config.deviceId << "rotation refused:" << answer.reasonKey << answer.message;
        return;
    case IdentityAnswer::Kind::Accepted:
        break;
    }
    const QString old = m_certSerial;
    m_certSerial = answer.certSerial;
    m_connection->setCertSerial(m_certSerial);
    std::fprintf(stderr, "%s: %s rotated its certificate %s -> %s; reconnecting with it\n", qPrintable(m_config.tag),
                 qPrintable(m_config.deviceId), qPrintable(old), qPrintable(m_certSerial));
    m_connection->reconnectWithIdentity(m_config.certDir.certPath(m_config.deviceId).toStdString(),
                                        m_config.certDir.keyPath(m_config.deviceId).toStdString(),
                                        [this](bool ok, const QString &reason) {
                                            QMetaObject::invokeMethod(
                                                this, [this, ok, reason] { onConnectDone(ok, reason); },
                                                Qt::QueuedConnection);
                                        });
    emit rotated(old, m_certSerial);
}

} // namespace fd::sim
