#include "tests/reliability/bulk_publisher.h"

#include <MQTTAsync.h>
#include <mqtt/async_client.h>

#include <QDeadlineTimer>
#include <QThread>

#include <atomic>
#include <chrono>

namespace fd::test {

namespace {

class Settled : public mqtt::iaction_listener
{
public:
    std::atomic<qint64> ok{0};
    std::atomic<qint64> failed{0};
    void on_success(const mqtt::token &) override { ok.fetch_add(1, std::memory_order_relaxed); }
    void on_failure(const mqtt::token &) override { failed.fetch_add(1, std::memory_order_relaxed); }
};

std::string pahoUri(const QString &url)
{
    QString uri = url;
    uri.replace(QStringLiteral("mqtt://"), QStringLiteral("tcp://"));
    return uri.toStdString();
}

} // namespace

struct BulkPublisher::Impl
{
    Settled settled;  // outlives the client (declared first, destroyed last)
    std::unique_ptr<mqtt::async_client> client;
    int window = 5000;
    qint64 published = 0;

    qint64 pending() const { return published - settled.ok.load() - settled.failed.load(); }
};

BulkPublisher::BulkPublisher(const QString &brokerUrl, const QString &clientId, int window)
    : d(std::make_unique<Impl>())
{
    MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_ERROR);  // Paho's in-memory trace costs µs per message
    d->window = window;
    d->client = std::make_unique<mqtt::async_client>(pahoUri(brokerUrl), clientId.toStdString(),
                                                     mqtt::create_options(MQTTVERSION_3_1_1, 1000000));
}

BulkPublisher::~BulkPublisher()
{
    disconnect();
}

bool BulkPublisher::connect(QString *error, int timeoutMs)
{
    try {
        auto options = mqtt::connect_options_builder()
                           .mqtt_version(MQTTVERSION_3_1_1)
                           .clean_session(true)
                           .keep_alive_interval(std::chrono::seconds(60))
                           .max_inflight(65535)
                           .finalize();
        if (!d->client->connect(options)->wait_for(std::chrono::milliseconds(timeoutMs))) {
            *error = QStringLiteral("no CONNACK within %1 ms").arg(timeoutMs);
            return false;
        }
        return true;
    } catch (const mqtt::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool BulkPublisher::publish(const QByteArray &topic, const QByteArray &payload, int qos)
{
    while (d->pending() >= d->window)
        QThread::usleep(200);
    try {
        if (!d->client->is_connected())
            return false;
        auto msg = mqtt::make_message(topic.toStdString(), payload.constData(), size_t(payload.size()), qos, false);
        d->client->publish(msg, nullptr, d->settled);
        ++d->published;
        return true;
    } catch (const mqtt::exception &) {
        return false;
    }
}

bool BulkPublisher::waitSettled(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (d->pending() > 0) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(2);
    }
    return true;
}

void BulkPublisher::disconnect()
{
    try {
        if (d->client && d->client->is_connected())
            d->client->disconnect(0)->wait_for(std::chrono::seconds(5));
    } catch (const mqtt::exception &) {
    }
}

qint64 BulkPublisher::published() const
{
    return d->published;
}

qint64 BulkPublisher::delivered() const
{
    return d->settled.ok.load();
}

qint64 BulkPublisher::failed() const
{
    return d->settled.failed.load();
}

} // namespace fd::test
