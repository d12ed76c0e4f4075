#include "app/ctl/audit_command.h"

#include "core/operations/audit_json.h"
#include "core/operations/audit_query.h"
#include "core/operations/operations_schema.h"
#include "core/operations/operations_store.h"
#include "core/storage/database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

namespace fd {

int AuditCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print the audit log of the operations store beside a cache database."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"),
                                      QStringLiteral("Cache database file; the operations store is "
                                                     "<dir>/<basename>.operations.sqlite beside it."),
                                      QStringLiteral("CACHE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOptions({dbOption, jsonOption});
    parser.process(QStringList{QStringLiteral("fleetdeckctl audit")} + arguments);

    QTextStream err(stderr);
    QTextStream out(stdout);
    const QString cachePath = parser.value(dbOption);
    if (cachePath.isEmpty()) {
        err << "fleetdeckctl audit: --db CACHE is required\n";
        return 2;
    }
    const QString path = OperationsStore::pathForCache(cachePath);
    QList<AuditEntry> entries;
    if (QFileInfo::exists(path)) {
        Database db;
        const Database::OpenResult opened = db.open(path, operationsSchema(), /*readOnly=*/true);
        if (!opened.ok()) {
            err << "fleetdeckctl audit: " << opened.message << '\n';
            return 2;
        }
        QString error;
        entries = AuditQuery(db).read(AuditFilter{}, &error);
        if (!error.isEmpty()) {
            err << "fleetdeckctl audit: cannot read " << path << ": " << error << '\n';
            return 2;
        }
    }

    if (parser.isSet(jsonOption)) {
        if (entries.isEmpty())
            out << "[]\n";  // QJsonDocument would print "[\n]"
        else
            out << QJsonDocument(AuditJson::toJson(entries)).toJson(QJsonDocument::Indented);
        return 0;
    }
    out << qSetFieldWidth(30) << Qt::left << "TIME (UTC)" << qSetFieldWidth(16) << "ACTOR"
        << qSetFieldWidth(32) << "ACTION" << qSetFieldWidth(28) << "DEVICE" << qSetFieldWidth(0) << "DETAIL\n";
    for (const AuditEntry &e : std::as_const(entries)) {
        const QString time = QDateTime::fromMSecsSinceEpoch(e.tsMs, Qt::UTC).toString(Qt::ISODateWithMs);
        const QString device = e.devicePath.isEmpty() ? QStringLiteral("-")
                                                      : (e.source.isEmpty() ? e.devicePath
                                                                            : e.source + QLatin1Char(':') + e.devicePath);
        out << qSetFieldWidth(30) << time << qSetFieldWidth(16) << e.actor << qSetFieldWidth(32) << e.action
            << qSetFieldWidth(28) << device << qSetFieldWidth(0) << e.detail << '\n';
    }
    out << entries.size() << " audit entries\n";
    return 0;
}

} // namespace fd
