#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>

namespace fd::test {

class ChildProcess;

// The lines a child prints on stderr, each stamped with when this test saw it (ms since the
// timeline started), read every 20 ms while the test's event loop runs (QTest::qWaitFor).
// fleetdeckctl record prints "fleetdeckctl record: <state>: <detail>" when its connection
// changes: the stamps give the reconnect attempts and the delays between them.
class StderrTimeline
{
public:
    struct Line
    {
        qint64 atMs = 0;
        QByteArray text;
    };

    explicit StderrTimeline(ChildProcess *child);

    void poll();  // also run by the timer
    const QList<Line> &lines() const { return m_lines; }
    // Lines containing `text`, from index `from` on.
    QList<Line> matching(const QByteArray &text, qsizetype from = 0) const;
    int count(const QByteArray &text) const { return int(matching(text).size()); }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    ChildProcess *m_child;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qsizetype m_consumed = 0;  // bytes of the child's stderr already split into lines
    QList<Line> m_lines;
};

} // namespace fd::test
