#include "simulator/factory_device.h"

#include "core/provisioning/provisioning_reason.h"
#include "core/provisioning/provisioning_topics.h"
#include "simulator/factory_request.h"
#include "simulator/identity_answer.h"
#include "simulator/sim_logging.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>

namespace fd::sim {

// Paho's callbacks of the bootstrap connection, posted to the device's thread.
class FactoryDevice::Listener : public mqtt::iaction_listener
{
public:
    enum class Kind { Connect, Subscribe };
    Listener(FactoryDevice &device, Kind kind) : m_device(device), m_kind(kind) {}
    void on_success(const mqtt::token &) override
    {
        FactoryDevice *d = &m_device;
        if (m_kind == Kind::Subscribe)
            QMetaObject::invokeMethod(d, [d] { d->sendRequest(); }, Qt::QueuedConnection);
        else
            QMetaObject::invokeMethod(d, [d] { d->onBootstrapConnected(); }, Qt::QueuedConnection);
    }
    void on_failure(const mqtt::token &tok) override
    {
        FactoryDevice *d = &m_device;
        const QString reason =
            QString::fromStdString(mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code()));
        QMetaObject::invokeMethod(d, [d, reason] { d->onBootstrapFailed(reason); }, Qt::QueuedConnection);
    }

private:
    FactoryDevice &m_device;
    Kind m_kind;
};

FactoryDevice::FactoryDevice(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    const ProvisioningTopics topics(m_config.provisioningRoot, m_config.prefix);
    m_requestTopic = topics.requestTopic(m_config.identity.serial).toStdString();
    m_responseTopic = topics.responseTopic(m_config.identity.serial).toStdString();
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_state == State::Requesting)
            sendRequest();
        else if (m_state == State::Connecting)
            connectBootstrap();
    });
    m_answerTimeout.setSingleShot(true);
    m_answerTimeout.setInterval(kAnswerTimeoutMs);
    connect(&m_answerTimeout, &QTimer::timeout, this, [this] {
        if (m_state != State::Requesting)
            return;
        qCInfo(lcSim).noquote() << m_config.identity.serial << "no answer to its provisioning request; asking again";
        sendRequest();
    });
    m_connectListener = std::make_unique<Listener>(*this, Listener::Kind::Connect);
    m_subscribeListener = std::make_unique<Listener>(*this, Listener::Kind::Subscribe);
    // The client id is the serial: the ACL's %c.
    m_bootstrap = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.identity.serial.toStdString(),
                                                       mqtt::create_options(MQTTVERSION_3_1_1, 100));
    m_bootstrap->set_message_callback([this](mqtt::const_message_ptr msg) {
        if (msg->get_topic() != m_responseTopic)
            return;
        const mqtt::binary &p = msg->get_payload();
        QByteArray payload(p.data(), qsizetype(std::min<size_t>(p.size(), 256 * 1024)));
        QMetaObject::invokeMethod(this, [this, payload = std::move(payload)] { onResponse(payload); },
                                  Qt::QueuedConnection);
    });
    m_bootstrap->set_connection_lost_handler([this](const std::string &) {
        QMetaObject::invokeMethod(this, [this] {
            if (m_state == State::Requesting || m_state == State::Connecting) {
                qCInfo(lcSim).noquote() << m_config.identity.serial << "lost its bootstrap connection; reconnecting";
                m_state = State::Connecting;
                scheduleRetry(2000);
            }
        }, Qt::QueuedConnection);
    });
}

FactoryDevice::~FactoryDevice()
{
    m_device.reset();
    leaveBootstrap();
    try {
        m_bootstrap->set_message_callback(nullptr);
        m_bootstrap->set_connection_lost_handler(nullptr);
    } catch (const mqtt::exception &) {
    }
    m_bootstrap.reset();  // before the listener it may still call
}

void FactoryDevice::start()
{
    if (m_config.certDir.has(m_config.identity.deviceId)) {
        std::fprintf(stderr, "%s: %s is enrolled already (%s); running with its certificate\n",
                     qPrintable(m_config.tag), qPrintable(m_config.identity.serial),
                     qPrintable(m_config.certDir.certPath(m_config.identity.deviceId)));
        runEnrolled();
        return;
    }
    connectBootstrap();
}

void FactoryDevice::stop()
{
    m_state = State::Stopped;
    m_retry.stop();
    m_answerTimeout.stop();
    if (m_device)
        m_device->stop();
    leaveBootstrap();
}

void FactoryDevice::leaveBootstrap()
{
    try {
        if (m_bootstrap && m_bootstrap->is_connected())
            m_bootstrap->disconnect(0)->wait_for(std::chrono::milliseconds(2000));
    } catch (const mqtt::exception &) {
    }
}

void FactoryDevice::connectBootstrap()
{
    m_state = State::Connecting;
    ++m_connectAttempts;
    mqtt::connect_options_builder builder;
    builder.mqtt_version(MQTTVERSION_3_1_1)
        .clean_session(true)
        .keep_alive_interval(std::chrono::seconds(30))
        .connect_timeout(std::chrono::seconds(15));
    m_config.bootstrap.apply(builder, m_config.serverUri);
    try {
        m_bootstrap->connect(builder.finalize(), nullptr, *m_connectListener);
    } catch (const mqtt::exception &e) {
        onBootstrapFailed(QString::fromUtf8(e.what()));
    }
}

void FactoryDevice::onBootstrapFailed(const QString &reason)
{
    if (m_state == State::Stopped || m_state == State::Enrolled)
        return;
    m_state = State::Connecting;
    if (m_connectAttempts == 1 || m_connectAttempts % 10 == 0) {
        qCWarning(lcSim).noquote() << m_config.identity.serial << "cannot reach the broker with the bootstrap identity:"
                                   << reason + m_config.bootstrap.failureSuffix(m_config.serverUri);
    }
    scheduleRetry(std::min(30000, 1000 << std::min(m_connectAttempts, 5)));
}

void FactoryDevice::onBootstrapConnected()
{
    if (m_state == State::Stopped)
        return;
    m_connectAttempts = 0;
    m_state = State::Requesting;
    // Subscribe first (QoS 1): the answer may come at once.
    try {
        m_bootstrap->subscribe(m_responseTopic, 1, nullptr, *m_subscribeListener);
    } catch (const mqtt::exception &e) {
        onBootstrapFailed(QString::fromUtf8(e.what()));
    }
}

void FactoryDevice::sendRequest()
{
    if (m_state != State::Requesting)
        return;
    QString error;
    const std::optional<FactoryRequest> request =
        FactoryRequest::build(m_config.identity, m_config.faults, QDateTime::currentMSecsSinceEpoch(), &error);
    if (!request) {
        qCWarning(lcSim).noquote() << m_config.identity.serial << "cannot make its key and CSR:" << error;
        scheduleRetry(m_config.retryMs);
        return;
    }
    m_outstanding.append({request->nonce, request->keyPem});
    while (m_outstanding.size() > kMaxOutstanding)
        m_outstanding.removeFirst();
    const int copies = m_config.faults.has(FactoryFault::Replay) ? 2 : 1;
    try {
        for (int i = 0; i < copies; ++i)
            m_bootstrap->publish(m_requestTopic, request->json.constData(), size_t(request->json.size()), 1, false);
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim).noquote() << m_config.identity.serial << "cannot publish its request:" << e.what();
        scheduleRetry(m_config.retryMs);
        return;
    }
    ++m_requests;
    m_answerTimeout.start();
    std::fprintf(stderr, "%s: %s (%s) asks to be enrolled as %s%s\n", qPrintable(m_config.tag),
                 qPrintable(m_config.identity.serial), qPrintable(m_config.identity.model),
                 qPrintable(m_config.identity.deviceId),
                 qPrintable(m_config.faults.isEmpty() ? QString() : QStringLiteral(", faults ") + m_config.faults.toString()));
}

void FactoryDevice::scheduleRetry(int delayMs)
{
    if (m_state == State::Stopped)
        return;
    m_retry.start(delayMs);
}

void FactoryDevice::onResponse(const QByteArray &payload)
{
    if (m_state != State::Requesting || m_outstanding.isEmpty())
        return;
    // The answer to whichever outstanding request it names.
    IdentityAnswer answer;
    QByteArray key;
    for (qsizetype i = m_outstanding.size() - 1; i >= 0; --i) {
        answer = IdentityAnswer::read(payload, m_outstanding.at(i).first, m_outstanding.at(i).second,
                                      m_config.identity.deviceId);
        if (answer.kind != IdentityAnswer::Kind::Ignored) {
            key = m_outstanding.at(i).second;
            if (answer.reasonKey != ProvisioningReason::Replay)  // the first copy may still be answered
                m_outstanding.removeAt(i);
            break;
        }
    }
    switch (answer.kind) {
    case IdentityAnswer::Kind::Ignored:
        qCInfo(lcSim).noquote() << m_config.identity.serial << "ignored an answer:" << answer.message;
        return;
    case IdentityAnswer::Kind::Rejected:
        m_lastRejection = answer.reasonKey;
        emit rejected(answer.reasonKey, answer.message);
        if ((answer.reasonKey == ProvisioningReason::Replay && m_config.faults.has(FactoryFault::Replay))
            || (answer.reasonKey == ProvisioningReason::Duplicate && !m_outstanding.isEmpty())) {
            std::fprintf(stderr, "%s: %s: a copy of its request was refused (%s); waiting for the answer to the "
                                 "first\n",
                         qPrintable(m_config.tag), qPrintable(m_config.identity.serial), qPrintable(answer.reasonKey));
            return;
        }
        std::fprintf(stderr, "%s: %s was refused: %s (%s); asking again in %d s\n", qPrintable(m_config.tag),
                     qPrintable(m_config.identity.serial), qPrintable(answer.reasonKey), qPrintable(answer.message),
                     m_config.retryMs / 1000);
        m_answerTimeout.stop();
        scheduleRetry(m_config.retryMs);
        return;
    case IdentityAnswer::Kind::Accepted:
        break;
    }
    QString error;
    if (!m_config.certDir.store(m_config.identity.deviceId, key, answer.certChainPem, &error)) {
        qCWarning(lcSim).noquote() << m_config.identity.serial << "cannot keep its certificate:" << error;
        scheduleRetry(m_config.retryMs);
        return;
    }
    m_answerTimeout.stop();
    m_retry.stop();
    m_outstanding.clear();
    std::fprintf(stderr, "%s: %s enrolled as %s, certificate %s\n", qPrintable(m_config.tag),
                 qPrintable(m_config.identity.serial), qPrintable(answer.deviceId), qPrintable(answer.certSerial));
    leaveBootstrap();
    emit enrolled(answer.deviceId, answer.certSerial);
    runEnrolled();
}

void FactoryDevice::runEnrolled()
{
    m_state = State::Enrolled;
    EnrolledDevice::Config cfg;
    cfg.deviceId = m_config.identity.deviceId;
    cfg.model = m_config.identity.model;
    cfg.serverUri = m_config.serverUri;
    cfg.clientId = QString(m_config.clientIdPrefix + m_config.identity.deviceId).toStdString();
    cfg.caFile = m_config.bootstrap.caFile;
    cfg.certDir = m_config.certDir;
    cfg.prefix = m_config.prefix;
    cfg.rateHz = m_config.rateHz;
    cfg.seed = m_config.seed;
    cfg.tag = m_config.tag;
    try {
        m_device = std::make_unique<EnrolledDevice>(std::move(cfg), this);
        m_device->start();
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim).noquote() << m_config.identity.deviceId << "cannot create its MQTT client:" << e.what();
    }
}

} // namespace fd::sim
