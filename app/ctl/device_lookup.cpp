#include "app/ctl/device_lookup.h"

#include "core/storage/database.h"
#include "core/storage/inventory_store.h"

#include <QTextStream>

#include <algorithm>

namespace fd {

std::optional<DeviceKey> DeviceLookup::find(Database &db, const QString &name, const QString &source,
                                            const QString &cachePath, const char *prefix, const char *nothingDone,
                                            QTextStream &err, int *exitCode)
{
    QString error;
    const QList<DeviceKey> matches = InventoryStore(db).findDevices(name, source, &error);
    if (!error.isEmpty()) {
        err << prefix << error << '\n';
        *exitCode = 2;
        return std::nullopt;
    }
    if (matches.isEmpty()) {
        err << prefix << "no device " << name;
        if (!source.isEmpty())
            err << " of the source " << source;
        err << " in " << cachePath << '\n';
        *exitCode = 1;
        return std::nullopt;
    }
    if (matches.size() > 1) {
        const bool sameSource = std::all_of(matches.cbegin(), matches.cend(), [&](const DeviceKey &k) {
            return k.source == matches.constFirst().source;
        });
        err << prefix << name << " names " << matches.size() << " devices:";
        for (const DeviceKey &key : matches)
            err << "\n  " << key.source << " / " << key.path;
        err << '\n' << prefix << (sameSource ? "give the device's full path" : "say which with --source NAME")
            << nothingDone << '\n';
        *exitCode = 1;
        return std::nullopt;
    }
    return matches.constFirst();
}

} // namespace fd
