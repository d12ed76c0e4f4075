#pragma once

#include <QObject>

class QSocketNotifier;

namespace fd::sim {

// Turns SIGINT/SIGTERM into a Qt signal: the async-signal handler only writes the signal
// number to a socket pair; a QSocketNotifier reads it on the event loop.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void signalReceived(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace fd::sim
