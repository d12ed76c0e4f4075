#pragma once

#include <QCommandLineOption>
#include <QString>
#include <QTextStream>

namespace fd {

class Database;

// The operations store beside a cache, as the read-only commands (`audit`, `alerts`) open it.
class OperationsFile
{
public:
    // `--db CACHE`, described the same way by every command that reads the store.
    static QCommandLineOption cacheOption();
    // Opens the store beside cachePath read-only into *db. No store yet: true with *exists
    // false (there is nothing to print). A store that does not open: false, with the reason
    // on err after "fleetdeckctl <command>: ".
    static bool openReadOnly(const QString &cachePath, const char *command, Database *db, bool *exists,
                             int *schemaVersion, QTextStream &err);
};

} // namespace fd
