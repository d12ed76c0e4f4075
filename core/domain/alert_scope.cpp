#include "core/domain/alert_scope.h"

#include <QCoreApplication>

namespace fd {

bool AlertScope::matches(const QString &deviceSource, const QString &devicePath, const QString &site,
                         const QString &model, const QStringList &tags) const
{
    switch (kind) {
    case Kind::All: return true;
    case Kind::Source: return deviceSource == value;
    case Kind::Site: return site == value;
    case Kind::Model: return model == value;
    case Kind::Tag: return tags.contains(value);
    case Kind::Device: return devicePath == value && (source.isEmpty() || source == deviceSource);
    }
    return false;
}

bool AlertScope::coversSource(const QString &deviceSource) const
{
    switch (kind) {
    case Kind::All: return true;
    case Kind::Source: return deviceSource == value;
    case Kind::Device: return source.isEmpty() || source == deviceSource;
    case Kind::Site:
    case Kind::Model:
    case Kind::Tag: return true;  // may hold devices of any source
    }
    return false;
}

QString AlertScope::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::All: return QStringLiteral("all");
    case Kind::Source: return QStringLiteral("source");
    case Kind::Site: return QStringLiteral("site");
    case Kind::Model: return QStringLiteral("model");
    case Kind::Tag: return QStringLiteral("tag");
    case Kind::Device: return QStringLiteral("device");
    }
    return QStringLiteral("all");
}

std::optional<AlertScope::Kind> AlertScope::kindFromKey(QStringView key)
{
    for (Kind k : {Kind::All, Kind::Source, Kind::Site, Kind::Model, Kind::Tag, Kind::Device}) {
        if (key == kindKey(k))
            return k;
    }
    return std::nullopt;
}

QString AlertScope::displayText() const
{
    switch (kind) {
    case Kind::All: return QCoreApplication::translate("fd::AlertScope", "all devices");
    case Kind::Source: return QCoreApplication::translate("fd::AlertScope", "source %1").arg(value);
    case Kind::Site: return QCoreApplication::translate("fd::AlertScope", "site %1").arg(value);
    case Kind::Model: return QCoreApplication::translate("fd::AlertScope", "model %1").arg(value);
    case Kind::Tag: return QCoreApplication::translate("fd::AlertScope", "tag %1").arg(value);
    case Kind::Device:
        return source.isEmpty() ? QCoreApplication::translate("fd::AlertScope", "device %1").arg(value)
                                : QCoreApplication::translate("fd::AlertScope", "device %1 (%2)").arg(value, source);
    }
    return {};
}

} // namespace fd
