#pragma once

#include <QHashFunctions>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <utility>

namespace fd {

// Who a device is: the source it was heard on (the name of a connection, i.e. a broker
// profile, or "default" for caches recorded before sources existed) and its path in that
// source's namespace, segments joined by '/':
//   protocol v1:   "dev-00001"                 (the device id)
//   Sparkplug B:   "group/edge-node"           (an edge node)
//                  "group/edge-node/device"    (a device behind it)
// No segment contains '/', '+', '#' or a control character (the decoders reject such
// ids), so the joined form is unambiguous. Two brokers that both carry "dev-1" give two
// keys. Cheap to copy: both strings are implicitly shared, and for protocol v1 the path
// shares the id's buffer.
struct DeviceKey
{
    QString source;
    QString path;

    // Not an aggregate on purpose: {"a", "temp"} for a struct holding a DeviceKey and a
    // metric must not silently become DeviceKey{"a", "temp"}.
    DeviceKey() = default;
    DeviceKey(QString source_, QString path_)
        : source(std::move(source_))
        , path(std::move(path_))
    {
    }

    static QString defaultSource() { return QStringLiteral("default"); }
    static QChar separator() { return QLatin1Char('/'); }

    bool isNull() const { return path.isEmpty(); }
    QStringList segments() const { return path.split(separator()); }
    // The last path segment: the device's own id.
    QString id() const
    {
        const qsizetype cut = path.lastIndexOf(separator());
        return cut < 0 ? path : path.mid(cut + 1);
    }
    // The id as an operator tells devices of one source apart: the id, and for a device
    // behind a Sparkplug edge node "edge-node/device" (gateways often name their children
    // alike: two "boiler-01" under gw-01 and gw-02). The group is the device's site.
    QString shownId() const { return shownIdOf(path).toString(); }
    static QStringView shownIdOf(QStringView path)
    {
        const qsizetype first = path.indexOf(separator());
        const qsizetype last = path.lastIndexOf(separator());
        if (first < 0)
            return path;
        return first == last ? path.sliced(last + 1) : path.sliced(first + 1);
    }
    // "source / path", for logs and tooltips (never parsed back).
    QString displayString() const { return source + QStringLiteral(" / ") + path; }

    friend bool operator==(const DeviceKey &, const DeviceKey &) = default;
    friend bool operator<(const DeviceKey &a, const DeviceKey &b)
    {
        const int c = QString::compare(a.source, b.source);
        return c != 0 ? c < 0 : a.path < b.path;
    }
};

inline size_t qHash(const DeviceKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.source, key.path);
}

} // namespace fd

Q_DECLARE_METATYPE(fd::DeviceKey)
