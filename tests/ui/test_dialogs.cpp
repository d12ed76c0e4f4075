// ConnectionDialog against a real ProfileStore (temp ini) and a fake keychain;
// DatabaseProblemDialog smoke test.
#include "core/settings/profile_store.h"
#include "core/settings/settings_keys.h"
#include "tests/ui/fake_secret_store.h"
#include "ui/connection_dialog.h"
#include "ui/database_problem_dialog.h"

#include <QCheckBox>
#include <QDir>
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
    void invalidUrlIsExplained();
    void hostnameVerificationWarns();
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
    QTRY_COMPARE(secrets.values.value(SettingsKeys::profilePasswordKey(QStringLiteral("Plant 7"))),
                 QStringLiteral("hunter2"));
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
    secrets.values.insert(SettingsKeys::profilePasswordKey(QStringLiteral("Lab")), QStringLiteral("pw-from-keychain"));
    ConnectionDialog dialog(profiles, secrets);
    QCOMPARE(field(&dialog, QStringLiteral("Broker URL"))->text(), QStringLiteral("mqtt://lab.local:1884"));
    QTRY_COMPARE(field(&dialog, QStringLiteral("Password"))->text(), QStringLiteral("pw-from-keychain"));

    // Connect saves and hands over profile + secrets.
    button(&dialog, QStringLiteral("Connect"))->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.profile().name, QStringLiteral("Lab"));
    QCOMPARE(dialog.secrets().password, QStringLiteral("pw-from-keychain"));
    QCOMPARE(profiles.lastUsed(), QStringLiteral("Lab"));
}

void TestDialogs::keychainFailureIsReportedNotStoredElsewhere()
{
    ProfileStore profiles(*m_settings);
    test::FakeSecretStore secrets;
    secrets.failWith = QStringLiteral("No keychain service available");
    ConnectionDialog dialog(profiles, secrets);
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
    auto *verify = dialog.findChild<QCheckBox *>();
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
