#pragma once

#include "core/ota/firmware_artifact.h"
#include "core/ota/release_key_record.h"

#include <QList>
#include <QString>
#include <QTextStream>

namespace fd {

// Reads release keys and artifacts from the operations store beside a cache, read-only
// (OperationsFile). No store yet, or one from before schema v3: empty lists. False with the
// reason printed on err after "fleetdeckctl <command>: ".
class OtaStoreReader
{
public:
    static bool readKeys(const QString &cachePath, const char *command, QList<ReleaseKeyRecord> *keys,
                         QTextStream &err);
    static bool readArtifacts(const QString &cachePath, const char *command, QList<FirmwareArtifact> *artifacts,
                              QTextStream &err);
};

} // namespace fd
