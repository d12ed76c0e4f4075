#pragma once

#include <mqtt/iaction_listener.h>

#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>

namespace fd {

// Bookkeeping of MqttClient's tracked publishes. Paho's callback thread reports each
// delivery through listener() (the token travels as Paho's user context); the owner's
// thread takes the outcomes with takeSettled(). Every token settles once: a reported
// outcome, or failAllPending() when its connection is gone. Thread-safe.
//
// Ordering: Paho reports a publish's outcome before the messages it receives after it. A
// receiver that first swaps out its message queue and then calls takeSettled() holds every
// outcome reported before those messages, so it can report them first.
class PublishTracker
{
public:
    struct Outcome
    {
        quint64 token;
        bool ok;
        QString error;
    };

    // wake() runs on Paho's thread when an outcome arrives and none is waiting: post a
    // call of takeSettled() to the owner's thread. Must be quick.
    explicit PublishTracker(std::function<void()> wake);
    ~PublishTracker();
    PublishTracker(const PublishTracker &) = delete;
    PublishTracker &operator=(const PublishTracker &) = delete;

    mqtt::iaction_listener &listener();
    static void *context(quint64 token) { return reinterpret_cast<void *>(quintptr(token)); }

    quint64 begin();               // a new pending token (> 0)
    void abandon(quint64 token);   // the publish was refused at once: no outcome will come
    QList<Outcome> takeSettled();  // outcomes reported for pending tokens, in Paho's order
    // takeSettled(), then every token still pending as failed with reason.
    QList<Outcome> failAllPending(const QString &reason);
    int pendingCount() const;

private:
    class Listener;
    void report(quint64 token, bool ok, const QString &error);

    std::function<void()> m_wake;
    std::unique_ptr<Listener> m_listener;
    mutable QMutex m_mutex;
    QSet<quint64> m_pending;
    QList<Outcome> m_reported;
    bool m_wakePosted = false;
    quint64 m_next = 1;
};

} // namespace fd
