#include "core/ingest/cache_loader.h"

#include "core/storage/inventory_store.h"

namespace fd {

void CacheLoader::load(const QString &path, Database *db)
{
    Loaded out;
    out.result = db->open(path);
    if (out.result.ok()) {
        QString error;
        out.devices = InventoryStore(*db).loadDevices(&error);
        if (!error.isEmpty()) {
            db->close();
            out.devices.clear();
            out.result = {Database::OpenStatus::Unreadable, error, out.result.schemaVersion};
        } else {
            out.asOfMs = InventoryStore(*db).lastUpdatedMs();
        }
    }
    emit loaded(out);
}

} // namespace fd
