#include "app/ctl/devices_command.h"

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
    parser.setApplicationDescription(QStringLiteral("Print the cached device inventory."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Cache database file."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOptions({dbOption, jsonOption});
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
    Database db;
    const Database::OpenResult opened = db.open(path, /*readOnly=*/true);
    if (!opened.ok()) {
        err << "fleetdeckctl devices: " << opened.message << '\n';
        return 2;
    }
    QString error;
    const QList<Device> devices = InventoryStore(db).loadDevices(&error);
    if (!error.isEmpty()) {
        err << "fleetdeckctl devices: " << error << '\n';
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
