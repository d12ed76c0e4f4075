#include "app/ctl/devices_command.h"

#include "app/ctl/device_delete_command.h"
#include "app/ctl/device_json.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace fd {

int DevicesCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the cached device inventory, or delete a device from it."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Cache database file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    const QCommandLineOption deleteOption(
        QStringLiteral("delete"),
        QStringLiteral("Delete the device ID (its path, or its own id) from the cache: its latest values, reject "
                       "counts, raw telemetry and rollups. Recorded in the audit log of the operations store beside "
                       "the cache. An id heard on several sources needs --source. Safe while a recorder writes the "
                       "cache; that recorder writes the device back if it hears from it again."),
        QStringLiteral("ID"));
    const QCommandLineOption sourceOption(
        QStringLiteral("source"),
        QStringLiteral("Only devices of this source (the connection name, e.g. the --broker NAME of record)."),
        QStringLiteral("NAME"));
    parser.addOptions({dbOption, jsonOption, deleteOption, sourceOption});
    parser.process(QStringList{QStringLiteral("fleetdeckctl devices")} + arguments);

    QTextStream err(stderr);
    QTextStream out(stdout);
    const QString path = parser.value(dbOption);
    if (path.isEmpty()) {
        err << "fleetdeckctl devices: --db FILE is required\n";
        return 2;
    }
    if (!QFileInfo::exists(path)) {
        err << "fleetdeckctl devices: " << path << " does not exist\n";
        return 2;
    }
    const QString source = parser.value(sourceOption);
    if (parser.isSet(deleteOption)) {
        const QString name = parser.value(deleteOption);
        if (name.isEmpty()) {
            err << "fleetdeckctl devices: --delete needs a device id\n";
            return 2;
        }
        return DeviceDeleteCommand::run(path, name, source, out, err);
    }
    Database db;
    const Database::OpenResult opened = db.open(path, /*readOnly=*/true);
    if (!opened.ok()) {
        err << "fleetdeckctl devices: " << opened.message << '\n';
        return 2;
    }
    QString error;
    // What the recorder stored: a running recorder keeps Sparkplug nodes and devices current
    // (online, stale_since), a stopped one marked them offline when it disconnected.
    QList<Device> devices = InventoryStore(db).loadDevices(&error, InventoryStore::SparkplugState::AsStored);
    if (!source.isEmpty())
        devices.removeIf([&source](const Device &d) { return d.source != source; });
    if (!error.isEmpty()) {
        err << "fleetdeckctl devices: cannot read " << path << ": " << error << '\n';
        return 2;
    }

    if (parser.isSet(jsonOption)) {
        out << QJsonDocument(DeviceJson::toJson(devices)).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << qSetFieldWidth(24) << Qt::left << "ID" << "NAME" << "SITE" << "MODEL" << qSetFieldWidth(10)
        << "FIRMWARE" << "ONLINE" << qSetFieldWidth(0) << "LAST SEEN (UTC)\n";
    for (const Device &d : devices) {
        const QString seen = d.lastSeenMs > 0
                                 ? QDateTime::fromMSecsSinceEpoch(d.lastSeenMs, Qt::UTC).toString(Qt::ISODate)
                                 : QStringLiteral("never");
        out << qSetFieldWidth(24) << d.id << d.name << d.site << d.model << qSetFieldWidth(10) << d.fwVersion
            << (d.online ? "yes" : "no") << qSetFieldWidth(0) << seen << '\n';
    }
    out << devices.size() << " devices\n";
    return 0;
}

} // namespace fd
