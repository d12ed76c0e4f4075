#include "models/device_search_text.h"

#include "models/device_inventory_model.h"

#include <QByteArrayView>

#include <cstring>

namespace fd {

void DeviceSearchText::clear()
{
    m_text = QByteArray();
    m_spans = {};
    m_garbage = 0;
    m_valid = false;
}

void DeviceSearchText::rebuild(const DeviceInventoryModel &inventory)
{
    const int rows = inventory.rowCount();
    m_text.clear();
    m_text.reserve(qsizetype(rows) * 26);
    m_spans.clear();
    m_spans.reserve(size_t(rows));
    m_garbage = 0;
    m_valid = true;
    if (rows > 0)
        append(inventory, 0, rows - 1);
    m_text.squeeze();
}

void DeviceSearchText::append(const DeviceInventoryModel &inventory, int first, int last)
{
    m_spans.resize(size_t(last) + 1);
    for (int row = first; row <= last; ++row) {
        const qsizetype at = m_text.size();
        inventory.appendSearchText(row, m_text);
        m_spans[size_t(row)] = {quint32(at), quint32(m_text.size() - at)};
    }
}

void DeviceSearchText::update(const DeviceInventoryModel &inventory, int row)
{
    Span &span = m_spans[size_t(row)];
    const qsizetype at = m_text.size();
    inventory.appendSearchText(row, m_text);
    const qsizetype length = m_text.size() - at;
    if (length == qsizetype(span.length)
        && QByteArrayView(m_text.constData() + at, length) == QByteArrayView(m_text.constData() + span.at, length)) {
        m_text.truncate(at);  // unchanged (the usual telemetry update)
        return;
    }
    m_garbage += span.length;
    span = {quint32(at), quint32(length)};
}

void DeviceSearchText::removeRows(int first, int last)
{
    for (int row = first; row <= last; ++row)
        m_garbage += m_spans[size_t(row)].length;
    m_spans.erase(m_spans.begin() + first, m_spans.begin() + last + 1);
}

bool DeviceSearchText::contains(int row, const QByteArray &needle) const
{
    const Span span = m_spans[size_t(row)];
    const size_t m = size_t(needle.size());
    if (m == 0 || m > span.length)
        return m == 0;
    const char *first = needle.constData();
    const char *p = m_text.constData() + span.at;
    const char *end = p + (span.length - m + 1);
    for (; p < end; ++p) {
        p = static_cast<const char *>(std::memchr(p, first[0], size_t(end - p)));
        if (!p)
            return false;
        if (std::memcmp(p + 1, first + 1, m - 1) == 0)
            return true;
    }
    return false;
}

} // namespace fd
