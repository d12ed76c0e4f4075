#include "ui/release_key_dialog.h"

#include "core/ota/release_key_record.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace fd {

ReleaseKeyDialog::ReleaseKeyDialog(bool keychainAvailable, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_algorithm(new QComboBox(this))
    , m_keychain(new QRadioButton(tr("In the OS keychain"), this))
    , m_passphraseChoice(new QRadioButton(tr("Encrypted with a passphrase"), this))
    , m_passphrase(new QLineEdit(this))
    , m_confirm(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New release key"));
    m_name->setPlaceholderText(tr("e.g. release-2026"));
    m_name->setMaxLength(int(ReleaseKeyRecord::kMaxNameLength));
    m_algorithm->addItem(tr("Ed25519 (recommended)"), int(ReleaseKey::Algorithm::Ed25519));
    m_algorithm->addItem(tr("ECDSA P-256"), int(ReleaseKey::Algorithm::EcdsaP256));
    m_keychain->setEnabled(keychainAvailable);
    (keychainAvailable ? m_keychain : m_passphraseChoice)->setChecked(true);
    if (!keychainAvailable)
        m_keychain->setToolTip(tr("No OS keychain is available on this computer."));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);

    auto *intro = new QLabel(tr("Devices trust firmware signed by this key once its public key is installed on "
                                "them. Its private part never leaves this computer unencrypted."),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Algorithm:"), m_algorithm);
    form->addRow(tr("Private key:"), m_keychain);
    form->addRow(QString(), m_passphraseChoice);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    form->addRow(tr("&Confirm:"), m_confirm);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_name, m_passphrase, m_confirm})
        connect(edit, &QLineEdit::textChanged, this, &ReleaseKeyDialog::updateState);
    connect(m_keychain, &QRadioButton::toggled, this, &ReleaseKeyDialog::updateState);
    updateState();
}

QString ReleaseKeyDialog::name() const
{
    return m_name->text().trimmed();
}

ReleaseKey::Algorithm ReleaseKeyDialog::algorithm() const
{
    return ReleaseKey::Algorithm(m_algorithm->currentData().toInt());
}

ReleaseCatalog::KeyStorage ReleaseKeyDialog::storage() const
{
    return m_keychain->isChecked() ? ReleaseCatalog::KeyStorage::Keychain : ReleaseCatalog::KeyStorage::Passphrase;
}

QByteArray ReleaseKeyDialog::passphrase() const
{
    return storage() == ReleaseCatalog::KeyStorage::Passphrase ? m_passphrase->text().toUtf8() : QByteArray();
}

QString ReleaseKeyDialog::problem() const
{
    QString why;
    if (name().isEmpty())
        return tr("Name the key.");
    if (!ReleaseKeyRecord::isValidName(name(), &why))
        return why;
    if (storage() == ReleaseCatalog::KeyStorage::Passphrase) {
        if (m_passphrase->text().size() < kMinPassphraseLength)
            return tr("The passphrase needs at least %1 characters.").arg(kMinPassphraseLength);
        if (m_passphrase->text() != m_confirm->text())
            return tr("The two passphrases differ.");
    }
    return {};
}

void ReleaseKeyDialog::updateState()
{
    const bool withPassphrase = storage() == ReleaseCatalog::KeyStorage::Passphrase;
    m_passphrase->setEnabled(withPassphrase);
    m_confirm->setEnabled(withPassphrase);
    const QString why = problem();
    m_problem->setText(why);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace fd
