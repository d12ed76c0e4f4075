#include "app/ctl/keys_command.h"

#include "app/ctl/operations_file.h"
#include "app/ctl/operations_job_runner.h"
#include "app/ctl/ota_store_reader.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/release_key.h"
#include "core/ota/release_key_table.h"
#include "core/ota/release_key_vault.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

namespace fd {
namespace {

constexpr const char kPassphraseVariable[] = "FLEETDECK_RELEASE_KEY_PASSPHRASE";

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool insertKey(const QString &cachePath, const ReleaseKeyRecord &record, QString *error)
{
    OperationsJob job{QStringLiteral("add release key %1").arg(record.name),
                      [record, actor = OperationsJobRunner::actor()](OperationsTransaction &t, QString *e) {
                          return ReleaseKeyTable::insert(t, record, actor, e);
                      }};
    return OperationsJobRunner::run(cachePath, std::move(job), nullptr, error);
}

int create(const QString &cachePath, const QString &name, const QString &algorithmKey, QTextStream &out,
           QTextStream &err)
{
    const std::optional<ReleaseKey::Algorithm> algorithm = ReleaseKey::algorithmFromKey(algorithmKey);
    if (!algorithm) {
        err << "fleetdeckctl keys create: unknown algorithm '" << algorithmKey << "' (ed25519 or ecdsa-p256)\n";
        return 2;
    }
    const QByteArray passphrase = qgetenv(kPassphraseVariable);
    if (passphrase.isEmpty()) {
        err << "fleetdeckctl keys create: set " << kPassphraseVariable
            << " to the passphrase that will protect the private key (it is stored encrypted with it)\n";
        return 2;
    }
    QString error;
    const ReleaseKey key = ReleaseKey::generate(*algorithm);
    const std::optional<ReleaseKeyRecord> record = ReleaseKeyVault::protectWithPassphrase(name, key, passphrase, &error);
    if (!record || !insertKey(cachePath, *record, &error)) {
        err << "fleetdeckctl keys create: " << error << '\n';
        return 2;
    }
    err << "created release key " << name << " (" << algorithmKey << ", key id " << key.keyId() << ")\n";
    out << key.keyId() << '\n';
    return 0;
}

bool findKey(const QString &cachePath, const char *command, const QString &name, ReleaseKeyRecord *out,
             QTextStream &err)
{
    QList<ReleaseKeyRecord> keys;
    if (!OtaStoreReader::readKeys(cachePath, command, &keys, err))
        return false;
    for (const ReleaseKeyRecord &k : std::as_const(keys)) {
        if (k.name == name) {
            *out = k;
            return true;
        }
    }
    err << "fleetdeckctl " << command << ": no release key named " << name << '\n';
    return false;
}

int exportKey(const QString &cachePath, const QString &name, const QString &outPath, QTextStream &out,
              QTextStream &err)
{
    ReleaseKeyRecord key;
    if (!findKey(cachePath, "keys export", name, &key, err))
        return 2;
    if (outPath.isEmpty() || outPath == u"-") {
        out << QString::fromLatin1(key.publicPem);
        return 0;
    }
    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(key.publicPem) != key.publicPem.size() || !file.commit()) {
        err << "fleetdeckctl keys export: cannot write " << outPath << ": " << file.errorString() << '\n';
        return 2;
    }
    err << "wrote the public key of " << name << " (" << key.keyId << ") to " << outPath << '\n';
    return 0;
}

int importKey(const QString &cachePath, const QString &name, const QString &pemPath, QTextStream &out,
              QTextStream &err)
{
    QFile file(pemPath);
    if (!file.open(QIODevice::ReadOnly)) {
        err << "fleetdeckctl keys import: cannot read " << pemPath << ": " << file.errorString() << '\n';
        return 2;
    }
    const QByteArray pem = file.read(ReleaseKey::kMaxPemBytes + 1);
    QString error;
    const std::optional<ReleaseKeyRecord> record = ReleaseKeyVault::trustedPublicKey(name, pem, &error);
    if (!record) {
        err << "fleetdeckctl keys import: " << pemPath << ": " << error << '\n';
        return 2;
    }
    if (!insertKey(cachePath, *record, &error)) {
        err << "fleetdeckctl keys import: " << error << '\n';
        return 2;
    }
    err << "imported trusted public key " << name << " (" << ReleaseKey::algorithmKey(record->algorithm)
        << ", key id " << record->keyId << ")\n";
    out << record->keyId << '\n';
    return 0;
}

int list(const QString &cachePath, bool json, QTextStream &out, QTextStream &err)
{
    QList<ReleaseKeyRecord> keys;
    if (!OtaStoreReader::readKeys(cachePath, "keys list", &keys, err))
        return 2;
    if (json) {
        QJsonArray array;
        for (const ReleaseKeyRecord &k : std::as_const(keys)) {
            QJsonObject o = QJsonDocument::fromJson(ReleaseKeyTable::describeJson(k).toUtf8()).object();
            o.insert(QStringLiteral("created"), isoTime(k.createdMs));
            o.insert(QStringLiteral("public_pem"), QString::fromLatin1(k.publicPem));
            array.append(o);
        }
        out << (array.isEmpty() ? QByteArray("[]\n") : QJsonDocument(array).toJson(QJsonDocument::Indented));
        return 0;
    }
    out << qSetFieldWidth(24) << Qt::left << "NAME" << qSetFieldWidth(12) << "ALGORITHM" << qSetFieldWidth(18)
        << "KEY ID" << qSetFieldWidth(12) << "STORAGE" << qSetFieldWidth(0) << "CREATED (UTC)\n";
    for (const ReleaseKeyRecord &k : std::as_const(keys)) {
        out << qSetFieldWidth(24) << k.name << qSetFieldWidth(12) << ReleaseKey::algorithmKey(k.algorithm)
            << qSetFieldWidth(18) << k.keyId << qSetFieldWidth(12) << ReleaseKeyRecord::storageKey(k.storage)
            << qSetFieldWidth(0) << isoTime(k.createdMs) << '\n';
    }
    out << keys.size() << " release keys\n";
    return 0;
}

} // namespace

int KeysCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Release keys that sign firmware artifacts (docs/ota.md).\n"
        "  fleetdeckctl keys create --db CACHE --name NAME [--algorithm ed25519|ecdsa-p256]\n"
        "      (passphrase from FLEETDECK_RELEASE_KEY_PASSPHRASE; prints the key id)\n"
        "  fleetdeckctl keys export --db CACHE --name NAME --out PUB.pem\n"
        "  fleetdeckctl keys import --db CACHE --name NAME PUB.pem   (a trusted public key)\n"
        "  fleetdeckctl keys list --db CACHE [--json]"));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption nameOption(QStringLiteral("name"), QStringLiteral("Key name ([A-Za-z0-9._-], 1-64)."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption algorithmOption(QStringLiteral("algorithm"),
                                             QStringLiteral("ed25519 (default) or ecdsa-p256."),
                                             QStringLiteral("ALGORITHM"), QStringLiteral("ed25519"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Write the public key PEM to FILE."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOptions({dbOption, nameOption, algorithmOption, outOption, jsonOption});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("create, export, import or list"));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("the public key PEM (import)"));
    parser.process(QStringList{QStringLiteral("fleetdeckctl keys")} + arguments);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    const QString cachePath = parser.value(dbOption);
    if (positional.isEmpty()) {
        err << "fleetdeckctl keys: an action is required (create, export, import or list); see --help\n";
        return 2;
    }
    const QString action = positional.first();
    if (action != u"create" && action != u"export" && action != u"import" && action != u"list") {
        err << "fleetdeckctl keys: unknown action '" << action << "' (create, export, import or list)\n";
        return 2;
    }
    if (cachePath.isEmpty()) {
        err << "fleetdeckctl keys " << action << ": --db CACHE is required\n";
        return 2;
    }
    const qsizetype wantedPositional = action == u"import" ? 2 : 1;
    if (positional.size() != wantedPositional) {
        err << "fleetdeckctl keys " << action << ": "
            << (action == u"import" ? "exactly one PUB.pem file is required" : "unexpected argument") << '\n';
        return 2;
    }
    if (action == u"list")
        return list(cachePath, parser.isSet(jsonOption), out, err);
    const QString name = parser.value(nameOption);
    if (name.isEmpty()) {
        err << "fleetdeckctl keys " << action << ": --name NAME is required\n";
        return 2;
    }
    if (action == u"create")
        return create(cachePath, name, parser.value(algorithmOption), out, err);
    if (action == u"export")
        return exportKey(cachePath, name, parser.value(outOption), out, err);
    return importKey(cachePath, name, positional.at(1), out, err);
}

} // namespace fd
