#include "ui/connection_dialog.h"

#include "core/domain/sparkplug_host_id.h"

#include "core/protocol/topic_scheme.h"

#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "core/settings/secret_store.h"
#include "core/settings/settings_keys.h"
#include "ui/log_category.h"
#include "ui/plaintext_password_prompt.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace fd {

namespace K = SettingsKeys;

ConnectionDialog::ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, QWidget *parent)
    : ConnectionDialog(profiles, secrets, Mode::Manage, parent)
{
}

ConnectionDialog::ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, Mode mode, QWidget *parent)
    : ConnectionDialog(profiles, secrets, mode, nullptr, parent)
{
}

ConnectionDialog::ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, Mode mode,
                                   PlaintextPasswordPrompt *prompt, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_defaultPrompt(prompt ? nullptr : std::make_unique<PlaintextPasswordPrompt>())
    , m_prompt(prompt ? prompt : m_defaultPrompt.get())
    , m_mode(mode)
    , m_profileRow(new QWidget(this))
    , m_profileCombo(new QComboBox(this))
    , m_newButton(new QPushButton(tr("New"), this))
    , m_deleteButton(new QPushButton(tr("Delete"), this))
    , m_name(new QLineEdit(this))
    , m_broker(new QLineEdit(this))
    , m_version(new QComboBox(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_clientId(new QLineEdit(this))
    , m_prefix(new QLineEdit(this))
    , m_verifyHostname(new QCheckBox(tr("Verify the broker's host name against its certificate"), this))
    , m_persistentSession(new QCheckBox(tr("&Keep the session while disconnected"), this))
    , m_sparkplug(new QCheckBox(tr("Sparkplug B &host application"), this))
    , m_sparkplugHostId(new QLineEdit(this))
    , m_hostnameWarning(new QLabel(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setWindowTitle(tr("Broker connections"));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);

    auto *profileRow = new QHBoxLayout(m_profileRow);
    profileRow->setContentsMargins(0, 0, 0, 0);
    auto *profileLabel = new QLabel(tr("&Profile"), this);
    profileLabel->setBuddy(m_profileCombo);
    profileRow->addWidget(profileLabel);
    profileRow->addWidget(m_profileCombo, 1);
    profileRow->addWidget(m_newButton);
    profileRow->addWidget(m_deleteButton);
    layout->addWidget(m_profileRow);

    auto *brokerBox = new QGroupBox(tr("Broker"), this);
    auto *form = new QFormLayout(brokerBox);
    m_name->setPlaceholderText(tr("e.g. Production"));
    form->addRow(tr("&Name"), m_name);
    m_broker->setPlaceholderText(tr("mqtts://broker.example.com:8883"));
    m_broker->setToolTip(tr("mqtt://host[:port] for plain TCP (1883), mqtts://host[:port] for TLS (8883)"));
    form->addRow(tr("Broker &URL"), m_broker);
    m_version->addItem(tr("MQTT 5.0"), 5);
    m_version->addItem(tr("MQTT 3.1.1"), 3);
    form->addRow(tr("Protocol &version"), m_version);
    form->addRow(tr("User&name"), m_username);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Stored in the system keychain"));
    form->addRow(tr("Pass&word"), m_password);
    m_clientId->setPlaceholderText(tr("Automatic (unique for every start)"));
    form->addRow(tr("&Client ID"), m_clientId);
    m_persistentSession->setObjectName(QStringLiteral("persistentSession"));
    m_persistentSession->setToolTip(
        tr("The broker keeps this client's subscriptions and queues its QoS 1 messages while FleetDeck is away "
           "(24 hours), so nothing published meanwhile is missed. Needs a fixed client ID."));
    form->addRow(QString(), m_persistentSession);
    m_prefix->setPlaceholderText(QStringLiteral("fleetdeck/v1"));
    form->addRow(tr("&Topic prefix"), m_prefix);
    layout->addWidget(brokerBox);

    auto *tlsBox = new QGroupBox(tr("TLS (mqtts:// URLs)"), this);
    auto *tlsForm = new QFormLayout(tlsBox);
    const QString pem = tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)");
    m_caFile = fileField(tr("System trust store"), pem, tlsForm, tr("CA certificate"));
    m_certFile = fileField(tr("None"), pem, tlsForm, tr("Client certificate"));
    m_keyFile = fileField(tr("None"), pem, tlsForm, tr("Client key"));
    m_passphrase = new QLineEdit(this);
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("Only for an encrypted key; stored in the system keychain"));
    tlsForm->addRow(tr("Key passphrase"), m_passphrase);
    m_verifyHostname->setObjectName(QStringLiteral("verifyHostname"));
    m_verifyHostname->setChecked(true);
    tlsForm->addRow(m_verifyHostname);
    m_hostnameWarning->setTextFormat(Qt::PlainText);
    m_hostnameWarning->setWordWrap(true);
    m_hostnameWarning->setText(tr("Warning: without host name verification any server with a certificate from "
                                  "your CA can impersonate this broker. Turn it off only for test brokers."));
    m_hostnameWarning->setStyleSheet(QStringLiteral("QLabel { color: #a04000; }"));
    m_hostnameWarning->hide();
    tlsForm->addRow(m_hostnameWarning);
    layout->addWidget(tlsBox);

    auto *sparkplugBox = new QGroupBox(tr("Sparkplug B"), this);
    auto *sparkplugForm = new QFormLayout(sparkplugBox);
    m_sparkplug->setObjectName(QStringLiteral("sparkplugEnabled"));
    m_sparkplug->setChecked(true);
    m_sparkplug->setToolTip(tr("Also decode Sparkplug B edge nodes and their devices (spBv1.0/#) on this broker, and "
                               "announce FleetDeck's STATE as a Sparkplug host application"));
    sparkplugForm->addRow(m_sparkplug);
    m_sparkplugHostId->setObjectName(QStringLiteral("sparkplugHostId"));
    m_sparkplugHostId->setPlaceholderText(tr("Automatic (derived from this computer and the profile name)"));
    m_sparkplugHostId->setToolTip(tr("The id of FleetDeck's STATE topic spBv1.0/STATE/{host id}: 1 to 64 characters, "
                                     "no '/', '+', '#' or control characters. Empty: derived automatically, the same "
                                     "at every start."));
    m_sparkplugHostId->setMaxLength(256);  // longer is refused with a reason, not cut silently
    sparkplugForm->addRow(tr("Host &id"), m_sparkplugHostId);
    connect(m_sparkplug, &QCheckBox::toggled, m_sparkplugHostId, &QWidget::setEnabled);
    layout->addWidget(sparkplugBox);

    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    if (m_mode == Mode::Edit) {
        m_profileRow->hide();
        QPushButton *save = m_buttons->addButton(tr("&Save"), QDialogButtonBox::AcceptRole);
        save->setDefault(true);
        m_buttons->addButton(QDialogButtonBox::Cancel);
        connect(save, &QPushButton::clicked, this, &ConnectionDialog::saveAndAccept);
    } else {
        // The name is optional here: without one, Connect connects once and saves nothing.
        m_name->setPlaceholderText(tr("Optional: name it to save it as a profile"));
        m_name->setToolTip(tr("Leave empty to connect once without saving a profile"));
        QPushButton *save = m_buttons->addButton(tr("&Save as Profile"), QDialogButtonBox::ActionRole);
        save->setObjectName(QStringLiteral("saveAsProfile"));
        save->setToolTip(tr("Save these settings under the name above (the password goes to the system keychain)"));
        QPushButton *connectButton = m_buttons->addButton(tr("C&onnect"), QDialogButtonBox::AcceptRole);
        connectButton->setObjectName(QStringLiteral("connect"));
        connectButton->setToolTip(tr("Connect now; with a name, the profile is saved too"));
        connectButton->setDefault(true);
        m_buttons->addButton(QDialogButtonBox::Close);
        connect(save, &QPushButton::clicked, this, [this] {
            if (saveCurrent())
                showInfo(tr("Saved."));
        });
        connect(connectButton, &QPushButton::clicked, this, &ConnectionDialog::connectAndAccept);
    }
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_newButton, &QPushButton::clicked, this, &ConnectionDialog::newProfile);
    connect(m_deleteButton, &QPushButton::clicked, this, &ConnectionDialog::deleteProfile);
    connect(m_profileCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { loadProfile(m_profileCombo->itemText(index)); });
    connect(m_verifyHostname, &QCheckBox::toggled, this, &ConnectionDialog::updateTlsState);
    connect(m_broker, &QLineEdit::textChanged, this, &ConnectionDialog::updateTlsState);
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_passphrase, &QLineEdit::textEdited, this, [this] { m_passphraseEdited = true; });

    reloadNames(m_profiles.lastUsed());
    if (m_profileCombo->count() == 0) {
        newProfile();
        m_profileRow->hide();  // nothing saved to choose from (shown again once one is saved)
    }
}

ConnectionDialog::~ConnectionDialog() = default;

QLineEdit *ConnectionDialog::fileField(const QString &placeholder, const QString &filter, QFormLayout *form,
                                       const QString &label)
{
    auto *row = new QHBoxLayout;
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    browse->setAccessibleName(tr("Browse for %1").arg(label));
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    connect(browse, &QToolButton::clicked, this, [this, edit, filter, label] {
        const QString file = QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    return edit;
}

void ConnectionDialog::reloadNames(const QString &select)
{
    const QSignalBlocker blocker(m_profileCombo);
    m_profileCombo->clear();
    m_profileCombo->addItems(m_profiles.names());
    const int index = std::max(0, m_profileCombo->findText(select));
    m_profileCombo->setCurrentIndex(m_profileCombo->count() > 0 ? index : -1);
    if (m_profileCombo->count() > 0)
        loadProfile(m_profileCombo->currentText());
    m_deleteButton->setEnabled(m_profileCombo->count() > 0);
}

bool ConnectionDialog::editProfile(const QString &name)
{
    if (!selectProfile(name))
        return false;
    setWindowTitle(tr("Edit connection"));
    // Secrets are stored under the profile's name: renaming would strand them.
    m_name->setReadOnly(true);
    m_name->setToolTip(tr("To use another name, create a new connection."));
    return true;
}

void ConnectionDialog::startNewProfile()
{
    setWindowTitle(tr("New connection"));
    m_name->setReadOnly(false);
    m_name->setToolTip(QString());
    newProfile();
}

bool ConnectionDialog::selectProfile(const QString &name)
{
    const int index = m_profileCombo->findText(name);
    if (index < 0)
        return false;
    m_profileCombo->setCurrentIndex(index);
    loadProfile(name);
    return true;
}

void ConnectionDialog::loadProfile(const QString &name)
{
    const std::optional<ConnectionProfile> p = m_profiles.profile(name);
    if (!p)
        return;
    m_name->setText(p->name);
    m_broker->setText(p->broker.host.isEmpty() ? QString() : p->broker.toString());
    m_version->setCurrentIndex(m_version->findData(p->mqttVersion == 3 ? 3 : 5));
    m_username->setText(p->username);
    m_clientId->setText(p->clientId);
    m_prefix->setText(p->topicPrefix);
    m_caFile->setText(p->caFile);
    m_certFile->setText(p->clientCertFile);
    m_keyFile->setText(p->clientKeyFile);
    m_verifyHostname->setChecked(p->verifyHostname);
    m_persistentSession->setChecked(p->persistentSession);
    m_sparkplug->setChecked(p->sparkplug);
    m_sparkplugHostId->setText(p->sparkplugHostId);
    m_sparkplugHostId->setEnabled(p->sparkplug);
    m_password->clear();
    m_passphrase->clear();
    m_passwordEdited = false;
    m_passphraseEdited = false;
    m_message->hide();
    updateTlsState();

    // Secrets arrive asynchronously; ignore answers for a profile no longer shown. Only those
    // saved for this profile's broker are shown (and so can be saved again with it).
    m_password->setPlaceholderText(tr("Stored in the system keychain"));
    m_passphrase->setPlaceholderText(tr("Only for an encrypted key; stored in the system keychain"));
    const quint64 generation = ++m_loadGeneration;
    QPointer<ConnectionDialog> self(this);
    ProfileSecrets(m_secrets).load(p->name, p->broker, p->broker, [self, generation](const ProfileSecrets::Loaded &r) {
        if (!self || self->m_loadGeneration != generation)
            return;
        if (!self->m_passwordEdited)
            self->m_password->setText(r.secrets.password);
        if (!self->m_passphraseEdited)
            self->m_passphrase->setText(r.secrets.keyPassphrase);
        if (!r.errors.isEmpty())
            self->showError(tr("Could not read from the system keychain: %1").arg(r.errors.join(QStringLiteral("; "))));
        if (!r.withheld.isEmpty()) {
            const QString hint = tr("Saved for %1, not this broker: type it again to use it here").arg(r.savedFor);
            if (r.withheld.contains(ProfileSecrets::kindName(ProfileSecrets::Kind::Password)))
                self->m_password->setPlaceholderText(hint);
            if (r.withheld.contains(ProfileSecrets::kindName(ProfileSecrets::Kind::KeyPassphrase)))
                self->m_passphrase->setPlaceholderText(hint);
        }
    });
}

void ConnectionDialog::newProfile()
{
    ++m_loadGeneration;
    const QSignalBlocker blocker(m_profileCombo);
    m_profileCombo->setCurrentIndex(-1);
    const ConnectionProfile defaults;
    m_name->clear();
    m_broker->clear();
    m_version->setCurrentIndex(m_version->findData(defaults.mqttVersion));
    m_username->clear();
    m_password->clear();
    m_clientId->clear();
    m_prefix->setText(defaults.topicPrefix);
    m_caFile->clear();
    m_certFile->clear();
    m_keyFile->clear();
    m_passphrase->clear();
    m_verifyHostname->setChecked(true);
    m_persistentSession->setChecked(defaults.persistentSession);
    m_sparkplug->setChecked(defaults.sparkplug);
    m_sparkplugHostId->clear();
    m_sparkplugHostId->setEnabled(defaults.sparkplug);
    m_passwordEdited = false;
    m_passphraseEdited = false;
    m_message->hide();
    m_name->setFocus();
    updateTlsState();
}

void ConnectionDialog::deleteProfile()
{
    const QString name = m_profileCombo->currentText();
    if (name.isEmpty())
        return;
    m_profiles.remove(name);
    for (const QString &key : {K::profilePasswordKey(name), K::profileKeyPassphraseKey(name)}) {
        QPointer<ConnectionDialog> self(this);
        m_secrets.remove(key, [self](const SecretStore::Result &r) {
            if (self && !r.ok && !r.notFound)
                self->showError(tr("The profile was deleted, but its secret could not be removed from the keychain: %1")
                                    .arg(r.error));
        });
    }
    reloadNames(QString());
    if (m_profileCombo->count() == 0)
        newProfile();
    showInfo(tr("Deleted profile \"%1\".").arg(name));
}

bool ConnectionDialog::formToProfile(ConnectionProfile *profile, QString *error, bool needName) const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    if (p.name.isEmpty() && needName) {
        *error = tr("Give the profile a name.");
        return false;
    }
    QString urlError;
    const std::optional<BrokerUrl> url = BrokerUrl::parse(m_broker->text().trimmed(), &urlError);
    if (!url) {
        *error = tr("The broker URL is not usable: %1").arg(urlError);
        return false;
    }
    p.broker = *url;
    p.mqttVersion = m_version->currentData().toInt();
    p.username = m_username->text();
    p.clientId = m_clientId->text().trimmed();
    p.persistentSession = m_persistentSession->isChecked();
    if (p.persistentSession && p.clientId.isEmpty()) {
        *error = tr("Keeping the session needs a fixed client ID: the broker finds the session by it. Enter one "
                    "(unique to this computer), or turn the option off.");
        return false;
    }
    p.topicPrefix = m_prefix->text().trimmed().isEmpty() ? ConnectionProfile().topicPrefix : m_prefix->text().trimmed();
    if (QString why; !TopicScheme::isValidPrefix(p.topicPrefix, &why)) {
        *error = tr("The topic prefix is not usable: %1").arg(why);
        return false;
    }
    p.caFile = m_caFile->text().trimmed();
    p.clientCertFile = m_certFile->text().trimmed();
    p.clientKeyFile = m_keyFile->text().trimmed();
    p.verifyHostname = m_verifyHostname->isChecked();
    p.sparkplug = m_sparkplug->isChecked();
    p.sparkplugHostId = m_sparkplugHostId->text().trimmed();
    if (QString why; !p.sparkplugHostId.isEmpty() && !SparkplugHostId::isValid(p.sparkplugHostId, &why)) {
        *error = tr("The Sparkplug host id is not usable: %1. Use 1 to %2 characters without '/', '+', '#' or "
                    "control characters, or leave it empty to have one derived.")
                     .arg(why)
                     .arg(SparkplugHostId::kMaxLength);
        return false;
    }
    if (p.clientCertFile.isEmpty() != p.clientKeyFile.isEmpty()) {
        *error = tr("A client certificate needs its key, and a key its certificate.");
        return false;
    }
    *profile = p;
    return true;
}

bool ConnectionDialog::saveCurrent()
{
    ConnectionProfile p;
    QString error;
    if (!formToProfile(&p, &error)) {
        showError(error);
        return false;
    }
    const std::optional<ConnectionProfile> before = m_profiles.profile(p.name);
    const bool sameBroker = before && before->broker.identity() == p.broker.identity();
    if (!p.broker.tls && !m_password->text().isEmpty()) {
        // A password over plain TCP: asked once per profile and broker.
        p.allowPlaintextPassword = sameBroker && before->allowPlaintextPassword;
        if (!p.allowPlaintextPassword) {
            if (!m_prompt->confirm(this, p)) {
                showError(tr("Not saved: the password would be sent unencrypted. Use an mqtts:// address, or "
                             "leave the password empty."));
                return false;
            }
            p.allowPlaintextPassword = true;
        }
    } else {
        // No password shown (none, or one still loading): keep what was confirmed.
        p.allowPlaintextPassword = !p.broker.tls && sameBroker && before->allowPlaintextPassword;
    }
    if (!m_profiles.save(p, &error)) {
        showError(error);
        return false;
    }
    // Secrets are stored with the broker they are for: edited ones, and those shown when the
    // broker changed (saved for the old broker, the user now saves them for this one).
    if (m_passwordEdited || (!sameBroker && !m_password->text().isEmpty()))
        storeSecret(p.name, ProfileSecrets::Kind::Password, p.broker, m_password->text());
    if (m_passphraseEdited || (!sameBroker && !m_passphrase->text().isEmpty()))
        storeSecret(p.name, ProfileSecrets::Kind::KeyPassphrase, p.broker, m_passphrase->text());
    m_passwordEdited = false;
    m_passphraseEdited = false;
    {
        const QSignalBlocker blocker(m_profileCombo);
        m_profileCombo->clear();
        m_profileCombo->addItems(m_profiles.names());
        m_profileCombo->setCurrentIndex(m_profileCombo->findText(p.name));
    }
    m_deleteButton->setEnabled(true);
    m_profileRow->setVisible(m_mode == Mode::Manage);
    m_message->hide();
    return true;
}

void ConnectionDialog::storeSecret(const QString &profileName, ProfileSecrets::Kind k, const BrokerUrl &broker,
                                   const QString &value)
{
    const QString what = k == ProfileSecrets::Kind::Password ? tr("password") : tr("key passphrase");
    QPointer<ConnectionDialog> self(this);
    ProfileSecrets(m_secrets).store(profileName, k, broker, value, [self, what](const SecretStore::Result &r) {
        if (r.ok || r.notFound)
            return;
        qCWarning(lcUi) << "keychain:" << r.error;
        if (self)
            self->showError(tr("The profile was saved, but the %1 could not be stored in the system keychain "
                               "(it was not stored anywhere else): %2").arg(what, r.error));
    });
}

void ConnectionDialog::connectAndAccept()
{
    if (m_name->text().trimmed().isEmpty()) {
        connectOnceAndAccept();
        return;
    }
    if (!saveCurrent())
        return;
    m_result = *m_profiles.profile(m_name->text().trimmed());
    m_resultSecrets.password = m_password->text();
    m_resultSecrets.keyPassphrase = m_passphrase->text();
    m_profiles.setLastUsed(m_result.name);
    accept();
}

void ConnectionDialog::connectOnceAndAccept()
{
    ConnectionProfile p;
    QString error;
    if (!formToProfile(&p, &error, false)) {
        showError(error);
        return;
    }
    if (!p.broker.tls && !m_password->text().isEmpty()) {
        // Asked every time: there is no profile to record the answer with.
        if (!m_prompt->confirm(this, p)) {
            showError(tr("Not connected: the password would be sent unencrypted. Use an mqtts:// address, or "
                         "leave the password empty."));
            return;
        }
        p.allowPlaintextPassword = true;
    }
    m_result = p;  // no name: the connection is called host:port, and nothing is saved
    m_resultSecrets.password = m_password->text();
    m_resultSecrets.keyPassphrase = m_passphrase->text();
    accept();
}

void ConnectionDialog::saveAndAccept()
{
    const QString name = m_name->text().trimmed();
    if (!m_name->isReadOnly() && m_profiles.profile(name)) {
        showError(tr("There is already a connection called \"%1\".").arg(name));
        return;
    }
    if (!saveCurrent())
        return;
    m_result = *m_profiles.profile(name);
    m_resultSecrets.password = m_password->text();
    m_resultSecrets.keyPassphrase = m_passphrase->text();
    accept();
}

void ConnectionDialog::updateTlsState()
{
    m_hostnameWarning->setVisible(!m_verifyHostname->isChecked());
}

void ConnectionDialog::showError(const QString &text)
{
    m_message->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_message->setText(text);
    m_message->show();
}

void ConnectionDialog::showInfo(const QString &text)
{
    m_message->setStyleSheet(QString());
    m_message->setText(text);
    m_message->show();
}

QString ConnectionDialog::errorText() const
{
    return m_message->isVisible() || !m_message->text().isEmpty() ? m_message->text() : QString();
}

} // namespace fd
