#pragma once

#include "core/protocol/decode_sink.h"

#include <QStringList>

namespace fd::test {

// The handle bookkeeping of a test DecodeSink: each path named by device() gets a handle
// (its index, in order of first mention) and its id (the last segment). Subclasses record
// the events they care about; m_paths.at(handle) is the path of a handle.
class PathHandleSink : public DecodeSink
{
public:
    int device(QByteArrayView path) override
    {
        const QString p = QString::fromUtf8(path);
        qsizetype i = m_paths.indexOf(p);
        if (i < 0) {
            m_paths.append(p);
            m_ids.append(p.section(u'/', -1));
            i = m_paths.size() - 1;
        }
        return int(i);
    }
    const QString &deviceId(int handle) const override { return m_ids.at(handle); }

protected:
    QStringList m_paths;
    QStringList m_ids;
};

} // namespace fd::test
