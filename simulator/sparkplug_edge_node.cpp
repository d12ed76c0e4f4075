#include "simulator/sparkplug_edge_node.h"

#include "simulator/sim_logging.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

namespace fd::sim {

namespace pb = fleetdeck::sparkplug_b;

namespace {

constexpr qsizetype kMaxCommandBytes = 256 * 1024;
constexpr int kMaxCommandMetrics = 1000;
constexpr int kFaultTickMs = 100;
constexpr int kLinkPollMs = 20;
constexpr int kLinkWaitMs = 3000;
constexpr quint64 kRebirthAlias = 2;  // SparkplugNodeModel: "Node Control/Rebirth"

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray serialize(const pb::Payload &payload)
{
    std::string bytes;
    payload.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

QByteArray deathPayload(quint8 bdSeq)
{
    pb::Payload payload;
    payload.set_timestamp(quint64(nowMs()));
    pb::Payload::Metric *m = payload.add_metrics();
    m->set_name("bdSeq");
    m->set_timestamp(quint64(nowMs()));
    m->set_datatype(pb::Int64);
    m->set_long_value(bdSeq);
    return serialize(payload);
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
        setState(State::Born);
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

void SparkplugEdgeNode::setState(State state)
{
    m_state = state;
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
    ++m_connects;
    setState(State::Connecting);
    try {
        m_connection->connect(m_topics.node("NDEATH"), deathPayload(quint8(m_bdSeq)));
    } catch (const mqtt::exception &e) {
        onConnectFailed(QString::fromUtf8(e.what()));
    }
}

void SparkplugEdgeNode::onConnectFailed(const QString &reason)
{
    if (m_stopping || m_state != State::Connecting)
        return;
    setState(State::Disconnected);
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
    setState(State::Disconnected);
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
    if (!m_config.primaryHost.isEmpty() && !m_hostOnline) {
        setState(State::WaitingForHost);
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
        setState(State::PreBirth);
        log(QStringLiteral("fault data_before_birth: DATA without BIRTH for %1 s").arg(double(*preBirth) / 1000.0));
        m_preBirthTimer.start(int(qMin<qint64>(*preBirth, 3600 * 1000)));
    } else {
        publishBirths();
        setState(State::Born);
    }
    m_dataTimer.start(m_node.reportIntervalMs());
}

bool SparkplugEdgeNode::publishWithSeq(const char *type, const QString &device, pb::Payload &payload)
{
    payload.set_timestamp(quint64(nowMs()));
    payload.set_seq(m_seq);
    m_seq = quint8(m_seq + 1);  // wraps 255 -> 0
    const std::string topic = device.isEmpty() ? m_topics.node(type) : m_topics.device(type, device);
    return m_connection->publish(topic, serialize(payload), 0) != nullptr;
}

mqtt::delivery_token_ptr SparkplugEdgeNode::publishDeath(quint8 bdSeq)
{
    return m_connection->publish(m_topics.node("NDEATH"), deathPayload(bdSeq), 1);
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
    ++m_nbirths;
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
        ++m_dataMessages;
    for (SparkplugDeviceModel &d : m_devices) {
        pb::Payload ddata;
        if (d.metrics().appendChanged(ddata, now) && publishWithSeq("DDATA", d.id(), ddata))
            ++m_dataMessages;
    }
}

void SparkplugEdgeNode::onMessage(const QString &topic, const QByteArray &payload, bool retained)
{
    Q_UNUSED(retained);
    if (m_stopping || payload.size() > kMaxCommandBytes)
        return;
    if (!m_config.primaryHost.isEmpty() && topic.toStdString() == SparkplugTopics::state(m_config.primaryHost)) {
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
    pb::Payload command;
    if (!command.ParseFromArray(payload.constData(), int(payload.size())) || command.metrics_size() > kMaxCommandMetrics) {
        ++m_rejectedCommands;
        log(QStringLiteral("ignored an unreadable %1").arg(device.isEmpty() ? u"NCMD" : u"DCMD"));
        return;
    }
    SparkplugMetricSet *target = &m_node.metrics();
    if (!device.isEmpty()) {
        target = nullptr;
        for (SparkplugDeviceModel &d : m_devices) {
            if (d.id() == device)
                target = &d.metrics();
        }
        if (!target) {
            ++m_rejectedCommands;
            log(QStringLiteral("DCMD for an unknown device %1 ignored").arg(device.left(64)));
            return;
        }
    }
    bool rebirth = false;
    bool applied = false;
    for (const pb::Payload::Metric &m : command.metrics()) {
        const bool isRebirth = device.isEmpty()
            && (m.has_alias() ? m.alias() == kRebirthAlias : m.name() == "Node Control/Rebirth");
        if (isRebirth) {
            if (m.value_case() == pb::Payload::Metric::kBooleanValue && m.boolean_value())
                rebirth = true;
            continue;
        }
        QString name;
        const SparkplugMetricSet::WriteResult result = target->write(m, &name);
        if (result != SparkplugMetricSet::WriteResult::Applied) {
            ++m_rejectedCommands;
            log(QStringLiteral("write of %1 refused: %2")
                    .arg(name.isEmpty() ? QString::fromStdString(m.name()).left(64) + QStringLiteral(" (alias %1)").arg(m.alias()) : name,
                         SparkplugMetricSet::writeResultText(result)));
            continue;
        }
        ++m_writes;
        applied = true;
        if (device.isEmpty() && name == u"report_interval_ms") {
            m_node.clampReportInterval();
            m_dataTimer.setInterval(m_node.reportIntervalMs());
        }
    }
    if (rebirth) {
        ++m_rebirthRequests;
        log(QStringLiteral("rebirth requested: NBIRTH (bdSeq %1) and %2 DBIRTH").arg(m_bdSeq).arg(m_devices.size()));
        m_preBirthTimer.stop();
        publishBirths();  // carries the values just written
        setState(State::Born);
        return;
    }
    if (applied) {  // the written values in a DATA at once
        const qint64 now = nowMs();
        pb::Payload data;
        if (target->appendChanged(data, now) && publishWithSeq(device.isEmpty() ? "NDATA" : "DDATA", device, data))
            ++m_dataMessages;
    }
}

void SparkplugEdgeNode::onHostState(const QByteArray &payload)
{
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    const QJsonValue online = o.value(QStringLiteral("online"));
    const qint64 timestamp = o.value(QStringLiteral("timestamp")).toInteger(-1);
    if (!online.isBool() || timestamp < 0) {
        log(QStringLiteral("ignored an unreadable STATE of %1").arg(m_config.primaryHost));
        return;
    }
    if (m_hostTimestamp >= 0 && timestamp < m_hostTimestamp)
        return;  // an older session's STATE
    m_hostTimestamp = timestamp;
    const bool wasOnline = m_hostOnline;
    m_hostOnline = online.toBool();
    const bool inSession = m_state == State::Born || m_state == State::PreBirth;
    if (m_hostOnline) {
        if (m_state == State::WaitingForHost)
            enterSession();
        else if (!wasOnline && inSession)
            log(QStringLiteral("fault alias_only: host %1 is back, no BIRTH until it asks").arg(m_config.primaryHost));
        return;
    }
    if (!inSession || !wasOnline)
        return;
    if (m_faults.ignoresHostState(elapsedMs())) {
        log(QStringLiteral("fault alias_only: host %1 went offline, the session stays").arg(m_config.primaryHost));
        return;
    }
    endSessionForHost();
}

// The primary host went offline: NDEATH, disconnect, and a new session (next bdSeq) whose
// BIRTHs wait for the host to be online again.
void SparkplugEdgeNode::endSessionForHost()
{
    ++m_hostSessionEnds;
    log(QStringLiteral("host %1 offline: NDEATH (bdSeq %2), new session").arg(m_config.primaryHost).arg(m_bdSeq));
    m_dataTimer.stop();
    m_preBirthTimer.stop();
    setState(State::Disconnected);
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
            ++m_drops;
            log(QStringLiteral("fault die_rebirth: connection dropped (Will NDEATH bdSeq %1), back in %2 s")
                    .arg(m_bdSeq)
                    .arg(double(e.downMs) / 1000.0));
            setState(State::Disconnected);
            m_dataTimer.stop();
            m_connection->dropWithWill();
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
    setState(State::Disconnected);
    // An intentional disconnect publishes the NDEATH first (the DISCONNECT discards the Will).
    return inSession ? publishDeath(quint8(m_bdSeq)) : nullptr;
}

mqtt::token_ptr SparkplugEdgeNode::finishStop()
{
    return m_connection->disconnect();
}

QJsonObject SparkplugEdgeNode::manifest() const
{
    auto metricsOf = [](const SparkplugMetricSet &set) {
        QJsonObject o;
        for (const SparkplugMetricSet::Metric &m : set.metrics())
            o.insert(m.name, SparkplugMetricSet::toJson(m.value));
        return o;
    };
    QJsonArray devices;
    for (const SparkplugDeviceModel &d : m_devices) {
        devices.append(QJsonObject{{QStringLiteral("id"), d.id()},
                                   {QStringLiteral("path"), QString(path() + u'/' + d.id())},
                                   {QStringLiteral("metrics"), metricsOf(d.metrics())}});
    }
    QJsonArray faults;
    for (qsizetype i = 0; i < m_faults.specs().size(); ++i) {
        faults.append(QJsonObject{{QStringLiteral("fault"), m_faults.specs().at(i).toString()},
                                  {QStringLiteral("fired"), m_faults.fired().at(i)}});
    }
    return QJsonObject{{QStringLiteral("id"), id()},
                       {QStringLiteral("path"), path()},
                       {QStringLiteral("bd_seq"), m_bdSeq},
                       {QStringLiteral("connects"), double(m_connects)},
                       {QStringLiteral("births"), double(m_nbirths)},
                       {QStringLiteral("rebirth_requests"), double(m_rebirthRequests)},
                       {QStringLiteral("data_messages"), double(m_dataMessages)},
                       {QStringLiteral("writes"), double(m_writes)},
                       {QStringLiteral("commands_refused"), double(m_rejectedCommands)},
                       {QStringLiteral("drops"), double(m_drops)},
                       {QStringLiteral("host_session_ends"), double(m_hostSessionEnds)},
                       {QStringLiteral("faults"), faults},
                       {QStringLiteral("metrics"), metricsOf(m_node.metrics())},
                       {QStringLiteral("devices"), devices}};
}

} // namespace fd::sim
