#include "app/ctl/rules_command.h"

#include "core/alerts/alert_rule_json.h"
#include "core/alerts/alert_service.h"
#include "core/operations/operations_store.h"
#include "core/storage/database.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

namespace fd {
namespace {

constexpr int kTimeoutMs = 60000;

// Runs the event loop until done() says so or the timeout; false on timeout.
bool waitUntil(const std::function<bool()> &done)
{
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

QString osUser()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? QStringLiteral("fleetdeckctl") : user;
}

// Opens the store beside the cache and loads the alerts; false with the reason printed.
bool openService(const QString &cachePath, OperationsStore &store, AlertService &service, QTextStream &err)
{
    bool openDone = false;
    Database::OpenResult openResult;
    QObject::connect(&store, &OperationsStore::opened, [&](const Database::OpenResult &r) {
        openResult = r;
        openDone = true;
    });
    store.open(OperationsStore::pathForCache(cachePath));
    if (!waitUntil([&] { return openDone; }) || !openResult.ok()) {
        err << "fleetdeckctl rules: cannot open the operations store "
            << OperationsStore::pathForCache(cachePath) << ": "
            << (openDone ? openResult.message : QStringLiteral("timed out")) << '\n';
        return false;
    }
    bool loadDone = false;
    bool loadOk = false;
    QString loadError;
    QObject::connect(&service, &AlertService::loaded, [&](bool ok, const QString &error) {
        loadDone = true;
        loadOk = ok;
        loadError = error;
    });
    service.start();
    if (!waitUntil([&] { return loadDone; }) || !loadOk) {
        err << "fleetdeckctl rules: cannot read the alert rules: " << (loadDone ? loadError : QStringLiteral("timed out"))
            << '\n';
        return false;
    }
    return true;
}

int importRules(const QString &cachePath, const QString &file, QTextStream &out, QTextStream &err)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        err << "fleetdeckctl rules import: cannot read " << file << ": " << in.errorString() << '\n';
        return 2;
    }
    if (in.size() > AlertRuleJson::kMaxFileBytes) {
        err << "fleetdeckctl rules import: " << file << " is larger than "
            << AlertRuleJson::kMaxFileBytes / (1024 * 1024) << " MiB\n";
        return 2;
    }
    const AlertRuleJson::ParseResult parsed = AlertRuleJson::parse(in.read(AlertRuleJson::kMaxFileBytes + 1));
    if (!parsed.ok()) {
        err << "fleetdeckctl rules import: " << file << " was not imported:\n";
        for (const QString &e : parsed.errors)
            err << "  " << e << '\n';
        return 2;
    }
    // The cache first (created when missing), so that the store sits beside a real cache.
    if (!QFileInfo::exists(cachePath)) {
        Database cache;
        const Database::OpenResult created = cache.open(cachePath);
        if (!created.ok()) {
            err << "fleetdeckctl rules import: cannot create the cache " << cachePath << ": " << created.message << '\n';
            return 2;
        }
    }
    OperationsStore store;
    AlertService service(&store, osUser());
    if (!openService(cachePath, store, service, err))
        return 2;
    int added = 0;
    int replaced = 0;
    for (const AlertRule &r : parsed.rules) {
        bool exists = false;
        for (const AlertRule &known : service.rules())
            exists = exists || known.name == r.name;
        (exists ? replaced : added) += 1;
    }
    bool done = false;
    bool ok = false;
    QString error;
    quint64 request = 0;
    QObject::connect(&service, &AlertService::actionFinished, [&](quint64 id, bool success, const QString &reason) {
        if (id != request)
            return;
        done = true;
        ok = success;
        error = reason;
    });
    request = service.importRules(parsed.rules);
    if (!waitUntil([&] { return done; }) || !ok) {
        err << "fleetdeckctl rules import: nothing imported: " << (done ? error : QStringLiteral("timed out")) << '\n';
        return 2;
    }
    store.shutdown();
    out << "imported " << parsed.rules.size() << " rules (" << added << " new, " << replaced << " replaced) into "
        << OperationsStore::pathForCache(cachePath) << '\n';
    return 0;
}

int exportRules(const QString &cachePath, const QString &outPath, QTextStream &out, QTextStream &err)
{
    QList<AlertRule> rules;
    if (QFileInfo::exists(OperationsStore::pathForCache(cachePath))) {
        OperationsStore store;
        AlertService service(&store, osUser());
        if (!openService(cachePath, store, service, err))
            return 2;
        rules = service.rules();
        store.shutdown();
    }
    const QByteArray document = AlertRuleJson::serialize(rules);
    if (outPath.isEmpty()) {
        out << QString::fromUtf8(document);
        return 0;
    }
    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(document) != document.size() || !file.commit()) {
        err << "fleetdeckctl rules export: cannot write " << outPath << ": " << file.errorString() << '\n';
        return 2;
    }
    return 0;
}

} // namespace

int RulesCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Import or export the alert rules of the operations store beside a cache (format: docs/alerts.md).\n"
        "  fleetdeckctl rules import --db CACHE FILE\n"
        "  fleetdeckctl rules export --db CACHE [--out FILE]"));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Cache database file."),
                                      QStringLiteral("CACHE"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Write the export to FILE, not stdout."),
                                       QStringLiteral("FILE"));
    parser.addOptions({dbOption, outOption});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("import or export"));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("the rules file (import)"));
    parser.process(QStringList{QStringLiteral("fleetdeckctl rules")} + arguments);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    const QString cachePath = parser.value(dbOption);
    if (positional.isEmpty() || cachePath.isEmpty()) {
        err << "fleetdeckctl rules: usage: fleetdeckctl rules import --db CACHE FILE | rules export --db CACHE\n";
        return 2;
    }
    if (positional.first() == u"import") {
        if (positional.size() != 2) {
            err << "fleetdeckctl rules import: exactly one FILE is required\n";
            return 2;
        }
        return importRules(cachePath, positional.at(1), out, err);
    }
    if (positional.first() == u"export") {
        if (positional.size() != 1) {
            err << "fleetdeckctl rules export: unexpected argument " << positional.at(1) << '\n';
            return 2;
        }
        return exportRules(cachePath, parser.value(outOption), out, err);
    }
    err << "fleetdeckctl rules: unknown action '" << positional.first() << "' (import or export)\n";
    return 2;
}

} // namespace fd
