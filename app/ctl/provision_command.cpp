#include "app/ctl/provision_command.h"

#include "app/ctl/operations_file.h"
#include "app/ctl/operations_job_runner.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_key_vault.h"
#include "core/pki/ca_table.h"
#include "core/pki/fleet_ca.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/expected_device_table.h"
#include "core/provisioning/provisioning_request_table.h"
#include "core/provisioning/provisioning_service.h"
#include "core/storage/database.h"
#include "core/transport/broker_url.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace fd {
namespace {

constexpr int kExitRefused = 2;
constexpr int kExitFailure = 1;
constexpr int kProvisioningSchemaVersion = 4;

int refuse(QTextStream &err, const QString &verb, const QString &reason, int code = kExitRefused)
{
    err << "fleetdeckctl provision " << verb << ": " << reason << '\n';
    err.flush();
    return code;
}

int runImport(const QCommandLineParser &parser, const QString &cache, QTextStream &out, QTextStream &err)
{
    const QString path = parser.value(QStringLiteral("csv"));
    if (path.isEmpty())
        return refuse(err, QStringLiteral("import"), QStringLiteral("--csv FILE is required"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(err, QStringLiteral("import"), QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.read(ExpectedDeviceCsv::kMaxBytes + 1);
    const ExpectedDeviceCsv::Result parsed = ExpectedDeviceCsv::parse(bytes, QDateTime::currentMSecsSinceEpoch());
    if (!parsed.ok()) {
        for (const QString &e : parsed.errors)
            err << path << ": " << e << '\n';
        return refuse(err, QStringLiteral("import"), QStringLiteral("nothing imported"));
    }
    auto result = std::make_shared<ExpectedDeviceTable::ImportResult>();
    OperationsJob job;
    job.name = QStringLiteral("import expected devices");
    job.run = [devices = parsed.devices, result, actor = OperationsJobRunner::actor()](OperationsTransaction &tx,
                                                                                      QString *error) {
        return ExpectedDeviceTable::importAll(tx, devices, actor, result.get(), error);
    };
    QString error;
    if (!OperationsJobRunner::run(cache, std::move(job), nullptr, &error))
        return refuse(err, QStringLiteral("import"), error, kExitFailure);
    out << "imported " << parsed.devices.size() << " expected devices (added " << result->added << ", updated "
        << result->updated << ", enrolled kept " << result->skippedEnrolled << ")\n";
    return 0;
}

int runList(const QCommandLineParser &parser, const QString &cache, QTextStream &out, QTextStream &err)
{
    Database db;
    bool exists = false;
    int schema = 0;
    if (!OperationsFile::openReadOnly(cache, "provision list", &db, &exists, &schema, err))
        return kExitFailure;
    QList<ExpectedDevice> devices;
    QList<ProvisioningRequestRecord> requests;
    if (exists && schema >= kProvisioningSchemaVersion) {
        QString error;
        if (!ExpectedDeviceTable::list(db.handle(), &devices, &error)
            || !ProvisioningRequestTable::list(db.handle(), &requests, &error, 200))
            return refuse(err, QStringLiteral("list"), error, kExitFailure);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray d;
        for (const ExpectedDevice &e : std::as_const(devices))
            d.append(QJsonDocument::fromJson(ExpectedDeviceTable::describeJson(e).toUtf8()).object());
        QJsonArray r;
        for (const ProvisioningRequestRecord &q : std::as_const(requests))
            r.append(QJsonDocument::fromJson(ProvisioningRequestTable::describeJson(q).toUtf8()).object());
        out << QJsonDocument(QJsonObject{{QStringLiteral("expected_devices"), d}, {QStringLiteral("requests"), r}})
                   .toJson(QJsonDocument::Indented);
        return 0;
    }
    int enrolled = 0;
    for (const ExpectedDevice &e : std::as_const(devices))
        enrolled += e.state == ExpectedDevice::State::Enrolled ? 1 : 0;
    out << "expected devices: " << devices.size() << " (" << enrolled << " enrolled)\n";
    for (const ExpectedDevice &e : std::as_const(devices))
        out << "  " << e.serial << '\t' << e.model << '\t' << ExpectedDevice::stateKey(e.state) << '\t'
            << (e.deviceId.isEmpty() ? QStringLiteral("-") : e.deviceId) << '\n';
    out << "requests (newest first): " << requests.size() << '\n';
    for (const ProvisioningRequestRecord &q : std::as_const(requests))
        out << "  " << q.id << '\t' << ProvisioningRequestRecord::kindKey(q.kind) << '\t' << q.serial << '\t'
            << q.deviceId << '\t' << ProvisioningRequestRecord::stateKey(q.state) << '\t'
            << (q.certSerial.isEmpty() ? q.reasonKey : q.certSerial) << '\n';
    return 0;
}

int runServe(const QCommandLineParser &parser, const QString &cache, QTextStream &out, QTextStream &err)
{
    const QString verb = QStringLiteral("serve");
    QString error;
    const std::optional<BrokerUrl> url = BrokerUrl::parse(parser.value(QStringLiteral("broker")), &error);
    if (!url)
        return refuse(err, verb, QStringLiteral("--broker URL: %1").arg(error.isEmpty() ? QStringLiteral("required") : error));
    bool ok = true;
    const int timeoutS = parser.isSet(QStringLiteral("timeout")) ? parser.value(QStringLiteral("timeout")).toInt(&ok) : 0;
    if (!ok || timeoutS < 0)
        return refuse(err, verb, QStringLiteral("--timeout is a number of seconds"));
    const int count = parser.isSet(QStringLiteral("count")) ? parser.value(QStringLiteral("count")).toInt(&ok) : 0;
    if (!ok || count < 0)
        return refuse(err, verb, QStringLiteral("--count is a number of decisions"));

    ConnectionProfile profile;
    profile.name = QStringLiteral("provisioning");
    profile.broker = *url;
    profile.caFile = parser.value(QStringLiteral("cafile"));
    profile.clientCertFile = parser.value(QStringLiteral("cert"));
    profile.clientKeyFile = parser.value(QStringLiteral("key"));
    profile.username = parser.value(QStringLiteral("username"));
    profile.allowPlaintextPassword = parser.isSet(QStringLiteral("allow-plaintext-password"));
    if (parser.isSet(QStringLiteral("prefix")))
        profile.topicPrefix = parser.value(QStringLiteral("prefix"));
    ConnectionSecrets secrets;
    secrets.password = QString::fromUtf8(qgetenv("FLEETDECK_PASSWORD"));
    secrets.keyPassphrase = QString::fromUtf8(qgetenv("FLEETDECK_KEY_PASSPHRASE"));
    if (needsPlaintextConfirmation(profile, secrets))
        return refuse(err, verb, QStringLiteral("a password over plain TCP needs --allow-plaintext-password"));

    OperationsStore store;
    QEventLoop opening;
    bool opened = false;
    QString openError;
    QObject::connect(&store, &OperationsStore::opened, &opening, [&](const Database::OpenResult &r) {
        opened = r.ok();
        openError = r.message;
        opening.quit();
    });
    store.open(OperationsStore::pathForCache(cache));
    opening.exec();
    if (!opened)
        return refuse(err, verb, QStringLiteral("cannot open the operations store: %1").arg(openError), kExitFailure);

    // The fleet CA (first of the store), unlocked with FLEETDECK_CA_PASSPHRASE.
    auto record = std::make_shared<std::optional<CaRecord>>();
    {
        QEventLoop loop;
        bool done = false;
        QString jobError;
        OperationsJob job;
        job.name = QStringLiteral("read the fleet CA");
        job.run = [record](OperationsTransaction &tx, QString *e) {
            CaRecord r;
            bool found = false;
            if (!CaTable::read(tx.handle(), QString(), &r, &found, e))
                return false;
            if (found)
                *record = r;
            return true;
        };
        store.submit(std::move(job), &loop, [&](bool jobOk, const QString &reason) {
            done = jobOk;
            jobError = reason;
            loop.quit();
        }, &jobError);
        if (jobError.isEmpty())
            loop.exec();
        if (!done)
            return refuse(err, verb, QStringLiteral("cannot read the fleet CA: %1").arg(jobError), kExitFailure);
    }
    if (!record->has_value())
        return refuse(err, verb, QStringLiteral("there is no fleet CA in this store: create one with `fleetdeckctl pki init --db CACHE`"));
    if ((*record)->storage != CaRecord::Storage::Passphrase)
        return refuse(err, verb, QStringLiteral("fleet CA %1 is held in the OS keychain: serve unlocks a passphrase CA only")
                                     .arg((*record)->name));
    const QByteArray passphrase = qgetenv("FLEETDECK_CA_PASSPHRASE");
    if (passphrase.isEmpty())
        return refuse(err, verb, QStringLiteral("set FLEETDECK_CA_PASSPHRASE to the passphrase of fleet CA %1").arg((*record)->name));
    std::optional<FleetCa> ca = CaKeyVault::unlockWithPassphrase(**record, passphrase, &error);
    if (!ca)
        return refuse(err, verb, error);

    ProvisioningPolicy policy;
    policy.allowUnknown = parser.isSet(QStringLiteral("allow-unknown"));
    policy.autoApproveListed = parser.isSet(QStringLiteral("auto-approve"));
    ProvisioningService service(&store, OperationsJobRunner::actor(), policy);
    if (parser.isSet(QStringLiteral("root")))
        service.setRoot(parser.value(QStringLiteral("root")));
    service.setAuthority(std::make_shared<const FleetCa>(std::move(*ca)));

    QEventLoop loop;
    int decisions = 0;
    int exitCode = 0;
    QHash<qint64, ProvisioningRequestRecord> seen;
    QSet<qint64> printedPending;
    QObject::connect(&service, &ProvisioningService::requestReceived, &loop,
                     [&](const ProvisioningRequestRecord &r) { seen.insert(r.id, r); });
    QObject::connect(&service, &ProvisioningService::pendingChanged, &loop, [&] {
        for (const PendingRequest &p : service.pending()) {
            if (!printedPending.contains(p.record.id)) {
                out << p.record.id << " pending " << p.record.serial << ' ' << p.record.deviceId << '\n';
                printedPending.insert(p.record.id);
            }
        }
        out.flush();
    });
    QObject::connect(&service, &ProvisioningService::requestDecided, &loop,
                     [&](qint64 id, bool accepted, const QString &key, const QString &, const CertificateRecord &cert) {
                         const ProvisioningRequestRecord r = seen.value(id);
                         out << (id > 0 ? QString::number(id) : QStringLiteral("-")) << ' '
                             << (accepted ? "accepted " : "rejected ") << (r.serial.isEmpty() ? QStringLiteral("-") : r.serial)
                             << ' ' << (accepted ? cert.deviceId : (r.deviceId.isEmpty() ? QStringLiteral("-") : r.deviceId))
                             << ' ' << (accepted ? cert.serial : key) << '\n';
                         out.flush();
                         if (count > 0 && ++decisions >= count)
                             loop.quit();
                     });
    QObject::connect(&service, &ProvisioningService::error, &loop, [&](const QString &message) {
        err << "fleetdeckctl provision serve: " << message << '\n';
        err.flush();
    });
    QObject::connect(&service, &ProvisioningService::linkReady, &loop, [&] {
        err << "fleetdeckctl provision serve: listening on " << url->toString() << '\n';
        err.flush();
    });
    QTimer timeout;
    if (timeoutS > 0) {
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
            if (count > 0) {
                err << "fleetdeckctl provision serve: " << decisions << " of " << count << " decisions before the timeout\n";
                exitCode = kExitFailure;
            }
            loop.quit();
        });
        timeout.start(timeoutS * 1000);
    }
    service.setSourceLink(url->toString(), profile, secrets);
    loop.exec();
    service.removeSourceLink(url->toString());
    return exitCode;
}

} // namespace

int ProvisionCommand::run(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Factory devices' provisioning (docs/protocol.md \"Provisioning\")."));
    parser.addPositionalArgument(QStringLiteral("verb"), QStringLiteral("import | list | serve"));
    parser.addOption(OperationsFile::cacheOption());
    parser.addOptions({
        {QStringLiteral("csv"), QStringLiteral("import: the expected devices (serial,model,claim_code[,device_id,name,site,tags])."), QStringLiteral("FILE")},
        {QStringLiteral("json"), QStringLiteral("list: JSON.")},
        {QStringLiteral("broker"), QStringLiteral("serve: the broker (mqtt:// or mqtts://)."), QStringLiteral("URL")},
        {QStringLiteral("cafile"), QStringLiteral("serve: CA file of the broker's certificate."), QStringLiteral("FILE")},
        {QStringLiteral("cert"), QStringLiteral("serve: client certificate (PEM)."), QStringLiteral("FILE")},
        {QStringLiteral("key"), QStringLiteral("serve: client key (PEM; passphrase from FLEETDECK_KEY_PASSPHRASE)."), QStringLiteral("FILE")},
        {QStringLiteral("username"), QStringLiteral("serve: user name (password from FLEETDECK_PASSWORD)."), QStringLiteral("NAME")},
        {QStringLiteral("allow-plaintext-password"), QStringLiteral("serve: send the password over plain TCP.")},
        {QStringLiteral("prefix"), QStringLiteral("serve: protocol v1 topic prefix (default fleetdeck/v1)."), QStringLiteral("P")},
        {QStringLiteral("root"), QStringLiteral("serve: provisioning topic root (default fleetdeck/provisioning)."), QStringLiteral("R")},
        {QStringLiteral("allow-unknown"), QStringLiteral("serve: unlisted serials wait instead of unknown_serial.")},
        {QStringLiteral("auto-approve"), QStringLiteral("serve: issue listed devices' valid requests at once.")},
        {QStringLiteral("timeout"), QStringLiteral("serve: stop after S seconds."), QStringLiteral("S")},
        {QStringLiteral("count"), QStringLiteral("serve: stop after N decisions."), QStringLiteral("N")},
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("fleetdeckctl provision")} + arguments))
        return refuse(err, QStringLiteral("-"), parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return refuse(err, QStringLiteral("-"), QStringLiteral("one verb: import, list or serve"));
    const QString verb = positional.first();
    const QString cache = parser.value(OperationsFile::cacheOption());
    if (cache.isEmpty())
        return refuse(err, verb, QStringLiteral("--db CACHE is required"));
    if (verb == u"import")
        return runImport(parser, cache, out, err);
    if (verb == u"list")
        return runList(parser, cache, out, err);
    if (verb == u"serve")
        return runServe(parser, cache, out, err);
    return refuse(err, verb, QStringLiteral("unknown verb (import, list, serve)"));
}

} // namespace fd
