#pragma once

#include <QByteArray>

#include <vector>

namespace fd {

class DeviceInventoryModel;

// The case-folded UTF-8 id and name of every inventory row, in one byte buffer
// (DeviceInventoryModel::appendSearchText), for the proxy's text filter: a keystroke is a
// byte search per row, no QString and no case folding. A changed row whose text is the
// same (the usual telemetry update) keeps its place; a different text is appended and the
// old bytes become garbage, reclaimed by a rebuild when they reach half of the buffer.
class DeviceSearchText
{
public:
    void clear();
    void rebuild(const DeviceInventoryModel &inventory);  // every row
    void append(const DeviceInventoryModel &inventory, int first, int last);  // new rows
    void update(const DeviceInventoryModel &inventory, int row);  // a changed row
    void removeRows(int first, int last);  // deleted rows; their bytes become garbage
    bool isValid() const { return m_valid; }
    bool needsRebuild() const { return !m_valid || m_garbage > m_text.size() / 2; }

    // Whether row's text contains needle (non-empty): memchr for the first byte, then
    // memcmp (no per-call set-up: the texts are short); the same answer as
    // DeviceFilter::containsFolded.
    bool contains(int row, const QByteArray &needle) const;

private:
    struct Span
    {
        quint32 at = 0;
        quint32 length = 0;
    };

    QByteArray m_text;
    std::vector<Span> m_spans;
    qsizetype m_garbage = 0;
    bool m_valid = false;
};

} // namespace fd
