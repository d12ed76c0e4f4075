#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

namespace fd {

// A single-shot timer for any duration: QTimer takes its interval as an int of
// milliseconds (about 24.8 days at most; more wraps around), so a long duration is waited
// for in steps of at most maxStepMs() against a deadline.
class LongSingleShot : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultMaxStepMs = 24 * 60 * 60 * 1000;  // a day

    explicit LongSingleShot(QObject *parent = nullptr);

    void setMaxStepMs(int ms);  // tests use short steps
    void start(qint64 durationMs);
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    qint64 remainingMs() const;

signals:
    void timeout();

private:
    void arm();

    QTimer m_timer;
    QDeadlineTimer m_deadline;
    int m_maxStepMs = kDefaultMaxStepMs;
};

} // namespace fd
