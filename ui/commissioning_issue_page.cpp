#include "ui/commissioning_issue_page.h"

#include "core/pki/certificate_authority_service.h"
#include "core/provisioning/provisioning_reason.h"
#include "ui/ca_unlock_dialog.h"
#include "ui/commissioning_wizard_context.h"
#include "widgets/plain_label.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWizard>

namespace fd {

CommissioningIssuePage::CommissioningIssuePage(CommissioningWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_summary(plainLabel(QString(), this, {.wrap = true}))
    , m_caState(plainLabel(QString(), this, {.wrap = true}))
    , m_unlock(new QPushButton(tr("&Unlock CA…"), this))
    , m_issue(new QPushButton(tr("&Issue certificate"), this))
    , m_reject(new QPushButton(tr("&Reject request…"), this))
    , m_result(plainLabel(QString(), this, {.wrap = true, .selectable = true}))
{
    setTitle(tr("Issue the certificate"));
    setSubTitle(tr("FleetDeck signs the device's own key (it never leaves the device) and answers it."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Next"));
    m_result->setObjectName(QStringLiteral("resultLabel"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_issue);
    buttons->addWidget(m_unlock);
    buttons->addStretch(1);
    buttons->addWidget(m_reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_caState);
    layout->addLayout(buttons);
    layout->addSpacing(8);
    layout->addWidget(m_result);
    layout->addStretch(1);
    m_issue->setDefault(false);
    m_issue->setAutoDefault(false);
    connect(m_issue, &QPushButton::clicked, this, &CommissioningIssuePage::issue);
    connect(m_unlock, &QPushButton::clicked, this, [this] {
        CaUnlockDialog::ensureUnlocked(m_context->authority, this, tr("Issuing the certificate"), [this] {
            if (m_context->provisioning && m_context->authority)
                m_context->provisioning->setAuthority(m_context->authority->authority());
            updateState();
        });
    });
    connect(m_reject, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString reason = QInputDialog::getText(this, tr("Reject request"),
                                                     tr("Reject the request of %1? The device is told the reason.\n\n"
                                                        "Reason:")
                                                         .arg(m_context->serial),
                                                     QLineEdit::Normal, QString(), &ok);
        if (ok)
            rejectRequest(reason.trimmed());
    });
    if (m_context->provisioning)
        connect(m_context->provisioning, &ProvisioningService::requestDecided, this, &CommissioningIssuePage::onDecided);
    if (m_context->authority) {
        connect(m_context->authority, &CertificateAuthorityService::unlocked, this, &CommissioningIssuePage::updateState);
        connect(m_context->authority, &CertificateAuthorityService::locked, this, &CommissioningIssuePage::updateState);
    }
}

void CommissioningIssuePage::initializePage()
{
    const Enrollment &e = m_context->enrollment;
    const int days = e.days > 0 ? e.days : (m_context->provisioning ? m_context->provisioning->policy().certDays : 365);
    QStringList lines;
    lines << tr("Device %1 (serial %2) gets a client certificate with CN \"%1\", valid %3 days, for mutual TLS "
                "with the fleet's broker.")
                 .arg(e.deviceId, m_context->serial)
                 .arg(days);
    if (!e.name.isEmpty() || !e.site.isEmpty())
        lines << tr("Name: %1; site: %2; tags: %3")
                     .arg(e.name.isEmpty() ? tr("(none)") : e.name, e.site.isEmpty() ? tr("(none)") : e.site,
                          e.tags.isEmpty() ? tr("(none)") : e.tags.join(QStringLiteral(", ")));
    m_summary->setText(lines.join(u'\n'));
    updateState();
}

void CommissioningIssuePage::updateState()
{
    const bool haveCa = m_context->authority && m_context->authority->hasAuthority();
    const bool unlocked = m_context->authority ? m_context->authority->isUnlocked() : true;
    if (!m_context->authority)
        m_caState->clear();
    else if (!haveCa)
        m_caState->setText(tr("There is no fleet CA in the operations store: nothing can be signed. Create one with "
                              "\"fleetdeckctl pki init\"."));
    else if (!unlocked)
        m_caState->setText(tr("The fleet CA \"%1\" is locked: unlock it to sign.").arg(m_context->authority->authorityName()));
    else
        m_caState->setText(tr("Signed by the fleet CA \"%1\".").arg(m_context->authority->authorityName()));
    m_unlock->setVisible(haveCa && !unlocked);
    m_issue->setEnabled(!m_decided && !m_waiting && m_context->request && unlocked && (haveCa || !m_context->authority));
    m_reject->setEnabled(!m_decided && !m_waiting && m_context->request.has_value());
    emit completeChanged();
    // Once decided (or while deciding) there is no going back to change what was signed.
    if ((m_decided || m_waiting) && wizard() && wizard()->currentPage() == this)
        wizard()->button(QWizard::BackButton)->setEnabled(false);
}

void CommissioningIssuePage::issue()
{
    if (!m_context->provisioning || !m_context->request || m_decided || m_waiting)
        return;
    if (m_context->authority && m_context->authority->isUnlocked())
        m_context->provisioning->setAuthority(m_context->authority->authority());
    QString refused;
    const QMetaObject::Connection c = connect(m_context->provisioning, &ProvisioningService::error, this,
                                              [&refused](const QString &message) { refused = message; });
    const quint64 job = m_context->provisioning->approve(m_context->request->record.id, m_context->enrollment);
    disconnect(c);
    if (job == 0) {
        m_result->setText(tr("Not issued: %1").arg(refused.isEmpty() ? tr("the request could not be approved") : refused));
        updateState();
        return;
    }
    m_waiting = true;
    m_context->issuedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_result->setText(tr("Signing and answering the device…"));
    updateState();
}

void CommissioningIssuePage::rejectRequest(const QString &reason)
{
    if (!m_context->provisioning || !m_context->request || m_decided || m_waiting)
        return;
    if (m_context->provisioning->reject(m_context->request->record.id,
                                        reason.isEmpty() ? tr("rejected by %1").arg(m_context->technician) : reason)
        == 0)
        return;
    m_waiting = true;
    updateState();
}

void CommissioningIssuePage::onDecided(qint64 requestId, bool accepted, const QString &reasonKey, const QString &reason,
                                       const CertificateRecord &cert)
{
    if (!m_context->request || requestId != m_context->request->record.id)
        return;
    m_waiting = false;
    m_decided = true;
    if (accepted) {
        m_context->certificate = cert;
        m_result->setText(tr("Issued and sent to the device.\nCertificate serial: %1\nSHA-256 fingerprint: %2\n"
                             "Valid until: %3")
                              .arg(cert.serial, cert.fingerprint,
                                   QDateTime::fromMSecsSinceEpoch(cert.notAfterMs).toString(QStringLiteral("yyyy-MM-dd"))));
    } else {
        m_context->rejectionKey = reasonKey;
        m_context->rejection = reason.isEmpty() ? ProvisioningReason::describe(reasonKey) : reason;
        m_result->setText(tr("Refused (%1): %2\nThe device was told, nothing was issued. Close the wizard; the device "
                             "will ask again.")
                              .arg(reasonKey, m_context->rejection));
    }
    updateState();
}

bool CommissioningIssuePage::isComplete() const
{
    return m_context->certificate.has_value();
}

} // namespace fd
