#include "app/ctl/alerts_command.h"

#include "app/ctl/operations_file.h"

#include "core/alerts/alert_json.h"
#include "core/alerts/alert_table.h"
#include "core/operations/operations_schema.h"
#include "core/operations/operations_store.h"
#include "core/storage/database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace fd {

int AlertsCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the alerts of the operations store beside a cache."));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    const QCommandLineOption allOption(QStringLiteral("all"), QStringLiteral("Include resolved alerts."));
    parser.addOptions({dbOption, jsonOption, allOption});
    parser.process(QStringList{QStringLiteral("fleetdeckctl alerts")} + arguments);

    QTextStream err(stderr);
    QTextStream out(stdout);
    const QString cachePath = parser.value(dbOption);
    if (cachePath.isEmpty()) {
        err << "fleetdeckctl alerts: --db CACHE is required\n";
        return 2;
    }
    QList<Alert> alerts;
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    if (!OperationsFile::openReadOnly(cachePath, "alerts", &db, &exists, &schemaVersion, err))
        return 2;
    QString error;
    if (exists && schemaVersion >= 2 && !AlertTable(db.handle()).readMany(parser.isSet(allOption), &alerts, &error)) {
        err << "fleetdeckctl alerts: cannot read " << db.path() << ": " << error << '\n';
        return 2;
    }
    if (parser.isSet(jsonOption)) {
        if (alerts.isEmpty())
            out << "[]\n";
        else
            out << QJsonDocument(AlertJson::toJson(alerts)).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << qSetFieldWidth(8) << Qt::left << "ID" << qSetFieldWidth(15) << "SEVERITY" << qSetFieldWidth(15) << "STATUS"
        << qSetFieldWidth(24) << "RULE" << qSetFieldWidth(28) << "DEVICE" << qSetFieldWidth(26) << "LAST (UTC)"
        << qSetFieldWidth(0) << "COUNT\n";
    for (const Alert &a : std::as_const(alerts)) {
        const QString device = a.isGroup() ? QStringLiteral("[%1]").arg(a.groupKey)
                                           : a.device.source + QLatin1Char(':') + a.device.path;
        out << qSetFieldWidth(8) << a.id << qSetFieldWidth(15) << alertSeverityKey(a.severity) << qSetFieldWidth(15)
            << (a.resolved ? QStringLiteral("RESOLVED") : alertStatusKey(a.status)) << qSetFieldWidth(24) << a.ruleName
            << qSetFieldWidth(28) << device << qSetFieldWidth(26)
            << QDateTime::fromMSecsSinceEpoch(a.lastTsMs, Qt::UTC).toString(Qt::ISODateWithMs) << qSetFieldWidth(0)
            << a.count << '\n';
    }
    out << alerts.size() << " alerts\n";
    return 0;
}

} // namespace fd
