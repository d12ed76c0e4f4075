#pragma once

#include <QObject>
#include <QString>

namespace fd {

class AlertEngine;
class AlertService;
class FleetSession;
class OperationsStore;

// Alerts wired into a session (the composition roots, GUI and `fleetdeckctl record`, use
// the same): registers an AlertEngine as the session's ingest consumer (so construct it
// before the session's first connectSource()), creates the AlertService on the store, and
// passes every source state on. start() once the store is opening; finish() after the
// session's shutdown() delivers the engine's last transitions and waits for their commit.
class AlertRuntime : public QObject
{
    Q_OBJECT
public:
    AlertRuntime(FleetSession *session, OperationsStore *store, const QString &actor, QObject *parent = nullptr);
    ~AlertRuntime() override;

    AlertService *service() const { return m_service; }
    void start();
    // Delivers what the engine published during the session's shutdown and commits it
    // (at most timeoutMs). True when everything was committed.
    bool finish(int timeoutMs = 10000);

    // Counts over the run, for `record`'s summary.
    int raised() const { return m_raised; }
    int cleared() const { return m_cleared; }

private:
    AlertService *m_service;
    int m_raised = 0;
    int m_cleared = 0;
};

} // namespace fd
