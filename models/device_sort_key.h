#pragma once

#include <QStringView>
#include <QtGlobal>

namespace fd {

// A precomputed, order-preserving sort key of one cell, compared as two unsigned integers
// (so sorting a million rows compares integers, not strings or variants).
//  - numbers: an order-preserving encoding in `hi` (`lo` = 0); a missing value is the
//    largest key (after every number);
//  - text: the first 15 bytes of the case-folded UTF-8 text, big-endian (`hi` = bytes 0-7,
//    `lo` = bytes 8-14 then a last byte that is 1 when the text is longer than 15 bytes).
//    Two keys that are equal and both `truncated()` need the full texts to be ordered.
// Text order is code point order of the case-folded text (QString::compare with
// Qt::CaseInsensitive gives the same order for text without surrogates).
struct DeviceSortKey
{
    quint64 hi = 0;
    quint64 lo = 0;

    bool truncated() const { return (lo & 0xff) != 0; }

    static DeviceSortKey ofUnsigned(quint64 v) { return {v, 0}; }
    static DeviceSortKey ofSigned(qint64 v) { return {quint64(v) ^ (quint64(1) << 63), 0}; }
    static DeviceSortKey ofDouble(double v);
    static DeviceSortKey missing() { return {~quint64(0), ~quint64(0)}; }
    static DeviceSortKey ofText(QStringView text);

    friend bool operator==(const DeviceSortKey &, const DeviceSortKey &) = default;
    friend bool operator<(const DeviceSortKey &a, const DeviceSortKey &b)
    {
        return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
    }
};

} // namespace fd
