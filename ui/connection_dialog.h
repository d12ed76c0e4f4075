#pragma once

#include "core/settings/profile_secrets.h"
#include "core/transport/connection_profile.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace fd {

class PlaintextPasswordPrompt;
class ProfileStore;
class SecretStore;

// Edits connection profiles (ProfileStore) and their secrets (SecretStore: password and
// client key passphrase go to the OS keychain, never to the settings file, bound to the
// profile's broker: ProfileSecrets). A secret saved for another broker than the profile's
// is not shown; changing the broker of a profile stores the shown secrets for the new one.
// Saving a profile with a password and a plain TCP (mqtt://) address asks once whether the
// password may be sent unencrypted (PlaintextPasswordPrompt); "no" does not save.
// Manage mode: a profile chooser with New/Delete; the name is optional: "Connect" with a name
// saves and accepts, without one accepts a one-off connection (profile() has no name, nothing
// is saved; a password over plain TCP is asked about each time); "Save as Profile" saves;
// profile() and secrets() then say what to connect with. Edit mode (File > Connections… > New / Edit):
// one profile, "Save" saves and accepts; an existing profile keeps its name.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Manage, Edit };

    ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, QWidget *parent = nullptr);
    ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, Mode mode, QWidget *parent = nullptr);
    // prompt null: a message box.
    ConnectionDialog(ProfileStore &profiles, SecretStore &secrets, Mode mode, PlaintextPasswordPrompt *prompt,
                     QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    ConnectionProfile profile() const { return m_result; }
    ConnectionSecrets secrets() const { return m_resultSecrets; }

    // Selects a profile by name (for tests and "--profile"); false if unknown.
    bool selectProfile(const QString &name);
    // Edit mode: edits the saved profile name (false if unknown), or starts a new one.
    bool editProfile(const QString &name);
    void startNewProfile();
    // Saves the form; false with the reason shown in the dialog.
    bool saveCurrent();
    QString errorText() const;

private:
    void reloadNames(const QString &select);
    void loadProfile(const QString &name);
    void newProfile();
    void deleteProfile();
    void connectAndAccept();
    void saveAndAccept();
    void updateTlsState();
    void showError(const QString &text);
    void showInfo(const QString &text);
    bool formToProfile(ConnectionProfile *profile, QString *error, bool needName = true) const;
    void connectOnceAndAccept();
    void storeSecret(const QString &profileName, ProfileSecrets::Kind kind, const BrokerUrl &broker,
                     const QString &value);
    QLineEdit *fileField(const QString &placeholder, const QString &filter, QFormLayout *form,
                         const QString &label);

    ProfileStore &m_profiles;
    SecretStore &m_secrets;
    std::unique_ptr<PlaintextPasswordPrompt> m_defaultPrompt;
    PlaintextPasswordPrompt *m_prompt;
    Mode m_mode;
    quint64 m_loadGeneration = 0;
    bool m_passwordEdited = false;
    bool m_passphraseEdited = false;

    QWidget *m_profileRow;
    QComboBox *m_profileCombo;
    QPushButton *m_newButton;
    QPushButton *m_deleteButton;
    QLineEdit *m_name;
    QLineEdit *m_broker;
    QComboBox *m_version;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLineEdit *m_clientId;
    QLineEdit *m_prefix;
    QLineEdit *m_caFile;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLineEdit *m_passphrase;
    QCheckBox *m_verifyHostname;
    QCheckBox *m_persistentSession;
    QCheckBox *m_sparkplug;
    QLineEdit *m_sparkplugHostId;
    QLabel *m_hostnameWarning;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;

    ConnectionProfile m_result;
    ConnectionSecrets m_resultSecrets;
};

} // namespace fd
