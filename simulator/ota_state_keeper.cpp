#include "simulator/ota_state_keeper.h"

#include "simulator/sim_logging.h"

#include <utility>

namespace fd::sim {

OtaStateKeeper::OtaStateKeeper(QString path, OtaStateFile::Devices base,
                               std::function<OtaStateFile::Devices()> collect, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_base(std::move(base))
    , m_collect(std::move(collect))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OtaStateKeeper::save);
}

void OtaStateKeeper::changed()
{
    if (m_timer.isActive())
        return;  // saved with the next write
    if (!m_lastSave.isValid() || m_lastSave.elapsed() >= kMinIntervalMs) {
        save();
        return;
    }
    m_timer.start(int(kMinIntervalMs - m_lastSave.elapsed()));
}

void OtaStateKeeper::persistThen(std::function<void()> done)
{
    m_waiting.append(std::move(done));
    changed();
}

bool OtaStateKeeper::flush(QString *error)
{
    m_timer.stop();
    OtaStateFile::Devices all = m_base;
    const OtaStateFile::Devices mine = m_collect();
    for (auto it = mine.cbegin(); it != mine.cend(); ++it)
        all.insert(it.key(), it.value());
    m_lastSave.start();
    ++m_saves;
    const bool ok = OtaStateFile::write(m_path, all, error);
    const QList<std::function<void()>> waiting = std::exchange(m_waiting, {});
    for (const std::function<void()> &done : waiting)
        done();
    return ok;
}

void OtaStateKeeper::save()
{
    QString error;
    if (!flush(&error)) {
        if (!m_warned)  // once: a full disk would otherwise fill the log every second
            qCWarning(lcSim).noquote() << error;
        m_warned = true;
        return;
    }
    m_warned = false;
}

} // namespace fd::sim
