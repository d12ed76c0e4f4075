#include "app/ctl/operations_file.h"

#include "core/operations/operations_schema.h"
#include "core/operations/operations_store.h"
#include "core/storage/database.h"

#include <QFileInfo>

namespace fd {

QCommandLineOption OperationsFile::cacheOption()
{
    return QCommandLineOption(QStringLiteral("db"),
                              QStringLiteral("Cache database file; the operations store is "
                                             "<dir>/<basename>.operations.sqlite beside it."),
                              QStringLiteral("CACHE"));
}

bool OperationsFile::openReadOnly(const QString &cachePath, const char *command, Database *db, bool *exists,
                                  int *schemaVersion, QTextStream &err)
{
    const QString path = OperationsStore::pathForCache(cachePath);
    *exists = QFileInfo::exists(path);
    *schemaVersion = 0;
    if (!*exists)
        return true;
    const Database::OpenResult opened = db->open(path, operationsSchema(), /*readOnly=*/true);
    if (!opened.ok()) {
        err << "fleetdeckctl " << command << ": " << opened.message << '\n';
        return false;
    }
    *schemaVersion = opened.schemaVersion;
    return true;
}

} // namespace fd
