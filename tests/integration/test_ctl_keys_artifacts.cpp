// `fleetdeckctl keys` and `fleetdeckctl artifact`, the real binary on real files (no broker):
// create / export / import / list release keys (the exported PEM read by the openssl CLI),
// import signed artifacts (stdout is only the id; refusals exit 2 with a reason), list and
// verify them (a file tampered with in the store is caught), a detached signature made by
// the openssl CLI over the bytes of `artifact manifest`, and an Ed25519 signature made by
// FleetDeck verified by `openssl pkeyutl -verify -rawin` (interoperability).
#include "tests/support/raw_db.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr char kPassphrase[] = "integration passphrase";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runProgram(const QString &program, const QStringList &arguments, const QByteArray &passphrase = QByteArray())
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"FLEETDECK_RELEASE_KEY_PASSPHRASE"_s);
    if (!passphrase.isNull())
        env.insert(u"FLEETDECK_RELEASE_KEY_PASSPHRASE"_s, QString::fromUtf8(passphrase));
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Run run;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

Run ctl(const QStringList &arguments, const QByteArray &passphrase = QByteArray())
{
    return runProgram(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), arguments, passphrase);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray firmware(int size, char seed)
{
    QByteArray b(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        b[i] = char(seed + (i * 13) % 241);
    return b;
}

const QRegularExpression kId(u"^[0-9a-f]{16}\n$"_s);

} // namespace

class TestCtlKeysArtifacts : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void keys();
    void artifacts();
    void detachedSignatureFromOpenssl();
    void opensslVerifiesOurSignature();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString cache() const { return path(u"fleet.sqlite"_s); }
    QString openssl() const { return QStandardPaths::findExecutable(u"openssl"_s); }
    // Creates an Ed25519 key "rel" and imports fw.bin as 2.4.0 for TH-100,TH-200; its id.
    QString importSample();

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCtlKeysArtifacts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString TestCtlKeysArtifacts::importSample()
{
    const Run created = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s}, kPassphrase);
    if (created.exitCode != 0)
        return QString();
    writeFile(path(u"fw.bin"_s), firmware(200000, 'a'));
    const Run imported = ctl({u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"fw.bin"_s), u"--version"_s,
                              u"2.4.0"_s, u"--models"_s, u"TH-100,TH-200"_s, u"--sign-with"_s, u"rel"_s},
                             kPassphrase);
    return imported.exitCode == 0 ? QString::fromLatin1(imported.out).trimmed() : QString();
}

void TestCtlKeysArtifacts::keys()
{
    // No passphrase: a clear refusal, nothing created.
    Run r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("FLEETDECK_RELEASE_KEY_PASSPHRASE"), r.err.constData());
    QVERIFY(r.out.isEmpty());

    r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s}, kPassphrase);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(kId.match(QString::fromLatin1(r.out)).hasMatch(), r.out.constData());  // only the key id
    const QString relId = QString::fromLatin1(r.out).trimmed();
    r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"p256"_s, u"--algorithm"_s, u"ecdsa-p256"_s},
            kPassphrase);
    QCOMPARE(r.exitCode, 0);
    const QString p256Id = QString::fromLatin1(r.out).trimmed();

    // Refusals: same name, unknown algorithm, bad name, missing --name / --db, unknown action.
    r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s}, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("a release key named rel exists already"), r.err.constData());
    r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"x"_s, u"--algorithm"_s, u"rsa"_s}, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("unknown algorithm"), r.err.constData());
    r = ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"bad name"_s}, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    r = ctl({u"keys"_s, u"export"_s, u"--db"_s, cache()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--name"), r.err.constData());
    r = ctl({u"keys"_s, u"list"_s});
    QCOMPARE(r.exitCode, 2);
    r = ctl({u"keys"_s, u"rotate"_s, u"--db"_s, cache()});
    QCOMPARE(r.exitCode, 2);

    // Export: a SubjectPublicKeyInfo PEM that openssl reads.
    r = ctl({u"keys"_s, u"export"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s, u"--out"_s, path(u"rel.pub.pem"_s)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    const QByteArray pem = readFile(path(u"rel.pub.pem"_s));
    QVERIFY2(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem.constData());
    QVERIFY(!pem.contains("PRIVATE"));
    r = ctl({u"keys"_s, u"export"_s, u"--db"_s, cache(), u"--name"_s, u"nope"_s, u"--out"_s, path(u"x.pem"_s)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no release key named nope"), r.err.constData());

    // Import: the same key under another name is refused; a foreign RSA key is refused.
    r = ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"again"_s, path(u"rel.pub.pem"_s)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("known already as rel"), r.err.constData());
    r = ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"missing"_s, path(u"none.pem"_s)});
    QCOMPARE(r.exitCode, 2);

    if (!openssl().isEmpty()) {
        const Run check = runProgram(openssl(), {u"pkey"_s, u"-pubin"_s, u"-in"_s, path(u"rel.pub.pem"_s), u"-noout"_s});
        QVERIFY2(check.exitCode == 0, check.err.constData());
        // A vendor key made by openssl: trusted (storage none); an RSA key: refused.
        QCOMPARE(runProgram(openssl(), {u"genpkey"_s, u"-algorithm"_s, u"ed25519"_s, u"-out"_s, path(u"v.pem"_s)}).exitCode, 0);
        QCOMPARE(runProgram(openssl(), {u"pkey"_s, u"-in"_s, path(u"v.pem"_s), u"-pubout"_s, u"-out"_s, path(u"v.pub.pem"_s)}).exitCode, 0);
        r = ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"vendor"_s, path(u"v.pub.pem"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(kId.match(QString::fromLatin1(r.out)).hasMatch());
        QCOMPARE(runProgram(openssl(), {u"genpkey"_s, u"-algorithm"_s, u"RSA"_s, u"-pkeyopt"_s, u"rsa_keygen_bits:2048"_s,
                                        u"-out"_s, path(u"rsa.pem"_s)}).exitCode, 0);
        QCOMPARE(runProgram(openssl(), {u"pkey"_s, u"-in"_s, path(u"rsa.pem"_s), u"-pubout"_s, u"-out"_s, path(u"rsa.pub.pem"_s)}).exitCode, 0);
        r = ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"rsa"_s, path(u"rsa.pub.pem"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("RSA key is not a release key"), r.err.constData());
        // A private key offered as a trusted key.
        r = ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"priv"_s, path(u"v.pem"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("private key"), r.err.constData());
    }

    // List, as JSON: every key, by name, with its storage; never a private key.
    r = ctl({u"keys"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!r.out.contains("PRIVATE"));
    const QJsonArray keys = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(keys.size(), openssl().isEmpty() ? 2 : 3);
    QCOMPARE(keys.at(0)[u"name"].toString(), u"p256"_s);
    QCOMPARE(keys.at(0)[u"algorithm"].toString(), u"ecdsa-p256"_s);
    QCOMPARE(keys.at(0)[u"key_id"].toString(), p256Id);
    QCOMPARE(keys.at(0)[u"private_storage"].toString(), u"passphrase"_s);
    QCOMPARE(keys.at(1)[u"name"].toString(), u"rel"_s);
    QCOMPARE(keys.at(1)[u"key_id"].toString(), relId);
    QCOMPARE(keys.at(1)[u"public_pem"].toString().toLatin1(), pem);
    if (!openssl().isEmpty())
        QCOMPARE(keys.at(2)[u"private_storage"].toString(), u"none"_s);
    r = ctl({u"keys"_s, u"list"_s, u"--db"_s, cache()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(relId.toLatin1()) && r.out.contains("release keys"), r.out.constData());

    // Audited.
    r = ctl({u"audit"_s, u"--db"_s, cache(), u"--json"_s});
    QVERIFY(r.out.contains("release_key.created"));
    // The key id is SHA-256 of the DER public key: check it with openssl.
    if (!openssl().isEmpty()) {
        const Run der = runProgram(openssl(), {u"pkey"_s, u"-pubin"_s, u"-in"_s, path(u"rel.pub.pem"_s), u"-outform"_s, u"DER"_s,
                                               u"-out"_s, path(u"rel.der"_s)});
        QCOMPARE(der.exitCode, 0);
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(readFile(path(u"rel.der"_s)), QCryptographicHash::Sha256)
                                         .toHex()
                                         .left(16)),
                 relId);
    }
}

void TestCtlKeysArtifacts::artifacts()
{
    const QString id = importSample();
    QVERIFY(!id.isEmpty());
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(firmware(200000, 'a'), QCryptographicHash::Sha256).toHex());
    const QString stored = path(u"fleet.artifacts/"_s + sha);
    QCOMPARE(readFile(stored), firmware(200000, 'a'));

    // Re-import: the same id, still one artifact.
    const QStringList importArgs{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"fw.bin"_s), u"--version"_s,
                                 u"2.4.0"_s, u"--models"_s, u"TH-100,TH-200"_s, u"--sign-with"_s, u"rel"_s};
    Run r = ctl(importArgs, kPassphrase);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, id.toLatin1() + '\n');
    QVERIFY2(r.err.contains("already imported"), r.err.constData());

    // Refusals: wrong or missing passphrase, unsigned, unknown key, bad version, missing file,
    // a public-only key.
    r = ctl(importArgs, "wrong");
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("wrong passphrase"), r.err.constData());
    r = ctl(importArgs);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("FLEETDECK_RELEASE_KEY_PASSPHRASE"), r.err.constData());
    r = ctl(importArgs.mid(0, 9), kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("unsigned artifacts are refused"), r.err.constData());
    QStringList args = importArgs;
    args[10] = u"nobody"_s;
    r = ctl(args, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no release key named nobody"), r.err.constData());
    args = importArgs;
    args[6] = u"latest"_s;
    r = ctl(args, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("start with a digit"), r.err.constData());
    args = importArgs;
    args[4] = path(u"none.bin"_s);
    r = ctl(args, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("does not exist"), r.err.constData());
    QVERIFY(writeFile(path(u"empty.bin"_s), QByteArray()));
    args[4] = path(u"empty.bin"_s);
    r = ctl(args, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("empty"), r.err.constData());
    QCOMPARE(ctl({u"keys"_s, u"export"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s, u"--out"_s, path(u"rel.pub.pem"_s)}).exitCode, 0);
    QCOMPARE(ctl({u"keys"_s, u"create"_s, u"--db"_s, cache(), u"--name"_s, u"other"_s}, kPassphrase).exitCode, 0);
    QCOMPARE(ctl({u"keys"_s, u"export"_s, u"--db"_s, cache(), u"--name"_s, u"other"_s, u"--out"_s, path(u"o.pub.pem"_s)}).exitCode, 0);
    const QString cache2 = path(u"second.sqlite"_s);
    QCOMPARE(ctl({u"keys"_s, u"import"_s, u"--db"_s, cache2, u"--name"_s, u"o"_s, path(u"o.pub.pem"_s)}).exitCode, 0);
    args = importArgs;
    args[3] = cache2;
    args[10] = u"o"_s;
    r = ctl(args, kPassphrase);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("cannot sign"), r.err.constData());

    // Another version of the firmware.
    QVERIFY(writeFile(path(u"fw2.bin"_s), firmware(300000, 'b')));
    r = ctl({u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"fw2.bin"_s), u"--version"_s, u"2.5.0-rc1"_s,
             u"--models"_s, u"TH-100"_s, u"--notes"_s, u"Release candidate"_s, u"--sign-with"_s, u"other"_s},
            kPassphrase);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id2 = QString::fromLatin1(r.out).trimmed();
    QVERIFY(id2 != id);

    // List.
    r = ctl({u"artifact"_s, u"list"_s, u"--db"_s, cache(), u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(list.size(), 2);
    QJsonObject first;
    for (const QJsonValue &v : list) {
        if (v[u"id"].toString() == id)
            first = v.toObject();
    }
    QCOMPARE(first[u"version"].toString(), u"2.4.0"_s);
    QCOMPARE(first[u"models"].toArray(), (QJsonArray{u"TH-100"_s, u"TH-200"_s}));
    QCOMPARE(first[u"sha256"].toString(), sha);
    QCOMPARE(first[u"size"].toInteger(), 200000);
    QCOMPARE(first[u"file_name"].toString(), u"fw.bin"_s);
    QCOMPARE(first[u"key_name"].toString(), u"rel"_s);
    r = ctl({u"artifact"_s, u"list"_s, u"--db"_s, cache()});
    QVERIFY2(r.out.contains(id.toLatin1()) && r.out.contains("2.5.0-rc1") && r.out.contains("2 artifacts"), r.out.constData());
    r = ctl({u"artifact"_s, u"list"_s, u"--db"_s, path(u"empty-cache.sqlite"_s), u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("[]\n"));

    // Verify: good, then the stored file tampered with, then missing; unknown id.
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("OK"), r.out.constData());
    QByteArray tampered = firmware(200000, 'a');
    tampered[1000] = char(tampered.at(1000) ^ 1);
    QVERIFY(writeFile(stored, tampered));
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("SHA-256 mismatch"), r.err.constData());
    QVERIFY(QFile::remove(stored));
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("missing"), r.err.constData());
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id2});
    QCOMPARE(r.exitCode, 0);
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), u"0000000000000000"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no artifact"), r.err.constData());
    // A row whose signature was altered in the store: caught.
    {
        fd::test::RawDb db(path(u"fleet.operations.sqlite"_s));
        QVERIFY(db.exec("UPDATE artifacts SET signature = zeroblob(64) WHERE id = '" + id2.toLatin1() + "'").isEmpty());
    }
    r = ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id2});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("does not verify"), r.err.constData());
    r = ctl({u"audit"_s, u"--db"_s, cache(), u"--json"_s});
    QCOMPARE(r.out.count("artifact.imported"), 2);
}

void TestCtlKeysArtifacts::detachedSignatureFromOpenssl()
{
    if (openssl().isEmpty())
        QSKIP("the openssl command is not installed");
    // A vendor signs offline with its own key; FleetDeck trusts the vendor's public key only.
    QCOMPARE(runProgram(openssl(), {u"genpkey"_s, u"-algorithm"_s, u"ed25519"_s, u"-out"_s, path(u"v.pem"_s)}).exitCode, 0);
    QCOMPARE(runProgram(openssl(), {u"pkey"_s, u"-in"_s, path(u"v.pem"_s), u"-pubout"_s, u"-out"_s, path(u"v.pub.pem"_s)}).exitCode, 0);
    QCOMPARE(ctl({u"keys"_s, u"import"_s, u"--db"_s, cache(), u"--name"_s, u"vendor"_s, path(u"v.pub.pem"_s)}).exitCode, 0);
    QVERIFY(writeFile(path(u"gw.bin"_s), firmware(65536, 'g')));
    const QStringList meta{u"--version"_s, u"1.2.3"_s, u"--models"_s, u"GW-1"_s, u"--notes"_s, u"vendor build"_s};

    Run r = ctl(QStringList{u"artifact"_s, u"manifest"_s, path(u"gw.bin"_s)} + meta);
    QCOMPARE(r.exitCode, 0);
    const QByteArray manifest = r.out;
    QVERIFY2(manifest.startsWith("{\"models\":[\"GW-1\"],\"notes\":\"vendor build\",\"sha256\":\""), manifest.constData());
    QVERIFY(writeFile(path(u"manifest.json"_s), manifest));
    r = runProgram(openssl(), {u"pkeyutl"_s, u"-sign"_s, u"-rawin"_s, u"-inkey"_s, path(u"v.pem"_s), u"-in"_s,
                               path(u"manifest.json"_s), u"-out"_s, path(u"gw.sig"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    r = ctl(QStringList{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"gw.bin"_s), u"--signature"_s,
                        path(u"gw.sig"_s)} + meta);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = QString::fromLatin1(r.out).trimmed();
    QCOMPARE(id, QString::fromLatin1(QCryptographicHash::hash(manifest, QCryptographicHash::Sha256).toHex().left(16)));
    QVERIFY(ctl({u"artifact"_s, u"verify"_s, u"--db"_s, cache(), id}).exitCode == 0);
    // Base64 (openssl base64 output, with line breaks) works too: the same artifact.
    QVERIFY(writeFile(path(u"gw.sig.b64"_s), readFile(path(u"gw.sig"_s)).toBase64() + "\n"));
    r = ctl(QStringList{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"gw.bin"_s), u"--signature"_s,
                        path(u"gw.sig.b64"_s)} + meta);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromLatin1(r.out).trimmed(), id);

    // The same signature with other metadata, or over a tampered file: refused.
    QStringList otherMeta = meta;
    otherMeta[1] = u"1.2.4"_s;
    r = ctl(QStringList{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"gw.bin"_s), u"--signature"_s,
                        path(u"gw.sig"_s)} + otherMeta);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("signature does not verify with any trusted release key"), r.err.constData());
    QByteArray tampered = firmware(65536, 'g');
    tampered[7] = 'X';
    QVERIFY(writeFile(path(u"gw.bin"_s), tampered));
    r = ctl(QStringList{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"gw.bin"_s), u"--signature"_s,
                        path(u"gw.sig"_s)} + meta);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("signature does not verify with any trusted release key"), r.err.constData());
    // Both or neither of --sign-with / --signature.
    r = ctl(QStringList{u"artifact"_s, u"import"_s, u"--db"_s, cache(), path(u"gw.bin"_s), u"--signature"_s,
                        path(u"gw.sig"_s), u"--sign-with"_s, u"vendor"_s} + meta);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("not both"), r.err.constData());
}

void TestCtlKeysArtifacts::opensslVerifiesOurSignature()
{
    if (openssl().isEmpty())
        QSKIP("the openssl command is not installed");
    const QString id = importSample();
    QVERIFY(!id.isEmpty());
    QCOMPARE(ctl({u"keys"_s, u"export"_s, u"--db"_s, cache(), u"--name"_s, u"rel"_s, u"--out"_s, path(u"rel.pub.pem"_s)}).exitCode, 0);
    QByteArray manifest;
    QByteArray signature;
    {
        fd::test::RawDb db(path(u"fleet.operations.sqlite"_s));
        const QStringList row = db.texts("SELECT hex(manifest) || ' ' || hex(signature) FROM artifacts WHERE id = '"
                                         + id.toLatin1() + "'");
        QCOMPARE(row.size(), 1);
        manifest = QByteArray::fromHex(row.first().section(u' ', 0, 0).toLatin1());
        signature = QByteArray::fromHex(row.first().section(u' ', 1, 1).toLatin1());
    }
    QCOMPARE(signature.size(), 64);
    QVERIFY(writeFile(path(u"m.json"_s), manifest));
    QVERIFY(writeFile(path(u"m.sig"_s), signature));
    Run r = runProgram(openssl(), {u"pkeyutl"_s, u"-verify"_s, u"-rawin"_s, u"-pubin"_s, u"-inkey"_s,
                                   path(u"rel.pub.pem"_s), u"-in"_s, path(u"m.json"_s), u"-sigfile"_s, path(u"m.sig"_s)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("Signature Verified Successfully"), r.out.constData());
    // And openssl refuses a changed manifest.
    QVERIFY(writeFile(path(u"m.json"_s), QByteArray(manifest).replace("2.4.0", "2.4.1")));
    r = runProgram(openssl(), {u"pkeyutl"_s, u"-verify"_s, u"-rawin"_s, u"-pubin"_s, u"-inkey"_s,
                               path(u"rel.pub.pem"_s), u"-in"_s, path(u"m.json"_s), u"-sigfile"_s, path(u"m.sig"_s)});
    QVERIFY(r.exitCode != 0);
}

QTEST_GUILESS_MAIN(TestCtlKeysArtifacts)
#include "test_ctl_keys_artifacts.moc"
