#pragma once

#include "simulator/ota_state_file.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace fd::sim {

// Saves the --ota-state file (or a shard's part) when the devices' OTA state changed: at
// once when the last save is a second old, else a second after it (so at most once a
// second), and on flush() at exit. What is saved: the base devices (those of the file that
// this process does not run) with, over them, what collect() returns.
class OtaStateKeeper : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMinIntervalMs = 1000;

    OtaStateKeeper(QString path, OtaStateFile::Devices base, std::function<OtaStateFile::Devices()> collect,
                   QObject *parent = nullptr);

    void changed();                 // something worth keeping changed
    // Something changed, and done() must run once it is saved (a device reports a job's end
    // only after its flash has it): with the next save, successful or not (a full disk must
    // not silence the devices; the failure is logged).
    void persistThen(std::function<void()> done);
    bool flush(QString *error);     // save now (exit); runs what waits for it
    int saves() const { return m_saves; }

private:
    void save();

    QString m_path;
    OtaStateFile::Devices m_base;
    std::function<OtaStateFile::Devices()> m_collect;
    QTimer m_timer;
    QElapsedTimer m_lastSave;
    QList<std::function<void()>> m_waiting;
    int m_saves = 0;
    bool m_warned = false;
};

} // namespace fd::sim
