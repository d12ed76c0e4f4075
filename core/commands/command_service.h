#pragma once

#include "core/commands/command_record.h"
#include "core/commands/command_topics.h"
#include "core/commands/device_command.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <deque>
#include <optional>
#include <set>
#include <utility>

namespace fd {

class CommandPublisher;
class MqttClient;

// Tracks every command sent over ONE connection (a session owns one per source) from
// submit() to its end: Queued -> Sent -> Acknowledged -> Answered, or TimedOut, Failed,
// Cancelled (see CommandState). commandUpdated() reports every transition.
//
// - Bounded: at most Options::maxOutstanding unfinished commands; beyond that submit()
//   refuses at once. Finished records are kept in a history of Options::historySize.
// - Commands submitted while the connection is down stay Queued and are sent, oldest first,
//   when it comes (back) up, unless their timeout elapsed meanwhile.
// - The timeout covers the whole life (queued + sent + waiting for the answer); the reason
//   says which stage it ended in.
// - Lookups by id, token and deadline are hashed or ordered (no scans per message).
//
// Threading: lives on the thread of its publisher (the MqttClient's thread, where the
// ingest pipeline also runs); every method must be called there. moveToThread() takes its
// timer and an owned MqttCommandPublisher along (move it together with the client).
class CommandService : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString source;                                  // empty: accept any DeviceKey::source
        QString prefix = QStringLiteral("fleetdeck/v1"); // protocol v1 topic prefix
        int maxOutstanding = 1000;
        int historySize = 1000;
    };

    // Publishes through client, via an MqttCommandPublisher it owns.
    CommandService(MqttClient *client, Options options, QObject *parent = nullptr);
    // publisher is not owned and must outlive this service.
    CommandService(CommandPublisher *publisher, Options options, QObject *parent = nullptr);
    ~CommandService() override;

    // Accepts the command (Queued, or Sent at once when connected) and returns its id, or
    // refuses it (returns 0, *reason says why): invalid command, other source, queue full.
    CommandId submit(const DeviceCommand &command, QString *reason = nullptr);
    // Cancels an unfinished command (a sent one may still reach the device). False if the
    // id is unknown or already finished.
    bool cancel(CommandId id);
    // Cancels every unfinished command, oldest first (the session closes this source);
    // returns how many.
    int cancelAll();

    // A message that arrived on {prefix}/{devicePath}/cmd/response. Untrusted: garbage is
    // counted and dropped, answers for unknown, finished or foreign commands are counted
    // and ignored. True if it answered a command.
    bool deliverResponse(QStringView devicePath, QByteArrayView payload);

    // Unfinished or in the history; nullopt once evicted.
    std::optional<CommandRecord> record(CommandId id) const;
    int outstandingCount() const { return int(m_active.size()); }
    int queuedCount() const { return int(m_queue.size()); }
    int historyCount() const { return int(m_history.size()); }
    CommandStats stats() const { return m_stats; }
    const Options &options() const { return m_options; }
    const CommandTopics &topics() const { return m_topics; }

signals:
    void commandUpdated(const fd::CommandRecord &record);

private:
    struct Active
    {
        CommandRecord record;
        qint64 deadline = 0;  // on m_clock
        quint64 token = 0;    // publish token while Sent
    };

    void init();
    QString validate(const DeviceCommand &command) const;
    bool send(Active &active);  // false: still queued (connection went away)
    void flushQueue();
    void onPublishFinished(quint64 token, bool ok, const QString &error);
    void onDeadline();
    void armTimer();
    void update(Active &active, CommandState state);  // an unfinished transition
    void finish(CommandId id, CommandState state, const QString &reason);
    QString timeoutReason(const Active &active) const;
    CommandId idFromWire(QStringView wireId) const;

    Options m_options;
    CommandTopics m_topics;
    CommandPublisher *m_publisher = nullptr;
    QString m_instance;  // random per service: the wire id's prefix
    CommandId m_nextId = 1;
    QHash<CommandId, Active> m_active;
    std::set<CommandId> m_queue;                      // Queued, oldest first
    std::set<std::pair<qint64, CommandId>> m_deadlines;
    QHash<quint64, CommandId> m_tokens;               // publish token -> Sent command
    QHash<CommandId, CommandRecord> m_history;
    std::deque<CommandId> m_historyOrder;
    CommandStats m_stats;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

} // namespace fd
