#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

namespace fd {

// Measures how responsive the event loop of the thread it lives on is: a 1 ms precise timer
// records, each time it fires, how much later than due it ran (lateness = interval - 1 ms,
// never negative). A GUI thread busy for 40 ms shows a 39 ms sample. Used for
// `fleetdeck --perf-report` (docs/performance.md). At most kMaxSamples are kept (about
// an hour at 1 kHz); the statistics are over what was kept.
class EventLoopLatenessProbe : public QObject
{
    Q_OBJECT
public:
    static constexpr std::size_t kMaxSamples = 4 * 1000 * 1000;

    struct Stats
    {
        double p50Ms = 0;
        double p99Ms = 0;
        double maxMs = 0;
        double maxAtMs = 0;  // when the worst sample was taken, ms after start()
        quint64 samples = 0;
    };

    explicit EventLoopLatenessProbe(QObject *parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    Stats stats() const;

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    double m_maxMs = -1;
    double m_maxAtMs = 0;
    std::vector<float> m_latenessMs;
};

} // namespace fd
