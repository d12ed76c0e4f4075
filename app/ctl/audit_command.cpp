#include "app/ctl/audit_command.h"

#include "app/ctl/operations_file.h"
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
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
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
    QList<AuditEntry> entries;
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    if (!OperationsFile::openReadOnly(cachePath, "audit", &db, &exists, &schemaVersion, err))
        return 2;
    if (exists) {
        QString error;
        entries = AuditQuery(db).read(AuditFilter{}, &error);
        if (!error.isEmpty()) {
            err << "fleetdeckctl audit: cannot read " << db.path() << ": " << error << '\n';
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
