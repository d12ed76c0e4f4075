#include "tests/reliability/stderr_timeline.h"

#include "tests/reliability/child_process.h"

namespace fd::test {

StderrTimeline::StderrTimeline(ChildProcess *child)
    : m_child(child)
{
    m_clock.start();
    m_timer.setInterval(20);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { poll(); });
    m_timer.start();
}

void StderrTimeline::poll()
{
    const QByteArray all = m_child->standardError();
    const qint64 now = m_clock.elapsed();
    for (;;) {
        const qsizetype end = all.indexOf('\n', m_consumed);
        if (end < 0)
            break;
        m_lines.append({now, all.mid(m_consumed, end - m_consumed)});
        m_consumed = end + 1;
    }
}

QList<StderrTimeline::Line> StderrTimeline::matching(const QByteArray &text, qsizetype from) const
{
    QList<Line> out;
    for (qsizetype i = from; i < m_lines.size(); ++i)
        if (m_lines.at(i).text.contains(text))
            out.append(m_lines.at(i));
    return out;
}

} // namespace fd::test
