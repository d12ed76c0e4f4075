#include "core/storage/inventory_store.h"

#include "core/domain/device_tags.h"
#include "core/storage/database.h"
#include "core/storage/raw_series_reader.h"
#include "core/storage/sql_statement.h"
#include "core/storage/storage_log.h"

#include <QHash>
#include <QMap>

#include <utility>
#include <vector>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr const char kSelectDevices[] =
    "SELECT id, name, model, fw_version, site, online, last_seen_ms, last_telemetry_ms,"
    " last_seq, message_count, source, path, tags, stale_since_ms, sparkplug_bdseq, sparkplug_births,"
    " sparkplug_deaths, sparkplug_birth_ms, sparkplug_death_ms, sparkplug_rebirth_cause, sparkplug_rebirth_ms"
    " FROM devices ORDER BY source, path";

// The series of one device, with their metric names.
constexpr const char kSelectSeries[] =
    "SELECT s.metric_key, m.name FROM device_keys d JOIN series s ON s.device_key = d.id"
    " JOIN metrics m ON m.id = s.metric_key WHERE d.source = ?1 AND d.path = ?2 ORDER BY s.metric_key";

// Shares one QString per distinct UTF-8 text, so 100k devices with the same metric names
// or models do not hold 100k copies (like the decoder's MetricNames). The first few
// distinct values are found by a linear scan without allocating; the rest by hash.
class TextInterner
{
public:
    QString get(const SqlStatement &st, int column)
    {
        const QByteArrayView utf8 = st.columnView(column);
        for (const auto &entry : m_few) {
            if (entry.first == utf8)
                return entry.second;
        }
        if (m_few.size() < kFew) {
            m_few.emplace_back(utf8.toByteArray(), QString::fromUtf8(utf8));
            return m_few.back().second;
        }
        // Looked up without copying the bytes (a raw-data view); copied only when new.
        auto it = m_many.constFind(QByteArray::fromRawData(utf8.data(), utf8.size()));
        if (it == m_many.cend())
            it = m_many.insert(utf8.toByteArray(), QString::fromUtf8(utf8));
        return it.value();
    }

private:
    static constexpr size_t kFew = 16;
    std::vector<std::pair<QByteArray, QString>> m_few;
    QHash<QByteArray, QString> m_many;
};

// Shares one QStringList per distinct stored tags text (schema v5: joined by U+001F, ''
// = none), so a million devices tagged "freezer" hold one list. No tags costs nothing.
// At most kMaxLists distinct lists are remembered: tags unique to each device are split
// for each device and not kept twice.
class TagsInterner
{
public:
    QStringList get(const SqlStatement &st, int column)
    {
        const QByteArrayView utf8 = st.columnView(column);
        if (utf8.isEmpty())
            return {};
        const auto it = m_lists.constFind(QByteArray::fromRawData(utf8.data(), utf8.size()));
        if (it != m_lists.cend())
            return it.value();
        const QStringList tags = splitTags(QString::fromUtf8(utf8));
        if (m_lists.size() < kMaxLists)
            m_lists.insert(utf8.toByteArray(), tags);
        return tags;
    }

private:
    static constexpr qsizetype kMaxLists = 4096;
    QHash<QByteArray, QStringList> m_lists;
};

// The (source, path) of every loaded device in UTF-8, in load order: paths one per device,
// sources by index into the few distinct ones.
struct DeviceKeys
{
    QList<QByteArray> sources;  // distinct
    QList<int> sourceOf;        // per device
    QList<QByteArray> paths;    // per device

    void append(QByteArrayView source, QByteArrayView path)
    {
        if (sources.isEmpty() || sources.constLast() != source) {
            qsizetype at = sources.indexOf(source);
            if (at < 0) {
                sources.append(source.toByteArray());
                at = sources.size() - 1;
            }
            sourceOf.append(int(at));
        } else {
            sourceOf.append(int(sources.size() - 1));
        }
        paths.append(path.toByteArray());
    }
    bool matches(qsizetype device, QByteArrayView source, QByteArrayView path) const
    {
        return paths[device] == path && sources[sourceOf[device]] == source;
    }
};

// Finds the device of a child row (metrics, rejects), ordered by (source, path) like the
// devices (same ORDER BY, same collation), so this is a merge walk without building a key
// per row; a hash is built only if that order is ever not what we expect.
class DeviceCursor
{
public:
    explicit DeviceCursor(const DeviceKeys &keys)
        : m_keys(keys)
    {
    }

    qsizetype find(QByteArrayView source, QByteArrayView path)
    {
        const qsizetype n = m_keys.paths.size();
        for (qsizetype p = m_pos; p < n && p <= m_pos + 64; ++p) {
            if (m_keys.matches(p, source, path))
                return m_pos = p;
        }
        if (m_index.isEmpty()) {
            m_index.reserve(n);
            for (qsizetype i = 0; i < n; ++i)
                m_index.insert(key(m_keys.sources[m_keys.sourceOf[i]], m_keys.paths[i]), i);
        }
        const qsizetype p = m_index.value(key(source, path), -1);
        if (p >= 0)
            m_pos = p;
        return p;
    }

private:
    static QByteArray key(QByteArrayView source, QByteArrayView path)
    {
        QByteArray k;
        k.reserve(source.size() + 1 + path.size());
        k.append(source).append('\x1f').append(path);  // neither contains a control character
        return k;
    }

    const DeviceKeys &m_keys;
    QHash<QByteArray, qsizetype> m_index;
    qsizetype m_pos = 0;
};

// A latest value as stored (schema v3: type + value without affinity).
MetricValue storedMetric(const SqlStatement &st, const QString &name)
{
    switch (MetricType(st.columnInt64(3))) {
    case MetricType::Int64: return MetricValue::ofInt64(name, st.columnInt64(4));
    case MetricType::Bool: return MetricValue::ofBool(name, st.columnInt64(4) != 0);
    case MetricType::String: return MetricValue::ofString(name, st.columnText(4));
    case MetricType::Double: break;
    }
    return MetricValue::ofDouble(name, st.columnDouble(4));
}

bool failWith(const SqlStatement &st, QString *error)
{
    const QString message = st.errorMessage();
    qCWarning(lcStorage).noquote() << "reading the cache failed:" << message;
    if (error)
        *error = message;
    return false;
}

} // namespace

InventoryStore::InventoryStore(Database &db)
    : m_db(db)
{
}

QList<Device> InventoryStore::loadDevices(QString *error, SparkplugState sparkplug) const
{
    QString sqlError;
    auto fail = [&](const QString &message) {
        qCWarning(lcStorage).noquote() << "reading the devices from" << m_db.path()
                                       << "failed:" << message;
        if (error)
            *error = message;
        if (m_db.handle() && !sqlite3_get_autocommit(m_db.handle()))
            m_db.exec("ROLLBACK");
        return QList<Device>();
    };
    // All reads in one transaction, so the three queries see the same snapshot.
    if (!m_db.exec("BEGIN", &sqlError))
        return fail(sqlError);

    QList<Device> devices;
    DeviceKeys keys;  // parallel to devices, for matching child rows
    // One interner per kind of text, so each finds its few values on its short list.
    TextInterner sources;
    TextInterner models;
    TextInterner firmwares;
    TextInterner sites;
    TextInterner names;
    TagsInterner tags;
    SqlStatement st;
    if (!st.prepare(m_db.handle(), kSelectDevices, &sqlError))
        return fail(sqlError);
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        Device device;
        keys.append(st.columnView(10), st.columnView(11));
        device.source = sources.get(st, 10);
        device.id = st.columnText(0);
        // Protocol v1: the path is the id; one conversion, one shared buffer.
        device.path = st.columnView(11) == st.columnView(0) ? device.id : st.columnText(11);
        device.name = st.columnText(1);
        device.model = models.get(st, 2);
        device.fwVersion = firmwares.get(st, 3);
        device.site = sites.get(st, 4);
        device.tags = tags.get(st, 12);
        device.online = st.columnInt64(5) != 0;
        device.lastSeenMs = st.columnInt64(6);
        device.lastTelemetryMs = st.columnInt64(7);
        device.lastSeq = quint64(st.columnInt64(8));
        device.messageCount = quint64(st.columnInt64(9));
        device.staleSinceMs = st.columnInt64(13);
        if (const qint64 bdSeq = st.columnInt64(14); bdSeq >= 0 || st.columnInt64(15) > 0 || st.columnInt64(16) > 0) {
            SparkplugSession &sp = device.sparkplug;  // protocol v1 devices skip the rest
            sp.bdSeq = bdSeq;
            sp.births = quint32(st.columnInt64(15));
            sp.deaths = quint32(st.columnInt64(16));
            sp.lastBirthMs = st.columnInt64(17);
            sp.lastDeathMs = st.columnInt64(18);
            sp.lastRebirthCause = st.columnText(19);
            sp.lastRebirthMs = st.columnInt64(20);
            // No Sparkplug session survives a restart: until its next BIRTH the host knows
            // nothing current of it, so it opens offline with the values stale since it was
            // last heard from (not "online" from a session long gone). A reader of a
            // recorder's cache takes what the recorder stored.
            if (device.online && sparkplug == SparkplugState::SessionsEnded) {
                device.online = false;
                if (device.staleSinceMs == 0)
                    device.staleSinceMs = device.lastSeenMs;
            }
        }
        devices.append(std::move(device));
    }
    if (rc != SQLITE_DONE)
        return fail(st.errorMessage());

    if (!st.prepare(m_db.handle(),
                    "SELECT source, path, metric, type, value FROM device_metrics"
                    " ORDER BY source, path, metric",
                    &sqlError))
        return fail(sqlError);
    DeviceCursor metricOwner(keys);
    while ((rc = st.step()) == SQLITE_ROW) {
        const qsizetype index = metricOwner.find(st.columnView(0), st.columnView(1));
        if (index < 0)
            continue;
        MetricValues &metrics = devices[index].metrics;
        if (metrics.isEmpty())
            metrics.reserve(4);  // the usual few, without growing 1, 2, 4
        metrics.append(storedMetric(st, names.get(st, 2)));
    }
    if (rc != SQLITE_DONE)
        return fail(st.errorMessage());

    if (!st.prepare(m_db.handle(),
                    "SELECT source, path, reason, count FROM device_rejects ORDER BY source, path",
                    &sqlError))
        return fail(sqlError);
    DeviceCursor rejectOwner(keys);
    while ((rc = st.step()) == SQLITE_ROW) {
        const qsizetype index = rejectOwner.find(st.columnView(0), st.columnView(1));
        if (index < 0)
            continue;
        const QString key = names.get(st, 2);
        RejectReason reason;
        if (!rejectReasonFromKey(key, &reason)) {
            // Written by a newer FleetDeck with the same schema: keep going, but say so.
            qCWarning(lcStorage).noquote() << "ignoring unknown reject reason" << key << "of"
                                           << devices.at(index).id;
            continue;
        }
        devices[index].rejects[size_t(reason)] = quint32(st.columnInt64(3));
    }
    if (rc != SQLITE_DONE)
        return fail(st.errorMessage());
    st.finalize();
    if (!m_db.exec("COMMIT", &sqlError))
        return fail(sqlError);
    return devices;
}

QList<DeviceKey> InventoryStore::findDevices(const QString &name, const QString &source, QString *error) const
{
    SqlStatement st;
    QString sqlError;
    // A path match wins over an id match (a protocol v1 path is its id anyway).
    if (!st.prepare(m_db.handle(),
                    "SELECT source, path, path = ?1 FROM devices WHERE (path = ?1 OR id = ?1)"
                    " AND (?2 = '' OR source = ?2) ORDER BY source, path",
                    &sqlError)) {
        if (error)
            *error = sqlError;
        return {};
    }
    st.bindText(1, name);
    st.bindText(2, source);
    QList<DeviceKey> byPath;
    QList<DeviceKey> byId;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        (st.columnInt64(2) ? byPath : byId).append(DeviceKey(st.columnText(0), st.columnText(1)));
    if (rc != SQLITE_DONE) {
        failWith(st, error);
        return {};
    }
    return byPath.isEmpty() ? byId : byPath;
}

qint64 InventoryStore::lastUpdatedMs() const
{
    return queryInt64("SELECT coalesce(max(updated_ms), 0) FROM devices");
}

QList<TelemetrySample> InventoryStore::samples(const DeviceKey &device, qint64 fromMs,
                                               qint64 toMs) const
{
    SqlStatement st;
    QString error;
    if (!st.prepare(m_db.handle(), kSelectSeries, &error)) {
        qCWarning(lcStorage).noquote() << "reading the cache failed:" << error;
        return {};
    }
    st.bindText(1, device.source);
    st.bindText(2, device.path);
    qint64 deviceKey = -1;
    QList<QPair<qint64, QString>> series;
    {
        SqlStatement key;
        if (!key.prepare(m_db.handle(), "SELECT id FROM device_keys WHERE source = ?1 AND path = ?2", &error)) {
            qCWarning(lcStorage).noquote() << "reading the cache failed:" << error;
            return {};
        }
        key.bindText(1, device.source);
        key.bindText(2, device.path);
        if (key.step() == SQLITE_ROW)
            deviceKey = key.columnInt64(0);
    }
    int rc;
    while ((rc = st.step()) == SQLITE_ROW)
        series.append({st.columnInt64(0), st.columnText(1)});
    if (rc != SQLITE_DONE) {
        failWith(st, nullptr);
        return {};
    }
    // Every point of every metric, then regrouped by timestamp.
    QMap<qint64, MetricValues> byTime;
    RawSeriesReader reader(m_db);
    SeriesPoints points;
    for (const auto &[metricKey, name] : std::as_const(series)) {
        if (!reader.read(deviceKey, metricKey, fromMs, toMs, &points, &error)) {
            qCWarning(lcStorage).noquote() << "reading the cache failed:" << error;
            return {};
        }
        for (const SeriesPoint &p : points)
            byTime[p.tsMs].append(p.toMetric(name));
    }
    QList<TelemetrySample> result;
    result.reserve(byTime.size());
    const QString deviceId = device.id();
    for (auto it = byTime.begin(); it != byTime.end(); ++it) {
        TelemetrySample sample;
        sample.source = device.source;
        sample.path = device.path;
        sample.deviceId = deviceId;
        sample.timestampMs = it.key();
        sample.metrics = std::move(it.value());
        result.append(std::move(sample));
    }
    return result;
}

qint64 InventoryStore::sampleCount() const
{
    qint64 points = 0;
    QString error;
    if (!RawSeriesReader(m_db).countAll(&points, &error))
        qCWarning(lcStorage).noquote() << "reading the cache failed:" << error;
    return points;
}

qint64 InventoryStore::queryInt64(const char *sql) const
{
    SqlStatement st;
    QString error;
    if (!st.prepare(m_db.handle(), sql, &error)) {
        qCWarning(lcStorage).noquote() << "reading the cache failed:" << error;
        return 0;
    }
    if (st.step() != SQLITE_ROW) {
        failWith(st, nullptr);
        return 0;
    }
    return st.columnInt64(0);
}

} // namespace fd
