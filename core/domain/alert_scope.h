#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace fd {

// Which devices an alert rule watches: all of them, those of one source (connection), one
// site, one model, one tag, or one device (by path, optionally in one source). Values are
// compared exactly (case-sensitive), as the devices report them.
struct AlertScope
{
    enum class Kind : quint8 { All, Source, Site, Model, Tag, Device };

    Kind kind = Kind::All;
    QString value;   // the source, site, model, tag or device path; empty for All
    QString source;  // Device only: the device's source; empty = that path in any source

    static AlertScope all() { return {}; }
    static AlertScope of(Kind kind, QString value, QString source = {})
    {
        AlertScope s;
        s.kind = kind;
        s.value = std::move(value);
        s.source = std::move(source);
        return s;
    }

    bool matches(const QString &deviceSource, const QString &devicePath, const QString &site,
                 const QString &model, const QStringList &tags) const;
    // Whether the scope may hold devices of that source (source-level alerts: a source
    // that is down takes all its devices with it).
    bool coversSource(const QString &deviceSource) const;

    static QString kindKey(Kind kind);  // "all", "source", "site", "model", "tag", "device"
    static std::optional<Kind> kindFromKey(QStringView key);
    // "all devices", "site Lyon-Nord", "device dev-00001 (broker-a)": plain text.
    QString displayText() const;

    friend bool operator==(const AlertScope &, const AlertScope &) = default;
};

} // namespace fd
