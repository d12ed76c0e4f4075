// ProfileSecrets over an in-memory secret store: every secret is bound to the broker it was
// saved for, and handed out only for that broker.
#include "core/settings/profile_secrets.h"
#include "core/settings/settings_keys.h"
#include "tests/support/fake_secret_store.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {
BrokerUrl url(const QString &text)
{
    return *BrokerUrl::parse(text);
}

// Runs load() and waits for its one answer.
ProfileSecrets::Loaded load(SecretStore &store, const QString &name, const std::optional<BrokerUrl> &legacy,
                            const BrokerUrl &target)
{
    std::optional<ProfileSecrets::Loaded> result;
    int calls = 0;
    ProfileSecrets(store).load(name, legacy, target, [&](const ProfileSecrets::Loaded &l) {
        result = l;
        ++calls;
    });
    // The fake store answers on the next event-loop turn; a second answer would come with it.
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 5000))
        qWarning() << "load() did not answer";
    QCoreApplication::processEvents();
    if (calls != 1)
        qWarning() << "load() answered" << calls << "times";
    return result.value_or(ProfileSecrets::Loaded{});
}
} // namespace

class TestProfileSecrets : public QObject
{
    Q_OBJECT
private slots:
    void envelopeRoundTrip();
    void envelopeKeepsALeadingByteOrderMark();
    void handedOutForTheirOwnBroker();
    void withheldFromAnotherBroker();
    void legacySecretsBelongToTheSavedBroker();
    void keychainErrorsAreReported();
    void emptyValueRemoves();
};

void TestProfileSecrets::envelopeRoundTrip()
{
    const QString stored = ProfileSecrets::encode(url(u"ssl://Broker.example.com"_s), u"pa\"ss{}"_s);
    QVERIFY(!stored.isEmpty());
    const ProfileSecrets::Decoded d = ProfileSecrets::decode(stored);
    QCOMPARE(d.value, u"pa\"ss{}"_s);
    QCOMPARE(d.broker, u"mqtts://broker.example.com:8883"_s);
    // A value from before binding (or one that merely looks like JSON) is taken as is.
    QCOMPARE(ProfileSecrets::decode(u"hunter2"_s).value, u"hunter2"_s);
    QVERIFY(ProfileSecrets::decode(u"hunter2"_s).broker.isEmpty());
    QCOMPARE(ProfileSecrets::decode(u"{\"a\":1}"_s).value, u"{\"a\":1}"_s);
    QVERIFY(ProfileSecrets::decode(u"{\"a\":1}"_s).broker.isEmpty());
}

// Found by fuzz_connection_profiles (fuzz/): QJsonDocument wrote U+FEFF as it is and dropped
// it again at the start of the value it read, so a password starting with U+FEFF came back
// from the keychain without it. The envelope writes it as \ufeff now.
void TestProfileSecrets::envelopeKeepsALeadingByteOrderMark()
{
    for (const QString &value : {u"\uFEFFpw"_s, u"\uFEFF\uFEFF"_s, u"p\uFEFFw\uFEFF"_s}) {
        const QString stored = ProfileSecrets::encode(url(u"mqtts://h"_s), value);
        QVERIFY(!stored.contains(QChar(QChar::ByteOrderMark)));
        const ProfileSecrets::Decoded d = ProfileSecrets::decode(stored);
        QCOMPARE(d.value, value);
        QCOMPARE(d.broker, u"mqtts://h:8883"_s);
    }
}

void TestProfileSecrets::handedOutForTheirOwnBroker()
{
    test::FakeSecretStore store;
    const BrokerUrl prod = url(u"mqtts://prod.example.com"_s);
    bool written = false;
    ProfileSecrets(store).store(u"P"_s, ProfileSecrets::Kind::Password, prod, u"s3cret"_s,
                                [&](const SecretStore::Result &r) { written = r.ok; });
    ProfileSecrets(store).store(u"P"_s, ProfileSecrets::Kind::KeyPassphrase, prod, u"keypass"_s, {});
    QTRY_VERIFY(written);
    QVERIFY(!store.values.value(SettingsKeys::profilePasswordKey(u"P"_s)).isEmpty());
    QVERIFY(store.values.value(SettingsKeys::profilePasswordKey(u"P"_s)) != u"s3cret"_s);  // with its broker

    const ProfileSecrets::Loaded l = load(store, u"P"_s, prod, url(u"ssl://PROD.example.com:8883"_s));
    QCOMPARE(l.secrets.password, u"s3cret"_s);
    QCOMPARE(l.secrets.keyPassphrase, u"keypass"_s);
    QVERIFY(l.withheld.isEmpty());
    QVERIFY(l.errors.isEmpty());
}

// `fleetdeck --profile P --broker URL`: P's secrets stay home.
void TestProfileSecrets::withheldFromAnotherBroker()
{
    test::FakeSecretStore store;
    const BrokerUrl prod = url(u"mqtts://prod.example.com"_s);
    ProfileSecrets(store).store(u"P"_s, ProfileSecrets::Kind::Password, prod, u"s3cret"_s, {});
    QTRY_VERIFY(!store.values.isEmpty());
    for (const QString &other : {u"mqtt://prod.example.com:8883"_s, u"mqtts://prod.example.com:8884"_s,
                                 u"mqtts://evil.example.com"_s}) {
        // Even when the saved profile itself was re-pointed there (legacy broker = other).
        const ProfileSecrets::Loaded l = load(store, u"P"_s, url(other), url(other));
        QVERIFY2(l.secrets.password.isEmpty(), qPrintable(other));
        QCOMPARE(l.withheld, QStringList{u"password"_s});
        QCOMPARE(l.savedFor, prod.identity());
    }
}

void TestProfileSecrets::legacySecretsBelongToTheSavedBroker()
{
    test::FakeSecretStore store;
    store.values.insert(SettingsKeys::profilePasswordKey(u"Old"_s), u"plain-old"_s);
    const BrokerUrl saved = url(u"mqtt://lab.local:1884"_s);
    QCOMPARE(load(store, u"Old"_s, saved, saved).secrets.password, u"plain-old"_s);
    const ProfileSecrets::Loaded other = load(store, u"Old"_s, saved, url(u"mqtt://other:1884"_s));
    QVERIFY(other.secrets.password.isEmpty());
    QCOMPARE(other.withheld, QStringList{u"password"_s});
    // No saved profile to tie it to: nowhere.
    QVERIFY(load(store, u"Old"_s, std::nullopt, saved).secrets.password.isEmpty());
}

void TestProfileSecrets::keychainErrorsAreReported()
{
    test::FakeSecretStore store;
    store.failWith = u"No keychain service available"_s;
    const BrokerUrl b = url(u"mqtts://h"_s);
    const ProfileSecrets::Loaded l = load(store, u"P"_s, b, b);
    QCOMPARE(l.errors.size(), 2);
    QVERIFY(l.errors.first().contains(u"No keychain"_s));
    QVERIFY(l.secrets.password.isEmpty());
}

void TestProfileSecrets::emptyValueRemoves()
{
    test::FakeSecretStore store;
    const BrokerUrl b = url(u"mqtts://h"_s);
    ProfileSecrets(store).store(u"P"_s, ProfileSecrets::Kind::Password, b, u"x"_s, {});
    QTRY_COMPARE(store.values.size(), 1);
    ProfileSecrets(store).store(u"P"_s, ProfileSecrets::Kind::Password, b, QString(), {});
    QTRY_COMPARE(store.values.size(), 0);
}

QTEST_GUILESS_MAIN(TestProfileSecrets)
#include "test_profile_secrets.moc"
