#pragma once

#include "core/pki/certificate_record.h"

#include <QWizardPage>

class QLabel;
class QPushButton;

namespace fd {

struct CommissioningWizardContext;

// Commissioning, step 3: what will be signed, then "Issue certificate": the request is
// approved through ProvisioningService (the technician's serial and claim code checked once
// more there, the CSR signed by the fleet CA, the device answered). Shows the certificate's
// serial and SHA-256 fingerprint, or the reason it was refused (also sent to the device). A
// locked CA is unlocked from here first (CaUnlockDialog). "Reject…" refuses the request with
// a reason. A commit page: once issued, there is no going back.
class CommissioningIssuePage : public QWizardPage
{
    Q_OBJECT
public:
    CommissioningIssuePage(CommissioningWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    QPushButton *issueButton() const { return m_issue; }
    QPushButton *unlockButton() const { return m_unlock; }
    QPushButton *rejectButton() const { return m_reject; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *resultLabel() const { return m_result; }

    // What the buttons do (tests call them directly).
    void issue();
    void rejectRequest(const QString &reason);

private:
    void onDecided(qint64 requestId, bool accepted, const QString &reasonKey, const QString &reason,
                   const CertificateRecord &cert);
    void updateState();

    CommissioningWizardContext *m_context;
    QLabel *m_summary;
    QLabel *m_caState;
    QPushButton *m_unlock;
    QPushButton *m_issue;
    QPushButton *m_reject;
    QLabel *m_result;
    bool m_waiting = false;
    bool m_decided = false;
};

} // namespace fd
