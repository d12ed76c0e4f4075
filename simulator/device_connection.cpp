#include "simulator/device_connection.h"

#include "simulator/sim_logging.h"

#include <QJsonDocument>
#include <QJsonObject>

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

// The intruder of dropWithWill(): leaves as soon as it is in (the broker dropped us by then).
class DeviceConnection::TakeoverListener : public mqtt::iaction_listener
{
public:
    explicit TakeoverListener(DeviceConnection &owner) : m_owner(owner) {}
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
        qCWarning(lcSim) << "takeover of" << m_owner.m_config.clientId.c_str() << "failed:"
                         << mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code()).c_str();
    }

private:
    DeviceConnection &m_owner;
};

DeviceConnection::DeviceConnection(Config config)
    : m_config(std::move(config))
    , m_onlineStatus(m_config.onlineStatus)
    , m_publishListener(std::make_unique<PublishListener>(m_ledger))
    , m_connectListener(std::make_unique<ConnectListener>())
    , m_subscribeListener(std::make_unique<SubscribeListener>(*m_connectListener, m_config.clientId))
    , m_takeoverListener(std::make_unique<TakeoverListener>(*this))
{
    m_connectListener->waitForSubscription = !m_config.commandTopic.empty();
    m_options = connectOptions(true);
    m_client = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.clientId,
                                                    mqtt::create_options(MQTTVERSION_3_1_1, 10000));
    // Every (re)connect: announce ourselves (retained), replacing a Last Will that fired.
    m_client->set_connected_handler([this](const std::string &) {
        publishStatus(true, 1);
        if (!m_config.commandTopic.empty()) {
            try {
                if (m_config.extraTopics.empty()) {
                    m_client->subscribe(m_config.commandTopic, 1, nullptr, *m_subscribeListener);
                } else {
                    auto topics = mqtt::string_collection::create(m_config.commandTopic);
                    for (const std::string &topic : m_config.extraTopics)
                        topics->push_back(topic);
                    m_client->subscribe(topics, mqtt::iasync_client::qos_collection(topics->size(), 1), nullptr,
                                        *m_subscribeListener);
                }
            } catch (const mqtt::exception &e) {
                qCWarning(lcSim) << "subscribe of" << m_config.clientId.c_str() << "failed:" << e.what();
            }
        }
        if (m_connectedHandler)
            m_connectedHandler();
    });
    m_client->set_connection_lost_handler([this](const std::string &) { onConnectionLost(); });
    m_client->set_message_callback([this](mqtt::const_message_ptr msg) {
        const mqtt::binary &p = msg->get_payload();
        if (msg->get_topic() == m_config.commandTopic) {
            if (m_commandHandler)
                m_commandHandler(QByteArray(p.data(), qsizetype(p.size())));
        } else if (m_messageHandler) {
            m_messageHandler(msg->get_topic(), QByteArray(p.data(), qsizetype(p.size())), msg->is_retained());
        }
    });
}

// Clean session, our credentials and TLS; the device's own connection (withWill) also has the
// Last Will and Paho's automatic reconnect, dropWithWill()'s intruder neither.
mqtt::connect_options DeviceConnection::connectOptions(bool withWill) const
{
    mqtt::connect_options_builder builder;
    builder.mqtt_version(MQTTVERSION_3_1_1)
        .clean_session(true)
        .keep_alive_interval(std::chrono::seconds(30))
        .connect_timeout(std::chrono::seconds(15));
    if (withWill) {
        builder.automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(30))
            .will(mqtt::will_options(m_config.statusTopic, m_config.offlineStatus.constData(),
                                     size_t(m_config.offlineStatus.size()), 1, true));
    }
    if (!m_config.username.empty())
        builder.user_name(m_config.username);
    if (!m_config.password.empty())
        builder.password(mqtt::binary_ref(m_config.password));
    ClientTls{m_config.caFile, m_config.certFile, m_config.keyFile}.apply(builder, m_config.serverUri);
    return builder.finalize();
}

void DeviceConnection::setOnlineStatus(const QByteArray &status)
{
    std::lock_guard lock(m_mutex);
    m_onlineStatus = status;
}

void DeviceConnection::setCertSerial(const QString &serial)
{
    std::lock_guard lock(m_mutex);
    m_certSerial = serial;
}

QString DeviceConnection::tlsFailureSuffix() const
{
    return ClientTls{m_config.caFile, m_config.certFile, m_config.keyFile}.failureSuffix(m_config.serverUri);
}

void DeviceConnection::reconnectWithIdentity(const std::string &certFile, const std::string &keyFile, ConnectDone done)
{
    try {
        if (m_client->is_connected())
            m_client->disconnect(0)->wait_for(std::chrono::milliseconds(3000));
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "disconnect of" << m_config.clientId.c_str() << "before the new identity failed:" << e.what();
    }
    m_config.certFile = certFile;
    m_config.keyFile = keyFile;
    m_options = connectOptions(true);
    connect(std::move(done));
}

// Paho's thread. After dropWithWill(): stay down (disconnect() on a lost connection only
// cancels the automatic reconnect) until the owner connects again.
void DeviceConnection::onConnectionLost()
{
    DroppedHandler dropped;
    {
        std::lock_guard lock(m_mutex);
        dropped = std::exchange(m_dropped, nullptr);
    }
    if (!dropped)
        return;  // Paho reconnects by itself
    try {
        m_client->disconnect(0);
    } catch (const mqtt::exception &) {
        // MQTTASYNC_DISCONNECTED: expected, and the automatic reconnect is off all the same
    }
    dropped();
}

bool DeviceConnection::dropWithWill(DroppedHandler dropped)
{
    try {
        if (!m_client->is_connected())
            return false;
        if (m_takeover && m_takeover->is_connected())
            return false;  // the last one has not left yet
        {
            std::lock_guard lock(m_mutex);
            if (m_dropped)
                return false;
            m_dropped = std::move(dropped);
        }
        m_takeover = std::make_unique<mqtt::async_client>(m_config.serverUri, m_config.clientId,
                                                          mqtt::create_options(MQTTVERSION_3_1_1, 10));
        m_takeover->connect(connectOptions(false), nullptr, *m_takeoverListener);
        return true;
    } catch (const mqtt::exception &e) {
        std::lock_guard lock(m_mutex);
        m_dropped = nullptr;
        qCWarning(lcSim) << "takeover of" << m_config.clientId.c_str() << "failed:" << e.what();
        return false;
    }
}

DeviceConnection::~DeviceConnection()
{
    try {  // Paho refuses while a connect is in progress; the handlers outlive the client anyway
        m_client->set_connected_handler(nullptr);
        m_client->set_connection_lost_handler(nullptr);
        m_client->set_message_callback(nullptr);
    } catch (const mqtt::exception &) {
    }
    try {
        if (m_takeover && m_takeover->is_connected())
            m_takeover->disconnect(0)->wait_for(std::chrono::milliseconds(1000));
    } catch (const mqtt::exception &) {
    }
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
    QByteArray payload = m_config.offlineStatus;
    if (online) {
        std::lock_guard lock(m_mutex);
        payload = m_onlineStatus;
        if (!m_certSerial.isEmpty()) {
            QJsonObject status = QJsonDocument::fromJson(payload).object();
            status.insert(QStringLiteral("cert_serial"), m_certSerial);
            payload = QJsonDocument(status).toJson(QJsonDocument::Compact);
        }
    }
    const bool ok = publish(m_config.statusTopic, payload, qos, true, std::move(entry), &error);
    if (!ok && !error.isEmpty())
        qCWarning(lcSim) << "status publish of" << m_config.clientId.c_str() << "failed:" << error;
    return ok;
}

bool DeviceConnection::publishUntracked(const std::string &topic, const QByteArray &payload, int qos, bool retained)
{
    try {
        if (!m_client->is_connected())
            return false;
        m_client->publish(topic, payload.constData(), size_t(payload.size()), qos, retained);
        return true;
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "publish of" << m_config.clientId.c_str() << "failed:" << e.what();
        return false;
    }
}

void DeviceConnection::stayDown()
{
    {
        std::lock_guard lock(m_mutex);
        m_dropped = nullptr;
    }
    try {
        m_client->disconnect(0);
    } catch (const mqtt::exception &) {
        // not connected: the automatic reconnect is cancelled all the same
    }
}

mqtt::token_ptr DeviceConnection::disconnect(int timeoutMs)
{
    {
        std::lock_guard lock(m_mutex);
        m_dropped = nullptr;  // a drop that did not happen (the takeover failed): leave it
    }
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
