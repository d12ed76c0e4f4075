#pragma once

#include "simulator/sim_options.h"

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace fd::sim {

// Runs a large fleet as several fleetdeck-sim child processes (--devices-per-process), each
// with its own slice of device indexes, forwards SIGINT/SIGTERM to them, and merges their
// manifests and OTA reports. Children are killed with us (PR_SET_PDEATHSIG=SIGKILL on Linux), so their Last
// Wills fire just as if one process had been killed.
class ShardSupervisor : public QObject
{
    Q_OBJECT
public:
    ShardSupervisor(SimOptions options, QString program, QObject *parent = nullptr);
    ~ShardSupervisor() override;

    bool start(QString *error);
    void stop();  // SIGTERM to every child; finished() follows when all exited

signals:
    void finished(int exitCode);

private:
    void onChildFinished();

    SimOptions m_options;
    QString m_program;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_children;
    QStringList m_manifests;
    QStringList m_otaReports;
    int m_running = 0;
    int m_worstExit = 0;
};

} // namespace fd::sim
