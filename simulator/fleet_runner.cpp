#include "simulator/fleet_runner.h"

#include "core/commands/command_codec.h"
#include "core/commands/command_topics.h"
#include "core/protocol/payload_codec.h"
#include "simulator/command_responder.h"
#include "simulator/fault_injector.h"
#include "simulator/manifest_writer.h"
#include "simulator/ota_report_writer.h"
#include "simulator/sim_logging.h"

#include <QDateTime>
#include <QMap>
#include <QThread>

#include <cmath>
#include <cstdio>
#include <random>

namespace fd::sim {

namespace {

constexpr int kTickMs = 5;
constexpr int kHistoryTickMs = 20;
constexpr int kHistoryPerTick = 200;  // at most 10,000 backfilled samples per second
constexpr int kProgressMs = 10000;
constexpr int kScenarioTickMs = 100;

QString idList(const QStringList &ids)
{
    constexpr qsizetype kShown = 8;
    QString text = ids.mid(0, kShown).join(QStringLiteral(", "));
    if (ids.size() > kShown)
        text += QStringLiteral(" and %1 more").arg(ids.size() - kShown);
    return text;
}

} // namespace

FleetRunner::FleetRunner(SimOptions options, ScenarioPlan plan, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_plan(std::move(plan))
    , m_topics(m_options.prefix)
{
    m_tickTimer.setTimerType(Qt::PreciseTimer);
    m_tickTimer.setInterval(kTickMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &FleetRunner::tick);
    m_progressTimer.setInterval(kProgressMs);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] { printProgress(); });
    m_historyTimer.setInterval(kHistoryTickMs);
    connect(&m_historyTimer, &QTimer::timeout, this, &FleetRunner::publishHistory);
    m_scenarioTimer.setInterval(kScenarioTickMs);
    connect(&m_scenarioTimer, &QTimer::timeout, this, &FleetRunner::driveScenarios);
}

FleetRunner::~FleetRunner()
{
    // Connections go first: their Paho clients reference the ledgers, listeners and agents.
    for (Device &d : m_devices)
        d.connection.reset();
    for (Device &d : m_devices) {
        d.ota.reset();
        d.otaLink.reset();
    }
}

bool FleetRunner::start(QString *error)
{
    const QList<DeviceIdentity> fleet = FleetGenerator::generate(m_options.devices, m_options.seed, m_options.firstDevice);
    const CommandTopics commandTopics(m_options.prefix);
    m_devices.resize(size_t(fleet.size()));
    for (qsizetype i = 0; i < fleet.size(); ++i) {
        Device &d = m_devices[size_t(i)];
        d.sim = std::make_unique<SimulatedDevice>(fleet.at(i), m_options.seed);
        d.sim->setSeqMetric(m_options.seqMetric);
        // --ota-state: the firmware this device installed in an earlier run (its status says so).
        const auto stored = m_options.ota.state.constFind(fleet.at(i).id);
        if (stored != m_options.ota.state.cend())
            d.sim->setFirmwareVersion(stored->fwVersion);
        if (m_options.historyHours > 0) {
            // The backfill replays the model from the history start; the live stream continues
            // from where the last history sample leaves it.
            const qint64 samples = (historySpanMs() + historyStepMs() - 1) / historyStepMs();
            d.history = std::make_unique<SimulatedDevice>(d.sim->forkHistory(samples));
        }
        d.telemetryTopic = m_topics.telemetryTopic(fleet.at(i).id).toStdString();
        d.responseTopic = commandTopics.responseTopic(fleet.at(i).id).toStdString();
        d.muted = CommandResponder::isMuted(fleet.at(i).index, m_options.muteCommandsRate);
        DeviceConnection::Config cfg;
        cfg.serverUri = m_options.broker.pahoUri().toStdString();
        cfg.clientId = QString(m_options.clientIdPrefix + fleet.at(i).id).toStdString();
        cfg.statusTopic = m_topics.statusTopic(fleet.at(i).id).toStdString();
        cfg.onlineStatus = PayloadCodec::encodeStatus(d.sim->status(true));
        cfg.offlineStatus = PayloadCodec::encodeStatus(d.sim->status(false));
        cfg.caFile = m_options.caFile.toStdString();
        cfg.username = m_options.username.toStdString();
        cfg.password = m_options.password.toStdString();
        cfg.commandTopic = commandTopics.requestTopic(fleet.at(i).id).toStdString();
        cfg.extraTopics = OtaAgent::subscriptions(m_options.prefix, fleet.at(i).id);
        QString certSerial;
        if (!m_options.certDir.isEmpty()) {
            const DeviceCertDir dir(m_options.certDir);
            d.noIdentity = !dir.has(fleet.at(i).id);
            cfg.certFile = dir.certPath(fleet.at(i).id).toStdString();
            cfg.keyFile = dir.keyPath(fleet.at(i).id).toStdString();
            d.rotation = std::make_unique<CertRotation>(fleet.at(i).id, dir, m_options.prefix);
            cfg.extraTopics.push_back(d.rotation->certTopic());
            certSerial = dir.certSerial(fleet.at(i).id);
        }
        try {
            d.connection = std::make_unique<DeviceConnection>(std::move(cfg));
            d.connection->setCertSerial(certSerial);
            const int index = int(i);
            d.connection->setCommandHandler([this, index](QByteArray payload) {
                QMetaObject::invokeMethod(
                    this, [this, index, payload = std::move(payload)] { onCommand(index, payload); },
                    Qt::QueuedConnection);
            });
            // The OTA agent: messages on its topics and every (re)connect reach it on this thread.
            OtaAgent::Config ota;
            ota.deviceId = fleet.at(i).id;
            ota.model = fleet.at(i).model;
            ota.fwVersion = d.sim->identity().fwVersion;
            ota.prefix = m_options.prefix;
            ota.options = m_options.ota;
            ota.seed = FleetGenerator::mix(m_options.seed ^ 0x07A0F1A8E5EEDull ^ quint64(fleet.at(i).index));
            if (!m_options.ota.statePath.isEmpty()) {
                ota.persistThen = [this](std::function<void()> done) {
                    if (m_otaState)
                        m_otaState->persistThen(std::move(done));
                    else
                        done();
                };
            }
            d.otaLink = std::make_unique<OtaDeviceLink>(*d.connection, *d.sim);
            d.ota = std::make_unique<OtaAgent>(std::move(ota), *d.otaLink);
            OtaAgent *agent = d.ota.get();
            if (stored != m_options.ota.state.cend())
                agent->restore(*stored);
            const std::string certTopic = d.rotation ? d.rotation->certTopic() : std::string();
            d.connection->setMessageHandler(
                [this, agent, index, certTopic](const std::string &topic, QByteArray payload, bool retained) {
                    if (!certTopic.empty() && topic == certTopic) {
                        QMetaObject::invokeMethod(
                            this, [this, index, payload = std::move(payload)] { onRotationAnswer(index, payload); },
                            Qt::QueuedConnection);
                        return;
                    }
                    agent->postMessage(topic, std::move(payload), retained);
                });
            d.connection->setConnectedHandler([agent] { agent->postConnected(); });
        } catch (const mqtt::exception &e) {
            if (error)
                *error = QStringLiteral("cannot create the MQTT client of %1: %2").arg(fleet.at(i).id, QString::fromUtf8(e.what()));
            return false;
        }
    }
    if (!m_options.ota.statePath.isEmpty()) {
        // A shard writes its own part (its devices); a single process the file, keeping the
        // devices of the file that it does not run.
        OtaStateFile::Devices base;
        QString path = m_options.ota.statePartPath;
        if (path.isEmpty()) {
            path = m_options.ota.statePath;
            base = m_options.ota.state;
        }
        m_otaState = std::make_unique<OtaStateKeeper>(path, std::move(base), [this] {
            OtaStateFile::Devices mine;
            for (const Device &d : m_devices) {
                if (d.ota)
                    mine.insert(d.sim->identity().id, d.ota->state());
            }
            return mine;
        });
        for (Device &d : m_devices)
            connect(d.ota.get(), &OtaAgent::stateChanged, m_otaState.get(), &OtaStateKeeper::changed);
        QString stateError;
        if (!m_otaState->flush(&stateError)) {  // writable? fail now, not at the first install
            if (error)
                *error = stateError;
            return false;
        }
    }
    QStringList withoutIdentity;
    for (const Device &d : m_devices) {
        if (d.noIdentity)
            withoutIdentity << d.sim->identity().id;
    }
    if (!withoutIdentity.isEmpty()) {
        std::fprintf(stderr, "%s: %lld devices have no certificate in %s (<id>.crt and <id>.key) and stay offline: %s\n",
                     qPrintable(m_options.tag()), static_cast<long long>(withoutIdentity.size()),
                     qPrintable(m_options.certDir), qPrintable(idList(withoutIdentity)));
    }
    std::fprintf(stderr, "%s: %d devices -> %s, %.3g msg/s each, seed %llu, prefix %s, qos %d\n",
                 qPrintable(m_options.tag()), m_options.devices, qPrintable(m_options.broker.toString()), m_options.rateHz,
                 static_cast<unsigned long long>(m_options.seed), qPrintable(m_options.prefix), m_options.qos);
    setUpScenarios();
    m_clock.start();
    connectMore();
    if (m_options.rateHz > 0)
        m_tickTimer.start();
    m_progressTimer.start();
    if (!m_scenarioDevices.empty())
        m_scenarioTimer.start();
    if (m_options.durationSeconds > 0)
        QTimer::singleShot(qint64(m_options.durationSeconds * 1000.0), this, &FleetRunner::stop);
    return true;
}

void FleetRunner::connectMore()
{
    while (!m_stopping && m_connectsInFlight < m_options.connectConcurrency
           && m_nextToConnect < int(m_devices.size())) {
        const int index = m_nextToConnect++;
        if (!m_devices[size_t(index)].noIdentity)
            startConnect(index);
    }
}

void FleetRunner::startConnect(int index)
{
    Device &d = m_devices[size_t(index)];
    ++m_connectsInFlight;
    ++d.connectAttempts;
    try {
        d.connection->connect([this, index](bool ok, const QString &reason) {
            QMetaObject::invokeMethod(this, [this, index, ok, reason] { onConnectDone(index, ok, reason); },
                                      Qt::QueuedConnection);
        });
    } catch (const mqtt::exception &e) {
        --m_connectsInFlight;
        qCWarning(lcSim) << "connect of" << d.sim->identity().id << "failed:" << e.what();
        QTimer::singleShot(1000, this, [this, index] {
            if (!m_stopping)
                startConnect(index);
        });
    }
}

void FleetRunner::onConnectDone(int index, bool ok, const QString &reason)
{
    --m_connectsInFlight;
    Device &d = m_devices[size_t(index)];
    if (ok) {
        d.connected = true;
        d.connectedAtMs = m_clock.elapsed();
        ++m_connectedCount;
        if (d.history) {
            d.historyEndMs = QDateTime::currentMSecsSinceEpoch();
            d.historyNextMs = d.historyEndMs - historySpanMs();
            if (!m_historyTimer.isActive())
                m_historyTimer.start();
        }
        if (m_connectedCount == int(m_devices.size()) && m_devices.size() > 0) {
            std::fprintf(stderr, "%s: all %d devices connected in %.1f s\n", qPrintable(m_options.tag()), m_connectedCount,
                         m_clock.elapsed() / 1000.0);
        }
    } else if (!m_stopping) {
        // The first connect is ours to retry (Paho's automatic reconnect starts after it).
        const int delay = std::min(30000, 500 << std::min(d.connectAttempts, 6));
        if (d.connectAttempts == 1 || d.connectAttempts % 10 == 0) {
            // The handshake is repeated (blocking, up to 3 s) at most once a second for the
            // whole fleet: thousands of devices refused at once must not stall this thread.
            QString tls;
            if (const qint64 now = m_clock.elapsed(); now - m_lastTlsProbeMs >= 1000) {
                m_lastTlsProbeMs = now;
                tls = d.connection->tlsFailureSuffix();
            }
            qCWarning(lcSim).noquote() << d.sim->identity().id << "cannot connect:" << reason + tls << "- retrying";
        }
        QTimer::singleShot(delay, this, [this, index] {
            if (!m_stopping)
                startConnect(index);
        });
    }
    connectMore();
}

void FleetRunner::tick()
{
    if (m_stopping || m_devices.empty())
        return;
    const double elapsedS = m_clock.nsecsElapsed() / 1e9;
    const quint64 target = quint64(std::floor(elapsedS * m_options.rateHz * double(m_devices.size())));
    // After a stall, do not burst more than one second's worth of messages.
    const quint64 maxBurst = std::max<quint64>(1, quint64(m_options.rateHz * double(m_devices.size())));
    if (target > m_issued + maxBurst) {
        m_skipped += target - maxBurst - m_issued;
        m_issued = target - maxBurst;
    }
    while (m_issued < target) {
        Device &d = m_devices[size_t(m_issued % m_devices.size())];
        ++m_issued;
        publishNext(d);
    }
}

qint64 FleetRunner::historySpanMs() const
{
    return qint64(m_options.historyHours * 3600.0 * 1000.0);
}

qint64 FleetRunner::historyStepMs() const
{
    return qMax<qint64>(100, qint64(m_options.historyIntervalSeconds * 1000.0));
}

// --history: a bounded number of past samples per tick, round robin over the devices, so
// the backfill does not swamp the broker or the live stream. The values come from the
// device's history model (forkHistory), the sequence numbers from the device itself.
void FleetRunner::publishHistory()
{
    const qint64 stepMs = historyStepMs();
    int budget = kHistoryPerTick;
    bool pending = false;
    for (Device &d : m_devices) {
        if (d.historyNextMs <= 0 || m_stopping)
            continue;
        if (!d.connection->isConnected() || (d.scenarios && telemetryHeld(d, m_clock.elapsed()))) {
            pending = true;
            continue;
        }
        const int share = qMax(1, kHistoryPerTick / int(m_devices.size()));
        for (int i = 0; i < share && budget > 0 && d.historyNextMs < d.historyEndMs; ++i, --budget) {
            TelemetrySample sample = d.history->nextSample(d.historyNextMs);
            sample.seq = d.sim->takeSeq();
            d.historyNextMs += stepMs;
            DeviceLedger::Entry entry;
            entry.seq = sample.seq;
            entry.metrics = sample.metrics;
            if (d.connection->publish(d.telemetryTopic, PayloadCodec::encodeTelemetry(sample), m_options.qos, false,
                                      std::move(entry)))
                ++m_historyPublished;
        }
        if (d.historyNextMs >= d.historyEndMs) {
            d.historyNextMs = 0;
            d.history.reset();
        } else
            pending = true;
        if (budget <= 0)
            break;
    }
    if (!pending && m_connectedCount == int(m_devices.size())) {
        m_historyTimer.stop();
        std::fprintf(stderr, "%s: history backfill done, %llu samples\n", qPrintable(m_options.tag()),
                     static_cast<unsigned long long>(m_historyPublished));
    }
}

// A command from FleetDeck (posted from Paho's thread): answered on {prefix}/{id}/cmd/response.
void FleetRunner::onCommand(int index, const QByteArray &payload)
{
    if (m_stopping || index < 0 || index >= int(m_devices.size()))
        return;
    Device &d = m_devices[size_t(index)];
    if (d.muted) {
        ++m_commandsIgnored;
        return;
    }
    if (d.rotation && rekey(d, payload))
        return;
    const CommandResponder::Outcome outcome = CommandResponder::respond(payload, m_clock.elapsed() - d.connectedAtMs);
    if (!outcome.answer) {
        ++m_commandsIgnored;
        qCInfo(lcSim).noquote() << d.sim->identity().id << "ignored an unreadable command";
        return;
    }
    if (outcome.intervalMs)
        d.intervalMs = *outcome.intervalMs;
    if (d.connection->publishUntracked(d.responseTopic, CommandCodec::encodeResponse(outcome.response), 1))
        ++m_commandsAnswered;
}

// pki.rekey (--cert-dir): a new key and CSR on {prefix}/{id}/pki/csr, the command answered
// with where it went. false: not that command.
bool FleetRunner::rekey(Device &d, const QByteArray &payload)
{
    CommandRequest request;
    if (!CommandCodec::parseRequest(payload, &request) || request.name != QLatin1StringView(CertRotation::kCommand))
        return false;
    CommandResponse response;
    response.id = request.id;
    QString error;
    const std::optional<QByteArray> csr = d.rotation->begin(QDateTime::currentMSecsSinceEpoch(), &error);
    if (csr && d.connection->publishUntracked(d.rotation->csrTopic(), *csr, 1)) {
        response.ok = true;
        response.result.insert(QStringLiteral("csr_topic"), QString::fromStdString(d.rotation->csrTopic()));
        response.result.insert(QStringLiteral("nonce"), d.rotation->pendingNonce());
        qCInfo(lcSim).noquote() << d.sim->identity().id << "re-keying: new CSR sent";
    } else {
        response.error = csr ? QStringLiteral("cannot publish the CSR") : error;
    }
    if (d.connection->publishUntracked(d.responseTopic, CommandCodec::encodeResponse(response), 1))
        ++m_commandsAnswered;
    return true;
}

// The answer to a rotation: the new files are in the folder; reconnect with them.
void FleetRunner::onRotationAnswer(int index, const QByteArray &payload)
{
    if (m_stopping || index < 0 || index >= int(m_devices.size()))
        return;
    Device &d = m_devices[size_t(index)];
    const QString id = d.sim->identity().id;
    const IdentityAnswer answer = d.rotation->onAnswer(payload);
    if (answer.kind == IdentityAnswer::Kind::Ignored) {
        qCInfo(lcSim).noquote() << id << "ignored a certificate answer:" << answer.message;
        return;
    }
    if (answer.kind == IdentityAnswer::Kind::Rejected) {
        qCWarning(lcSim).noquote() << id << "rotation refused:" << answer.reasonKey << answer.message;
        return;
    }
    d.connection->setCertSerial(answer.certSerial);
    std::fprintf(stderr, "%s: %s has a new certificate %s; reconnecting with it\n", qPrintable(m_options.tag()),
                 qPrintable(id), qPrintable(answer.certSerial));
    const DeviceCertDir dir(m_options.certDir);
    d.connection->reconnectWithIdentity(dir.certPath(id).toStdString(), dir.keyPath(id).toStdString(),
                                        [this, index](bool ok, const QString &reason) {
                                            QMetaObject::invokeMethod(
                                                this, [this, index, ok, reason] { onRotatedConnect(index, ok, reason); },
                                                Qt::QueuedConnection);
                                        });
}

// Paho reconnects by itself only after a connect succeeded: a failed one is retried here.
void FleetRunner::onRotatedConnect(int index, bool ok, const QString &reason)
{
    if (ok || m_stopping)
        return;
    Device &d = m_devices[size_t(index)];
    qCWarning(lcSim).noquote() << d.sim->identity().id << "cannot connect with its new certificate:" << reason
                               << "- retrying";
    QTimer::singleShot(2000, this, [this, index] {
        if (m_stopping)
            return;
        try {
            m_devices[size_t(index)].connection->connect([this, index](bool retried, const QString &why) {
                QMetaObject::invokeMethod(this, [this, index, retried, why] { onRotatedConnect(index, retried, why); },
                                          Qt::QueuedConnection);
            });
        } catch (const mqtt::exception &e) {
            onRotatedConnect(index, false, QString::fromUtf8(e.what()));
        }
    });
}

void FleetRunner::publishNext(Device &d)
{
    const qint64 elapsed = m_clock.elapsed();
    if (d.scenarios && telemetryHeld(d, elapsed)) {
        ++m_heldByScenarios;
        return;
    }
    if (!d.connection->isConnected()) {
        ++m_skipped;
        return;
    }
    if (d.intervalMs > 0) {  // set_interval can only slow a device down from the --rate schedule
        if (d.lastTelemetryMs > 0 && elapsed - d.lastTelemetryMs < d.intervalMs)
            return;
        d.lastTelemetryMs = elapsed;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_options.faultRate > 0) {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        if (u(d.sim->faultRng()) < m_options.faultRate) {
            const FaultKind kind = kAllFaultKinds[size_t(d.sim->identity().index + d.faultCursor++) % kAllFaultKinds.size()];
            const FaultInjector::Message m = FaultInjector::make(kind, *d.sim, m_topics, now);
            DeviceLedger::Entry entry;
            entry.fault = kind;
            if (d.connection->publish(m.topic.toStdString(), m.payload, m_options.qos, false, std::move(entry)))
                ++m_faultsIssued;
            else
                ++m_publishFailed;
            return;
        }
    }
    if (d.scenarios)
        d.scenarios->beforeSample(*d.sim, elapsed);
    TelemetrySample sample = d.sim->nextSample(now);
    if (d.scenarios)
        d.scenarios->shape(sample.metrics, elapsed);
    DeviceLedger::Entry entry;
    entry.seq = sample.seq;
    entry.metrics = sample.metrics;
    QString error;
    if (!d.connection->publish(d.telemetryTopic, PayloadCodec::encodeTelemetry(sample), m_options.qos, false,
                               std::move(entry), &error)) {
        if (m_publishFailed++ % 1000 == 0 && !error.isEmpty())
            qCWarning(lcSim).noquote() << d.sim->identity().id << "publish failed:" << error;
    }
}

// The plan's assignments for this process's devices (a shard keeps its slice of the plan).
void FleetRunner::setUpScenarios()
{
    QMap<int, QStringList> perScenario;
    for (size_t i = 0; i < m_devices.size(); ++i) {
        Device &d = m_devices[i];
        const DeviceIdentity &identity = d.sim->identity();
        QList<ScenarioAssignment> mine = m_plan.forDevice(identity.index);
        if (mine.isEmpty())
            continue;
        for (const ScenarioAssignment &a : std::as_const(mine))
            perScenario[a.scenario] << identity.id;
        // The scenarios draw their noise from a generator of their own: the device's model,
        // and so every value no scenario touches, stays as it is without scenarios.
        d.scenarios = std::make_unique<ScenarioEffects>(
            std::move(mine), FleetGenerator::mix(m_options.seed ^ 0x5CE7A210EFFEC75ull ^ quint64(identity.index)));
        if (d.scenarios->affectsConnectivity())
            d.connectivity = std::make_unique<ConnectivityDriver>(*d.connection);
        m_scenarioDevices.push_back(int(i));
    }
    for (auto it = perScenario.cbegin(); it != perScenario.cend(); ++it) {
        std::fprintf(stderr, "%s: scenario %d %s: %s\n", qPrintable(m_options.tag()), it.key() + 1,
                     qPrintable(m_options.scenarios.value(it.key()).toString()), qPrintable(idList(it.value())));
    }
}

bool FleetRunner::telemetryHeld(const Device &d, qint64 elapsedMs) const
{
    return (d.connectivity && d.connectivity->holdsOffline()) || !d.scenarios->wantsOnline(elapsedMs)
        || d.scenarios->isSilent(elapsedMs);
}

// Every kScenarioTickMs: scenarios that start or end (logged), devices taken offline or back.
void FleetRunner::driveScenarios()
{
    if (m_stopping)
        return;
    const qint64 now = m_clock.elapsed();
    QMap<std::pair<int, bool>, QStringList> changes;  // (scenario, started) -> device ids
    for (int index : m_scenarioDevices) {
        Device &d = m_devices[size_t(index)];
        for (const ScenarioEffects::Change &c : d.scenarios->advance(now))
            changes[{d.scenarios->assignments().at(c.assignment).scenario, c.started}] << d.sim->identity().id;
        if (!d.connectivity || !d.connected)
            continue;  // the first connect is FleetRunner's; a scenario takes over once it is done
        switch (d.connectivity->update(d.scenarios->wantsOnline(now), now)) {
        case ConnectivityDriver::Event::WentOffline:
            ++m_scenarioOutages;
            qCInfo(lcSim).noquote() << d.sim->identity().id << "offline (scenario)";
            break;
        case ConnectivityDriver::Event::CameBack:
            d.connectedAtMs = now;
            qCInfo(lcSim).noquote() << d.sim->identity().id << "back online (scenario)";
            break;
        case ConnectivityDriver::Event::None:
            break;
        }
    }
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        const int scenario = it.key().first;
        std::fprintf(stderr, "%s: %.1f s: scenario %d %s %s on %s\n", qPrintable(m_options.tag()), now / 1000.0,
                     scenario + 1, qPrintable(scenarioKindKey(m_options.scenarios.value(scenario).kind)),
                     it.key().second ? "started" : "ended", qPrintable(idList(it.value())));
    }
}

void FleetRunner::printProgress(bool final)
{
    quint64 confirmed = 0;
    quint64 faults = 0;
    quint64 failed = 0;
    for (const Device &d : m_devices) {
        const DeviceLedger::Snapshot s = d.connection->ledger().snapshot();
        confirmed += s.published;
        failed += s.failed;
        for (quint64 n : s.faults)
            faults += n;
    }
    const qint64 now = m_clock.elapsed();
    const double rate = now > m_lastProgressMs
        ? double(confirmed - m_lastProgressConfirmed) * 1000.0 / double(now - m_lastProgressMs)
        : 0.0;
    m_lastProgressMs = now;
    m_lastProgressConfirmed = confirmed;
    int online = 0;
    for (const Device &d : m_devices)
        online += d.connection->isConnected() ? 1 : 0;
    std::fprintf(stderr,
                 "%s: %s%.0f s: %d/%zu connected, %llu telemetry confirmed (%.0f msg/s), %llu faults, "
                 "%llu failed, %llu skipped\n",
                 qPrintable(m_options.tag()), final ? "final, " : "", now / 1000.0, online, m_devices.size(),
                 static_cast<unsigned long long>(confirmed), rate, static_cast<unsigned long long>(faults),
                 static_cast<unsigned long long>(failed + m_publishFailed), static_cast<unsigned long long>(m_skipped));
}

void FleetRunner::waitForPending(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        quint64 pending = 0;
        for (const Device &d : m_devices)
            pending += d.connection->ledger().pending();
        if (pending == 0)
            return;
        if (timer.elapsed() > timeoutMs) {
            qCWarning(lcSim) << pending << "publishes still unconfirmed at exit; not counted in the manifest";
            return;
        }
        QThread::msleep(20);
    }
}

void FleetRunner::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_stoppedAtMs = m_clock.elapsed();
    m_tickTimer.stop();
    m_progressTimer.stop();
    m_scenarioTimer.stop();
    // The flash first (the ends of jobs waiting for it are reported with it), then the agents stop.
    const bool stateSaved = writeOtaState();
    for (Device &d : m_devices) {
        if (d.ota)
            d.ota->stop();
    }
    std::fprintf(stderr, "%s: stopping\n", qPrintable(m_options.tag()));

    waitForPending(3000);
    if (m_options.offlineOnExit) {
        for (Device &d : m_devices)
            d.connection->publishStatus(false, 1);
        waitForPending(3000);
    }
    printProgress(true);
    if (!m_scenarioDevices.empty())
        std::fprintf(stderr, "%s: scenarios: %llu telemetry slots held back, %llu times a device went offline\n",
                     qPrintable(m_options.tag()), static_cast<unsigned long long>(m_heldByScenarios),
                     static_cast<unsigned long long>(m_scenarioOutages));
    if (m_commandsAnswered + m_commandsIgnored > 0)
        std::fprintf(stderr, "%s: %llu commands answered, %llu not answered\n", qPrintable(m_options.tag()),
                     static_cast<unsigned long long>(m_commandsAnswered),
                     static_cast<unsigned long long>(m_commandsIgnored));
    std::vector<mqtt::token_ptr> tokens;
    tokens.reserve(m_devices.size());
    for (Device &d : m_devices) {
        if (mqtt::token_ptr tok = d.connection->disconnect(0))
            tokens.push_back(std::move(tok));
    }
    QElapsedTimer timer;
    timer.start();
    for (const mqtt::token_ptr &tok : tokens) {
        const qint64 left = std::max<qint64>(10, 5000 - timer.elapsed());
        try {
            tok->wait_for(std::chrono::milliseconds(left));
        } catch (const mqtt::exception &e) {
            qCWarning(lcSim) << "disconnect failed:" << e.what();
        }
    }
    const bool manifestOk = writeManifest();
    const bool reportOk = writeOtaReport();
    const bool stateOk = stateSaved && writeOtaState();
    emit finished(manifestOk && reportOk && stateOk ? 0 : 1);
}

bool FleetRunner::writeOtaState()
{
    if (!m_otaState)
        return true;
    QString error;
    if (!m_otaState->flush(&error)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(m_options.tag()), qPrintable(error));
        return false;
    }
    return true;
}

bool FleetRunner::writeOtaReport()
{
    if (m_options.ota.reportPath.isEmpty())
        return true;
    QList<OtaReportWriter::DeviceRecord> records;
    records.reserve(qsizetype(m_devices.size()));
    for (const Device &d : m_devices) {
        if (d.ota)
            records.append({d.sim->identity().id, d.ota->fwVersion(), d.ota->jobCounts(), d.ota->installs()});
    }
    QString error;
    if (!OtaReportWriter::write(m_options.ota.reportPath, records, &error)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(m_options.tag()), qPrintable(error));
        return false;
    }
    std::fprintf(stderr, "%s: OTA report written to %s\n", qPrintable(m_options.tag()),
                 qPrintable(m_options.ota.reportPath));
    return true;
}

bool FleetRunner::writeManifest()
{
    if (m_options.manifestPath.isEmpty())
        return true;
    QList<ManifestWriter::DeviceRecord> records;
    records.reserve(qsizetype(m_devices.size()));
    const qint64 endMs = m_stoppedAtMs >= 0 ? m_stoppedAtMs : m_clock.elapsed();
    for (const Device &d : m_devices) {
        records.append({d.sim->identity(), d.connection->ledger().snapshot(),
                        d.scenarios ? d.scenarios->startedBy(endMs) : QList<ScenarioAssignment>()});
    }
    QString error;
    if (!ManifestWriter::write(m_options.manifestPath, m_options, records, &error)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(m_options.tag()), qPrintable(error));
        return false;
    }
    std::fprintf(stderr, "%s: manifest written to %s\n", qPrintable(m_options.tag()),
                 qPrintable(m_options.manifestPath));
    return true;
}

} // namespace fd::sim
