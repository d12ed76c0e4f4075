#pragma once

#include "core/domain/device.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>

namespace fd {

// Decides which device states a commit writes (BatchCommitter, writer thread only). A device's
// state is written at once when the device is new to this writer or its identity changes
// (name, model, firmware, site, tags, online, reject counts); other updates within kIntervalMs of
// the last write are held back, newest only, and written once the interval has passed, or
// by a flush or stop (Mode::WriteAll). Its telemetry is staged with every commit regardless:
// after a crash the cached inventory may lag it by the interval. Held-back states of a
// deleted device are dropped (forget()), so a deletion is never undone by a late write.
class DeviceStateCoalescer
{
public:
    static constexpr qint64 kIntervalMs = 30000;  // = StorageWriter::kPackIntervalMs

    enum class Mode {
        Coalesce,      // the normal commit: hold back what may wait, add the held-back due ones
        WriteAll,      // flush or stop: everything, held back included
        BeforeDelete,  // a segment followed by a deletion: all of its states, none held back
    };

    // The states of newest (the newest per device of one commit segment) to write now, and
    // the held-back states that are due (Mode::Coalesce) or all of them (Mode::WriteAll).
    // Pointers into the held-back states stay valid until written() or forget().
    QList<const Device *> select(const QList<const Device *> &newest, Mode mode);
    // The states select() gave were committed (or refused for their content).
    void written(const QList<const Device *> &states);
    // The devices were deleted: their held-back states and write times go.
    void forget(const QList<DeviceKey> &devices);

    qsizetype pending() const { return m_pending.size(); }
    // Milliseconds until the first held-back state is due (0: now; -1: none held back).
    qint64 msUntilDue() const;
    // Forgets every held-back state (the writer gives up at stop after a failure).
    qsizetype dropPending();

private:
    struct Write
    {
        qint64 writtenMs = 0;  // m_clock time of the last write
        size_t identity = 0;   // hash of what is written at once when it changes
    };
    struct Pending
    {
        Device device;
        qint64 dueMs = 0;  // m_clock time at which it is written anyway
    };
    static size_t identityOf(const Device &device);
    qint64 now();
    void updateSoonestDue();

    QHash<DeviceKey, Write> m_writes;
    QHash<DeviceKey, Pending> m_pending;
    qint64 m_soonestDueMs = 0;  // of the held-back states (valid while there are some)
    QElapsedTimer m_clock;
};

} // namespace fd
