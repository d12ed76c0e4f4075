// ArtifactStore (content-addressed files: import, idempotence, verify catching a tampered
// file, readChunk bounds), ArtifactImporter (signing, detached signatures raw and base64,
// refusals: unsigned, file changed after signing, wrong key, bad signature), the
// release_keys / artifacts tables with their audit entries (a real operations store file),
// and ReleaseKeyVault (passphrase and keychain through a fake SecretStore).
#include "core/operations/operations_schema.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_importer.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/release_key_table.h"
#include "core/ota/release_key_vault.h"
#include "core/storage/database.h"
#include "core/storage/sql_statement.h"
#include "tests/support/fake_secret_store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

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

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray firmwareBytes(int size, char seed = 'f')
{
    QByteArray b(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        b[i] = char(seed + (i * 7) % 251);
    return b;
}

// Runs a job's function in one transaction of db, like OperationsWorker; rolls back on false.
bool runJob(Database &db, const OperationsJob &job, QString *error, qint64 *resultId = nullptr)
{
    if (!db.exec("BEGIN IMMEDIATE", error))
        return false;
    OperationsTransaction t(db, 1764500000000);
    if (!job.run(t, error)) {
        db.exec("ROLLBACK");
        return false;
    }
    if (resultId)
        *resultId = t.resultId();
    return db.exec("COMMIT", error);
}

qint64 count(Database &db, const char *sql)
{
    SqlStatement st;
    if (!st.prepare(db.handle(), sql) || st.step() != SQLITE_ROW)
        return -1;
    return st.columnInt64(0);
}

OperationsJob insertKeyJob(ReleaseKeyRecord record)
{
    return OperationsJob{u"insert key"_s, [record](OperationsTransaction &t, QString *error) {
                             return ReleaseKeyTable::insert(t, record, u"tester"_s, error);
                         }};
}

} // namespace

class TestOtaArtifacts : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void storeDirForCache();
    void storeImportAndVerify();
    void storeRefusals();
    void storeReadChunkBounds();
    void releaseKeyTable();
    void importSignedAndRecord();
    void importRefusals();
    void detachedSignature();
    void vaultPassphrase();
    void vaultKeychain();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    bool openDb(Database &db) { return db.open(path(u"fleet.operations.sqlite"_s), operationsSchema()).ok(); }
};

void TestOtaArtifacts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOtaArtifacts::storeDirForCache()
{
    QCOMPARE(ArtifactStore::dirForCache(u"/data/fleet.sqlite"_s), u"/data/fleet.artifacts"_s);
    QCOMPARE(ArtifactStore::dirForCache(u"/data/site.a.sqlite"_s), u"/data/site.a.artifacts"_s);
    QCOMPARE(ArtifactStore::dirForCache(u"cache"_s), u"cache.artifacts"_s);
}

void TestOtaArtifacts::storeImportAndVerify()
{
    const QByteArray content = firmwareBytes(3 * 1024 * 1024 + 17);  // more than one 1 MiB buffer
    QVERIFY(writeFile(path(u"fw.bin"_s), content));
    ArtifactStore store(path(u"fleet.artifacts"_s));
    QString sha;
    qint64 size = 0;
    QString error;
    QVERIFY2(store.import(path(u"fw.bin"_s), &sha, &size, &error), qPrintable(error));
    QCOMPARE(sha, sha256Hex(content));
    QCOMPARE(size, content.size());
    QCOMPARE(store.pathFor(sha), path(u"fleet.artifacts/"_s + sha));
    QCOMPARE(readFile(store.pathFor(sha)), content);
    QVERIFY(store.contains(sha));
    QVERIFY2(store.verify(sha, size, &error), qPrintable(error));
    // Only the file is left in the folder (no temporary files).
    QCOMPARE(QDir(store.directory()).entryList(QDir::Files), QStringList{sha});

    // Idempotent: again gives the same; and it repairs a damaged copy.
    QVERIFY(writeFile(store.pathFor(sha), content.left(100) + "X" + content.mid(101)));
    QVERIFY(!store.verify(sha, size, &error));
    QVERIFY2(error.contains(u"SHA-256 mismatch"_s), qPrintable(error));
    QString sha2;
    qint64 size2 = 0;
    QVERIFY2(store.import(path(u"fw.bin"_s), &sha2, &size2, &error), qPrintable(error));
    QCOMPARE(sha2, sha);
    QVERIFY(store.verify(sha, size, &error));
    QCOMPARE(QDir(store.directory()).entryList(QDir::Files), QStringList{sha});

    // A truncated or missing file, a wrong expected size.
    QVERIFY(!store.verify(sha, size + 1, &error));
    QVERIFY2(error.contains(u"size mismatch"_s), qPrintable(error));
    QVERIFY(QFile::remove(store.pathFor(sha)));
    QVERIFY(!store.verify(sha, size, &error));
    QVERIFY2(error.contains(u"missing"_s), qPrintable(error));

    // A partial import left by a crash a day ago is removed; a fresh one (another importer
    // at work) is left alone.
    QVERIFY(writeFile(store.directory() + u"/import-old.part"_s, "partial"));
    QVERIFY(writeFile(store.directory() + u"/import-new.part"_s, "partial"));
    {
        QFile old(store.directory() + u"/import-old.part"_s);
        QVERIFY(old.open(QIODevice::ReadWrite));
        QVERIFY(old.setFileTime(QDateTime::currentDateTimeUtc().addDays(-2), QFileDevice::FileModificationTime));
    }
    QVERIFY(store.import(path(u"fw.bin"_s), &sha2, &size2, &error));
    // (hex sorts before "import-")
    QCOMPARE(QDir(store.directory()).entryList(QDir::Files), (QStringList{sha, u"import-new.part"_s}));
    QVERIFY(QFile::remove(store.directory() + u"/import-new.part"_s));
    QVERIFY(QFile::remove(store.pathFor(sha)));

    // Expected hash given and not matching: refused, nothing stored.
    QVERIFY(!store.import(path(u"fw.bin"_s), &sha2, &size2, &error, QString(64, u'0')));
    QVERIFY2(error.contains(u"SHA-256 mismatch"_s), qPrintable(error));
    QVERIFY(QDir(store.directory()).entryList(QDir::Files).isEmpty());
}

void TestOtaArtifacts::storeRefusals()
{
    ArtifactStore store(path(u"fleet.artifacts"_s));
    QString sha;
    qint64 size = 0;
    QString error;
    QVERIFY(writeFile(path(u"empty.bin"_s), QByteArray()));
    QVERIFY(!store.import(path(u"empty.bin"_s), &sha, &size, &error));
    QVERIFY2(error.contains(u"empty"_s), qPrintable(error));
    QVERIFY(!store.import(path(u"missing.bin"_s), &sha, &size, &error));
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    QVERIFY(!store.import(m_dir->path(), &sha, &size, &error));
    QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
    QVERIFY(writeFile(path(u"locked.bin"_s), "data"));
    QFile::setPermissions(path(u"locked.bin"_s), QFileDevice::Permissions());
    if (QFile(path(u"locked.bin"_s)).open(QIODevice::ReadOnly)) {
        qInfo("running as root: the unreadable-file case is not checked");
    } else {
        QVERIFY(!store.import(path(u"locked.bin"_s), &sha, &size, &error));
        QVERIFY2(error.contains(u"cannot read"_s), qPrintable(error));
    }
    // > 4 GiB: a sparse file (no disk used).
    {
        QFile big(path(u"big.bin"_s));
        QVERIFY(big.open(QIODevice::WriteOnly));
        if (!big.resize(ArtifactStore::kMaxFileSize + 1))
            QSKIP("the file system has no sparse files");
    }
    QVERIFY(!store.import(path(u"big.bin"_s), &sha, &size, &error));
    QVERIFY2(error.contains(u"larger than 4 GiB"_s), qPrintable(error));
    QVERIFY(!ArtifactStore::hashFile(path(u"big.bin"_s), &sha, &size, &error));
    // Not a hash: no path (no way out of the folder).
    QVERIFY(store.pathFor(u"../../etc/passwd"_s).isEmpty());
    QVERIFY(store.pathFor(QString(64, u'A')).isEmpty());
    QVERIFY(!store.verify(u"../x"_s, 1, &error));
}

void TestOtaArtifacts::storeReadChunkBounds()
{
    const QByteArray content = firmwareBytes(100000);
    QVERIFY(writeFile(path(u"fw.bin"_s), content));
    ArtifactStore store(path(u"fleet.artifacts"_s));
    QString sha;
    qint64 size = 0;
    QString error;
    QVERIFY(store.import(path(u"fw.bin"_s), &sha, &size, &error));

    std::optional<QByteArray> chunk = store.readChunk(sha, 0, 16384, &error);
    QVERIFY2(chunk, qPrintable(error));
    QCOMPARE(*chunk, content.left(16384));
    chunk = store.readChunk(sha, 98304, 16384, &error);  // the last, short chunk
    QVERIFY(chunk);
    QCOMPARE(*chunk, content.mid(98304));
    chunk = store.readChunk(sha, 99999, 1, &error);
    QVERIFY(chunk);
    QCOMPARE(chunk->size(), 1);

    QVERIFY(!store.readChunk(sha, 100000, 1, &error));  // at the end
    QVERIFY2(error.contains(u"outside the file"_s), qPrintable(error));
    QVERIFY(!store.readChunk(sha, -1, 10, &error));
    QVERIFY(!store.readChunk(sha, 0, 0, &error));
    QVERIFY(!store.readChunk(sha, 0, -5, &error));
    QVERIFY(!store.readChunk(sha, 0, ArtifactStore::kMaxChunk + 1, &error));
    QVERIFY2(error.contains(u"chunk length"_s), qPrintable(error));
    QVERIFY(!store.readChunk(QString(64, u'e'), 0, 10, &error));  // unknown
    QVERIFY(!store.readChunk(u"nothex"_s, 0, 10, &error));
    QVERIFY(!store.readChunk(sha, std::numeric_limits<qint64>::max(), ArtifactStore::kMaxChunk, &error));
}

void TestOtaArtifacts::releaseKeyTable()
{
    Database db;
    QVERIFY(openDb(db));
    QString error;
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    std::optional<ReleaseKeyRecord> record = ReleaseKeyVault::protectWithPassphrase(u"release-2026"_s, key, "pw", &error);
    QVERIFY2(record, qPrintable(error));
    QVERIFY2(runJob(db, insertKeyJob(*record), &error), qPrintable(error));

    // Same name, same key under another name, bad names, mismatching ids: refused.
    QVERIFY(!runJob(db, insertKeyJob(*record), &error));
    QVERIFY2(error.contains(u"exists already"_s), qPrintable(error));
    ReleaseKeyRecord renamed = *record;
    renamed.name = u"other"_s;
    QVERIFY(!runJob(db, insertKeyJob(renamed), &error));
    QVERIFY2(error.contains(u"known already as release-2026"_s), qPrintable(error));
    ReleaseKeyRecord badName = *record;
    badName.name = u"no spaces"_s;
    QVERIFY(!runJob(db, insertKeyJob(badName), &error));
    ReleaseKeyRecord lying = *ReleaseKeyVault::trustedPublicKey(
        u"liar"_s, ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256).publicPem(), &error);
    lying.keyId = key.keyId();
    QVERIFY(!runJob(db, insertKeyJob(lying), &error));
    QVERIFY2(error.contains(u"does not match"_s), qPrintable(error));

    const ReleaseKey other = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    std::optional<ReleaseKeyRecord> trusted = ReleaseKeyVault::trustedPublicKey(u"vendor"_s, other.publicPem(), &error);
    QVERIFY2(trusted, qPrintable(error));
    QVERIFY(trusted->privatePem.isEmpty());
    QVERIFY2(runJob(db, insertKeyJob(*trusted), &error), qPrintable(error));

    QList<ReleaseKeyRecord> keys;
    QVERIFY2(ReleaseKeyTable::list(db.handle(), &keys, &error), qPrintable(error));
    QCOMPARE(keys.size(), 2);
    QCOMPARE(keys.at(0).name, u"release-2026"_s);
    QCOMPARE(keys.at(0).storage, ReleaseKeyRecord::Storage::Passphrase);
    QCOMPARE(keys.at(0).keyId, key.keyId());
    QCOMPARE(keys.at(0).privatePem, record->privatePem);
    QCOMPARE(keys.at(0).createdMs, 1764500000000);
    QCOMPARE(keys.at(1).name, u"vendor"_s);
    QCOMPARE(keys.at(1).algorithm, ReleaseKey::Algorithm::EcdsaP256);
    QCOMPARE(keys.at(1).storage, ReleaseKeyRecord::Storage::None);

    ReleaseKeyRecord read;
    bool found = false;
    QVERIFY(ReleaseKeyTable::read(db.handle(), u"vendor"_s, &read, &found, &error));
    QVERIFY(found);
    QCOMPARE(read, keys.at(1));
    QVERIFY(ReleaseKeyTable::read(db.handle(), u"nope"_s, &read, &found, &error));
    QVERIFY(!found);

    // Audit entries, in the same transactions; never the private key.
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'release_key' AND action = "
                       "'release_key.created' AND object_id = 'release-2026'"),
             1);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'release_key' AND action = "
                       "'release_key.imported' AND object_id = 'vendor'"),
             1);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%BEGIN%'"), 0);

    const OperationsJob remove{u"remove"_s, [](OperationsTransaction &t, QString *e) {
                                   return ReleaseKeyTable::remove(t, u"vendor"_s, u"tester"_s, e);
                               }};
    QVERIFY2(runJob(db, remove, &error), qPrintable(error));
    QVERIFY(!runJob(db, remove, &error));
    QVERIFY2(error.contains(u"no release key named vendor"_s), qPrintable(error));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM release_keys"), 1);
}

void TestOtaArtifacts::importSignedAndRecord()
{
    Database db;
    QVERIFY(openDb(db));
    QString error;
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QVERIFY(runJob(db, insertKeyJob(*ReleaseKeyVault::protectWithPassphrase(u"k"_s, key, "pw", &error)), &error));
    QList<ReleaseKeyRecord> trusted;
    QVERIFY(ReleaseKeyTable::list(db.handle(), &trusted, &error));

    const QByteArray content = firmwareBytes(50000);
    QVERIFY(writeFile(path(u"th100-2.4.0.bin"_s), content));
    ArtifactImporter importer(ArtifactStore(path(u"fleet.artifacts"_s)));
    const ArtifactImportRequest request{path(u"th100-2.4.0.bin"_s), u"2.4.0"_s,
                                        {u"TH-100"_s, u" TH-200 "_s, u"TH-100"_s, QString()}, u"notes"_s};
    std::optional<FirmwareArtifact> a = importer.importSigned(request, key, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(a->models, (QStringList{u"TH-100"_s, u"TH-200"_s}));  // trimmed, deduplicated
    QCOMPARE(a->sha256, sha256Hex(content));
    QCOMPARE(a->size, 50000);
    QCOMPARE(a->fileName, u"th100-2.4.0.bin"_s);
    QCOMPARE(a->keyId, key.keyId());
    QCOMPARE(a->id, QString::fromLatin1(QCryptographicHash::hash(a->manifest, QCryptographicHash::Sha256).toHex().left(16)));
    QCOMPARE(a->manifest, (FirmwareManifest{u"2.4.0"_s, a->models, u"notes"_s, a->sha256, 50000}.toBytes()));
    QVERIFY(ReleaseKey::verifyWithPublicPem(key.publicPem(), a->manifest, a->signature, &error));
    QVERIFY2(ArtifactImporter::verifyStored(*a, trusted, importer.artifactStore(), &error), qPrintable(error));

    qint64 isNew = -1;
    QVERIFY2(runJob(db, ArtifactImporter::recordJob(*a, u"tester"_s), &error, &isNew), qPrintable(error));
    QCOMPARE(isNew, 1);
    FirmwareArtifact stored;
    bool found = false;
    QVERIFY(ArtifactTable::read(db.handle(), a->id, &stored, &found, &error));
    QVERIFY(found);
    FirmwareArtifact expected = *a;
    expected.createdMs = 1764500000000;
    QCOMPARE(stored, expected);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'artifact' AND action = 'artifact.imported'"), 1);

    // Re-import: same id (ECDSA signatures differ, the manifest does not), nothing new written.
    std::optional<FirmwareArtifact> again = importer.importSigned(request, key, &error);
    QVERIFY(again);
    QCOMPARE(again->id, a->id);
    QVERIFY(runJob(db, ArtifactImporter::recordJob(*again, u"tester"_s), &error, &isNew));
    QCOMPARE(isNew, 0);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM artifacts"), 1);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'artifact'"), 1);
    // Other metadata, same file: another artifact.
    ArtifactImportRequest other = request;
    other.notes = u"other notes"_s;
    std::optional<FirmwareArtifact> third = importer.importSigned(other, key, &error);
    QVERIFY(third);
    QVERIFY(third->id != a->id);
    QVERIFY(runJob(db, ArtifactImporter::recordJob(*third, u"tester"_s), &error));
    QList<FirmwareArtifact> all;
    QVERIFY(ArtifactTable::list(db.handle(), &all, &error));
    QCOMPARE(all.size(), 2);

    // The stored file tampered with afterwards: verifyStored catches it.
    QVERIFY(writeFile(importer.artifactStore().pathFor(a->sha256), firmwareBytes(50000, 'g')));
    QVERIFY(!ArtifactImporter::verifyStored(stored, trusted, importer.artifactStore(), &error));
    QVERIFY2(error.contains(u"SHA-256 mismatch"_s), qPrintable(error));
}

void TestOtaArtifacts::importRefusals()
{
    Database db;
    QVERIFY(openDb(db));
    QString error;
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    QVERIFY(runJob(db, insertKeyJob(*ReleaseKeyVault::protectWithPassphrase(u"k"_s, key, "pw", &error)), &error));
    QVERIFY(writeFile(path(u"fw.bin"_s), firmwareBytes(4096)));
    ArtifactImporter importer(ArtifactStore(path(u"fleet.artifacts"_s)));
    const ArtifactImportRequest request{path(u"fw.bin"_s), u"2.4.0"_s, {u"TH-100"_s}, QString()};

    // Unsigned: the record job refuses it.
    std::optional<FirmwareArtifact> unsigned_ = importer.describe(request, &error);
    QVERIFY2(unsigned_, qPrintable(error));
    QVERIFY(!runJob(db, ArtifactImporter::recordJob(*unsigned_, u"tester"_s), &error));
    QVERIFY2(error.contains(u"not signed"_s), qPrintable(error));

    // Signed by a key that is not trusted (not in release_keys).
    const ReleaseKey stranger = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    std::optional<FirmwareArtifact> foreign = importer.importSigned(request, stranger, &error);
    QVERIFY(foreign);
    QVERIFY(!runJob(db, ArtifactImporter::recordJob(*foreign, u"tester"_s), &error));
    QVERIFY2(error.contains(u"signature does not verify with any trusted release key"_s), qPrintable(error));
    QVERIFY2(error.contains(u"not trusted"_s), qPrintable(error));

    // A trusted key id but a signature that does not verify (manifest changed after signing).
    std::optional<FirmwareArtifact> forged = importer.importSigned(request, key, &error);
    QVERIFY(forged);
    forged->version = u"9.9.9"_s;
    FirmwareManifest m = *FirmwareManifest::fromBytes(forged->manifest, &error);
    m.version = u"9.9.9"_s;
    forged->manifest = m.toBytes();
    forged->id = FirmwareArtifact::idForManifest(forged->manifest);
    QVERIFY(!runJob(db, ArtifactImporter::recordJob(*forged, u"tester"_s), &error));
    QVERIFY2(error.contains(u"signature does not verify with any trusted release key"_s), qPrintable(error));
    // Columns that disagree with the signed manifest.
    std::optional<FirmwareArtifact> mixed = importer.importSigned(request, key, &error);
    mixed->models = QStringList{u"OTHER"_s};
    QVERIFY(!runJob(db, ArtifactImporter::recordJob(*mixed, u"tester"_s), &error));
    QVERIFY2(error.contains(u"does not match the signed manifest"_s), qPrintable(error));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM artifacts"), 0);
    QCOMPARE(count(db, "SELECT COUNT(*) FROM audit_log WHERE object_kind = 'artifact'"), 0);

    // The file changed after it was described and signed: store() refuses it.
    std::optional<FirmwareArtifact> signed_ = importer.describe(request, &error);
    QVERIFY(ArtifactImporter::sign(&*signed_, key, &error));
    QVERIFY(writeFile(path(u"fw.bin"_s), firmwareBytes(4096, 'x')));
    QVERIFY(!importer.store(*signed_, path(u"fw.bin"_s), &error));
    QVERIFY2(error.contains(u"SHA-256 mismatch"_s), qPrintable(error));

    // Bad metadata: refused before any hashing.
    ArtifactImportRequest bad = request;
    bad.version = u"latest"_s;
    QVERIFY(!importer.describe(bad, &error));
    QVERIFY2(error.contains(u"start with a digit"_s), qPrintable(error));
    bad = request;
    bad.models = {u" "_s};
    QVERIFY(!importer.describe(bad, &error));
    QVERIFY2(error.contains(u"model"_s), qPrintable(error));
    bad = request;
    bad.filePath = path(u"none.bin"_s);
    QVERIFY(!importer.describe(bad, &error));
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    // A public-only key cannot sign.
    const std::optional<ReleaseKey> publicOnly = ReleaseKey::fromPublicPem(key.publicPem(), &error);
    QVERIFY(!importer.importSigned(request, *publicOnly, &error));
    QVERIFY2(error.contains(u"no private key"_s), qPrintable(error));
}

void TestOtaArtifacts::detachedSignature()
{
    Database db;
    QVERIFY(openDb(db));
    QString error;
    const ReleaseKey vendorKey = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    const ReleaseKey p256Key = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QVERIFY(runJob(db, insertKeyJob(*ReleaseKeyVault::trustedPublicKey(u"p256"_s, p256Key.publicPem(), &error)), &error));
    QVERIFY(runJob(db, insertKeyJob(*ReleaseKeyVault::trustedPublicKey(u"vendor"_s, vendorKey.publicPem(), &error)), &error));
    QList<ReleaseKeyRecord> trusted;
    QVERIFY(ReleaseKeyTable::list(db.handle(), &trusted, &error));

    QVERIFY(writeFile(path(u"fw.bin"_s), firmwareBytes(7777)));
    ArtifactImporter importer(ArtifactStore(path(u"fleet.artifacts"_s)));
    const ArtifactImportRequest request{path(u"fw.bin"_s), u"3.0.0-rc1"_s, {u"GW-1"_s}, u"rc"_s};
    // The vendor signs the manifest offline (the same bytes FleetDeck computes).
    const std::optional<FirmwareArtifact> described = importer.describe(request, &error);
    QVERIFY(described);
    const QByteArray raw = vendorKey.sign(described->manifest, &error);

    // Raw bytes.
    std::optional<FirmwareArtifact> a = importer.importWithSignature(request, raw, trusted, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(a->keyId, vendorKey.keyId());
    QCOMPARE(a->signature, raw);
    QVERIFY2(runJob(db, ArtifactImporter::recordJob(*a, u"tester"_s), &error), qPrintable(error));
    // Base64 with line breaks (as `openssl base64` writes it).
    const QByteArray b64 = raw.toBase64().insert(40, "\n") + "\n";
    a = importer.importWithSignature(request, b64, trusted, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(a->signature, raw);
    // An ECDSA P-256 DER signature by the other trusted key, base64.
    a = importer.importWithSignature(request, p256Key.sign(described->manifest, &error).toBase64(), trusted, &error);
    QVERIFY2(a, qPrintable(error));
    QCOMPARE(a->keyId, p256Key.keyId());

    // Bad: flipped bit, a signature of other metadata, another file, an untrusted signer,
    // garbage, empty, too big, no trusted keys at all.
    QByteArray flipped = raw;
    flipped[3] = char(flipped.at(3) ^ 0x40);
    QVERIFY(!importer.importWithSignature(request, flipped, trusted, &error));
    QVERIFY2(error.contains(u"signature does not verify with any trusted release key"_s), qPrintable(error));
    ArtifactImportRequest otherVersion = request;
    otherVersion.version = u"3.0.0"_s;
    QVERIFY(!importer.importWithSignature(otherVersion, raw, trusted, &error));
    QVERIFY(writeFile(path(u"fw.bin"_s), firmwareBytes(7777, 'z')));  // tampered file, same signature
    QVERIFY(!importer.importWithSignature(request, raw, trusted, &error));
    QVERIFY2(error.contains(u"signature does not verify with any trusted release key"_s), qPrintable(error));
    QVERIFY(writeFile(path(u"fw.bin"_s), firmwareBytes(7777)));
    const ReleaseKey stranger = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    QVERIFY(!importer.importWithSignature(request, stranger.sign(described->manifest, &error), trusted, &error));
    QVERIFY(!importer.importWithSignature(request, "not a signature", trusted, &error));
    QVERIFY(!importer.importWithSignature(request, QByteArray(), trusted, &error));
    QVERIFY2(error.contains(u"empty"_s), qPrintable(error));
    QVERIFY(!importer.importWithSignature(request, QByteArray(5000, 'A'), trusted, &error));
    QVERIFY2(error.contains(u"larger"_s), qPrintable(error));
    QVERIFY(!importer.importWithSignature(request, raw, {}, &error));
    QVERIFY2(error.contains(u"there are none"_s), qPrintable(error));
    QCOMPARE(count(db, "SELECT COUNT(*) FROM artifacts"), 1);
}

void TestOtaArtifacts::vaultPassphrase()
{
    QString error;
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
    QVERIFY(!ReleaseKeyVault::protectWithPassphrase(u"k"_s, key, QByteArray(), &error));
    QVERIFY2(error.contains(u"empty passphrase"_s), qPrintable(error));
    QVERIFY(!ReleaseKeyVault::protectWithPassphrase(u"bad name!"_s, key, "pw", &error));
    const std::optional<ReleaseKeyRecord> r = ReleaseKeyVault::protectWithPassphrase(u"k"_s, key, "pw", &error);
    QVERIFY(r);
    QVERIFY(!r->privatePem.contains(key.publicPem()));
    const std::optional<ReleaseKey> unlocked = ReleaseKeyVault::unlockWithPassphrase(*r, "pw", &error);
    QVERIFY2(unlocked, qPrintable(error));
    QCOMPARE(unlocked->keyId(), key.keyId());
    QVERIFY(!ReleaseKeyVault::unlockWithPassphrase(*r, "PW", &error));
    QVERIFY2(error.contains(u"wrong passphrase"_s), qPrintable(error));
    // A row whose encrypted key belongs to another public key is refused.
    ReleaseKeyRecord swapped = *r;
    swapped.keyId = u"0000000000000000"_s;
    QVERIFY(!ReleaseKeyVault::unlockWithPassphrase(swapped, "pw", &error));
    QVERIFY2(error.contains(u"does not match"_s), qPrintable(error));
    const std::optional<ReleaseKeyRecord> pub = ReleaseKeyVault::trustedPublicKey(u"p"_s, key.publicPem(), &error);
    QVERIFY(!ReleaseKeyVault::unlockWithPassphrase(*pub, "pw", &error));
    QVERIFY2(error.contains(u"cannot sign"_s), qPrintable(error));
}

void TestOtaArtifacts::vaultKeychain()
{
    test::FakeSecretStore secrets;
    ReleaseKeyVault vault(&secrets);
    const ReleaseKey key = ReleaseKey::generate(ReleaseKey::Algorithm::EcdsaP256);
    QString error;
    const std::optional<ReleaseKeyRecord> record = ReleaseKeyVault::keychainRecord(u"gui-key"_s, key, &error);
    QVERIFY(record);
    QCOMPARE(record->storage, ReleaseKeyRecord::Storage::Keychain);
    QVERIFY(record->privatePem.isEmpty());

    bool stored = false;
    bool storeDone = false;
    vault.storeInKeychain(u"gui-key"_s, key, [&](bool ok, const QString &) {
        stored = ok;
        storeDone = true;
    });
    QTRY_VERIFY(storeDone);
    QVERIFY(stored);
    const QString entry = secrets.values.value(u"release-key/gui-key"_s);
    QVERIFY(entry.contains(u"ENCRYPTED PRIVATE KEY"_s));
    QVERIFY(!entry.contains(u"BEGIN PRIVATE KEY"_s));

    std::optional<QString> unlockedId;
    QString unlockError;
    bool unlockDone = false;
    auto unlock = [&](const ReleaseKeyRecord &r) {
        unlockDone = false;
        unlockedId.reset();
        vault.unlockFromKeychain(r, [&](std::optional<ReleaseKey> k, const QString &e) {
            if (k)
                unlockedId = k->keyId();
            unlockError = e;
            unlockDone = true;
        });
    };
    unlock(*record);
    QTRY_VERIFY(unlockDone);
    QCOMPARE(unlockedId, std::optional<QString>(key.keyId()));

    // Another key in the entry, a damaged entry, no entry, an unreachable keychain.
    ReleaseKeyRecord other = *record;
    other.keyId = u"ffffffffffffffff"_s;
    unlock(other);
    QTRY_VERIFY(unlockDone);
    QVERIFY(!unlockedId);
    QVERIFY2(unlockError.contains(u"another key"_s), qPrintable(unlockError));
    secrets.values.insert(u"release-key/gui-key"_s, u"{\"format\":\"x\"}"_s);
    unlock(*record);
    QTRY_VERIFY(unlockDone);
    QVERIFY(!unlockedId);
    QVERIFY2(unlockError.contains(u"not a FleetDeck release key"_s), qPrintable(unlockError));
    bool removed = false;
    bool removeDone = false;
    vault.removeFromKeychain(u"gui-key"_s, [&](bool ok, const QString &) {
        removed = ok;
        removeDone = true;
    });
    QTRY_VERIFY(removeDone);
    QVERIFY(removed);
    unlock(*record);
    QTRY_VERIFY(unlockDone);
    QVERIFY2(unlockError.contains(u"has no private key"_s), qPrintable(unlockError));
    secrets.failWith = u"No keychain service available"_s;
    unlock(*record);
    QTRY_VERIFY(unlockDone);
    QCOMPARE(unlockError, u"No keychain service available"_s);
    // A passphrase row is not a keychain row; no keychain at all.
    ReleaseKeyVault none;
    unlockDone = false;
    none.unlockFromKeychain(*record, [&](std::optional<ReleaseKey> k, const QString &e) {
        QVERIFY(!k);
        unlockError = e;
        unlockDone = true;
    });
    QVERIFY(unlockDone);
    QVERIFY(unlockError.contains(u"no OS keychain"_s));
}

QTEST_GUILESS_MAIN(TestOtaArtifacts)
#include "test_ota_artifacts.moc"
