#include "models/device_row_store.h"

#include "core/domain/device_tags.h"

#include <QSet>

#include <algorithm>
#include <limits>
#include <numeric>

#include <sys/mman.h>

namespace fd {

namespace {

// Large arrays filled once (a cache load of a million devices): transparent huge pages
// where the system offers them on request, so filling takes ~500x fewer page faults.
template<typename T>
void adviseHugePages(const std::vector<T> &v)
{
#ifdef MADV_HUGEPAGE
    constexpr uintptr_t huge = 2u << 20;
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(v.data()) + huge - 1) & ~(huge - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(v.data()) + v.capacity() * sizeof(T)) & ~(huge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
    Q_UNUSED(v);
#endif
}

size_t hashOf(quint32 source, QStringView path)
{
    return qHash(path, size_t(source) * 0x9e3779b97f4a7c15ULL);
}

} // namespace

void DeviceRowStore::reserve(int rows)
{
    m_rows.reserve(size_t(rows));
    m_metrics.reserve(size_t(rows) * 4);
    adviseHugePages(m_rows);
    adviseHugePages(m_metrics);
    size_t wanted = 16;
    while (wanted < size_t(rows) * 3 / 2)
        wanted *= 2;
    if (wanted > m_slots.size()) {
        m_slots.assign(wanted, 0);
        for (int r = 0; r < size(); ++r)
            indexRow(r);
    }
}

void DeviceRowStore::clear()
{
    m_rows = {};
    m_strings.clear();
    m_metrics = {};
    m_metricGarbage = 0;
    m_texts = {};
    m_freeTexts = {};
    m_rejects.clear();
    m_sparkplug.clear();
    m_tagLists.clear();
    m_metricOrder.clear();
    m_slots = {};
}

size_t DeviceRowStore::slotOf(quint32 source, QStringView path) const
{
    const size_t mask = m_slots.size() - 1;
    size_t slot = hashOf(source, path) & mask;
    while (true) {
        const quint32 v = m_slots[slot];
        if (v == 0)
            return slot;
        const Row &row = m_rows[v - 1];
        if (row.source == source && row.path == path)
            return slot;
        slot = (slot + 1) & mask;
    }
}

void DeviceRowStore::indexRow(int r)
{
    const Row &row = m_rows[size_t(r)];
    m_slots[slotOf(row.source, row.path)] = quint32(r + 1);
}

void DeviceRowStore::growIndex()
{
    m_slots.assign(std::max<size_t>(16, m_slots.size() * 2), 0);
    for (int r = 0; r < size(); ++r)
        indexRow(r);
}

int DeviceRowStore::find(const DeviceKey &key) const
{
    if (m_slots.empty())
        return -1;
    const qint64 source = m_strings.find(key.source);
    if (source < 0)
        return -1;
    const quint32 v = m_slots[slotOf(quint32(source), key.path)];
    return int(v) - 1;
}

int DeviceRowStore::append(const Device &d)
{
    if ((m_rows.size() + 1) * 3 / 2 > m_slots.size())
        growIndex();
    const int r = size();
    m_rows.emplace_back();
    fill(m_rows.back(), r, d);
    indexRow(r);
    return r;
}

int DeviceRowStore::findOrAppend(const Device &d, bool *added)
{
    if ((m_rows.size() + 1) * 3 / 2 > m_slots.size())
        growIndex();
    const quint32 source = m_strings.intern(d.source);
    const QString &path = d.path.isEmpty() ? d.id : d.path;
    const size_t slot = slotOf(source, path);
    if (m_slots[slot] != 0) {
        *added = false;
        return int(m_slots[slot]) - 1;
    }
    *added = true;
    const int r = size();
    m_rows.emplace_back();
    fill(m_rows.back(), r, d);
    m_slots[slot] = quint32(r + 1);
    return r;
}

void DeviceRowStore::assign(int r, const Device &d)
{
    fill(m_rows[size_t(r)], r, d);
}

void DeviceRowStore::removeRows(int first, int last)
{
    std::vector<int> rows(size_t(std::max(0, last - first + 1)));
    std::iota(rows.begin(), rows.end(), first);
    removeRows(rows);
}

void DeviceRowStore::removeRows(const std::vector<int> &rows)
{
    if (rows.empty() || rows.front() < 0 || rows.back() >= size())
        return;
    // The new number of every row (-1: removed), then everything compacted in one pass.
    std::vector<int> moved(m_rows.size(), -1);
    int next = 0;
    size_t doomed = 0;
    for (int r = 0; r < size(); ++r) {
        if (doomed < rows.size() && rows[doomed] == r) {
            ++doomed;
            const Row &row = m_rows[size_t(r)];
            releaseTexts(row);
            m_metricGarbage += row.metricCapacity;  // reclaimed by the next compaction
            continue;
        }
        moved[size_t(r)] = next;
        if (next != r)
            m_rows[size_t(next)] = std::move(m_rows[size_t(r)]);
        ++next;
    }
    m_rows.resize(size_t(next));
    // Side tables keyed by row: those of the removed rows go, the others are renumbered.
    auto renumber = [&moved](auto &byRow) {
        std::remove_reference_t<decltype(byRow)> kept;
        kept.reserve(byRow.size());
        for (auto it = byRow.begin(); it != byRow.end(); ++it) {
            if (const int to = moved[it.key()]; to >= 0)
                kept.insert(quint32(to), std::move(it.value()));
        }
        byRow = std::move(kept);
    };
    renumber(m_rejects);
    renumber(m_sparkplug);
    renumber(m_metricOrder);
    std::fill(m_slots.begin(), m_slots.end(), 0);
    for (int r = 0; r < size(); ++r)
        indexRow(r);
}

void DeviceRowStore::fill(Row &row, int r, const Device &d)
{
    const QString &path = d.path.isEmpty() ? d.id : d.path;
    if (row.path.constData() != path.constData() || row.path.size() != path.size())
        row.path = path;
    const qsizetype idStart = path.size() - d.id.size();
    row.idStart = quint16(idStart > 0 && idStart < 0xffff && QStringView(path).sliced(idStart) == d.id ? idStart : 0);
    if (row.name.constData() != d.name.constData() || row.name.size() != d.name.size())
        row.name = d.name;
    row.lastSeenMs = d.lastSeenMs;
    row.lastTelemetryMs = d.lastTelemetryMs;
    row.lastSeq = d.lastSeq;
    row.messageCount = d.messageCount;
    row.staleSinceMs = d.staleSinceMs;
    row.source = m_strings.intern(d.source);
    row.site = m_strings.intern(d.site);
    row.model = m_strings.intern(d.model);
    row.fwVersion = m_strings.intern(d.fwVersion);
    setTags(row, d.tags);
    row.gapCount = d.gapCount;
    row.online = d.online;
    const quint64 rejected = d.rejectedCount();
    const bool hadRejects = row.rejected > 0;
    row.rejected = quint32(std::min<quint64>(rejected, std::numeric_limits<quint32>::max()));
    if (rejected > 0)
        m_rejects.insert(quint32(r), d.rejects);
    else if (hadRejects)
        m_rejects.remove(quint32(r));
    const bool sparkplug = d.sparkplug.isSparkplug();
    if (sparkplug)
        m_sparkplug.insert(quint32(r), d.sparkplug);
    else if (row.sparkplug)
        m_sparkplug.remove(quint32(r));
    row.sparkplug = sparkplug;
    setMetrics(row, r, d.metrics);
}

void DeviceRowStore::setTags(Row &row, const QStringList &tags)
{
    if (tags.isEmpty()) {
        row.tags = 0;
        return;
    }
    // The usual update repeats the row's tags (often the very same shared list): no join.
    const auto known = row.tags != 0 ? m_tagLists.constFind(row.tags) : m_tagLists.cend();
    if (known != m_tagLists.cend() && *known == tags)
        return;
    row.tags = m_strings.intern(joinTags(tags));
    if (!m_tagLists.contains(row.tags))
        m_tagLists.insert(row.tags, tags);
}

void DeviceRowStore::releaseTexts(const Row &row)
{
    const PackedMetric *m = m_metrics.data() + row.metricsAt;
    for (quint16 i = 0; i < row.metricCount; ++i) {
        if (m[i].type == MetricType::String) {
            m_texts[m[i].text] = QString();
            m_freeTexts.push_back(m[i].text);
        }
    }
}

quint32 DeviceRowStore::allocText(const QString &text)
{
    if (!m_freeTexts.empty()) {
        const quint32 slot = m_freeTexts.back();
        m_freeTexts.pop_back();
        m_texts[slot] = text;
        return slot;
    }
    m_texts.push_back(text);
    return quint32(m_texts.size() - 1);
}

void DeviceRowStore::setMetrics(Row &row, int r, const MetricValues &metrics)
{
    releaseTexts(row);
    const size_t count = size_t(std::min<qsizetype>(metrics.size(), 0xffff));
    if (count > row.metricCapacity) {
        m_metricGarbage += row.metricCapacity;
        if (m_metricGarbage > 4096 && m_metricGarbage > m_metrics.size() / 2) {
            row.metricCount = 0;  // nothing of this row to keep
            row.metricCapacity = 0;
            compactMetrics();
        }
        row.metricsAt = quint32(m_metrics.size());
        row.metricCapacity = quint16(count);
        m_metrics.resize(m_metrics.size() + count);
    }
    row.metricCount = quint16(count);
    PackedMetric *out = m_metrics.data() + row.metricsAt;
    for (size_t i = 0; i < count; ++i) {
        const MetricValue &v = metrics[qsizetype(i)];
        PackedMetric &m = out[i];
        m.name = m_strings.intern(v.name);
        m.type = v.type;
        switch (v.type) {
        case MetricType::Double:
        case MetricType::Bool: m.number = v.value; break;
        case MetricType::Int64: m.integer = v.integer; break;
        case MetricType::String: m.text = allocText(v.text); break;
        }
    }
    if (count > kLinearMetrics) {
        std::vector<quint16> &order = m_metricOrder[quint32(r)];
        order.resize(count);
        std::iota(order.begin(), order.end(), quint16(0));
        std::sort(order.begin(), order.end(), [out](quint16 a, quint16 b) { return out[a].name < out[b].name; });
    } else if (!m_metricOrder.isEmpty()) {
        m_metricOrder.remove(quint32(r));
    }
}

void DeviceRowStore::compactMetrics()
{
    std::vector<PackedMetric> packed;
    packed.reserve(m_metrics.size() - m_metricGarbage + m_metrics.size() / 8);
    for (Row &row : m_rows) {
        const quint32 at = quint32(packed.size());
        packed.insert(packed.end(), m_metrics.begin() + row.metricsAt,
                      m_metrics.begin() + row.metricsAt + row.metricCount);
        row.metricsAt = at;
        row.metricCapacity = row.metricCount;
    }
    m_metrics = std::move(packed);
    m_metricGarbage = 0;
}

const DeviceRowStore::PackedMetric *DeviceRowStore::findMetric(int r, quint32 name) const
{
    const PackedMetric *begin = metricsBegin(r);
    if (m_rows[size_t(r)].metricCount <= kLinearMetrics) {
        for (const PackedMetric *m = begin, *end = metricsEnd(r); m != end; ++m) {
            if (m->name == name)
                return m;
        }
        return nullptr;
    }
    // A device's metric names are distinct, so there is at most one match.
    const std::vector<quint16> &order = *m_metricOrder.constFind(quint32(r));
    const auto at = std::lower_bound(order.begin(), order.end(), name,
                                     [begin](quint16 position, quint32 n) { return begin[position].name < n; });
    return at != order.end() && begin[*at].name == name ? begin + *at : nullptr;
}

const double *DeviceRowStore::findNumber(int r, quint32 name, double *scratch) const
{
    const PackedMetric *m = findMetric(r, name);
    if (!m)
        return nullptr;
    switch (m->type) {
    case MetricType::Double:
    case MetricType::Bool: return &m->number;
    case MetricType::Int64: *scratch = double(m->integer); return scratch;
    case MetricType::String: return nullptr;
    }
    return nullptr;
}

MetricValue DeviceRowStore::metricValue(const PackedMetric &m) const
{
    const QString &name = m_strings.at(m.name);
    switch (m.type) {
    case MetricType::Double: return MetricValue::ofDouble(name, m.number);
    case MetricType::Bool: return MetricValue::ofBool(name, m.number != 0.0);
    case MetricType::Int64: return MetricValue::ofInt64(name, m.integer);
    case MetricType::String: return MetricValue::ofString(name, m_texts[m.text]);
    }
    return {};
}

QStringView DeviceRowStore::id(int r) const
{
    const Row &row = m_rows[size_t(r)];
    return QStringView(row.path).sliced(row.idStart);
}

QStringView DeviceRowStore::shownId(int r) const
{
    return DeviceKey::shownIdOf(m_rows[size_t(r)].path);
}

DeviceKey DeviceRowStore::key(int r) const
{
    const Row &row = m_rows[size_t(r)];
    return DeviceKey{m_strings.at(row.source), row.path};
}

Device DeviceRowStore::device(int r) const
{
    const Row &row = m_rows[size_t(r)];
    Device d;
    d.source = m_strings.at(row.source);
    d.path = row.path;
    d.id = row.idStart == 0 ? row.path : row.path.sliced(row.idStart);
    d.name = row.name;
    d.model = m_strings.at(row.model);
    d.fwVersion = m_strings.at(row.fwVersion);
    d.site = m_strings.at(row.site);
    if (row.tags != 0)
        d.tags = m_tagLists.value(row.tags);
    d.online = row.online;
    d.gapCount = row.gapCount;
    d.lastSeenMs = row.lastSeenMs;
    d.lastTelemetryMs = row.lastTelemetryMs;
    d.lastSeq = row.lastSeq;
    d.messageCount = row.messageCount;
    d.staleSinceMs = row.staleSinceMs;
    if (row.sparkplug)
        d.sparkplug = m_sparkplug.value(quint32(r));
    d.metrics.reserve(row.metricCount);
    for (const PackedMetric *m = metricsBegin(r), *end = metricsEnd(r); m != end; ++m)
        d.metrics.append(metricValue(*m));
    if (row.rejected > 0)
        d.rejects = m_rejects.value(quint32(r));
    return d;
}

QStringList DeviceRowStore::distinctTags() const
{
    QSet<QString> seen;
    for (const QStringList &list : m_tagLists)
        for (const QString &tag : list)
            seen.insert(tag);
    QStringList tags(seen.cbegin(), seen.cend());
    std::sort(tags.begin(), tags.end(),
              [](const QString &a, const QString &b) { return QString::compare(a, b, Qt::CaseInsensitive) < 0; });
    return tags;
}

} // namespace fd
