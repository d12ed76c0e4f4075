#pragma once

#include "core/domain/device.h"
#include "core/storage/database.h"

#include <QList>
#include <QObject>

namespace fd {

// Opens the cache (integrity check, migrations: both can take long on a big file) and loads
// the inventory, on its own thread ("fleetdeck-open"), so the GUI thread never waits for
// the disk. FleetSession::openAsync() runs one and hands it the session's read connection.
class CacheLoader : public QObject
{
    Q_OBJECT
public:
    struct Loaded
    {
        Database::OpenResult result;
        QList<Device> devices;
        qint64 asOfMs = 0;
    };

    using QObject::QObject;

public slots:
    // Opens db at path (the caller does not touch db until loaded() arrives).
    void load(const QString &path, fd::Database *db);

signals:
    void loaded(const fd::CacheLoader::Loaded &loaded);
};

} // namespace fd

Q_DECLARE_METATYPE(fd::CacheLoader::Loaded)
