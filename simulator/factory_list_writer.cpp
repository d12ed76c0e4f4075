#include "simulator/factory_list_writer.h"

#include <QSaveFile>

namespace fd::sim {

namespace {

QByteArray field(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r'))
        bytes = '"' + bytes.replace("\"", "\"\"") + '"';
    return bytes;
}

} // namespace

QByteArray FactoryListWriter::csv(const QList<FactoryIdentity> &devices)
{
    QByteArray out = "serial,model,claim_code\n";
    for (const FactoryIdentity &d : devices)
        out += field(d.serial) + ',' + field(d.model) + ',' + field(d.claimCode) + '\n';
    return out;
}

bool FactoryListWriter::write(const QString &path, const QList<FactoryIdentity> &devices, QString *error)
{
    const QByteArray bytes = csv(devices);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("--factory-list %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace fd::sim
