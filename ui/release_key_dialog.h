#pragma once

#include "core/ota/release_catalog.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace fd {

// Creates a release key: name, algorithm (Ed25519 or ECDSA P-256) and where its private
// part lives: the OS keychain (when there is one) or encrypted with a passphrase typed twice.
// The operator's answer only; ReleaseCatalog::createKey() does the work.
class ReleaseKeyDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kMinPassphraseLength = 8;

    ReleaseKeyDialog(bool keychainAvailable, QWidget *parent = nullptr);

    QString name() const;
    ReleaseKey::Algorithm algorithm() const;
    ReleaseCatalog::KeyStorage storage() const;
    QByteArray passphrase() const;
    // Why OK is disabled ('' when the answer is complete).
    QString problem() const;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *passphraseEdit() const { return m_passphrase; }
    QLineEdit *confirmEdit() const { return m_confirm; }
    QRadioButton *keychainChoice() const { return m_keychain; }

private:
    void updateState();

    QLineEdit *m_name;
    QComboBox *m_algorithm;
    QRadioButton *m_keychain;
    QRadioButton *m_passphraseChoice;
    QLineEdit *m_passphrase;
    QLineEdit *m_confirm;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace fd
