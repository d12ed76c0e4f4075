#include "app/ctl/ota_store_reader.h"

#include "app/ctl/operations_file.h"
#include "core/ota/artifact_table.h"
#include "core/ota/release_key_table.h"
#include "core/storage/database.h"

namespace fd {
namespace {

constexpr int kOtaSchemaVersion = 3;  // release_keys and artifacts appeared in v3

template <typename Read>
bool readStore(const QString &cachePath, const char *command, QTextStream &err, Read read)
{
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    if (!OperationsFile::openReadOnly(cachePath, command, &db, &exists, &schemaVersion, err))
        return false;
    if (!exists || schemaVersion < kOtaSchemaVersion)
        return true;
    QString error;
    if (!read(db, &error)) {
        err << "fleetdeckctl " << command << ": cannot read " << db.path() << ": " << error << '\n';
        return false;
    }
    return true;
}

} // namespace

bool OtaStoreReader::readKeys(const QString &cachePath, const char *command, QList<ReleaseKeyRecord> *keys,
                              QTextStream &err)
{
    return readStore(cachePath, command, err,
                     [&](Database &db, QString *error) { return ReleaseKeyTable::list(db.handle(), keys, error); });
}

bool OtaStoreReader::readArtifacts(const QString &cachePath, const char *command, QList<FirmwareArtifact> *artifacts,
                                   QTextStream &err)
{
    return readStore(cachePath, command, err,
                     [&](Database &db, QString *error) { return ArtifactTable::list(db.handle(), artifacts, error); });
}

} // namespace fd
