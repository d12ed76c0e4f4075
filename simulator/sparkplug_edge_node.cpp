#include "simulator/sparkplug_edge_node.h"

#include "simulator/sim_logging.h"
#include "simulator/sparkplug_command_applier.h"
#include "simulator/sparkplug_payloads.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cstdio>

namespace fd::sim {

namespace pb = fleetdeck::sparkplug_b;

namespace {

constexpr int kFaultTickMs = 100;
constexpr int kLinkPollMs = 20;
constexpr int kLinkWaitMs = 3000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Polls done() every kLinkPollMs on owner's thread, then runs then() (also after timeoutMs).
void whenDone(QObject *owner, std::function<bool()> done, std::function<void()> then, int timeoutMs = kLinkWaitMs)
{
    auto *poll = new QTimer(owner);
    auto waited = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, owner, [poll, waited, timeoutMs, done = std::move(done), then = std::move(then)] {
        *waited += kLinkPollMs;
        if (!done() && *waited < timeoutMs)
            return;
        poll->stop();
        poll->deleteLater();
        then();
    });
    poll->start(kLinkPollMs);
}

} // namespace

SparkplugEdgeNode::SparkplugEdgeNode(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_node(m_config.index, m_config.group, m_config.intervalMs, m_config.seed)
    , m_topics(m_config.group, m_node.id())
    , m_faults(m_config.faults)
    , m_host(m_config.primaryHost)
{
    for (int d = 0; d < m_config.devices; ++d)
        m_devices.emplace_back(m_config.index, d, m_config.seed);
    SparkplugConnection::Config connection = m_config.connection;
    connection.subscriptions = {m_topics.node("NCMD"), m_topics.deviceCommands()};
    if (!m_config.primaryHost.isEmpty())
        connection.subscriptions.push_back(SparkplugTopics::state(m_config.primaryHost));
    SparkplugConnection::Handlers handlers;
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    handlers.ready = [post, this] { post([this] { onReady(); }); };
    handlers.connectFailed = [post, this](QString reason) { post([this, reason] { onConnectFailed(reason); }); };
    handlers.lost = [post, this](QString reason) { post([this, reason] { onLost(reason); }); };
    handlers.message = [post, this](std::string topic, QByteArray payload, bool retained) {
        post([this, topic = QString::fromStdString(topic), payload = std::move(payload), retained] {
            onMessage(topic, payload, retained);
        });
    };
    m_connection = std::make_unique<SparkplugConnection>(std::move(connection), std::move(handlers));

    m_dataTimer.setInterval(m_node.reportIntervalMs());
    connect(&m_dataTimer, &QTimer::timeout, this, &SparkplugEdgeNode::publishData);
    m_faultTimer.setInterval(kFaultTickMs);
    connect(&m_faultTimer, &QTimer::timeout, this, &SparkplugEdgeNode::runFaults);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SparkplugEdgeNode::connectNow);
    m_preBirthTimer.setSingleShot(true);
    connect(&m_preBirthTimer, &QTimer::timeout, this, [this] {
        if (m_state != State::PreBirth)
            return;
        log(QStringLiteral("fault data_before_birth: now the BIRTHs"));
        publishBirths();
        m_state = State::Born;
    });
}

SparkplugEdgeNode::~SparkplugEdgeNode()
{
    m_connection.reset();  // its Paho client first: the handlers point at us
}

void SparkplugEdgeNode::log(const QString &text) const
{
    std::fprintf(stderr, "%s: %.1f s: %s %s\n", qPrintable(m_config.tag), elapsedMs() / 1000.0, qPrintable(path()),
                 qPrintable(text));
}

void SparkplugEdgeNode::start()
{
    m_clock.start();
    if (m_faults.hasTimedFaults())
        m_faultTimer.start();
    connectNow();
}

void SparkplugEdgeNode::scheduleReconnect(qint64 delayMs)
{
    if (!m_stopping)
        m_reconnectTimer.start(int(std::clamp<qint64>(delayMs, 0, 60000)));
}

void SparkplugEdgeNode::connectNow()
{
    if (m_stopping || m_state != State::Disconnected)
        return;
    if (m_connection->isConnected()) {  // a disconnect still settling
        scheduleReconnect(kLinkPollMs * 5);
        return;
    }
    m_bdSeq = (m_bdSeq + 1) % 256;
    m_node.setBdSeq(quint8(m_bdSeq));
    ++m_stats.connects;
    m_state = State::Connecting;
    try {
        m_connection->connect(m_topics.node("NDEATH"), SparkplugPayloads::death(quint8(m_bdSeq), nowMs()));
    } catch (const mqtt::exception &e) {
        onConnectFailed(QString::fromUtf8(e.what()));
    }
}

void SparkplugEdgeNode::onConnectFailed(const QString &reason)
{
    if (m_stopping || m_state != State::Connecting)
        return;
    m_state = State::Disconnected;
    ++m_failedConnects;
    if (m_failedConnects == 1 || m_failedConnects % 10 == 0)
        qCWarning(lcSim).noquote() << path() << "cannot connect:" << reason << "- retrying";
    if (m_connection->isConnected())
        m_connection->disconnect();
    scheduleReconnect(qMin(30000, 500 << qMin(m_failedConnects, 6)));
}

void SparkplugEdgeNode::onLost(const QString &reason)
{
    if (m_stopping || m_state == State::Disconnected || m_state == State::Connecting)
        return;
    m_state = State::Disconnected;
    m_dataTimer.stop();
    m_preBirthTimer.stop();
    log(QStringLiteral("%1 (bdSeq %2): reconnecting").arg(reason).arg(m_bdSeq));
    scheduleReconnect(1000);
}

void SparkplugEdgeNode::onReady()
{
    if (m_stopping || m_state != State::Connecting)
        return;
    m_failedConnects = 0;
    if (m_host.enabled() && !m_host.isOnline()) {
        m_state = State::WaitingForHost;
        return;
    }
    enterSession();
}

void SparkplugEdgeNode::enterSession()
{
    const std::optional<qint64> preBirth = m_faults.dataBeforeBirthMs();
    if (preBirth && !m_preBirthDone) {
        m_preBirthDone = true;
        m_seq = 0;
        m_state = State::PreBirth;
        log(QStringLiteral("fault data_before_birth: DATA without BIRTH for %1 s").arg(double(*preBirth) / 1000.0));
        m_preBirthTimer.start(int(qMin<qint64>(*preBirth, 3600 * 1000)));
    } else {
        publishBirths();
        m_state = State::Born;
    }
    m_dataTimer.start(m_node.reportIntervalMs());
}

bool SparkplugEdgeNode::publishWithSeq(const char *type, const QString &device, pb::Payload &payload)
{
    payload.set_timestamp(quint64(nowMs()));
    payload.set_seq(m_seq);
    m_seq = quint8(m_seq + 1);  // wraps 255 -> 0
    const std::string topic = device.isEmpty() ? m_topics.node(type) : m_topics.device(type, device);
    return m_connection->publish(topic, SparkplugPayloads::serialize(payload), 0) != nullptr;
}

mqtt::delivery_token_ptr SparkplugEdgeNode::publishDeath(quint8 bdSeq)
{
    return m_connection->publish(m_topics.node("NDEATH"), SparkplugPayloads::death(bdSeq, nowMs()), 1);
}

void SparkplugEdgeNode::publishBirths()
{
    m_seq = 0;
    const qint64 now = nowMs();
    m_node.metrics().set(QStringLiteral("Node Control/Rebirth"), false);
    pb::Payload nbirth;
    m_node.metrics().appendBirth(nbirth, now);
    publishWithSeq("NBIRTH", QString(), nbirth);
    for (SparkplugDeviceModel &d : m_devices) {
        pb::Payload dbirth;
        d.metrics().appendBirth(dbirth, now);
        publishWithSeq("DBIRTH", d.id(), dbirth);
    }
    ++m_stats.births;
}

void SparkplugEdgeNode::publishData()
{
    if (m_state != State::Born && m_state != State::PreBirth)
        return;
    const int interval = m_node.reportIntervalMs();
    m_node.step(interval, elapsedMs());
    for (SparkplugDeviceModel &d : m_devices)
        d.step(interval);
    if (m_skipSeq && m_state == State::Born) {
        m_skipSeq = false;
        log(QStringLiteral("fault seq_gap: seq %1 is never sent").arg(m_seq));
        m_seq = quint8(m_seq + 1);
    }
    const qint64 now = nowMs();
    pb::Payload ndata;
    if (m_node.metrics().appendChanged(ndata, now) && publishWithSeq("NDATA", QString(), ndata))
        ++m_stats.dataMessages;
    for (SparkplugDeviceModel &d : m_devices) {
        pb::Payload ddata;
        if (d.metrics().appendChanged(ddata, now) && publishWithSeq("DDATA", d.id(), ddata))
            ++m_stats.dataMessages;
    }
}

void SparkplugEdgeNode::onMessage(const QString &topic, const QByteArray &payload, bool retained)
{
    Q_UNUSED(retained);
    if (m_stopping || payload.size() > SparkplugCommandApplier::kMaxPayloadBytes)
        return;
    if (m_host.enabled() && topic.toStdString() == SparkplugTopics::state(m_host.hostId())) {
        onHostState(payload);
        return;
    }
    const QStringList parts = topic.split(u'/');
    if (parts.size() == 4 && parts.at(2) == u"NCMD")
        onCommand(QString(), payload);
    else if (parts.size() == 5 && parts.at(2) == u"DCMD")
        onCommand(parts.at(4), payload);
}

void SparkplugEdgeNode::onCommand(const QString &device, const QByteArray &payload)
{
    if (m_state != State::Born && m_state != State::PreBirth)
        return;  // not in a session: nothing to answer
    const SparkplugCommandApplier::Outcome out = SparkplugCommandApplier::apply(device, payload, m_node, m_devices);
    m_stats.writes += quint64(out.writes);
    m_stats.commandsRefused += quint64(out.refused);
    for (const QString &note : out.notes)
        log(note);
    if (out.intervalChanged)
        m_dataTimer.setInterval(m_node.reportIntervalMs());
    if (out.rebirth) {
        ++m_stats.rebirthRequests;
        log(QStringLiteral("rebirth requested: NBIRTH (bdSeq %1) and %2 DBIRTH").arg(m_bdSeq).arg(m_devices.size()));
        m_preBirthTimer.stop();
        publishBirths();  // carries the values just written
        m_state = State::Born;
    } else if (out.written) {  // the written values in a DATA at once
        pb::Payload data;
        if (out.written->appendChanged(data, nowMs()) && publishWithSeq(device.isEmpty() ? "NDATA" : "DDATA", device, data))
            ++m_stats.dataMessages;
    }
}

void SparkplugEdgeNode::onHostState(const QByteArray &payload)
{
    const bool inSession = m_state == State::Born || m_state == State::PreBirth;
    switch (m_host.apply(payload)) {
    case SparkplugHostWatch::Change::Unreadable:
        log(QStringLiteral("ignored an unreadable STATE of %1").arg(m_host.hostId()));
        return;
    case SparkplugHostWatch::Change::None:
        return;
    case SparkplugHostWatch::Change::Online:
        if (m_state == State::WaitingForHost)
            enterSession();
        else if (inSession)  // only after alias_only kept the session through the host's restart
            log(QStringLiteral("fault alias_only: host %1 is back, no BIRTH until it asks").arg(m_host.hostId()));
        return;
    case SparkplugHostWatch::Change::Offline:
        if (!inSession)
            return;
        if (m_faults.ignoresHostState(elapsedMs())) {
            log(QStringLiteral("fault alias_only: host %1 went offline, the session stays").arg(m_host.hostId()));
            return;
        }
        endSessionForHost();
        return;
    }
}

// The primary host went offline: NDEATH, disconnect, and a new session (next bdSeq) whose
// BIRTHs wait for the host to be online again.
void SparkplugEdgeNode::endSessionForHost()
{
    ++m_stats.hostSessionEnds;
    log(QStringLiteral("host %1 offline: NDEATH (bdSeq %2), new session").arg(m_host.hostId()).arg(m_bdSeq));
    m_dataTimer.stop();
    m_preBirthTimer.stop();
    m_state = State::Disconnected;
    const mqtt::delivery_token_ptr death = publishDeath(quint8(m_bdSeq));
    whenDone(this, [death] { return !death || death->is_complete(); }, [this] {
        m_connection->disconnect();
        whenDone(this, [this] { return !m_connection->isConnected(); }, [this] { connectNow(); });
    });
}

void SparkplugEdgeNode::runFaults()
{
    if (m_stopping)
        return;
    for (const SparkplugNodeFaults::Event &e : m_faults.takeDue(elapsedMs())) {
        const QString key = SparkplugFaultSpec::kindKey(e.kind);
        if (m_state != State::Born) {
            log(QStringLiteral("fault %1 skipped: not in a session").arg(key));
            continue;
        }
        m_faults.markFired(e.spec);
        switch (e.kind) {
        case SparkplugFaultKind::SeqGap:
            m_skipSeq = true;
            break;
        case SparkplugFaultKind::StaleNdeath: {
            const quint8 stale = quint8(m_bdSeq + 255);
            log(QStringLiteral("fault stale_ndeath: NDEATH with bdSeq %1 while alive with bdSeq %2").arg(stale).arg(m_bdSeq));
            publishDeath(stale);
            break;
        }
        case SparkplugFaultKind::DieRebirth:
            if (!m_connection->dropWithWill()) {
                log(QStringLiteral("fault die_rebirth: the connection could not be dropped"));
                break;
            }
            ++m_stats.drops;
            log(QStringLiteral("fault die_rebirth: connection dropped (Will NDEATH bdSeq %1), back in %2 s")
                    .arg(m_bdSeq)
                    .arg(double(e.downMs) / 1000.0));
            m_state = State::Disconnected;
            m_dataTimer.stop();
            scheduleReconnect(e.downMs);
            break;
        case SparkplugFaultKind::DataBeforeBirth:
        case SparkplugFaultKind::AliasOnly:
            break;  // not timed
        }
    }
}

mqtt::delivery_token_ptr SparkplugEdgeNode::beginStop()
{
    m_stopping = true;
    m_dataTimer.stop();
    m_faultTimer.stop();
    m_reconnectTimer.stop();
    m_preBirthTimer.stop();
    const bool inSession = m_state == State::Born || m_state == State::PreBirth || m_state == State::WaitingForHost;
    m_state = State::Disconnected;
    // An intentional disconnect publishes the NDEATH first (the DISCONNECT discards the Will).
    return inSession ? publishDeath(quint8(m_bdSeq)) : nullptr;
}

mqtt::token_ptr SparkplugEdgeNode::finishStop()
{
    return m_connection->disconnect();
}

QJsonObject SparkplugEdgeNode::manifest() const
{
    QJsonArray devices;
    for (const SparkplugDeviceModel &d : m_devices) {
        devices.append(QJsonObject{{QStringLiteral("id"), d.id()},
                                   {QStringLiteral("path"), QString(path() + u'/' + d.id())},
                                   {QStringLiteral("metrics"), d.metrics().valuesJson()}});
    }
    QJsonArray faults;
    for (qsizetype i = 0; i < m_faults.specs().size(); ++i) {
        faults.append(QJsonObject{{QStringLiteral("fault"), m_faults.specs().at(i).toString()},
                                  {QStringLiteral("fired"), m_faults.fired().at(i)}});
    }
    QJsonObject o{{QStringLiteral("id"), id()},     {QStringLiteral("path"), path()},
                  {QStringLiteral("bd_seq"), m_bdSeq}, {QStringLiteral("faults"), faults},
                  {QStringLiteral("metrics"), m_node.metrics().valuesJson()}, {QStringLiteral("devices"), devices}};
    m_stats.insertInto(o);
    return o;
}

} // namespace fd::sim
