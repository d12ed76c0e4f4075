#include "core/settings/keychain_secret_store.h"

#include <QTest>
#include <QUuid>

#include <optional>

using namespace fd;

// Runs against the real OS keychain. Without one (no D-Bus session / Secret Service), the
// tests are skipped with the keychain's own reason. To run them headless:
//   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ctest -R keychain'
class TestKeychainSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void writeReadRemove();
    void readMissingIsNotFound();

private:
    SecretStore::Result call(const std::function<void(SecretStore::Callback)> &op);
    // A separate service so tests never touch a user's real FleetDeck secrets.
    KeychainSecretStore m_store{QStringLiteral("FleetDeck-test")};
    QString m_key = QStringLiteral("profile/test-%1/password").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
};

SecretStore::Result TestKeychainSecretStore::call(const std::function<void(SecretStore::Callback)> &op)
{
    std::optional<SecretStore::Result> result;
    op([&](const SecretStore::Result &r) { result = r; });
    // Callbacks come asynchronously, from the event loop.
    [&] { QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 20000); }();
    return result.value_or(SecretStore::Result{false, false, {}, QStringLiteral("timed out")});
}

void TestKeychainSecretStore::initTestCase()
{
    const SecretStore::Result probe =
        call([&](auto done) { m_store.write(m_key, QStringLiteral("probe"), std::move(done)); });
    if (!probe.ok)
        QSKIP(qPrintable(QStringLiteral("no usable keychain here: %1").arg(probe.error)));
}

void TestKeychainSecretStore::writeReadRemove()
{
    const QString secret = QStringLiteral("s3cr\u00e9t with spaces & symbols \u2713");
    SecretStore::Result r = call([&](auto done) { m_store.write(m_key, secret, std::move(done)); });
    QVERIFY2(r.ok, qPrintable(r.error));
    r = call([&](auto done) { m_store.read(m_key, std::move(done)); });
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.value, secret);
    r = call([&](auto done) { m_store.remove(m_key, std::move(done)); });
    QVERIFY2(r.ok, qPrintable(r.error));
    r = call([&](auto done) { m_store.read(m_key, std::move(done)); });
    QVERIFY(!r.ok);
    QVERIFY(r.notFound);
}

void TestKeychainSecretStore::readMissingIsNotFound()
{
    const QString key = QStringLiteral("profile/never-written-%1/password").arg(QUuid::createUuid().toString());
    const SecretStore::Result r = call([&](auto done) { m_store.read(key, std::move(done)); });
    QVERIFY(!r.ok);
    QVERIFY(r.notFound);
    QVERIFY(r.value.isEmpty());
}

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "test_keychain_secret_store.moc"
