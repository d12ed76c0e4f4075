#include "core/settings/profile_store.h"
#include "core/settings/settings_keys.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestProfileStore : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void emptyStore();
    void saveAndLoadRoundTrip();
    void saveReplacesSameName();
    void removeForgetsLastUsed();
    void rejectsInvalidProfiles();
    void survivesReopen();
    void secretsNeverInSettingsFile();
    void secretKeys();
    void plaintextConfirmationIsBoundToTheBroker();
    void editedFileIsReadWithinBounds();
    void unpairedSurrogateSavesAsRead();

private:
    ConnectionProfile sample(const QString &name) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

ConnectionProfile TestProfileStore::sample(const QString &name) const
{
    ConnectionProfile p;
    p.name = name;
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtts://broker.example.com:8884"));
    p.username = QStringLiteral("operator");
    p.clientId = QStringLiteral("console-1");
    p.topicPrefix = QStringLiteral("acme/fleet/v1");
    p.mqttVersion = 3;
    p.keepAliveSeconds = 45;
    p.qos = 0;
    p.caFile = QStringLiteral("/etc/ssl/acme-ca.pem");
    p.clientCertFile = QStringLiteral("/home/op/client.pem");
    p.clientKeyFile = QStringLiteral("/home/op/client.key");
    p.verifyHostname = false;
    p.persistentSession = true;
    return p;
}

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
}

void TestProfileStore::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

void TestProfileStore::emptyStore()
{
    ProfileStore store(*m_settings);
    QVERIFY(store.profiles().isEmpty());
    QVERIFY(store.names().isEmpty());
    QVERIFY(!store.profile(QStringLiteral("x")));
    QVERIFY(store.lastUsed().isEmpty());
}

void TestProfileStore::saveAndLoadRoundTrip()
{
    ProfileStore store(*m_settings);
    const ConnectionProfile p = sample(QStringLiteral("Production"));
    QString error;
    QVERIFY2(store.save(p, &error), qPrintable(error));
    const auto loaded = store.profile(QStringLiteral("Production"));
    QVERIFY(loaded);
    QCOMPARE(loaded->name, p.name);
    QCOMPARE(loaded->broker.host, QStringLiteral("broker.example.com"));
    QCOMPARE(loaded->broker.port, quint16(8884));
    QVERIFY(loaded->broker.tls);
    QCOMPARE(loaded->username, p.username);
    QCOMPARE(loaded->clientId, p.clientId);
    QCOMPARE(loaded->topicPrefix, p.topicPrefix);
    QCOMPARE(loaded->mqttVersion, 3);
    QCOMPARE(loaded->keepAliveSeconds, 45);
    QCOMPARE(loaded->qos, 0);
    QCOMPARE(loaded->caFile, p.caFile);
    QCOMPARE(loaded->clientCertFile, p.clientCertFile);
    QCOMPARE(loaded->clientKeyFile, p.clientKeyFile);
    QCOMPARE(loaded->verifyHostname, false);
    QCOMPARE(loaded->persistentSession, true);
}

void TestProfileStore::saveReplacesSameName()
{
    ProfileStore store(*m_settings);
    QVERIFY(store.save(sample(QStringLiteral("A"))));
    QVERIFY(store.save(sample(QStringLiteral("B"))));
    ConnectionProfile changed = sample(QStringLiteral("A"));
    changed.username = QStringLiteral("someone-else");
    QVERIFY(store.save(changed));
    QCOMPARE(store.names(), (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
    QCOMPARE(store.profile(QStringLiteral("A"))->username, QStringLiteral("someone-else"));
}

void TestProfileStore::removeForgetsLastUsed()
{
    ProfileStore store(*m_settings);
    QVERIFY(store.save(sample(QStringLiteral("A"))));
    QVERIFY(store.save(sample(QStringLiteral("B"))));
    store.setLastUsed(QStringLiteral("B"));
    QCOMPARE(store.lastUsed(), QStringLiteral("B"));
    QVERIFY(store.remove(QStringLiteral("B")));
    QVERIFY(!store.remove(QStringLiteral("B")));
    QCOMPARE(store.names(), QStringList{QStringLiteral("A")});
    QVERIFY(store.lastUsed().isEmpty());
}

void TestProfileStore::rejectsInvalidProfiles()
{
    ProfileStore store(*m_settings);
    QString error;
    ConnectionProfile unnamed = sample(QStringLiteral("  "));
    QVERIFY(!store.save(unnamed, &error));
    QVERIFY(!error.isEmpty());
    ConnectionProfile noHost = sample(QStringLiteral("X"));
    noHost.broker = BrokerUrl{};
    error.clear();
    QVERIFY(!store.save(noHost, &error));
    QVERIFY(error.contains(QStringLiteral("X")));
    QVERIFY(store.profiles().isEmpty());
}

void TestProfileStore::survivesReopen()
{
    {
        ProfileStore store(*m_settings);
        QVERIFY(store.save(sample(QStringLiteral("Lab"))));
        store.setLastUsed(QStringLiteral("Lab"));
        m_settings->sync();
    }
    QSettings reopened(m_settings->fileName(), QSettings::IniFormat);
    ProfileStore store(reopened);
    QCOMPARE(store.names(), QStringList{QStringLiteral("Lab")});
    QCOMPARE(store.lastUsed(), QStringLiteral("Lab"));
    QCOMPARE(store.profile(QStringLiteral("Lab"))->topicPrefix, QStringLiteral("acme/fleet/v1"));
}

void TestProfileStore::secretsNeverInSettingsFile()
{
    ProfileStore store(*m_settings);
    QVERIFY(store.save(sample(QStringLiteral("Production"))));
    m_settings->sync();
    QFile file(m_settings->fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll().toLower();
    QVERIFY(!text.contains("password"));
    QVERIFY(!text.contains("passphrase"));
}

void TestProfileStore::secretKeys()
{
    QCOMPARE(SettingsKeys::profilePasswordKey(QStringLiteral("Prod")), QStringLiteral("profile/Prod/password"));
    QCOMPARE(SettingsKeys::profileKeyPassphraseKey(QStringLiteral("Prod")), QStringLiteral("profile/Prod/key-passphrase"));
    QCOMPARE(QString(SettingsKeys::kKeychainService), QStringLiteral("FleetDeck"));
}

// "Send the password unencrypted" is recorded per profile and for its broker: it survives a
// reopen, and is void once the profile points elsewhere (an edited settings file too).
void TestProfileStore::plaintextConfirmationIsBoundToTheBroker()
{
    ProfileStore store(*m_settings);
    ConnectionProfile p = sample(QStringLiteral("Lab"));
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtt://lab.local:1884"));
    QVERIFY(store.save(p));
    QVERIFY(!store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);

    QVERIFY(!store.confirmPlaintextPassword(QStringLiteral("Lab"), *BrokerUrl::parse(QStringLiteral("mqtt://other:1884"))));
    QVERIFY(!store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);
    QVERIFY(!store.confirmPlaintextPassword(QStringLiteral("Nope"), p.broker));
    QVERIFY(store.confirmPlaintextPassword(QStringLiteral("Lab"), *BrokerUrl::parse(QStringLiteral("tcp://LAB.local:1884"))));
    QVERIFY(store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);
    {
        QSettings reopened(m_settings->fileName(), QSettings::IniFormat);
        QVERIFY(ProfileStore(reopened).profile(QStringLiteral("Lab"))->allowPlaintextPassword);
    }

    // Another address in the settings file: the confirmation does not follow it.
    m_settings->setValue(QStringLiteral("profiles/1/broker"), QStringLiteral("mqtt://elsewhere.example.com:1883"));
    m_settings->sync();
    QVERIFY(!store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);

    // Saving with TLS, or without the flag, drops the record.
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtt://lab.local:1884"));
    p.allowPlaintextPassword = true;
    QVERIFY(store.save(p));
    QVERIFY(store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);
    p.allowPlaintextPassword = false;
    QVERIFY(store.save(p));
    QVERIFY(!store.profile(QStringLiteral("Lab"))->allowPlaintextPassword);
}

// Found by fuzz_connection_profiles (fuzz/): a settings file edited by hand or by another
// program. "size=2147483647" made profiles() reserve 2^31 profiles and abort; two entries of
// one name were both listed (save() then replaced only the first); a name of white space was
// listed though save() refuses it; keep alive was taken as written (MQTT has 16 bits for
// it); a plain-TCP confirmation was read for a TLS broker and dropped at the next save.
void TestProfileStore::editedFileIsReadWithinBounds()
{
    {
        QFile file(m_settings->fileName());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[profiles]\n"
                   "1\\name=A\n1\\broker=mqtt://a:1883\n1\\keepAliveSeconds=100000\n"
                   "2\\name=A\n2\\broker=mqtt://other:1883\n"
                   "3\\name=\"   \"\n3\\broker=mqtt://c:1883\n"
                   "4\\name=B\n4\\broker=mqtts://b:8883\n4\\keepAliveSeconds=-5\n"
                   "4\\plaintextPasswordConfirmedFor=mqtts://b:8883\n"
                   "size=2147483647\n");
    }
    m_settings = std::make_unique<QSettings>(m_settings->fileName(), QSettings::IniFormat);
    ProfileStore store(*m_settings);
    const QList<ConnectionProfile> profiles = store.profiles();
    QCOMPARE(store.names(), (QStringList{u"A"_qs, u"B"_qs}));
    QCOMPARE(profiles.at(0).broker.host, u"a"_qs);
    QCOMPARE(profiles.at(0).keepAliveSeconds, 65535);
    QCOMPARE(profiles.at(1).keepAliveSeconds, 0);
    QVERIFY(!profiles.at(1).allowPlaintextPassword);
    // What is read saves and reads back the same.
    for (const ConnectionProfile &p : profiles)
        QVERIFY(store.save(p));
    QCOMPARE(store.names(), (QStringList{u"A"_qs, u"B"_qs}));
    QCOMPARE(store.profile(u"A"_qs)->keepAliveSeconds, 65535);
}

// Found by fuzz_connection_profiles: an edited file can hold an unpaired surrogate (the escape
// \xdc00). QSettings writes it as U+FFFD (or drops it at the end of the text), so the profile
// was another one once saved: a renamed profile, its secrets left under the old name. It
// reads as U+FFFD now, which saves and reads back the same.
void TestProfileStore::unpairedSurrogateSavesAsRead()
{
    {
        QFile file(m_settings->fileName());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[profiles]\n1\\name=A\\xdc00\\x42\n1\\broker=mqtt://a:1883\n1\\username=u\\xd800\n"
                   "1\\tls\\caFile=\\xd83d\\xde00.pem\nsize=1\n");
    }
    m_settings = std::make_unique<QSettings>(m_settings->fileName(), QSettings::IniFormat);
    const ConnectionProfile read = ProfileStore(*m_settings).profiles().value(0);
    QCOMPARE(read.name, u"A\uFFFDB"_qs);
    QCOMPARE(read.username, u"u\uFFFD"_qs);
    QCOMPARE(read.caFile, u"\U0001F600.pem"_qs);  // a pair stays a pair

    QTemporaryDir other;
    const QString path = other.filePath(u"saved.ini"_qs);
    {
        QSettings saved(path, QSettings::IniFormat);
        QVERIFY(ProfileStore(saved).save(read));
    }
    QSettings reread(path, QSettings::IniFormat);
    const ConnectionProfile back = ProfileStore(reread).profiles().value(0);
    QCOMPARE(back.name, read.name);
    QCOMPARE(back.username, read.username);
    QCOMPARE(back.caFile, read.caFile);
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "test_profile_store.moc"
