// Connecting a saved profile through the main window, against a real mosquitto that has an
// account (alice / s3cret, no anonymous clients):
//   - `fleetdeck --profile P --broker URL`: P's saved password is for P's own broker and is
//     not sent to URL (the broker sees no password and refuses; the status bar says why);
//   - a password over plain TCP is sent only after the user confirmed it, asked once and
//     recorded with the profile for that broker.
#include "core/ingest/fleet_session.h"
#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/fake_secret_store.h"
#include "tests/ui/fake_plaintext_prompt.h"
#include "ui/fleet_status_bar.h"
#include "ui/main_window.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestConnectSecrets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void savedPasswordIsNotSentToAnotherBroker();
    void legacyPasswordIsNotSentToAnotherBrokerEither();
    void plaintextPasswordIsConfirmedOnceOnConnect();

private:
    void storePassword(const QString &profile, const BrokerUrl &broker, const QString &password);
    ConnectionState settledState(const QString &source);

    QTemporaryDir m_dir;
    test::BrokerFixture m_broker;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<test::FakeSecretStore> m_secrets;
    std::unique_ptr<test::FakePlaintextPrompt> m_prompt;
    std::unique_ptr<FleetSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    int m_run = 0;
};

void TestConnectSecrets::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    MosquittoLauncher::Options options;
    options.credentials = {u"alice"_s, u"s3cret"_s};
    QString error;
    QVERIFY2(m_broker.start(&error, options), qPrintable(error));
}

void TestConnectSecrets::init()
{
    ++m_run;
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings-%1.ini"_s.arg(m_run)), QSettings::IniFormat);
    m_profiles = std::make_unique<ProfileStore>(*m_settings);
    m_secrets = std::make_unique<test::FakeSecretStore>();
    m_prompt = std::make_unique<test::FakePlaintextPrompt>();
    m_session = std::make_unique<FleetSession>();
    const Database::OpenResult opened = m_session->open(m_dir.filePath(u"cache-%1.sqlite"_s.arg(m_run)));
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    MainWindow::Services services{m_session.get(), m_profiles.get(), m_secrets.get(), m_settings.get()};
    services.plaintextPrompt = m_prompt.get();
    m_window = std::make_unique<MainWindow>(services);
}

void TestConnectSecrets::cleanup()
{
    if (m_session)
        m_session->shutdown();
    m_window.reset();
    m_session.reset();
    m_prompt.reset();
    m_secrets.reset();
    m_profiles.reset();
    m_settings.reset();
}

void TestConnectSecrets::storePassword(const QString &profile, const BrokerUrl &broker, const QString &password)
{
    bool stored = false;
    ProfileSecrets(*m_secrets).store(profile, ProfileSecrets::Kind::Password, broker, password,
                                     [&](const SecretStore::Result &r) { stored = r.ok; });
    QTRY_VERIFY(stored);
}

// Waits until the source is Connected or Failed (or Reconnecting, a failure too).
ConnectionState TestConnectSecrets::settledState(const QString &source)
{
    const bool settled = QTest::qWaitFor(
        [&] {
            const ConnectionState s = m_session->sourceState(source);
            return s == ConnectionState::Connected || s == ConnectionState::Failed
                   || s == ConnectionState::Reconnecting;
        },
        15000);
    if (!settled)
        qWarning() << "source" << source << "did not settle";
    return m_session->sourceState(source);
}

// `fleetdeck --profile P --broker URL`: P is saved for its production broker; URL is another
// broker (here one that would accept P's password). The password must not go there.
void TestConnectSecrets::savedPasswordIsNotSentToAnotherBroker()
{
    ConnectionProfile p;
    p.name = u"P"_s;
    p.broker = *BrokerUrl::parse(u"mqtts://prod.example.invalid"_s);
    p.username = u"alice"_s;
    QVERIFY(m_profiles->save(p));
    storePassword(u"P"_s, p.broker, u"s3cret"_s);

    ConnectionProfile overridden = *m_profiles->profile(u"P"_s);  // what FleetDeckGui builds
    overridden.broker = *BrokerUrl::parse(m_broker.url());
    overridden.allowPlaintextPassword = true;  // not the question here: the broker is
    m_window->connectWithProfile(overridden);

    QCOMPARE(settledState(u"P"_s), ConnectionState::Failed);  // the broker saw no password
    QVERIFY2(m_session->sourceDetail(u"P"_s).contains(u"not authorized"_s), qPrintable(m_session->sourceDetail(u"P"_s)));
    const QString message = m_window->fleetStatusBar()->currentMessage();
    QVERIFY2(message.contains(u"password of \"P\" was not sent to %1"_s.arg(m_broker.url())), qPrintable(message));
    QVERIFY2(message.contains(u"mqtts://prod.example.invalid:8883"_s), qPrintable(message));
    QVERIFY(m_prompt->asked.isEmpty());  // no password left to ask about

    // Control: the same account saved for this very broker logs in.
    ConnectionProfile q;
    q.name = u"Q"_s;
    q.broker = *BrokerUrl::parse(m_broker.url());
    q.username = u"alice"_s;
    q.allowPlaintextPassword = true;
    QVERIFY(m_profiles->save(q));
    storePassword(u"Q"_s, q.broker, u"s3cret"_s);
    QVERIFY(m_window->connectSavedProfile(u"Q"_s));
    QCOMPARE(settledState(u"Q"_s), ConnectionState::Connected);
}

// A password saved before secrets were bound (a plain keychain value) belongs to the saved
// profile's broker: not sent to an override either.
void TestConnectSecrets::legacyPasswordIsNotSentToAnotherBrokerEither()
{
    ConnectionProfile p;
    p.name = u"Old"_s;
    p.broker = *BrokerUrl::parse(u"mqtt://old-broker.example.invalid"_s);
    p.username = u"alice"_s;
    QVERIFY(m_profiles->save(p));
    m_secrets->values.insert(ProfileSecrets::key(u"Old"_s, ProfileSecrets::Kind::Password), u"s3cret"_s);

    ConnectionProfile overridden = p;
    overridden.broker = *BrokerUrl::parse(m_broker.url());
    overridden.allowPlaintextPassword = true;
    m_window->connectWithProfile(overridden);
    QCOMPARE(settledState(u"Old"_s), ConnectionState::Failed);
    QVERIFY2(m_window->fleetStatusBar()->currentMessage().contains(u"was not sent"_s),
             qPrintable(m_window->fleetStatusBar()->currentMessage()));
}

void TestConnectSecrets::plaintextPasswordIsConfirmedOnceOnConnect()
{
    ConnectionProfile lab;
    lab.name = u"Lab"_s;
    lab.broker = *BrokerUrl::parse(m_broker.url());  // mqtt://
    lab.username = u"alice"_s;
    QVERIFY(m_profiles->save(lab));
    QVERIFY(!m_profiles->profile(u"Lab"_s)->allowPlaintextPassword);
    storePassword(u"Lab"_s, lab.broker, u"s3cret"_s);

    // "No": not connected, nothing recorded.
    m_prompt->answer = false;
    QVERIFY(m_window->connectSavedProfile(u"Lab"_s));
    QTRY_COMPARE(m_prompt->asked.size(), 1);
    QCOMPARE(m_prompt->asked.first().name, u"Lab"_s);
    QVERIFY(!m_session->sources().contains(u"Lab"_s));
    QVERIFY2(m_window->fleetStatusBar()->currentMessage().contains(u"unencrypted"_s),
             qPrintable(m_window->fleetStatusBar()->currentMessage()));
    QVERIFY(!m_profiles->profile(u"Lab"_s)->allowPlaintextPassword);

    // "Yes": connected, and recorded with the profile.
    m_prompt->answer = true;
    QVERIFY(m_window->connectSavedProfile(u"Lab"_s));
    QCOMPARE(settledState(u"Lab"_s), ConnectionState::Connected);
    QCOMPARE(m_prompt->asked.size(), 2);
    QVERIFY(m_profiles->profile(u"Lab"_s)->allowPlaintextPassword);

    // Asked once: connecting again does not ask.
    QVERIFY(m_window->connectSavedProfile(u"Lab"_s));
    QCOMPARE(settledState(u"Lab"_s), ConnectionState::Connected);
    QCOMPARE(m_prompt->asked.size(), 2);
}

QTEST_MAIN(TestConnectSecrets)
#include "test_connect_secrets.moc"
