#include "tests/reliability/seq_audit.h"

#include "core/storage/database.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/sql_statement.h"

#include <QFile>
#include <QJsonObject>
#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <limits>

namespace fd::test {

qint64 SeqAudit::Device::missing() const
{
    qint64 n = 0;
    for (const auto &run : missingRuns)
        n += run.second - run.first + 1;
    return n;
}

bool SeqAudit::readManifest(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the manifest %1: %2").arg(path, file.errorString());
        return false;
    }
    const QJsonArray devices = QJsonDocument::fromJson(file.readAll()).object().value(u"devices").toArray();
    if (devices.isEmpty()) {
        *error = QStringLiteral("the manifest %1 lists no devices").arg(path);
        return false;
    }
    m_lastSeq.clear();
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        m_lastSeq.insert(d.value(u"id").toString(), qint64(d.value(u"last_seq").toDouble()));
    }
    return true;
}

bool SeqAudit::readCache(const QString &cachePath, const QString &source, QString *error)
{
    m_stored.clear();
    m_publishedMs.clear();
    Database db;
    const Database::OpenResult opened = db.open(cachePath, /*readOnly=*/true);
    if (!opened.ok()) {
        *error = opened.message;
        return false;
    }
    SqlStatement metric;
    if (!metric.prepare(db.handle(), "SELECT id FROM metrics WHERE name = 'seq'", error))
        return false;
    int rc = metric.step();
    if (rc == SQLITE_DONE)
        return true;  // no seq metric yet: nothing stored
    if (rc != SQLITE_ROW) {
        *error = metric.errorMessage();
        return false;
    }
    const qint64 metricKey = metric.columnInt64(0);
    SqlStatement keys;
    if (!keys.prepare(db.handle(), "SELECT id, path FROM device_keys WHERE source = ?1", error))
        return false;
    keys.bindText(1, source);
    QList<std::pair<qint64, QString>> devices;
    while ((rc = keys.step()) == SQLITE_ROW)
        devices.append({keys.columnInt64(0), keys.columnText(1)});
    if (rc != SQLITE_DONE) {
        *error = keys.errorMessage();
        return false;
    }
    RawSeriesReader reader(db);
    for (const auto &[key, path] : devices) {
        SeriesPoints points;
        if (!reader.read(key, metricKey, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(),
                         &points, error))
            return false;
        QList<qint64> &seqs = m_stored[path];
        QMap<qint64, qint64> &published = m_publishedMs[path];
        seqs.reserve(qsizetype(points.size()));
        for (const SeriesPoint &p : points) {
            seqs.append(qint64(p.value));
            published.insert(qint64(p.value), p.tsMs);
        }
        std::sort(seqs.begin(), seqs.end());
    }
    return true;
}

QHash<QString, SeqAudit::Device> SeqAudit::result() const
{
    QHash<QString, Device> out;
    for (auto it = m_lastSeq.cbegin(); it != m_lastSeq.cend(); ++it) {
        Device d;
        d.lastSeq = it.value();
        const QList<qint64> seqs = m_stored.value(it.key());
        qint64 expect = 1;  // the next seq not accounted for
        qint64 previous = 0;
        for (const qint64 s : seqs) {
            if (s == previous) {
                ++d.duplicates;
                continue;
            }
            previous = s;
            if (s > d.lastSeq) {
                ++d.beyondLast;
                continue;
            }
            if (s > expect)
                d.missingRuns.append({expect, s - 1});
            ++d.stored;
            expect = s + 1;
        }
        if (expect <= d.lastSeq)
            d.missingRuns.append({expect, d.lastSeq});
        out.insert(it.key(), d);
    }
    return out;
}

int SeqAudit::devicesSeen() const
{
    int n = 0;
    for (const QList<qint64> &seqs : m_stored)
        n += seqs.isEmpty() ? 0 : 1;
    return n;
}

qint64 SeqAudit::totalExpected() const
{
    qint64 n = 0;
    for (const qint64 last : m_lastSeq)
        n += last;
    return n;
}

qint64 SeqAudit::totalMissing() const
{
    qint64 n = 0;
    for (const Device &d : result())
        n += d.missing();
    return n;
}

qint64 SeqAudit::totalDuplicates() const
{
    qint64 n = 0;
    for (const Device &d : result())
        n += d.duplicates;
    return n;
}

qint64 SeqAudit::longestRun() const
{
    qint64 longest = 0;
    for (const Device &d : result())
        for (const auto &run : d.missingRuns)
            longest = qMax(longest, run.second - run.first + 1);
    return longest;
}

QJsonObject SeqAudit::figures() const
{
    return {{QStringLiteral("devices"), int(m_lastSeq.size())},
            {QStringLiteral("messages_published"), double(totalExpected())},
            {QStringLiteral("messages_missing"), double(totalMissing())},
            {QStringLiteral("messages_duplicated"), double(totalDuplicates())},
            {QStringLiteral("longest_missing_run"), double(longestRun())}};
}

qint64 SeqAudit::publishedAt(const QString &device, qint64 seq, qint64 periodMs) const
{
    const QMap<qint64, qint64> published = m_publishedMs.value(device);
    if (published.isEmpty())
        return 0;
    const auto after = published.lowerBound(seq);
    if (after != published.cend())
        return after.value() - (after.key() - seq) * periodMs;
    const auto before = std::prev(published.cend());
    return before.value() + (seq - before.key()) * periodMs;
}

qint64 SeqAudit::newestPublishedMs(const QString &device) const
{
    qint64 newest = 0;
    for (const qint64 ts : m_publishedMs.value(device))
        newest = qMax(newest, ts);
    return newest;
}

qint64 SeqAudit::lostSince(const QHash<QString, QList<qint64>> &before, const QHash<QString, QList<qint64>> &after)
{
    qint64 lost = 0;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QList<qint64> now = after.value(it.key());
        for (const qint64 s : it.value())
            if (!std::binary_search(now.cbegin(), now.cend(), s))
                ++lost;
    }
    return lost;
}

} // namespace fd::test
