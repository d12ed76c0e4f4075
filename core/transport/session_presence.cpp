#include "core/transport/session_presence.h"

#include <mqtt/connect_options.h>
#include <mqtt/will_options.h>

namespace fd {

void SessionPresence::beginAttempt(mqtt::connect_options *options, qint64 nowMs)
{
    m_awaitingSubacks = -1;
    m_announced = false;
    if (!isEnabled())
        return;
    // Never the same T twice: a Will of an earlier session must be older than this one.
    m_sessionMs = std::max(nowMs, m_sessionMs + 1);
    const QByteArray offline = payload(false);
    options->set_will(mqtt::will_options(m_message.topic.toStdString(), offline.constData(), size_t(offline.size()),
                                         m_message.qos, m_message.retained));
}

bool SessionPresence::connected(int subscriptions)
{
    if (!isEnabled())
        return false;
    m_awaitingSubacks = std::max(0, subscriptions);
    return m_awaitingSubacks == 0;
}

bool SessionPresence::subscribed()
{
    if (m_awaitingSubacks <= 0)
        return false;
    return --m_awaitingSubacks == 0;
}

} // namespace fd
