#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace fd::test {

// Audits a cache message by message: fleetdeck-sim --seq-metric gives every message its
// device's seq (1, 2, ...) as the metric "seq", and its --manifest says how far each device
// got (last_seq). What the cache holds of [1, last_seq] per device, what it lacks (in runs
// of consecutive seqs: a run is what one crash or outage lost) and what it holds twice.
class SeqAudit
{
public:
    struct Device
    {
        qint64 lastSeq = 0;        // the simulator's
        qint64 stored = 0;         // distinct seqs in the cache
        qint64 duplicates = 0;     // points beyond the first of one seq
        qint64 beyondLast = 0;     // seqs above lastSeq (must be 0)
        QList<std::pair<qint64, qint64>> missingRuns;  // [first, last] of each run
        qint64 missing() const;
    };

    // Reads the manifest written by fleetdeck-sim --manifest (devices[].id, last_seq).
    bool readManifest(const QString &path, QString *error);
    // Reads every device of `source` in the cache (read-only; recovers a killed writer's WAL
    // as any reader does).
    bool readCache(const QString &cachePath, const QString &source, QString *error);
    // The seqs stored now per device (for "a committed point is never lost later").
    const QHash<QString, QList<qint64>> &storedSeqs() const { return m_stored; }

    QHash<QString, Device> result() const;
    // Devices of the source with at least one seq stored.
    int devicesSeen() const;
    qint64 totalExpected() const;
    qint64 totalMissing() const;
    qint64 totalDuplicates() const;
    qint64 longestRun() const;
    QJsonObject figures() const;

    // When the device published seq (ms since the epoch), estimated from the nearest stored
    // message after it (else before it) and the device's period; 0 when nothing is stored.
    qint64 publishedAt(const QString &device, qint64 seq, qint64 periodMs) const;

    // The newest message time stored of each device of the source (its ts), 0 if none.
    qint64 newestPublishedMs(const QString &device) const;

    // Seqs in `before` that are not in `after`, over all devices (0 when nothing committed
    // disappeared).
    static qint64 lostSince(const QHash<QString, QList<qint64>> &before, const QHash<QString, QList<qint64>> &after);

private:
    QHash<QString, qint64> m_lastSeq;
    QHash<QString, QList<qint64>> m_stored;  // sorted, with repeats
    QHash<QString, QMap<qint64, qint64>> m_publishedMs;  // seq -> the message's ts
};

} // namespace fd::test
