#include "simulator/device_connection.h"

#include "simulator/sim_logging.h"

#include "core/transport/tls_policy.h"

#include <chrono>
#include <utility>

namespace fd::sim {

class DeviceConnection::PublishListener : public mqtt::iaction_listener
{
public:
    explicit PublishListener(DeviceLedger &ledger) : m_ledger(ledger) {}
    void on_success(const mqtt::token &tok) override
    {
        m_ledger.confirm(quint64(reinterpret_cast<quintptr>(tok.get_user_context())));
    }
    void on_failure(const mqtt::token &tok) override
    {
        m_ledger.fail(quint64(reinterpret_cast<quintptr>(tok.get_user_context())));
    }

private:
    DeviceLedger &m_ledger;
};

class DeviceConnection::ConnectListener : public mqtt::iaction_listener
{
public:
    ConnectDone done;
    bool waitForSubscription = false;  // SubscribeListener reports success instead
    void on_success(const mqtt::token &) override
    {
        if (done && !waitForSubscription)
            std::exchange(done, nullptr)(true, QString());
    }
    void on_failure(const mqtt::token &tok) override
    {
        if (done) {
            done(false, QString::fromStdString(
                            mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code())));
        }
    }
};

// The command topic's SUBACK; the first one completes the first connect.
class DeviceConnection::SubscribeListener : public mqtt::iaction_listener
{
public:
    explicit SubscribeListener(ConnectListener &connect, std::string clientId)
        : m_connect(connect), m_clientId(std::move(clientId)) {}
    void on_success(const mqtt::token &) override { ready(); }
    void on_failure(const mqtt::token &tok) override
    {
        qCWarning(lcSim) << "command subscription of" << m_clientId.c_str() << "failed:"
                         << mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code()).c_str();
        ready();  // connected all the same; commands just go unanswered
    }

private:
    void ready()
    {
        if (m_connect.done)
            std::exchange(m_connect.done, nullptr)(true, QString());
    }
    ConnectListener &m_connect;
    std::string m_clientId;
};

DeviceConnection::DeviceConnection(Config config)
    : m_config(std::move(config))
    , m_publishListener(std::make_unique<PublishListener>(m_ledger))
    , m_connectListener(std::make_unique<ConnectListener>())
    , m_subscribeListener(std::make_unique<SubscribeListener>(*m_connectListener, m_config.clientId))
{
    m_connectListener->waitForSubscription = !m_config.commandTopic.empty();
    mqtt::will_options will(m_config.statusTopic, m_config.offlineStatus.constData(),
                            size_t(m_config.offlineStatus.size()), 1, true);
    mqtt::connect_options_builder builder;
    builder.mqtt_version(MQTTVERSION_3_1_1)
        .clean_session(true)
        .keep_alive_interval(std::chrono::seconds(30))
        .connect_timeout(std::chrono::seconds(15))
        .automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30))
        .will(std::move(will));
    if (!m_config.username.empty())
        builder.user_name(m_config.username);
    if (!m_config.password.empty())
        builder.password(mqtt::binary_ref(m_config.password));
    if (m_config.serverUri.rfind("ssl://", 0) == 0) {
        mqtt::ssl_options ssl;
        TlsPolicy::apply(ssl);  // TLS 1.2 or newer, as FleetDeck itself
        if (!m_config.caFile.empty())
            ssl.set_trust_store(m_config.caFile);
        ssl.set_verify(true);
        builder.ssl(std::move(ssl));
    }
    m_options = builder.finalize();
    m_client = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.clientId,
                                                    mqtt::create_options(MQTTVERSION_3_1_1, 10000));
    // Every (re)connect: announce ourselves (retained), replacing a Last Will that fired.
    m_client->set_connected_handler([this](const std::string &) {
        publishStatus(true, 1);
        if (!m_config.commandTopic.empty()) {
            try {
                m_client->subscribe(m_config.commandTopic, 1, nullptr, *m_subscribeListener);
            } catch (const mqtt::exception &e) {
                qCWarning(lcSim) << "subscribe of" << m_config.clientId.c_str() << "failed:" << e.what();
            }
        }
    });
    m_client->set_message_callback([this](mqtt::const_message_ptr msg) {
        if (m_commandHandler && msg->get_topic() == m_config.commandTopic) {
            const mqtt::binary &p = msg->get_payload();
            m_commandHandler(QByteArray(p.data(), qsizetype(p.size())));
        }
    });
}

DeviceConnection::~DeviceConnection()
{
    m_client->set_connected_handler(nullptr);
    m_client->set_message_callback(nullptr);
    // A device whose connect completed while the fleet was stopping: leave cleanly rather
    // than have the broker publish its Last Will.
    try {
        if (m_client->is_connected())
            m_client->disconnect(0)->wait_for(std::chrono::milliseconds(1000));
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "disconnect of" << m_config.clientId.c_str() << "failed:" << e.what();
    }
}

void DeviceConnection::connect(ConnectDone done)
{
    m_connectListener->done = std::move(done);
    m_client->connect(m_options, nullptr, *m_connectListener);
}

bool DeviceConnection::isConnected() const
{
    return m_client->is_connected();
}

bool DeviceConnection::publish(const std::string &topic, const QByteArray &payload, int qos, bool retained,
                               DeviceLedger::Entry entry, QString *error)
{
    if (!m_client->is_connected())
        return false;
    const quint64 token = m_ledger.add(std::move(entry));
    try {
        auto msg = mqtt::make_message(topic, payload.constData(), size_t(payload.size()), qos, retained);
        m_client->publish(msg, reinterpret_cast<void *>(quintptr(token)), *m_publishListener);
        return true;
    } catch (const mqtt::exception &e) {
        m_ledger.forget(token);
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool DeviceConnection::publishStatus(bool online, int qos)
{
    DeviceLedger::Entry entry;
    entry.status = true;
    entry.online = online;
    QString error;
    const bool ok = publish(m_config.statusTopic, online ? m_config.onlineStatus : m_config.offlineStatus, qos, true,
                            std::move(entry), &error);
    if (!ok && !error.isEmpty())
        qCWarning(lcSim) << "status publish of" << m_config.clientId.c_str() << "failed:" << error;
    return ok;
}

bool DeviceConnection::publishUntracked(const std::string &topic, const QByteArray &payload, int qos)
{
    try {
        if (!m_client->is_connected())
            return false;
        m_client->publish(topic, payload.constData(), size_t(payload.size()), qos, false);
        return true;
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "publish of" << m_config.clientId.c_str() << "failed:" << e.what();
        return false;
    }
}

mqtt::token_ptr DeviceConnection::disconnect(int timeoutMs)
{
    try {
        if (!m_client->is_connected())
            return nullptr;
        return m_client->disconnect(timeoutMs);
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "disconnect of" << m_config.clientId.c_str() << "failed:" << e.what();
        return nullptr;
    }
}

} // namespace fd::sim
