#pragma once

#include "core/domain/device.h"
#include "models/string_interner.h"

#include <QHash>
#include <QStringList>

#include <vector>

namespace fd {

// The inventory's devices, compactly: one fixed-size record per device (~120 B) with the
// repeated strings (source, site, model, firmware, tags, metric names) interned, metrics packed
// in one arena (16 B per metric), rejected counts only for devices that have some, and an
// open-addressing index from DeviceKey to row (4-8 B per device). A full Device is built
// on demand (device()). Rows are appended and never move, except that removeRows() closes
// the gap of deleted devices (the rows after them move up).
class DeviceRowStore
{
public:
    struct PackedMetric
    {
        union {
            double number;   // Double, Bool (0/1)
            qint64 integer;  // Int64
            quint32 text;    // String: index into the text pool
        };
        quint32 name = 0;  // interned
        MetricType type = MetricType::Double;
    };

    struct Row
    {
        QString path;  // DeviceKey path; the id is path.mid(idStart)
        QString name;
        qint64 lastSeenMs = 0;
        qint64 lastTelemetryMs = 0;
        quint64 lastSeq = 0;
        quint64 messageCount = 0;
        qint64 staleSinceMs = 0;  // Device::staleSinceMs
        quint32 source = 0;  // interned
        quint32 site = 0;
        quint32 model = 0;
        quint32 fwVersion = 0;
        quint32 tags = 0;         // interned joinTags() (0: none); the list in m_tagLists
        quint32 gapCount = 0;
        quint32 rejected = 0;     // total (saturated)
        quint32 metricsAt = 0;    // first PackedMetric in the arena
        quint16 metricCount = 0;
        quint16 metricCapacity = 0;
        quint16 idStart = 0;
        bool online = false;
        bool sparkplug = false;  // has a Sparkplug session (in m_sparkplug)
    };

    int size() const { return int(m_rows.size()); }
    const Row &row(int r) const { return m_rows[size_t(r)]; }
    void reserve(int rows);
    void clear();

    // -1 if unknown.
    int find(const DeviceKey &key) const;
    // Appends d (whose key must be new); returns its row.
    int append(const Device &d);
    // The row of d's key, appended first when new (one index probe); *added tells which.
    int findOrAppend(const Device &d, bool *added);
    // Replaces the values of row r by d's (same key).
    void assign(int r, const Device &d);
    // Removes the rows (sorted, distinct); the others keep their order and move up. One
    // pass, O(rows): the key index is rebuilt (deletions are rare and come in batches).
    void removeRows(const std::vector<int> &rows);
    void removeRows(int first, int last);

    Device device(int r) const;
    QStringView id(int r) const;
    QStringView shownId(int r) const;  // DeviceKey::shownId
    DeviceKey key(int r) const;
    const QString &string(quint32 interned) const { return m_strings.at(interned); }
    qint64 findString(const QString &text) const { return m_strings.find(text); }
    quint32 stringCount() const { return m_strings.size(); }

    // Metrics of row r.
    const PackedMetric *metricsBegin(int r) const { return m_metrics.data() + m_rows[size_t(r)].metricsAt; }
    const PackedMetric *metricsEnd(int r) const { return metricsBegin(r) + m_rows[size_t(r)].metricCount; }
    // The numeric view of metric `name` (interned) of row r, or nullptr (also for a String).
    // O(log n) in the row's metrics (a scan for the usual few).
    const double *findNumber(int r, quint32 name, double *scratch) const;
    // Rows with more metrics than this keep their metric positions sorted by name as well.
    static constexpr quint16 kLinearMetrics = 8;
    MetricValue metricValue(const PackedMetric &m) const;
    RejectCounts rejects(int r) const { return m_rejects.value(quint32(r)); }
    // The Sparkplug B session facts of row r; nullptr for a protocol v1 device.
    const SparkplugSession *sparkplug(int r) const
    {
        if (!m_rows[size_t(r)].sparkplug)
            return nullptr;
        const auto it = m_sparkplug.constFind(quint32(r));
        return it == m_sparkplug.cend() ? nullptr : &it.value();
    }
    // Rows with a Sparkplug session (edge nodes and their devices).
    int sparkplugCount() const { return int(m_sparkplug.size()); }
    // The tags of row r (shared with every device that has the same ones).
    QStringList tags(int r) const { return m_rows[size_t(r)].tags != 0 ? m_tagLists.value(m_rows[size_t(r)].tags) : QStringList(); }
    // Every tag some device has (or had: tag lists are kept once seen), sorted, distinct.
    QStringList distinctTags() const;

private:
    void fill(Row &row, int r, const Device &d);
    void setTags(Row &row, const QStringList &tags);
    void setMetrics(Row &row, int r, const MetricValues &metrics);
    const PackedMetric *findMetric(int r, quint32 name) const;
    void releaseTexts(const Row &row);
    quint32 allocText(const QString &text);
    void compactMetrics();
    size_t slotOf(quint32 source, QStringView path) const;
    void growIndex();
    void indexRow(int r);

    std::vector<Row> m_rows;
    StringInterner m_strings;
    std::vector<PackedMetric> m_metrics;
    size_t m_metricGarbage = 0;
    std::vector<QString> m_texts;     // String metric values
    std::vector<quint32> m_freeTexts;
    QHash<quint32, RejectCounts> m_rejects;  // rows with a rejected message
    QHash<quint32, SparkplugSession> m_sparkplug;  // rows of Sparkplug edge nodes and devices
    // Interned joined tags -> the list, shared by every device with those tags.
    QHash<quint32, QStringList> m_tagLists;
    // Rows with more than kLinearMetrics metrics: positions of their metrics (in the arena's
    // order, which is the device's) sorted by interned name, for a binary search.
    QHash<quint32, std::vector<quint16>> m_metricOrder;
    std::vector<quint32> m_slots;  // row + 1, 0: empty; size a power of two
};

} // namespace fd
