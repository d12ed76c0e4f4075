#include "core/commands/command_service.h"

#include "core/commands/command_codec.h"
#include "core/commands/command_publisher.h"
#include "core/commands/commands_logging.h"
#include "core/commands/mqtt_command_publisher.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <algorithm>
#include <vector>

namespace fd {

namespace {

constexpr int kMaxTimeoutMs = 24 * 3600 * 1000;

qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

void registerMetaTypes()
{
    static const bool once = [] {
        qRegisterMetaType<fd::CommandRecord>();
        qRegisterMetaType<fd::CommandState>();
        return true;
    }();
    Q_UNUSED(once);
}

} // namespace

CommandService::CommandService(MqttClient *client, Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_topics(m_options.prefix)
    , m_publisher(new MqttCommandPublisher(client, this))
{
    init();
}

CommandService::CommandService(CommandPublisher *publisher, Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_topics(m_options.prefix)
    , m_publisher(publisher)
{
    init();
}

CommandService::~CommandService() = default;

void CommandService::init()
{
    registerMetaTypes();
    m_options.maxOutstanding = std::max(1, m_options.maxOutstanding);
    m_options.historySize = std::max(0, m_options.historySize);
    m_instance = QString::number(QRandomGenerator::system()->generate(), 16).rightJustified(8, u'0');
    m_clock.start();
    m_timer.setParent(this);  // follows moveToThread()
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CommandService::onDeadline);
    connect(m_publisher, &CommandPublisher::publishFinished, this, &CommandService::onPublishFinished);
    connect(m_publisher, &CommandPublisher::connectedChanged, this, [this](bool connected) {
        if (connected)
            flushQueue();
    });
}

QString CommandService::validate(const DeviceCommand &c) const
{
    if (c.target.isNull())
        return tr("the command has no target device");
    if (!m_options.source.isEmpty() && c.target.source != m_options.source)
        return tr("the device belongs to source \"%1\", not to this connection (\"%2\")")
            .arg(c.target.source.left(64), m_options.source);
    if (c.qos < 0 || c.qos > 2)
        return tr("QoS must be 0, 1 or 2");
    if (c.timeoutMs < 1 || c.timeoutMs > kMaxTimeoutMs)
        return tr("the timeout must be between 1 ms and 24 h");
    if (c.isRaw()) {
        if (c.rawTopic.contains(u'+') || c.rawTopic.contains(u'#'))
            return tr("a command topic cannot contain wildcards");
        if (c.expectsAnswer)
            return tr("a command with its own topic and payload cannot expect a protocol v1 answer");
        return {};
    }
    if (c.retain)
        return tr("only a command with its own topic and payload can be retained");
    if (!CommandCodec::isValidToken(c.name))
        return tr("\"%1\" is not a valid command name (1-64 letters, digits, '.', '_' or '-')").arg(c.name.left(64));
    if (!CommandCodec::isValidToken(c.target.path))
        return tr("\"%1\" is not a protocol v1 device id").arg(c.target.path.left(64));
    return {};
}

CommandId CommandService::submit(const DeviceCommand &command, QString *reason)
{
    QString problem = validate(command);
    if (problem.isEmpty() && m_active.size() >= m_options.maxOutstanding)
        problem = tr("too many unfinished commands on this connection (limit %1)").arg(m_options.maxOutstanding);
    if (!problem.isEmpty()) {
        ++m_stats.refused;
        qCInfo(lcCommands).noquote() << "refused" << command.name.left(64) << "for" << command.target.displayString().left(200)
                                     << "-" << problem;
        if (reason)
            *reason = problem;
        return 0;
    }
    ++m_stats.submitted;
    const CommandId id = m_nextId++;
    Active &a = m_active[id];
    a.record.id = id;
    a.record.wireId = m_instance + u'-' + QString::number(id);
    a.record.command = command;
    a.record.submittedMs = wallClockMs();
    a.deadline = m_clock.elapsed() + command.timeoutMs;
    m_deadlines.emplace(a.deadline, id);
    m_queue.insert(id);
    emit commandUpdated(a.record);
    if (m_publisher->isConnected())
        flushQueue();
    armTimer();
    return id;
}

bool CommandService::send(Active &a)
{
    const CommandId id = a.record.id;
    const DeviceCommand &c = a.record.command;
    QString topic;
    QByteArray payload;
    if (c.isRaw()) {
        topic = c.rawTopic;
        payload = c.rawPayload;
    } else {
        topic = m_topics.requestTopic(c.target.path);
        payload = CommandCodec::encodeRequest({a.record.wireId, c.name, c.params, wallClockMs()});
    }
    QString error;
    const quint64 token = m_publisher->publishTracked(topic, payload, c.qos, c.isRaw() && c.retain, &error);
    if (token == 0) {
        if (!m_publisher->isConnected())
            return false;  // stays queued; sent on reconnect
        finish(id, CommandState::Failed, tr("not sent: %1").arg(error));
        return true;
    }
    m_queue.erase(id);
    a.token = token;
    m_tokens.insert(token, id);
    a.record.sentMs = wallClockMs();
    update(a, CommandState::Sent);
    return true;
}

void CommandService::flushQueue()
{
    while (!m_queue.empty() && m_publisher->isConnected()) {
        const CommandId id = *m_queue.begin();
        const auto it = m_active.find(id);
        if (it == m_active.end()) {  // cannot happen; never loop on it
            m_queue.erase(m_queue.begin());
            continue;
        }
        if (!send(*it))
            break;
    }
}

bool CommandService::cancel(CommandId id)
{
    const auto it = m_active.constFind(id);
    if (it == m_active.cend())
        return false;
    const bool wasSent = it->record.state != CommandState::Queued;
    finish(id, CommandState::Cancelled,
           wasSent ? tr("cancelled after it was sent; the device may still carry it out")
                   : tr("cancelled before it was sent"));
    return true;
}

int CommandService::cancelAll()
{
    std::vector<CommandId> ids;
    ids.reserve(size_t(m_active.size()));
    for (auto it = m_active.cbegin(); it != m_active.cend(); ++it)
        ids.push_back(it.key());
    std::sort(ids.begin(), ids.end());
    int cancelled = 0;
    for (CommandId id : ids)
        cancelled += cancel(id) ? 1 : 0;
    return cancelled;
}

void CommandService::onPublishFinished(quint64 token, bool ok, const QString &error)
{
    const auto t = m_tokens.constFind(token);
    if (t == m_tokens.cend())
        return;
    const CommandId id = *t;
    m_tokens.erase(t);
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    it->token = 0;
    if (!ok) {
        finish(id, CommandState::Failed, tr("not delivered to the broker: %1").arg(error));
        return;
    }
    if (it->record.state != CommandState::Sent)
        return;
    it->record.acknowledgedMs = wallClockMs();
    if (!it->record.command.expectsAnswer)
        finish(id, CommandState::Acknowledged, QString());
    else
        update(*it, CommandState::Acknowledged);
}

bool CommandService::deliverResponse(QStringView devicePath, QByteArrayView payload)
{
    CommandResponse response;
    QString why;
    if (!CommandCodec::parseResponse(payload, &response, &why)) {
        ++m_stats.badResponses;
        qCDebug(lcCommands).noquote() << "bad command response from" << devicePath.left(200) << "-" << why;
        return false;
    }
    const CommandId id = idFromWire(response.id);
    const auto it = id ? m_active.find(id) : m_active.end();
    if (it == m_active.end() || it->record.state == CommandState::Queued || it->record.command.isRaw()
        || it->record.command.target.path != devicePath) {
        ++m_stats.ignoredResponses;  // another console's, a finished one, a duplicate, a stranger's
        qCDebug(lcCommands).noquote() << "ignored command response" << response.id << "from" << devicePath.left(200);
        return false;
    }
    it->record.answerOk = response.ok;
    it->record.result = response.result;
    if (!response.ok && response.error.isEmpty())
        response.error = tr("the device reported an error without a reason");
    finish(id, CommandState::Answered, response.ok ? QString() : response.error);
    return true;
}

CommandId CommandService::idFromWire(QStringView wireId) const
{
    const qsizetype n = m_instance.size();
    if (wireId.size() <= n + 1 || !wireId.startsWith(m_instance) || wireId.at(n) != u'-')
        return 0;
    const QStringView digits = wireId.sliced(n + 1);
    if (digits.size() > 19 || digits.front() == u'0')
        return 0;
    bool ok = false;
    const CommandId id = digits.toULongLong(&ok);
    return ok ? id : 0;
}

void CommandService::update(Active &a, CommandState state)
{
    a.record.state = state;
    emit commandUpdated(a.record);
}

void CommandService::finish(CommandId id, CommandState state, const QString &reason)
{
    const auto it = m_active.find(id);
    if (it == m_active.end())
        return;
    CommandRecord record = std::move(it->record);
    m_deadlines.erase({it->deadline, id});
    if (it->token)
        m_tokens.remove(it->token);
    m_queue.erase(id);
    m_active.erase(it);

    record.state = state;
    record.reason = reason;
    record.finishedMs = wallClockMs();
    switch (state) {
    case CommandState::Answered:
        ++m_stats.answered;
        break;
    case CommandState::TimedOut:
        ++m_stats.timedOut;
        break;
    case CommandState::Failed:
        ++m_stats.failed;
        break;
    case CommandState::Cancelled:
        ++m_stats.cancelled;
        break;
    default:
        break;
    }
    qCDebug(lcCommands).noquote() << record.wireId << record.command.name << "->" << commandStateKey(state) << reason;

    if (m_options.historySize > 0) {
        m_history.insert(id, record);
        m_historyOrder.push_back(id);
        while (m_historyOrder.size() > size_t(m_options.historySize)) {
            m_history.remove(m_historyOrder.front());
            m_historyOrder.pop_front();
        }
    }
    armTimer();
    emit commandUpdated(record);
}

QString CommandService::timeoutReason(const Active &a) const
{
    const int ms = a.record.command.timeoutMs;
    switch (a.record.state) {
    case CommandState::Queued:
        return tr("not sent: no connection to the broker within %1 ms (%2)").arg(ms).arg(m_publisher->connectionDetail());
    case CommandState::Sent:
        return tr("the broker did not acknowledge the command within %1 ms").arg(ms);
    default:
        return tr("the device did not answer within %1 ms").arg(ms);
    }
}

void CommandService::onDeadline()
{
    const qint64 now = m_clock.elapsed();
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= now) {
        const CommandId id = m_deadlines.begin()->second;
        const auto it = m_active.constFind(id);
        if (it == m_active.cend()) {  // cannot happen; never loop on it
            m_deadlines.erase(m_deadlines.begin());
            continue;
        }
        finish(id, CommandState::TimedOut, timeoutReason(*it));
    }
    armTimer();
}

void CommandService::armTimer()
{
    if (m_deadlines.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_deadlines.begin()->first - m_clock.elapsed());
    m_timer.start(int(std::min<qint64>(wait, kMaxTimeoutMs)));
}

std::optional<CommandRecord> CommandService::record(CommandId id) const
{
    if (const auto it = m_active.constFind(id); it != m_active.cend())
        return it->record;
    if (const auto it = m_history.constFind(id); it != m_history.cend())
        return *it;
    return std::nullopt;
}

} // namespace fd
