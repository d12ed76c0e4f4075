#include "ui/ca_unlock_dialog.h"

#include "core/pki/certificate_authority_service.h"
#include "widgets/plain_label.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace fd {

CaUnlockDialog::CaUnlockDialog(CertificateAuthorityService *service, const QString &purpose, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_passphrase(new QLineEdit(this))
    , m_problem(plainLabel(QString(), this, {.wrap = true}))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("CaUnlockDialog"));
    setWindowTitle(tr("Unlock the Fleet CA"));
    const std::optional<CaRecord> record = service->record();
    m_keychain = record && record->storage == CaRecord::Storage::Keychain;
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setObjectName(QStringLiteral("caPassphraseEdit"));
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    m_problem->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Unlock"));

    auto *layout = new QVBoxLayout(this);
    const QString name = service->authorityName();
    layout->addWidget(plainLabel(
        m_keychain ? tr("%1 needs the issuing key of the fleet CA \"%2\". Its key is in the system keychain, which "
                        "may ask you to allow this.")
                         .arg(purpose, name)
                   : tr("%1 needs the issuing key of the fleet CA \"%2\". Type its passphrase; the key stays "
                        "unlocked until FleetDeck quits.")
                         .arg(purpose, name),
        this, {.wrap = true}));
    if (!m_keychain) {
        auto *form = new QFormLayout;
        form->addRow(tr("CA &passphrase:"), m_passphrase);
        layout->addLayout(form);
    } else {
        m_passphrase->hide();
    }
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CaUnlockDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(service, &CertificateAuthorityService::unlocked, this, [this] { QDialog::accept(); });
    connect(service, &CertificateAuthorityService::unlockFailed, this, [this](const QString &reason) {
        m_problem->setText(tr("Not unlocked: %1").arg(reason));
        m_problem->show();
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        m_passphrase->selectAll();
        m_passphrase->setFocus();
    });
    resize(460, sizeHint().height());
}

void CaUnlockDialog::accept()
{
    if (m_service->isUnlocked()) {
        QDialog::accept();
        return;
    }
    if (!m_keychain && m_passphrase->text().isEmpty()) {
        m_problem->setText(tr("Type the CA's passphrase."));
        m_problem->show();
        return;
    }
    m_problem->hide();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);  // until the answer
    if (m_keychain)
        m_service->unlockFromKeychain();
    else
        m_service->unlockWithPassphrase(m_passphrase->text().toUtf8());
}

void CaUnlockDialog::ensureUnlocked(CertificateAuthorityService *service, QWidget *parent, const QString &purpose,
                                    std::function<void()> then)
{
    if (!service || !service->hasAuthority()) {
        QMessageBox box(QMessageBox::Information, tr("No Fleet CA"),
                        tr("There is no fleet CA in this operations store yet."), QMessageBox::Ok, parent);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(tr("Create one with: fleetdeckctl pki init --db CACHE (or start the demo fleet)."));
        box.exec();
        return;
    }
    if (service->isUnlocked()) {
        then();
        return;
    }
    auto *dialog = new CaUnlockDialog(service, purpose, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    QObject::connect(dialog, &QDialog::accepted, parent, [then = std::move(then)] { then(); });
    dialog->open();
}

} // namespace fd
