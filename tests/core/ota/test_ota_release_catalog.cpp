// ReleaseCatalog: keys and artifacts through a real operations store (SQLite temp file).
#include "core/operations/operations_store.h"
#include "core/ota/artifact_store.h"
#include "core/ota/release_catalog.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestOtaReleaseCatalog : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void createsAKeyAndImportsASignedArtifact();
    void refusesAWrongPassphraseAndDuplicateNames();
    void publicKeysCannotSign();

private:
    QString firmware(const QByteArray &bytes);
    bool createKey(const QString &name, const QByteArray &passphrase, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<ReleaseCatalog> m_catalog;
};

void TestOtaReleaseCatalog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<OperationsStore>();
    QSignalSpy opened(m_store.get(), &OperationsStore::opened);
    const QString cache = m_dir->filePath(QStringLiteral("fleet.sqlite"));
    m_store->open(OperationsStore::pathForCache(cache));
    QVERIFY(opened.wait(10000));
    QVERIFY(m_store->isOpen());
    m_catalog = std::make_unique<ReleaseCatalog>(m_store.get(), nullptr, cache, QStringLiteral("tester"));
}

void TestOtaReleaseCatalog::cleanup()
{
    m_catalog.reset();
    m_store.reset();
    m_dir.reset();
}

QString TestOtaReleaseCatalog::firmware(const QByteArray &bytes)
{
    const QString path = m_dir->filePath(QStringLiteral("fw-%1.bin").arg(bytes.size()));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

bool TestOtaReleaseCatalog::createKey(const QString &name, const QByteArray &passphrase, QString *error)
{
    QSignalSpy created(m_catalog.get(), &ReleaseCatalog::keyCreated);
    QSignalSpy read(m_catalog.get(), &ReleaseCatalog::catalogRead);
    m_catalog->createKey(name, ReleaseKey::Algorithm::Ed25519, ReleaseCatalog::KeyStorage::Passphrase, passphrase);
    if (created.isEmpty() && !created.wait(10000))
        return false;
    *error = created.constFirst().at(1).toString();
    if (!error->isEmpty())
        return false;
    return !read.isEmpty() || read.wait(10000);
}

void TestOtaReleaseCatalog::createsAKeyAndImportsASignedArtifact()
{
    QString error;
    QVERIFY2(createKey(QStringLiteral("release-1"), "correct horse", &error), qPrintable(error));
    QCOMPARE(m_catalog->keys().size(), 1);
    QCOMPARE(m_catalog->keys().constFirst().name, QStringLiteral("release-1"));
    QVERIFY(m_catalog->keys().constFirst().canSign());

    const QByteArray bytes(100'000, 'x');
    ArtifactImportRequest request;
    request.filePath = firmware(bytes);
    request.version = QStringLiteral("2.5.0");
    request.models = {QStringLiteral("TH-100")};
    request.notes = QStringLiteral("<b>not markup</b>");
    QSignalSpy imported(m_catalog.get(), &ReleaseCatalog::artifactImported);
    QSignalSpy read(m_catalog.get(), &ReleaseCatalog::catalogRead);
    m_catalog->importArtifact(request, QStringLiteral("release-1"), "correct horse");
    QVERIFY(imported.wait(10000));
    QCOMPARE(imported.constFirst().at(1).toString(), QString());
    const auto artifact = imported.constFirst().at(0).value<FirmwareArtifact>();
    QCOMPARE(artifact.version, QStringLiteral("2.5.0"));
    QCOMPARE(artifact.size, qint64(bytes.size()));
    QVERIFY(read.wait(10000));
    QCOMPARE(m_catalog->artifacts().size(), 1);
    QVERIFY(m_catalog->artifact(artifact.id));
    // The file is in the content-addressed store beside the cache, intact.
    const ArtifactStore store(m_catalog->artifactDirectory());
    QVERIFY2(store.verify(artifact.sha256, artifact.size, &error), qPrintable(error));
}

void TestOtaReleaseCatalog::refusesAWrongPassphraseAndDuplicateNames()
{
    QString error;
    QVERIFY2(createKey(QStringLiteral("release-1"), "correct horse", &error), qPrintable(error));
    QVERIFY(!createKey(QStringLiteral("release-1"), "another one", &error));
    QVERIFY2(error.contains(QStringLiteral("already exists")), qPrintable(error));
    QVERIFY(!createKey(QStringLiteral("bad name!"), "another one", &error));
    QVERIFY(!error.isEmpty());

    ArtifactImportRequest request;
    request.filePath = firmware(QByteArray(5000, 'y'));
    request.version = QStringLiteral("1.0.0");
    request.models = {QStringLiteral("TH-100")};
    QSignalSpy imported(m_catalog.get(), &ReleaseCatalog::artifactImported);
    m_catalog->importArtifact(request, QStringLiteral("release-1"), "wrong passphrase");
    QVERIFY(!imported.isEmpty() || imported.wait(10000));
    QVERIFY(!imported.constFirst().at(1).toString().isEmpty());
    QCOMPARE(m_catalog->artifacts().size(), 0);
    // A file that does not exist: refused with the reason, nothing recorded.
    imported.clear();
    request.filePath = m_dir->filePath(QStringLiteral("missing.bin"));
    m_catalog->importArtifact(request, QStringLiteral("release-1"), "correct horse");
    QVERIFY(!imported.isEmpty() || imported.wait(10000));
    QVERIFY(!imported.constFirst().at(1).toString().isEmpty());
}

void TestOtaReleaseCatalog::publicKeysCannotSign()
{
    ArtifactImportRequest request;
    request.filePath = firmware(QByteArray(10, 'z'));
    request.version = QStringLiteral("1.0.0");
    request.models = {QStringLiteral("TH-100")};
    QSignalSpy imported(m_catalog.get(), &ReleaseCatalog::artifactImported);
    m_catalog->importArtifact(request, QStringLiteral("nobody"), QByteArray());
    QVERIFY(!imported.isEmpty() || imported.wait(10000));
    QVERIFY(imported.constFirst().at(1).toString().contains(QStringLiteral("no release key")));
}

QTEST_GUILESS_MAIN(TestOtaReleaseCatalog)
#include "test_ota_release_catalog.moc"
