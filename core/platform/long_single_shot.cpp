#include "core/platform/long_single_shot.h"

#include <algorithm>

namespace fd {

LongSingleShot::LongSingleShot(QObject *parent)
    : QObject(parent)
    , m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_deadline.hasExpired())
            emit timeout();
        else
            arm();
    });
}

void LongSingleShot::setMaxStepMs(int ms)
{
    m_maxStepMs = std::max(1, ms);
}

void LongSingleShot::start(qint64 durationMs)
{
    m_deadline = QDeadlineTimer(std::max<qint64>(0, durationMs), Qt::PreciseTimer);
    arm();
}

void LongSingleShot::stop()
{
    m_timer.stop();
}

qint64 LongSingleShot::remainingMs() const
{
    return isActive() ? m_deadline.remainingTime() : 0;
}

void LongSingleShot::arm()
{
    m_timer.start(int(std::min<qint64>(m_deadline.remainingTime(), m_maxStepMs)));
}

} // namespace fd
