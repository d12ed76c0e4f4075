#pragma once

#include <QObject>

#include <memory>

namespace fd {

// Turns SIGINT/SIGTERM (Unix) or Ctrl+C / console close (Windows) into a Qt signal on the
// thread that created the watcher, so command-line tools can shut down cleanly: the handler
// only writes a byte to a socket pair; everything else runs in the event loop.
class TerminationWatcher : public QObject
{
    Q_OBJECT
public:
    explicit TerminationWatcher(QObject *parent = nullptr);
    ~TerminationWatcher() override;

signals:
    void terminationRequested(int signalNumber);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
