#include "app/ctl/artifact_command.h"

#include "app/ctl/operations_file.h"
#include "app/ctl/operations_job_runner.h"
#include "app/ctl/ota_store_reader.h"
#include "core/ota/artifact_importer.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/release_key_vault.h"
#include "core/settings/keychain_secret_store.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

namespace fd {
namespace {

constexpr const char kPassphraseVariable[] = "FLEETDECK_RELEASE_KEY_PASSPHRASE";
constexpr int kKeychainTimeoutMs = 60000;

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QStringList splitModels(const QString &value)
{
    QStringList models;
    for (const QString &m : value.split(u',', Qt::SkipEmptyParts)) {
        if (!m.trimmed().isEmpty())
            models.append(m.trimmed());
    }
    return models;
}

// The private key of a release key: a passphrase key unlocked with the environment's
// passphrase, a keychain key read from the OS keychain (waiting, bounded).
std::optional<ReleaseKey> unlockKey(const ReleaseKeyRecord &record, QString *error)
{
    if (record.storage == ReleaseKeyRecord::Storage::Passphrase) {
        const QByteArray passphrase = qgetenv(kPassphraseVariable);
        if (passphrase.isEmpty()) {
            *error = QStringLiteral("set %1 to the passphrase of release key %2")
                         .arg(QString::fromLatin1(kPassphraseVariable), record.name);
            return std::nullopt;
        }
        return ReleaseKeyVault::unlockWithPassphrase(record, passphrase, error);
    }
    if (record.storage == ReleaseKeyRecord::Storage::None) {
        *error = QStringLiteral("%1 is a trusted public key only: it cannot sign").arg(record.name);
        return std::nullopt;
    }
    KeychainSecretStore secrets;
    ReleaseKeyVault vault(&secrets);
    std::optional<ReleaseKey> key;
    bool done = false;
    QEventLoop loop;
    vault.unlockFromKeychain(record, [&](std::optional<ReleaseKey> k, const QString &e) {
        key = std::move(k);
        *error = e;
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!done)
        *error = QStringLiteral("the OS keychain did not answer in time");
    return key;
}

int importArtifact(const QString &cachePath, const ArtifactImportRequest &request, const QString &signWith,
                   const QString &signaturePath, QTextStream &out, QTextStream &err)
{
    if (signWith.isEmpty() == signaturePath.isEmpty()) {
        err << "fleetdeckctl artifact import: "
            << (signWith.isEmpty() ? "unsigned artifacts are refused: give --sign-with NAME or --signature SIG_FILE"
                                   : "give either --sign-with or --signature, not both")
            << '\n';
        return 2;
    }
    QList<ReleaseKeyRecord> keys;
    if (!OtaStoreReader::readKeys(cachePath, "artifact import", &keys, err))
        return 2;
    ArtifactImporter importer{ArtifactStore(ArtifactStore::dirForCache(cachePath))};
    QString error;
    std::optional<FirmwareArtifact> artifact;
    QString signerName;
    if (!signWith.isEmpty()) {
        const ReleaseKeyRecord *record = nullptr;
        for (const ReleaseKeyRecord &k : std::as_const(keys))
            record = k.name == signWith ? &k : record;
        if (!record) {
            err << "fleetdeckctl artifact import: no release key named " << signWith << '\n';
            return 2;
        }
        const std::optional<ReleaseKey> key = unlockKey(*record, &error);
        if (key)
            artifact = importer.importSigned(request, *key, &error);
        signerName = signWith;
    } else {
        QFile file(signaturePath);
        if (!file.open(QIODevice::ReadOnly)) {
            err << "fleetdeckctl artifact import: cannot read " << signaturePath << ": " << file.errorString() << '\n';
            return 2;
        }
        const QByteArray signature = file.read(ArtifactImporter::kMaxSignatureFileBytes + 1);
        artifact = importer.importWithSignature(request, signature, keys, &error);
        if (artifact) {
            for (const ReleaseKeyRecord &k : std::as_const(keys))
                signerName = k.keyId == artifact->keyId ? k.name : signerName;
        }
    }
    if (!artifact) {
        err << "fleetdeckctl artifact import: " << request.filePath << " refused: " << error << '\n';
        return 2;
    }
    qint64 isNew = 0;
    if (!OperationsJobRunner::run(cachePath, ArtifactImporter::recordJob(*artifact, OperationsJobRunner::actor()),
                                  &isNew, &error)) {
        err << "fleetdeckctl artifact import: " << request.filePath << " refused: " << error << '\n';
        return 2;
    }
    err << (isNew ? "imported" : "already imported:") << " firmware " << artifact->version << " ("
        << artifact->fileName << ", " << artifact->size << " bytes, sha256 " << artifact->sha256 << ") as artifact "
        << artifact->id << ", signed by release key " << signerName << " (" << artifact->keyId << ")\n";
    out << artifact->id << '\n';
    return 0;
}

int printManifest(const ArtifactImportRequest &request, QTextStream &out, QTextStream &err)
{
    const ArtifactImporter importer{ArtifactStore(QString())};
    QString error;
    const std::optional<FirmwareArtifact> artifact = importer.describe(request, &error);
    if (!artifact) {
        err << "fleetdeckctl artifact manifest: " << error << '\n';
        return 2;
    }
    out << QString::fromUtf8(artifact->manifest);  // exactly the signed bytes, no newline
    return 0;
}

int list(const QString &cachePath, bool json, QTextStream &out, QTextStream &err)
{
    QList<FirmwareArtifact> artifacts;
    QList<ReleaseKeyRecord> keys;
    if (!OtaStoreReader::readArtifacts(cachePath, "artifact list", &artifacts, err)
        || !OtaStoreReader::readKeys(cachePath, "artifact list", &keys, err))
        return 2;
    auto signer = [&](const QString &keyId) {
        for (const ReleaseKeyRecord &k : std::as_const(keys)) {
            if (k.keyId == keyId)
                return k.name;
        }
        return QString();
    };
    if (json) {
        QJsonArray array;
        for (const FirmwareArtifact &a : std::as_const(artifacts)) {
            QJsonObject o = ArtifactTable::describe(a);
            o.insert(QStringLiteral("key_name"), signer(a.keyId));
            o.insert(QStringLiteral("created"), isoTime(a.createdMs));
            array.append(o);
        }
        out << (array.isEmpty() ? QByteArray("[]\n") : QJsonDocument(array).toJson(QJsonDocument::Indented));
        return 0;
    }
    out << qSetFieldWidth(18) << Qt::left << "ID" << qSetFieldWidth(14) << "VERSION" << qSetFieldWidth(24) << "MODELS"
        << qSetFieldWidth(12) << "SIZE" << qSetFieldWidth(18) << "KEY" << qSetFieldWidth(26) << "CREATED (UTC)"
        << qSetFieldWidth(0) << "FILE\n";
    for (const FirmwareArtifact &a : std::as_const(artifacts)) {
        const QString keyName = signer(a.keyId);
        out << qSetFieldWidth(18) << a.id << qSetFieldWidth(14) << a.version << qSetFieldWidth(24)
            << a.models.join(u',') << qSetFieldWidth(12) << QString::number(a.size) << qSetFieldWidth(18)
            << (keyName.isEmpty() ? a.keyId : keyName) << qSetFieldWidth(26) << isoTime(a.createdMs)
            << qSetFieldWidth(0) << a.fileName << '\n';
    }
    out << artifacts.size() << " artifacts\n";
    return 0;
}

int verify(const QString &cachePath, const QString &id, QTextStream &out, QTextStream &err)
{
    QList<FirmwareArtifact> artifacts;
    QList<ReleaseKeyRecord> keys;
    if (!OtaStoreReader::readArtifacts(cachePath, "artifact verify", &artifacts, err)
        || !OtaStoreReader::readKeys(cachePath, "artifact verify", &keys, err))
        return 2;
    for (const FirmwareArtifact &a : std::as_const(artifacts)) {
        if (a.id != id)
            continue;
        QString error;
        if (!ArtifactImporter::verifyStored(a, keys, ArtifactStore(ArtifactStore::dirForCache(cachePath)), &error)) {
            err << "fleetdeckctl artifact verify: " << id << " FAILED: " << error << '\n';
            return 1;
        }
        QString keyName;
        for (const ReleaseKeyRecord &k : std::as_const(keys))
            keyName = k.keyId == a.keyId ? k.name : keyName;
        out << "artifact " << id << " OK: firmware " << a.version << ", " << a.size << " bytes, sha256 " << a.sha256
            << ", signature by release key " << keyName << " (" << a.keyId << ")\n";
        return 0;
    }
    err << "fleetdeckctl artifact verify: no artifact " << id << '\n';
    return 2;
}

} // namespace

int ArtifactCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Signed firmware artifacts (docs/ota.md).\n"
        "  fleetdeckctl artifact import --db CACHE FILE --version V --models M1,M2 [--notes TEXT]\n"
        "      (--sign-with NAME | --signature SIG_FILE)   prints only the artifact id\n"
        "  fleetdeckctl artifact manifest FILE --version V --models M1,M2 [--notes TEXT]\n"
        "      prints the manifest bytes to sign offline (for --signature)\n"
        "  fleetdeckctl artifact list --db CACHE [--json]\n"
        "  fleetdeckctl artifact verify --db CACHE ID"));
    parser.addHelpOption();
    const QCommandLineOption dbOption = OperationsFile::cacheOption();
    const QCommandLineOption versionOption(QStringLiteral("version"), QStringLiteral("Firmware version (2.4.0)."),
                                           QStringLiteral("V"));
    const QCommandLineOption modelsOption(QStringLiteral("models"), QStringLiteral("Compatible models, comma separated."),
                                          QStringLiteral("M1,M2"));
    const QCommandLineOption notesOption(QStringLiteral("notes"), QStringLiteral("Release notes."),
                                         QStringLiteral("TEXT"));
    const QCommandLineOption signWithOption(QStringLiteral("sign-with"),
                                            QStringLiteral("Sign with this release key (passphrase from "
                                                           "FLEETDECK_RELEASE_KEY_PASSPHRASE)."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption signatureOption(
        QStringLiteral("signature"),
        QStringLiteral("A detached signature of the manifest (raw or base64) by a trusted release key."),
        QStringLiteral("SIG_FILE"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOptions({dbOption, versionOption, modelsOption, notesOption, signWithOption, signatureOption, jsonOption});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("import, manifest, list or verify"));
    parser.addPositionalArgument(QStringLiteral("argument"), QStringLiteral("FILE (import, manifest) or ID (verify)"));
    // The version option is ours: no --version of the application here.
    parser.process(QStringList{QStringLiteral("fleetdeckctl artifact")} + arguments);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        err << "fleetdeckctl artifact: an action is required (import, manifest, list or verify); see --help\n";
        return 2;
    }
    const QString action = positional.first();
    if (action != u"import" && action != u"manifest" && action != u"list" && action != u"verify") {
        err << "fleetdeckctl artifact: unknown action '" << action << "' (import, manifest, list or verify)\n";
        return 2;
    }
    const QString cachePath = parser.value(dbOption);
    if (cachePath.isEmpty() && action != u"manifest") {
        err << "fleetdeckctl artifact " << action << ": --db CACHE is required\n";
        return 2;
    }
    const qsizetype wantedPositional = action == u"list" ? 1 : 2;
    if (positional.size() != wantedPositional) {
        err << "fleetdeckctl artifact " << action << ": "
            << (action == u"list" ? "unexpected argument"
                                  : (action == u"verify" ? "exactly one artifact ID is required"
                                                         : "exactly one firmware FILE is required"))
            << '\n';
        return 2;
    }
    if (action == u"list")
        return list(cachePath, parser.isSet(jsonOption), out, err);
    if (action == u"verify")
        return verify(cachePath, positional.at(1), out, err);

    ArtifactImportRequest request;
    request.filePath = positional.at(1);
    request.version = parser.value(versionOption);
    request.models = splitModels(parser.value(modelsOption));
    request.notes = parser.value(notesOption);
    if (request.version.isEmpty() || request.models.isEmpty()) {
        err << "fleetdeckctl artifact " << action << ": --version V and --models M1,M2 are required\n";
        return 2;
    }
    if (action == u"manifest")
        return printManifest(request, out, err);
    return importArtifact(cachePath, request, parser.value(signWithOption), parser.value(signatureOption), out, err);
}

} // namespace fd
