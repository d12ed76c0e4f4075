#include "simulator/sparkplug_connection.h"

#include "simulator/sim_logging.h"

#include "simulator/client_tls.h"

#include <chrono>

namespace fd::sim {

namespace {

QString reasonOf(const mqtt::token &tok)
{
    return QString::fromStdString(mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code()));
}

} // namespace

class SparkplugConnection::SubscribeListener : public mqtt::iaction_listener
{
public:
    explicit SubscribeListener(SparkplugConnection &owner) : m_owner(owner) {}
    void on_success(const mqtt::token &) override
    {
        if (m_owner.m_handlers.ready)
            m_owner.m_handlers.ready();
    }
    void on_failure(const mqtt::token &tok) override
    {
        // Without NCMD the node cannot answer rebirth requests: treat it as a failed connect.
        if (m_owner.m_handlers.connectFailed)
            m_owner.m_handlers.connectFailed(QStringLiteral("subscribing failed: ") + reasonOf(tok));
    }

private:
    SparkplugConnection &m_owner;
};

class SparkplugConnection::ConnectListener : public mqtt::iaction_listener
{
public:
    explicit ConnectListener(SparkplugConnection &owner) : m_owner(owner) {}
    void on_success(const mqtt::token &) override
    {
        const Config &c = m_owner.m_config;
        if (c.subscriptions.empty()) {
            if (m_owner.m_handlers.ready)
                m_owner.m_handlers.ready();
            return;
        }
        try {
            auto topics = mqtt::string_collection::create(c.subscriptions);
            const mqtt::iasync_client::qos_collection qos(c.subscriptions.size(), 1);
            m_owner.m_client->subscribe(topics, qos, nullptr, *m_owner.m_subscribeListener);
        } catch (const mqtt::exception &e) {
            if (m_owner.m_handlers.connectFailed)
                m_owner.m_handlers.connectFailed(QStringLiteral("subscribing failed: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    void on_failure(const mqtt::token &tok) override
    {
        if (m_owner.m_handlers.connectFailed)
            m_owner.m_handlers.connectFailed(reasonOf(tok));
    }

private:
    SparkplugConnection &m_owner;
};

// The intruder of dropWithWill(): leaves as soon as it is in (the broker dropped us by then).
class SparkplugConnection::TakeoverListener : public mqtt::iaction_listener
{
public:
    explicit TakeoverListener(SparkplugConnection &owner) : m_owner(owner) {}
    void on_success(const mqtt::token &) override
    {
        try {
            m_owner.m_takeover->disconnect(0);
        } catch (const mqtt::exception &e) {
            qCWarning(lcSim) << "takeover client of" << m_owner.m_config.clientId.c_str() << "cannot leave:" << e.what();
        }
    }
    void on_failure(const mqtt::token &tok) override
    {
        qCWarning(lcSim) << "takeover of" << m_owner.m_config.clientId.c_str() << "failed:" << reasonOf(tok);
    }

private:
    SparkplugConnection &m_owner;
};

SparkplugConnection::SparkplugConnection(Config config, Handlers handlers)
    : m_config(std::move(config))
    , m_handlers(std::move(handlers))
    , m_connectListener(std::make_unique<ConnectListener>(*this))
    , m_subscribeListener(std::make_unique<SubscribeListener>(*this))
    , m_takeoverListener(std::make_unique<TakeoverListener>(*this))
{
    m_client = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.clientId,
                                                    mqtt::create_options(MQTTVERSION_5, 1000));
    m_client->set_connection_lost_handler([this](const std::string &) {
        if (m_handlers.lost)
            m_handlers.lost(QStringLiteral("connection lost"));
    });
    m_client->set_disconnected_handler([this](const mqtt::properties &, mqtt::ReasonCode code) {
        if (m_handlers.lost)
            m_handlers.lost(QStringLiteral("disconnected by the broker (reason %1)").arg(int(code)));
    });
    m_client->set_message_callback([this](mqtt::const_message_ptr msg) {
        if (!m_handlers.message)
            return;
        const mqtt::binary &p = msg->get_payload();
        m_handlers.message(msg->get_topic(), QByteArray(p.data(), qsizetype(p.size())), msg->is_retained());
    });
}

SparkplugConnection::~SparkplugConnection()
{
    try {  // Paho refuses while a connect is in progress; the handlers outlive the client anyway
        m_client->set_connection_lost_handler(nullptr);
        m_client->set_disconnected_handler(nullptr);
        m_client->set_message_callback(nullptr);
    } catch (const mqtt::exception &) {
    }
    for (mqtt::async_client *client : {m_client.get(), m_takeover.get()}) {
        try {
            if (client && client->is_connected())
                client->disconnect(0)->wait_for(std::chrono::milliseconds(1000));
        } catch (const mqtt::exception &e) {
            qCWarning(lcSim) << "disconnect of" << m_config.clientId.c_str() << "failed:" << e.what();
        }
    }
}

mqtt::connect_options SparkplugConnection::connectOptions(const std::string &willTopic, const QByteArray &willPayload) const
{
    mqtt::connect_options_builder builder;
    builder.mqtt_version(MQTTVERSION_5)
        .clean_start(true)
        .keep_alive_interval(std::chrono::seconds(10))
        .connect_timeout(std::chrono::seconds(10));
    if (!willTopic.empty())
        builder.will(mqtt::will_options(willTopic, willPayload.constData(), size_t(willPayload.size()), 1, false));
    if (!m_config.username.empty())
        builder.user_name(m_config.username);
    if (!m_config.password.empty())
        builder.password(mqtt::binary_ref(m_config.password));
    ClientTls{m_config.caFile, m_config.certFile, m_config.keyFile}.apply(builder, m_config.serverUri);
    return builder.finalize();
}

void SparkplugConnection::connect(const std::string &willTopic, const QByteArray &willPayload)
{
    m_client->connect(connectOptions(willTopic, willPayload), nullptr, *m_connectListener);
}

bool SparkplugConnection::isConnected() const
{
    return m_client->is_connected();
}

mqtt::delivery_token_ptr SparkplugConnection::publish(const std::string &topic, const QByteArray &payload, int qos)
{
    try {
        if (!m_client->is_connected())
            return nullptr;
        return m_client->publish(mqtt::make_message(topic, payload.constData(), size_t(payload.size()), qos, false));
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "publish of" << m_config.clientId.c_str() << "failed:" << e.what();
        return nullptr;
    }
}

bool SparkplugConnection::dropWithWill()
{
    try {
        if (!m_client->is_connected())
            return false;
        if (m_takeover && m_takeover->is_connected())
            return false;  // the last one has not left yet
        m_takeover = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.clientId,
                                                          mqtt::create_options(MQTTVERSION_5, 10));
        m_takeover->connect(connectOptions(std::string(), QByteArray()), nullptr, *m_takeoverListener);
        return true;
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "takeover of" << m_config.clientId.c_str() << "failed:" << e.what();
        return false;
    }
}

mqtt::token_ptr SparkplugConnection::disconnect()
{
    try {
        if (!m_client->is_connected())
            return nullptr;
        return m_client->disconnect(0);
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "disconnect of" << m_config.clientId.c_str() << "failed:" << e.what();
        return nullptr;
    }
}

} // namespace fd::sim
