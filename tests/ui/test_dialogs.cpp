// ConnectionDialog against a real ProfileStore (temp ini) and a fake keychain;
// ConnectionsDialog with many saved profiles; DatabaseProblemDialog smoke test.
#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "core/settings/settings_keys.h"
#include "tests/support/fake_secret_store.h"
#include "tests/ui/fake_plaintext_prompt.h"
#include "core/ingest/fleet_session.h"
#include "models/connection_list_model.h"
#include "ui/connection_dialog.h"
#include "ui/connections_dialog.h"
#include "ui/database_problem_dialog.h"

#include <QCoreApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
// Finds the line edit that belongs to a form label text (labels have buddies).
QLineEdit *field(QWidget *dialog, const QString &labelText)
{
    const auto labels = dialog->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->text().remove(QLatin1Char('&')) == labelText)
            return qobject_cast<QLineEdit *>(label->buddy());
    }
    return nullptr;
}

QPushButton *button(QWidget *dialog, const QString &text)
{
    const auto buttons = dialog->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text().remove(QLatin1Char('&')) == text)
            return b;
    }
    return nullptr;
}
} // namespace

class TestDialogs : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void savesProfileAndSecretsToTheKeychain();
    void loadsSecretsFromTheKeychain();
    void keychainFailureIsReportedNotStoredElsewhere();
    void plaintextPasswordIsConfirmedOncePerBroker();
    void secretSavedForAnotherBrokerIsNotShown();
    void changingTheBrokerStoresTheSecretsForIt();
    void invalidUrlIsExplained();
    void hostnameVerificationWarns();
    void sparkplugHostIdIsOptionalAndValidated();
    void persistentSessionNeedsAClientId();
    void connectionsDialogReadsTheProfilesOnce();
    void databaseProblemDialogOffersRecovery();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
};

void TestDialogs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
}

void TestDialogs::savesProfileAndSecretsToTheKeychain()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    ConnectionDialog dialog(profiles, secrets);
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Plant 7"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtts://plant7.example.com"));
    field(&dialog, QStringLiteral("Username"))->setText(QStringLiteral("ops"));
    QLineEdit *password = field(&dialog, QStringLiteral("Password"));
    QVERIFY(password);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QTest::keyClicks(password, QStringLiteral("hunter2"));  // typed: textEdited
    QVERIFY2(dialog.saveCurrent(), qPrintable(dialog.errorText()));

    const auto saved = profiles.profile(QStringLiteral("Plant 7"));
    QVERIFY(saved);
    QCOMPARE(saved->broker.port, quint16(8883));
    QVERIFY(saved->broker.tls);
    QCOMPARE(saved->username, QStringLiteral("ops"));
    QVERIFY(saved->verifyHostname);  // default on
    // In the keychain with the broker it is for (ProfileSecrets).
    QTRY_VERIFY(secrets.values.contains(SettingsKeys::profilePasswordKey(QStringLiteral("Plant 7"))));
    const ProfileSecrets::Decoded stored =
        ProfileSecrets::decode(secrets.values.value(SettingsKeys::profilePasswordKey(QStringLiteral("Plant 7"))));
    QCOMPARE(stored.value, QStringLiteral("hunter2"));
    QCOMPARE(stored.broker, QStringLiteral("mqtts://plant7.example.com:8883"));
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("hunter2"));
}

void TestDialogs::loadsSecretsFromTheKeychain()
{
    ProfileStore profiles(*m_settings);
    ConnectionProfile p;
    p.name = QStringLiteral("Lab");
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtt://lab.local:1884"));
    QVERIFY(profiles.save(p));
    profiles.setLastUsed(QStringLiteral("Lab"));
    test::FakeSecretStore secrets;
    // Saved before secrets were bound (plain value): it belongs to the profile's broker.
    secrets.values.insert(SettingsKeys::profilePasswordKey(QStringLiteral("Lab")), QStringLiteral("pw-from-keychain"));
    test::FakePlaintextPrompt prompt;
    ConnectionDialog dialog(profiles, secrets, ConnectionDialog::Mode::Manage, &prompt);
    QCOMPARE(field(&dialog, QStringLiteral("Broker URL"))->text(), QStringLiteral("mqtt://lab.local:1884"));
    QTRY_COMPARE(field(&dialog, QStringLiteral("Password"))->text(), QStringLiteral("pw-from-keychain"));

    // Connect saves (a password over mqtt://: confirmed first) and hands over profile + secrets.
    button(&dialog, QStringLiteral("Connect"))->click();
    QCOMPARE(prompt.asked.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.profile().name, QStringLiteral("Lab"));
    QVERIFY(dialog.profile().allowPlaintextPassword);
    QCOMPARE(dialog.secrets().password, QStringLiteral("pw-from-keychain"));
    QCOMPARE(profiles.lastUsed(), QStringLiteral("Lab"));
}

void TestDialogs::keychainFailureIsReportedNotStoredElsewhere()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    secrets.failWith = QStringLiteral("No keychain service available");
    test::FakePlaintextPrompt prompt;
    ConnectionDialog dialog(profiles, secrets, ConnectionDialog::Mode::Manage, &prompt);
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("P"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtt://h"));
    QTest::keyClicks(field(&dialog, QStringLiteral("Password")), QStringLiteral("pw"));
    QVERIFY(dialog.saveCurrent());
    QTRY_VERIFY(dialog.errorText().contains(QStringLiteral("No keychain service available")));
    QVERIFY(secrets.values.isEmpty());
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("pw\n"));
}

// Saving a password with a plain TCP address asks whether it may be sent unencrypted: "no"
// saves nothing, "yes" is stored with the profile for that broker and not asked again; another
// plain broker is asked about again; TLS needs no question.
void TestDialogs::plaintextPasswordIsConfirmedOncePerBroker()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    test::FakePlaintextPrompt prompt;
    ConnectionDialog dialog(profiles, secrets, ConnectionDialog::Mode::Edit, &prompt);
    dialog.startNewProfile();
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Shed"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtt://shed.local"));
    QTest::keyClicks(field(&dialog, QStringLiteral("Password")), QStringLiteral("pw"));

    prompt.answer = false;
    QVERIFY(!dialog.saveCurrent());
    QCOMPARE(prompt.asked.size(), 1);
    QCOMPARE(prompt.asked.first().broker.toString(), QStringLiteral("mqtt://shed.local:1883"));
    QVERIFY2(dialog.errorText().contains(QStringLiteral("unencrypted")), qPrintable(dialog.errorText()));
    QVERIFY(!profiles.profile(QStringLiteral("Shed")));
    QCoreApplication::processEvents();  // the fake store answers on the next turn
    QVERIFY(secrets.values.isEmpty());

    prompt.answer = true;
    QVERIFY2(dialog.saveCurrent(), qPrintable(dialog.errorText()));
    QCOMPARE(prompt.asked.size(), 2);
    QVERIFY(profiles.profile(QStringLiteral("Shed"))->allowPlaintextPassword);
    QVERIFY(dialog.saveCurrent());  // recorded: not asked again
    QCOMPARE(prompt.asked.size(), 2);

    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtt://barn.local"));
    QVERIFY(dialog.saveCurrent());  // another broker: asked again
    QCOMPARE(prompt.asked.size(), 3);
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtts://barn.local"));
    QVERIFY(dialog.saveCurrent());  // TLS: nothing to ask
    QCOMPARE(prompt.asked.size(), 3);
    QVERIFY(!profiles.profile(QStringLiteral("Shed"))->allowPlaintextPassword);

    // Without a password there is nothing to confirm.
    dialog.startNewProfile();
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Open"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtt://open.local"));
    QVERIFY(dialog.saveCurrent());
    QCOMPARE(prompt.asked.size(), 3);
}

// A secret saved for one broker is not shown for a profile that now points elsewhere (the
// settings file was edited), and saving that profile does not move the secret there.
void TestDialogs::secretSavedForAnotherBrokerIsNotShown()
{
    ProfileStore profiles(*m_settings);
    ConnectionProfile p;
    p.name = QStringLiteral("Prod");
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtts://evil.example.com"));
    QVERIFY(profiles.save(p));
    test::FakeSecretStore secrets;
    const QString key = SettingsKeys::profilePasswordKey(QStringLiteral("Prod"));
    secrets.values.insert(key, ProfileSecrets::encode(*BrokerUrl::parse(QStringLiteral("mqtts://prod.example.com")),
                                                      QStringLiteral("s3cret")));
    const QString before = secrets.values.value(key);
    test::FakePlaintextPrompt prompt;
    ConnectionDialog dialog(profiles, secrets, ConnectionDialog::Mode::Edit, &prompt);
    QVERIFY(dialog.editProfile(QStringLiteral("Prod")));
    QLineEdit *password = field(&dialog, QStringLiteral("Password"));
    QTRY_VERIFY(password->placeholderText().contains(QStringLiteral("mqtts://prod.example.com:8883")));
    QVERIFY(password->text().isEmpty());
    QVERIFY(dialog.saveCurrent());
    QCoreApplication::processEvents();  // the fake store answers on the next turn
    QCOMPARE(secrets.values.value(key), before);  // still bound to prod
}

// Changing a profile's broker in the editor (the user's own act, secrets shown) stores the
// secrets for the new broker.
void TestDialogs::changingTheBrokerStoresTheSecretsForIt()
{
    ProfileStore profiles(*m_settings);
    ConnectionProfile p;
    p.name = QStringLiteral("Lab");
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtts://lab-old.example.com"));
    QVERIFY(profiles.save(p));
    test::FakeSecretStore secrets;
    const QString key = SettingsKeys::profilePasswordKey(QStringLiteral("Lab"));
    secrets.values.insert(key, ProfileSecrets::encode(p.broker, QStringLiteral("pw")));
    test::FakePlaintextPrompt prompt;
    ConnectionDialog dialog(profiles, secrets, ConnectionDialog::Mode::Edit, &prompt);
    QVERIFY(dialog.editProfile(QStringLiteral("Lab")));
    QTRY_COMPARE(field(&dialog, QStringLiteral("Password"))->text(), QStringLiteral("pw"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtts://lab-new.example.com"));
    QVERIFY(dialog.saveCurrent());
    QTRY_COMPARE(ProfileSecrets::decode(secrets.values.value(key)).broker,
                 QStringLiteral("mqtts://lab-new.example.com:8883"));
    QCOMPARE(ProfileSecrets::decode(secrets.values.value(key)).value, QStringLiteral("pw"));
}

void TestDialogs::invalidUrlIsExplained()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    ConnectionDialog dialog(profiles, secrets);
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Bad"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("http://nope:99999"));
    QVERIFY(!dialog.saveCurrent());
    QVERIFY(dialog.errorText().startsWith(QStringLiteral("The broker URL is not usable")));
    QVERIFY(profiles.profiles().isEmpty());

    // A prefix with an MQTT wildcard names no topic FleetDeck could parse: refused, saying why.
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtt://broker.example.com"));
    field(&dialog, QStringLiteral("Topic prefix"))->setText(QStringLiteral("plant/+/v1"));
    QVERIFY(!dialog.saveCurrent());
    QVERIFY2(dialog.errorText().startsWith(QStringLiteral("The topic prefix is not usable")), qPrintable(dialog.errorText()));
    QVERIFY(profiles.profiles().isEmpty());
}

void TestDialogs::hostnameVerificationWarns()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    ConnectionDialog dialog(profiles, secrets);
    dialog.show();
    auto *verify = dialog.findChild<QCheckBox *>(QStringLiteral("verifyHostname"));
    QVERIFY(verify);
    QVERIFY(verify->isChecked());
    QLabel *warning = nullptr;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->text().startsWith(QStringLiteral("Warning:")))
            warning = label;
    }
    QVERIFY(warning);
    QVERIFY(!warning->isVisible());
    verify->setChecked(false);
    QVERIFY(warning->isVisible());
    const QString dir = QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots");
    QDir().mkpath(dir);
    dialog.adjustSize();
    QVERIFY(dialog.grab().save(dir + QStringLiteral("/connection-dialog.png")));
}

void TestDialogs::persistentSessionNeedsAClientId()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    ConnectionDialog dialog(profiles, secrets);
    auto *persistent = dialog.findChild<QCheckBox *>(QStringLiteral("persistentSession"));
    QVERIFY(persistent);
    QVERIFY(!persistent->isChecked());  // off by default
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Plant 11"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtts://plant11.example.com"));
    persistent->setChecked(true);
    QVERIFY(!dialog.saveCurrent());
    QVERIFY2(dialog.errorText().contains(QStringLiteral("client ID")), qPrintable(dialog.errorText()));
    QVERIFY(!profiles.profile(QStringLiteral("Plant 11")));

    field(&dialog, QStringLiteral("Client ID"))->setText(QStringLiteral("fleetdeck-laptop-7"));
    QVERIFY2(dialog.saveCurrent(), qPrintable(dialog.errorText()));
    QVERIFY(profiles.profile(QStringLiteral("Plant 11"))->persistentSession);
    QCOMPARE(profiles.profile(QStringLiteral("Plant 11"))->clientId, QStringLiteral("fleetdeck-laptop-7"));

    // Shown again when the profile is loaded.
    ConnectionDialog again(profiles, secrets);
    auto *shown = again.findChild<QCheckBox *>(QStringLiteral("persistentSession"));
    QTRY_VERIFY(shown->isChecked());
}

void TestDialogs::sparkplugHostIdIsOptionalAndValidated()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    ConnectionDialog dialog(profiles, secrets);
    auto *enabled = dialog.findChild<QCheckBox *>(QStringLiteral("sparkplugEnabled"));
    auto *hostId = field(&dialog, QStringLiteral("Host id"));
    QVERIFY(enabled);
    QVERIFY(hostId);
    // On for a new profile; the empty id says it is derived.
    QVERIFY(enabled->isChecked());
    QVERIFY(hostId->isEnabled());
    QVERIFY(hostId->placeholderText().contains(QStringLiteral("Automatic")));
    field(&dialog, QStringLiteral("Name"))->setText(QStringLiteral("Plant 9"));
    field(&dialog, QStringLiteral("Broker URL"))->setText(QStringLiteral("mqtts://plant9.example.com"));
    QVERIFY2(dialog.saveCurrent(), qPrintable(dialog.errorText()));
    QVERIFY(profiles.profile(QStringLiteral("Plant 9"))->sparkplug);
    QVERIFY(profiles.profile(QStringLiteral("Plant 9"))->sparkplugHostId.isEmpty());

    // Refused with the reason: levels, wildcards, control characters, length.
    const QList<std::pair<QString, QString>> bad = {
        {QStringLiteral("fleet/deck"), QStringLiteral("'/'")},
        {QStringLiteral("host+1"), QStringLiteral("'+'")},
        {QStringLiteral("#all"), QStringLiteral("'#'")},
        {QStringLiteral("bell\a"), QStringLiteral("control character (U+0007)")},
        {QString(65, QLatin1Char('h')), QStringLiteral("longer than 64 characters")},
    };
    for (const auto &[id, reason] : bad) {
        hostId->setText(id);
        QVERIFY2(!dialog.saveCurrent(), qPrintable(id));
        QVERIFY2(dialog.errorText().startsWith(QStringLiteral("The Sparkplug host id is not usable")),
                 qPrintable(dialog.errorText()));
        QVERIFY2(dialog.errorText().contains(reason), qPrintable(dialog.errorText()));
    }
    QVERIFY(profiles.profile(QStringLiteral("Plant 9"))->sparkplugHostId.isEmpty());

    // A good one (trimmed), and off: both kept with the profile.
    hostId->setText(QStringLiteral("  fleetdeck-ops-1 "));
    enabled->setChecked(false);
    QVERIFY(!hostId->isEnabled());
    QVERIFY2(dialog.saveCurrent(), qPrintable(dialog.errorText()));
    const auto saved = profiles.profile(QStringLiteral("Plant 9"));
    QCOMPARE(saved->sparkplugHostId, QStringLiteral("fleetdeck-ops-1"));
    QVERIFY(!saved->sparkplug);
    // Loaded back into the form.
    ConnectionDialog again(profiles, secrets);
    QVERIFY(again.selectProfile(QStringLiteral("Plant 9")));
    QVERIFY(!again.findChild<QCheckBox *>(QStringLiteral("sparkplugEnabled"))->isChecked());
    QCOMPARE(field(&again, QStringLiteral("Host id"))->text(), QStringLiteral("fleetdeck-ops-1"));
    QVERIFY(!field(&again, QStringLiteral("Host id"))->isEnabled());
}

// Found while writing fuzz_connection_profiles (fuzz/): ConnectionsDialog::reload() asked
// ProfileStore::profile(name) for every row, and each call reads every profile: with 1,000
// profiles (an edited settings file; ProfileStore reads at most that many) a reload took 6 s
// on the GUI thread (Release). The profiles are read once now.
void TestDialogs::connectionsDialogReadsTheProfilesOnce()
{
    constexpr int kProfiles = ProfileStore::kMaxProfiles;
    {
        QFile file(m_settings->fileName());
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray text = "[profiles]\n";
        for (int i = 1; i <= kProfiles; ++i) {
            const QByteArray n = QByteArray::number(i);
            text += n + "\\name=P" + n + "\n" + n + "\\broker=mqtt://h" + n + ":1883\n" + n + "\\username=u\n";
        }
        file.write(text + "size=" + QByteArray::number(kProfiles) + "\n");
    }
    m_settings = std::make_unique<QSettings>(m_settings->fileName(), QSettings::IniFormat);
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    FleetSession session;
    QElapsedTimer timer;
    timer.start();
    ConnectionsDialog dialog(session, &profiles, &secrets, nullptr);
    dialog.reload();
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(dialog.names().size(), kProfiles);
    QCOMPARE(dialog.model()->rowAt(kProfiles - 1)->broker, QStringLiteral("mqtt://h%1:1883").arg(kProfiles));
    QVERIFY(dialog.model()->rowAt(0)->saved);
}

void TestDialogs::databaseProblemDialogOffersRecovery()
{
    Database::OpenResult result;
    result.status = Database::OpenStatus::Unreadable;
    result.message = QStringLiteral("file is not a database <b>not bold</b>");
    DatabaseProblemDialog dialog(QStringLiteral("/tmp/some/cache.sqlite"), result);
    QVERIFY(button(&dialog, QStringLiteral("Move the file aside and start fresh")));
    QVERIFY(button(&dialog, QStringLiteral("Open another file…")));
    QVERIFY(button(&dialog, QStringLiteral("Quit")));
    bool messageShownAsPlainText = false;
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->text().contains(QStringLiteral("<b>not bold</b>")))
            messageShownAsPlainText = label->textFormat() == Qt::PlainText;
    }
    QVERIFY(messageShownAsPlainText);
    dialog.show();
    dialog.adjustSize();
    QVERIFY(dialog.grab().save(QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots/database-problem-dialog.png")));
    button(&dialog, QStringLiteral("Move the file aside and start fresh"))->click();
    QCOMPARE(dialog.choice(), DatabaseProblemDialog::Choice::MoveAside);
}

QTEST_MAIN(TestDialogs)
#include "test_dialogs.moc"
