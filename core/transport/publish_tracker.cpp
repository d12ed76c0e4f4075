#include "core/transport/publish_tracker.h"

#include <mqtt/exception.h>
#include <mqtt/token.h>

namespace fd {

class PublishTracker::Listener : public mqtt::iaction_listener
{
public:
    explicit Listener(PublishTracker &tracker) : m_tracker(tracker) {}
    void on_success(const mqtt::token &tok) override { m_tracker.report(token(tok), true, QString()); }
    void on_failure(const mqtt::token &tok) override
    {
        m_tracker.report(token(tok), false,
                         QStringLiteral("delivery failed: %1")
                             .arg(QString::fromStdString(
                                 mqtt::exception::printable_error(tok.get_return_code(), tok.get_reason_code()))));
    }

private:
    static quint64 token(const mqtt::token &tok) { return quint64(reinterpret_cast<quintptr>(tok.get_user_context())); }
    PublishTracker &m_tracker;
};

PublishTracker::PublishTracker(std::function<void()> wake)
    : m_wake(std::move(wake))
    , m_listener(std::make_unique<Listener>(*this))
{
}

PublishTracker::~PublishTracker() = default;

mqtt::iaction_listener &PublishTracker::listener()
{
    return *m_listener;
}

quint64 PublishTracker::begin()
{
    QMutexLocker lock(&m_mutex);
    const quint64 token = m_next++;
    m_pending.insert(token);
    return token;
}

void PublishTracker::abandon(quint64 token)
{
    QMutexLocker lock(&m_mutex);
    m_pending.remove(token);
}

void PublishTracker::report(quint64 token, bool ok, const QString &error)
{
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        m_reported.append({token, ok, error});
        wake = !std::exchange(m_wakePosted, true);
    }
    if (wake && m_wake)
        m_wake();
}

QList<PublishTracker::Outcome> PublishTracker::takeSettled()
{
    QMutexLocker lock(&m_mutex);
    QList<Outcome> reported = std::exchange(m_reported, {});
    m_wakePosted = false;
    QList<Outcome> settled;
    settled.reserve(reported.size());
    for (Outcome &o : reported) {
        if (m_pending.remove(o.token))  // once per token; late reports of failed ones are dropped
            settled.append(std::move(o));
    }
    return settled;
}

QList<PublishTracker::Outcome> PublishTracker::failAllPending(const QString &reason)
{
    QList<Outcome> outcomes = takeSettled();
    QMutexLocker lock(&m_mutex);
    for (quint64 token : std::as_const(m_pending))
        outcomes.append({token, false, reason});
    m_pending.clear();
    return outcomes;
}

int PublishTracker::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_pending.size());
}

} // namespace fd
