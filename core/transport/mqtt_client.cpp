#include "core/transport/mqtt_client.h"

#include "core/transport/inbound_queue.h"

#include "core/transport/connect_failure.h"
#include "core/transport/paho_connect_options.h"
#include "core/transport/publish_tracker.h"
#include "core/transport/receive_pacer.h"
#include "core/transport/reconnect_backoff.h"
#include "core/transport/tls_probe.h"
#include "core/transport/transport_logging.h"

#include <MQTTAsync.h>
#include <mqtt/async_client.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutex>
#include <QPair>
#include <QRandomGenerator>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <thread>

namespace fd {

namespace {

// Paho C keeps an in-memory trace of every internal function entry and exit and formats
// every protocol-level log line (vsnprintf) at its default level, TRACE_MINIMUM: per
// received message that is ~14 extra mutex lock/unlock pairs, gettimeofday calls and
// several string copies on the receive thread. At MQTTASYNC_TRACE_ERROR the trace calls
// return at once (Log_stackTrace, Log). Paho's own environment switches for debugging
// (MQTT_C_CLIENT_TRACE, MQTT_C_CLIENT_TRACE_LEVEL) still win when set.
void quietPahoTrace()
{
    if (qEnvironmentVariableIsEmpty("MQTT_C_CLIENT_TRACE") && qEnvironmentVariableIsEmpty("MQTT_C_CLIENT_TRACE_LEVEL"))
        MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_ERROR);
}

void registerMetaTypes()
{
    static const bool once = [] {
        quietPahoTrace();
        qRegisterMetaType<fd::MqttMessage>();
        qRegisterMetaType<fd::MqttMessageBatch>();
        qRegisterMetaType<fd::ConnectionState>();
        return true;
    }();
    Q_UNUSED(once);
}

QString randomClientId()
{
    const quint64 value = QRandomGenerator::system()->generate64();
    return QStringLiteral("fleetdeck-") + QString::number(value, 16).rightJustified(16, u'0').left(12);
}

// Publishes queued inside Paho before publish() reports "no more messages can be buffered".
constexpr int kMaxBufferedMessages = 100000;

} // namespace

struct MqttClient::Impl
{
    // Shared with Paho's callback thread. Everything here is guarded by mutex; impl is
    // cleared when the MqttClient goes away, after which callbacks post nothing.
    struct Bridge
    {
        QMutex mutex;
        MqttClient *q = nullptr;
        Impl *impl = nullptr;
        InboundQueue queue;  // bounded: see InboundLimits
        bool drainPosted = false;

        template <typename F>
        void post(F &&f)  // caller holds mutex
        {
            if (q)
                QMetaObject::invokeMethod(q, std::forward<F>(f), Qt::QueuedConnection);
        }
    };

    // Completion of connect attempts; runs on Paho's thread and only posts.
    class ConnectListener : public mqtt::iaction_listener
    {
    public:
        ConnectListener(std::shared_ptr<Bridge> bridge, quint64 generation)
            : m_bridge(std::move(bridge)), m_generation(generation) {}

        void on_success(const mqtt::token &) override
        {
            QMutexLocker lock(&m_bridge->mutex);
            Impl *impl = m_bridge->impl;
            const quint64 gen = m_generation;
            m_bridge->post([impl, gen] { impl->onConnected(gen); });
        }
        void on_failure(const mqtt::token &tok) override
        {
            QMutexLocker lock(&m_bridge->mutex);
            Impl *impl = m_bridge->impl;
            const quint64 gen = m_generation;
            const int rc = tok.get_return_code();
            const int reason = static_cast<int>(tok.get_reason_code());
            m_bridge->post([impl, gen, rc, reason] { impl->onConnectFailed(gen, rc, reason); });
        }

    private:
        std::shared_ptr<Bridge> m_bridge;
        quint64 m_generation;
    };

    // A subscription's SUBACK, reported as subscribed(filter, ok); a refusal is also logged
    // (the broker said no; nothing to retry). Runs on Paho's thread and only posts.
    class SubscribeListener : public mqtt::iaction_listener
    {
    public:
        explicit SubscribeListener(std::shared_ptr<Bridge> bridge)
            : m_bridge(std::move(bridge)) {}

        void on_success(const mqtt::token &tok) override { report(tok, true); }
        void on_failure(const mqtt::token &tok) override
        {
            qCWarning(lcTransport) << "subscribe failed:"
                                   << QString::fromStdString(mqtt::exception::printable_error(
                                          tok.get_return_code(), tok.get_reason_code()));
            report(tok, false);
        }

    private:
        void report(const mqtt::token &tok, bool ok)
        {
            const auto topics = tok.get_topics();
            const QString filter = topics && topics->size() > 0 ? QString::fromStdString((*topics)[0]) : QString();
            QMutexLocker lock(&m_bridge->mutex);
            Impl *impl = m_bridge->impl;
            m_bridge->post([impl, filter, ok] { impl->onSubscribed(filter, ok); });
        }

        std::shared_ptr<Bridge> m_bridge;
    };

    // One Paho client with its listeners. Members are destroyed bottom-up: the client
    // goes before the listeners it references.
    struct Connection
    {
        std::unique_ptr<ConnectListener> connectListener;
        std::unique_ptr<SubscribeListener> subscribeListener;
        std::shared_ptr<PublishTracker> tracker;  // its listener outlives the client
        mqtt::connect_options options;
        std::unique_ptr<mqtt::async_client> client;
        quint64 generation = 0;
    };

    explicit Impl(MqttClient *owner)
        : q(owner)
        , bridge(std::make_shared<Bridge>())
        , tracker(std::make_shared<PublishTracker>([b = bridge] {
            QMutexLocker lock(&b->mutex);
            Impl *impl = b->impl;
            b->post([impl] { impl->drainOutcomes(); });
        }))
    {
        bridge->q = owner;
        bridge->impl = this;
        retryTimer = new QTimer(owner);  // a child, so it follows moveToThread()
        retryTimer->setSingleShot(true);
        QObject::connect(retryTimer, &QTimer::timeout, owner, [this] { attempt(); });
        drainTimer = new QTimer(owner);
        drainTimer->setSingleShot(true);
        drainTimer->setTimerType(Qt::PreciseTimer);
        QObject::connect(drainTimer, &QTimer::timeout, owner, [this] { drain(); });
        sinceDrain.start();
    }

    void setState(ConnectionState s, const QString &text)
    {
        {
            QMutexLocker lock(&stateMutex);
            if (state == s && detail == text)
                return;
            state = s;
            detail = text;
        }
        qCInfo(lcTransport).noquote() << connectionStateKey(s) << text;
        emit q->stateChanged(s, text);
    }

    QString address() const { return profile.broker.toString(); }

    void closeConnection(int timeoutMs)
    {
        retryTimer->stop();
        ++generation;  // late callbacks of the old client are ignored
        std::shared_ptr<Connection> old;
        {
            QMutexLocker lock(&connMutex);
            old = std::move(conn);
        }
        attemptInFlight = false;
        if (!old)
            return;
        try {
            if (old->client->is_connected()) {
                // Let QoS 1/2 publishes finish first. (Paho's own disconnect timeout is not
                // used: with messages in flight its token does not complete in 1.2/1.3.12.)
                if (presence.isEnabled()) {  // a clean goodbye: the Will is not sent for it
                    const QByteArray offline = presence.payload(false);
                    const PresenceMessage &m = presence.message();
                    old->client->publish(m.topic.toStdString(), offline.constData(), size_t(offline.size()), m.qos,
                                         m.retained);
                }
                QElapsedTimer timer;
                timer.start();
                while (!old->client->get_pending_delivery_tokens().empty() && timer.elapsed() < timeoutMs)
                    QThread::msleep(5);
                mqtt::token_ptr tok = old->client->disconnect(0);
                if (!tok->wait_for(std::chrono::milliseconds(std::max(500, timeoutMs))))
                    qCWarning(lcTransport) << "clean disconnect of" << clientId << "did not complete within"
                                           << std::max(500, timeoutMs) << "ms";
            }
        } catch (const mqtt::exception &e) {
            qCWarning(lcTransport) << "disconnect from" << address() << "failed:" << e.what();
        }
    }

    // After a disconnect: whatever Paho handed us (and acknowledged at QoS 1) is still
    // delivered, in one last batch, rather than dropped.
    void deliverPending()
    {
        MqttMessageBatch batch;
        {
            QMutexLocker lock(&bridge->mutex);
            batch = bridge->queue.take();
        }
        drainOutcomes();  // after the swap: see drain()
        if (!batch.isEmpty())
            emit q->messagesReceived(batch);
    }

    void start(const ConnectionProfile &p, const ConnectionSecrets &secrets)
    {
        closeConnection(2000);
        deliverPending();
        failPendingTracked(QStringLiteral("the connection was closed before the broker acknowledged the message"));
        profile = p;
        keyPassphrase = secrets.keyPassphrase;
        clientId = p.clientId.isEmpty() ? randomClientId() : p.clientId;

        if (const QString problem = PahoConnectOptions::configurationProblem(p, secrets); !problem.isEmpty()) {
            setState(ConnectionState::Failed, problem);
            return;
        }

        auto c = std::make_shared<Connection>();
        c->generation = generation;
        c->connectListener = std::make_unique<ConnectListener>(bridge, generation);
        c->subscribeListener = std::make_unique<SubscribeListener>(bridge);
        c->tracker = tracker;
        std::shared_ptr<Bridge> b = bridge;
        const quint64 gen = generation;
        try {
            PahoConnectOptions::build(p, secrets, &c->options);
            const int version = p.mqttVersion == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
            c->client = std::make_unique<mqtt::async_client>(p.broker.pahoUri().toStdString(), clientId.toStdString(),
                                                             mqtt::create_options(version, kMaxBufferedMessages));
        } catch (const mqtt::exception &e) {
            setState(ConnectionState::Failed,
                     QStringLiteral("cannot create an MQTT client for %1: %2").arg(address(), QString::fromUtf8(e.what())));
            return;
        }

        c->client->set_message_callback([b](mqtt::const_message_ptr msg) { onMessage(b, msg); });
        c->client->set_connection_lost_handler([b, gen](const std::string &cause) {
            QMutexLocker lock(&b->mutex);
            Impl *impl = b->impl;
            const QString text = QString::fromStdString(cause);
            b->post([impl, gen, text] { impl->onConnectionLost(gen, text, 0); });
        });
        c->client->set_disconnected_handler([b, gen](const mqtt::properties &, mqtt::ReasonCode reason) {
            QMutexLocker lock(&b->mutex);
            Impl *impl = b->impl;
            const int code = static_cast<int>(reason);
            b->post([impl, gen, code] { impl->onConnectionLost(gen, QString(), code); });
        });
        {
            QMutexLocker lock(&connMutex);
            conn = c;
        }
        backoff.reset();
        setState(ConnectionState::Connecting, QStringLiteral("connecting to %1").arg(address()));
        attempt();
    }

    // On Paho's thread: nothing but a bounded copy. A payload over the limit is not copied,
    // and a full queue drops the message (counted): a flood costs bounded memory.
    // Then, when Paho's thread had caught up with the socket, a short nap (ReceivePacer) so
    // the next messages are read in one go rather than one wake-up each.
    static void onMessage(const std::shared_ptr<Bridge> &b, const mqtt::const_message_ptr &msg)
    {
        const qint64 arrivedUs = monotonicUs();
        push(b, msg);
        // Paho runs every client's callbacks on its one receive thread: one pacer for it.
        thread_local ReceivePacer pacer;
        static const bool pacing = qEnvironmentVariable("FLEETDECK_RECEIVE_PACING") != QLatin1String("0");
        if (const qint64 napUs = pacer.messageHandled(arrivedUs, monotonicUs()); napUs > 0 && pacing) {
            std::this_thread::sleep_for(std::chrono::microseconds(napUs));
            pacer.napped(monotonicUs());
        }
    }

    static qint64 monotonicUs()
    {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

    static void push(const std::shared_ptr<Bridge> &b, const mqtt::const_message_ptr &msg)
    {
        const std::string &topic = msg->get_topic();
        const mqtt::binary &payload = msg->get_payload();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();

        QMutexLocker lock(&b->mutex);
        if (!b->impl)
            return;
        if (!b->queue.push(QByteArrayView(topic.data(), qsizetype(topic.size())),
                           QByteArrayView(payload.data(), qsizetype(payload.size())), now, msg->get_qos(),
                           msg->is_retained())) {
            return;  // counted by the queue; reported with the next batch
        }
        b->impl->received.fetch_add(1, std::memory_order_relaxed);
        if (!b->drainPosted) {
            b->drainPosted = true;
            Impl *impl = b->impl;
            b->post([impl] { impl->scheduleDrain(); });
        }
    }

    // On our thread, once per batch: drain now if the last drain is at least one batch
    // window ago (a quiet link adds no latency), else when the window is over. Under load
    // this turns thousands of messages per second into a few hundred batches, so the
    // receiving thread is woken once per batch instead of once per message.
    void scheduleDrain()
    {
        const qint64 window = batchWindowMs.load();
        const qint64 elapsed = sinceDrain.elapsed();
        if (window <= 0 || elapsed >= window)
            drain();
        else if (!drainTimer->isActive())
            drainTimer->start(int(window - elapsed));
    }

    void drain()
    {
        drainTimer->stop();
        sinceDrain.restart();
        MqttMessageBatch batch;
        {
            QMutexLocker lock(&bridge->mutex);
            const int limit = maxBatch.load();
            batch = bridge->queue.take(limit);
            if (bridge->queue.isEmpty())
                bridge->drainPosted = false;
            else
                bridge->post([this] { drain(); });  // the rest in the next event-loop turn
        }
        // Outcomes Paho reported before these messages go first (taken after the swap, so
        // all of them are in): an answer never overtakes the PUBACK of what it answers.
        drainOutcomes();
        if (!batch.isEmpty())
            emit q->messagesReceived(batch);
    }

    void attempt()
    {
        std::shared_ptr<Connection> c;
        {
            QMutexLocker lock(&connMutex);
            c = conn;
        }
        if (!c || attemptInFlight)
            return;
        attemptInFlight = true;
        try {
            presence.beginAttempt(&c->options, QDateTime::currentMSecsSinceEpoch());
            c->client->connect(c->options, nullptr, *c->connectListener);
        } catch (const mqtt::exception &e) {
            attemptInFlight = false;
            setState(ConnectionState::Failed,
                     QStringLiteral("cannot connect to %1: %2").arg(address(), QString::fromUtf8(e.what())));
        }
    }

    void scheduleRetry(const QString &reason)
    {
        const int delayMs = backoff.nextDelayMs();
        emit q->retryScheduled(QDateTime::currentMSecsSinceEpoch() + delayMs, reason);
        setState(ConnectionState::Reconnecting,
                 QStringLiteral("%1; retrying in %2 s").arg(reason).arg(delayMs / 1000.0, 0, 'g', 3));
        retryTimer->start(delayMs);
    }

    void onConnected(quint64 gen)
    {
        if (gen != generation)
            return;
        attemptInFlight = false;
        connectedSince.start();  // the backoff starts over once this connection proved stable
        setState(ConnectionState::Connected, QStringLiteral("connected to %1 as %2").arg(address(), clientId));
        resubscribe();
        if (presence.connected(int(subscriptions.size())))
            announcePresence();
    }

    void onSubscribed(const QString &filter, bool ok)
    {
        emit q->subscribed(filter, ok);
        if (state == ConnectionState::Connected && presence.subscribed())
            announcePresence();
    }

    // Subscribe first, then announce: published once every subscription was answered.
    void announcePresence()
    {
        presence.announced();
        const PresenceMessage &m = presence.message();
        if (!q->publish(m.topic, presence.payload(true), m.qos, m.retained)) {
            qCWarning(lcTransport) << "could not publish the online presence on" << m.topic;
            return;
        }
        qCInfo(lcTransport) << "presence announced on" << m.topic << "session" << presence.sessionMs();
        emit q->presenceAnnounced(presence.sessionMs());
    }

    void onConnectFailed(quint64 gen, int rc, int reasonCode)
    {
        if (gen != generation)
            return;
        const bool refusedByBroker = reasonCode != 0 || (rc >= 1 && rc <= 5) || rc >= 0x80;  // CONNACK said no
        if (profile.broker.tls && !refusedByBroker) {
            diagnoseTls(rc);  // attemptInFlight stays set until the diagnosis is in
            return;
        }
        attemptInFlight = false;
        applyFailure(ConnectFailure::classify(rc, reasonCode, QString(), address()));
    }

    // Paho says only "failed": repeat the handshake with OpenSSL, off this thread, to learn why.
    void diagnoseTls(int rc)
    {
        TlsProbe::Settings settings;
        settings.host = profile.broker.host;
        settings.port = profile.broker.port;
        settings.caFile = profile.caFile;
        settings.verifyHostname = profile.verifyHostname;
        settings.clientCertFile = profile.clientCertFile;
        settings.clientKeyFile = profile.clientKeyFile;
        settings.keyPassphrase = keyPassphrase;
        std::shared_ptr<Bridge> b = bridge;
        const quint64 gen = generation;
        QThreadPool::globalInstance()->start([b, gen, rc, settings] {
            const TlsProbe::Result result = TlsProbe::diagnose(settings);
            // Only a failed handshake is a TLS reason; no TCP connection is reported as such.
            const QString reason = result.stage == TlsProbe::Result::Stage::Tls ? result.reason : QString();
            QMutexLocker lock(&b->mutex);
            Impl *impl = b->impl;
            b->post([impl, gen, rc, reason] { impl->onTlsDiagnosed(gen, rc, reason); });
        });
    }

    void onTlsDiagnosed(quint64 gen, int rc, const QString &reason)
    {
        if (gen != generation)
            return;
        attemptInFlight = false;
        applyFailure(ConnectFailure::classify(rc, 0, reason, address()));
    }

    void applyFailure(const ConnectFailure &f)
    {
        if (f.permanent)
            setState(ConnectionState::Failed, f.reason);
        else
            scheduleRetry(f.reason);
    }

    // On our thread: reports what Paho's threads collected.
    void drainOutcomes() { reportOutcomes(tracker->takeSettled()); }

    void reportOutcomes(const QList<PublishTracker::Outcome> &outcomes)
    {
        for (const PublishTracker::Outcome &o : outcomes)
            emit q->publishFinished(o.token, o.ok, o.error);
    }

    // The connection that carried them is gone: Paho may never complete their tokens (a
    // clean session drops them), so each one still pending is reported as failed now.
    void failPendingTracked(const QString &reason) { reportOutcomes(tracker->failAllPending(reason)); }

    void onConnectionLost(quint64 gen, const QString &cause, int reasonCode)
    {
        if (gen != generation || state != ConnectionState::Connected)
            return;  // a second notification of the same loss
        deliverPending();  // what arrived before the loss is delivered before the loss is told
        failPendingTracked(QStringLiteral("connection lost before the broker acknowledged the message "
                                          "(it may still have been delivered)"));
        ConnectFailure f = ConnectFailure::classifyLoss(cause, reasonCode);
        if (f.permanent) {
            setState(ConnectionState::Failed, f.reason);
            return;
        }
        const qint64 lastedMs = connectedSince.isValid() ? connectedSince.elapsed() : 0;
        if (lastedMs >= MqttClient::kStableConnectionMs) {
            backoff.reset();
        } else {
            // Lost right after it was made: a failed attempt, so the delays keep growing.
            f.reason += QStringLiteral(" %1 s after connecting (another client using the same client id \"%2\"? "
                                       "the broker drops the older connection of a client id; or the broker closes "
                                       "connections)")
                            .arg(double(lastedMs) / 1000.0, 0, 'f', 1)
                            .arg(clientId);
        }
        scheduleRetry(f.reason);
    }

    void subscribeNow(const std::shared_ptr<Connection> &c, const QString &filter, int qos)
    {
        try {
            c->client->subscribe(filter.toStdString(), qos, nullptr, *c->subscribeListener);
        } catch (const mqtt::exception &e) {
            qCWarning(lcTransport) << "subscribe to" << filter << "failed:" << e.what();
        }
    }

    void resubscribe()
    {
        std::shared_ptr<Connection> c;
        {
            QMutexLocker lock(&connMutex);
            c = conn;
        }
        if (!c)
            return;
        for (const auto &[filter, qos] : std::as_const(subscriptions))
            subscribeNow(c, filter, qos);
    }

    MqttClient *q;
    std::shared_ptr<Bridge> bridge;
    std::shared_ptr<PublishTracker> tracker;
    ConnectionProfile profile;
    QString keyPassphrase;  // for TlsProbe
    QString clientId;
    QList<QPair<QString, int>> subscriptions;
    ReconnectBackoff backoff;
    QElapsedTimer connectedSince;  // of the current connection
    SessionPresence presence;
    QTimer *retryTimer = nullptr;
    quint64 generation = 1;
    bool attemptInFlight = false;
    std::atomic<int> maxBatch{5000};
    std::atomic<int> batchWindowMs{20};
    QTimer *drainTimer = nullptr;
    QElapsedTimer sinceDrain;
    std::atomic<quint64> received{0};

    mutable QMutex stateMutex;
    ConnectionState state = ConnectionState::Disconnected;
    QString detail;

    mutable QMutex connMutex;  // guards conn (publish() may run on any thread)
    std::shared_ptr<Connection> conn;
};

MqttClient::MqttClient(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this))
{
    registerMetaTypes();
}

MqttClient::~MqttClient()
{
    {
        QMutexLocker lock(&d->bridge->mutex);
        d->bridge->q = nullptr;
        d->bridge->impl = nullptr;
    }
    d->closeConnection(1000);
}

void MqttClient::connectToBroker(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    d->start(profile, secrets);
}

void MqttClient::disconnectFromBroker(int timeoutMs)
{
    d->closeConnection(timeoutMs);
    d->deliverPending();
    d->failPendingTracked(QStringLiteral("disconnected before the broker acknowledged the message"));
    d->setState(ConnectionState::Disconnected, QString());
}

void MqttClient::retryNow()
{
    const ConnectionState now = state();
    if (now != ConnectionState::Reconnecting && now != ConnectionState::Failed)
        return;
    {
        QMutexLocker lock(&d->connMutex);
        if (!d->conn)
            return;
    }
    if (d->attemptInFlight)
        return;
    d->retryTimer->stop();
    d->setState(ConnectionState::Connecting, QStringLiteral("connecting to %1").arg(d->address()));
    d->attempt();
}

void MqttClient::subscribe(const QString &filter, int qos)
{
    bool known = false;
    for (auto &entry : d->subscriptions) {
        if (entry.first == filter) {
            entry.second = qos;
            known = true;
        }
    }
    if (!known)
        d->subscriptions.append({filter, qos});
    if (state() != ConnectionState::Connected)
        return;  // applied on (re)connect
    std::shared_ptr<Impl::Connection> c;
    {
        QMutexLocker lock(&d->connMutex);
        c = d->conn;
    }
    if (c)
        d->subscribeNow(c, filter, qos);
}

void MqttClient::setPresence(const PresenceMessage &message)
{
    d->presence.setMessage(message);
}

void MqttClient::reassertPresence(qint64 offlineSessionMs)
{
    if (state() != ConnectionState::Connected || !d->presence.isAnnounced()
        || offlineSessionMs < d->presence.sessionMs())
        return;
    qCInfo(lcTransport) << "presence on" << d->presence.message().topic << "was declared offline: announcing again";
    d->announcePresence();
}

QString MqttClient::presenceTopic() const
{
    return d->presence.isEnabled() ? d->presence.message().topic : QString();
}

bool MqttClient::publish(const QString &topic, const QByteArray &payload, int qos, bool retained)
{
    std::shared_ptr<Impl::Connection> c;
    {
        QMutexLocker lock(&d->connMutex);
        c = d->conn;
    }
    if (!c)
        return false;
    try {
        if (!c->client->is_connected())
            return false;
        c->client->publish(topic.toStdString(), payload.constData(), size_t(payload.size()), qos, retained);
        return true;
    } catch (const mqtt::exception &e) {
        qCWarning(lcTransport) << "publish to" << topic << "failed:" << e.what();
        return false;
    }
}

quint64 MqttClient::publishTracked(const QString &topic, const QByteArray &payload, int qos, bool retained,
                                   QString *error)
{
    auto fail = [&](const QString &reason) -> quint64 {
        if (error)
            *error = reason;
        return 0;
    };
    std::shared_ptr<Impl::Connection> c;
    {
        QMutexLocker lock(&d->connMutex);
        c = d->conn;
    }
    if (!c || state() != ConnectionState::Connected)
        return fail(QStringLiteral("not connected to the broker"));
    if (!c->client->is_connected())
        return fail(QStringLiteral("not connected to the broker"));
    const quint64 token = d->tracker->begin();
    try {
        auto msg = mqtt::make_message(topic.toStdString(), payload.constData(), size_t(payload.size()), qos, retained);
        c->client->publish(msg, PublishTracker::context(token), c->tracker->listener());
        return token;
    } catch (const mqtt::exception &e) {
        d->tracker->abandon(token);
        qCWarning(lcTransport) << "publish to" << topic << "failed:" << e.what();
        return fail(QStringLiteral("the MQTT client refused the message: %1").arg(QString::fromUtf8(e.what())));
    }
}

int MqttClient::pendingTrackedCount() const
{
    return d->tracker->pendingCount();
}

ConnectionState MqttClient::state() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->state;
}

QString MqttClient::stateDetail() const
{
    QMutexLocker lock(&d->stateMutex);
    return d->detail;
}

QString MqttClient::clientId() const
{
    return d->clientId;
}

quint64 MqttClient::receivedCount() const
{
    return d->received.load(std::memory_order_relaxed);
}

void MqttClient::setMaxBatchSize(int messages)
{
    d->maxBatch.store(std::max(1, messages));
}

void MqttClient::setBatchWindowMs(int ms)
{
    d->batchWindowMs.store(std::max(0, ms));
}

void MqttClient::setInboundLimits(const InboundLimits &limits)
{
    QMutexLocker lock(&d->bridge->mutex);
    d->bridge->queue.setLimits(limits);
}

InboundLimits MqttClient::inboundLimits() const
{
    QMutexLocker lock(&d->bridge->mutex);
    return d->bridge->queue.limits();
}

quint64 MqttClient::droppedCount() const
{
    QMutexLocker lock(&d->bridge->mutex);
    return d->bridge->queue.dropped();
}

} // namespace fd
