#pragma once

#include <QDialog>

#include <functional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace fd {

class CertificateAuthorityService;

// Unlocks the fleet CA's issuing key for this session: its passphrase (typed once), or the
// OS keychain when the CA keeps its keys there (no passphrase field then: "Unlock" asks
// the keychain, which may prompt). A wrong passphrase keeps the dialog open with the reason;
// unlocked() closes it (accepted). The work is CertificateAuthorityService's.
class CaUnlockDialog : public QDialog
{
    Q_OBJECT
public:
    CaUnlockDialog(CertificateAuthorityService *service, const QString &purpose, QWidget *parent = nullptr);

    // Runs then() at once when the CA is unlocked; otherwise opens the dialog (window-modal)
    // and runs then() once it is unlocked (never if cancelled). Without a CA: a message.
    static void ensureUnlocked(CertificateAuthorityService *service, QWidget *parent, const QString &purpose,
                               std::function<void()> then);

    QLineEdit *passphraseEdit() const { return m_passphrase; }
    QLabel *problemLabel() const { return m_problem; }
    bool usesKeychain() const { return m_keychain; }

public slots:
    void accept() override;  // Unlock

private:
    CertificateAuthorityService *m_service;
    bool m_keychain = false;
    QLineEdit *m_passphrase;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace fd
