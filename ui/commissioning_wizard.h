#pragma once

#include "ui/commissioning_wizard_context.h"

#include <QWizard>

namespace fd {

class CommissioningAssignPage;
class CommissioningIdentifyPage;
class CommissioningIssuePage;
class CommissioningReportPage;
class CommissioningVerifyPage;

// Commissioning a factory-fresh device on site: 1. Identify (serial + claim code from the
// label, typed or scanned; the device's waiting request), 2. Assign (device id, name, site,
// tags), 3. Issue (the fleet CA signs the device's CSR through ProvisioningService, which
// answers the device), 4. Verify (online with the new certificate, first telemetry within
// the model's ranges), 5. Report (PDF, kept in the operations store). Non-modal; live device
// updates come in through onDevicesUpdated().
class CommissioningWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { IdentifyPageId, AssignPageId, IssuePageId, VerifyPageId, ReportPageId };

    struct Services
    {
        ProvisioningService *provisioning = nullptr;       // required
        CertificateAuthorityService *authority = nullptr;  // may be null
        CommissioningRecords *records = nullptr;           // may be null
        std::function<QList<Device>()> inventory;
        QString technician;
        ModelExpectations expectations = ModelExpectations::builtIn();
    };

    explicit CommissioningWizard(const Services &services, QWidget *parent = nullptr);

    // Starts with this serial filled in (the page's selected request).
    void presetSerial(const QString &serial);

    CommissioningIdentifyPage *identifyPage() const { return m_identify; }
    CommissioningAssignPage *assignPage() const { return m_assign; }
    CommissioningIssuePage *issuePage() const { return m_issue; }
    CommissioningVerifyPage *verifyPage() const { return m_verify; }
    CommissioningReportPage *reportPage() const { return m_report; }
    const CommissioningWizardContext &context() const { return m_context; }

public slots:
    void onDevicesUpdated(const QList<fd::Device> &changed);

private:
    CommissioningWizardContext m_context;
    CommissioningIdentifyPage *m_identify;
    CommissioningAssignPage *m_assign;
    CommissioningIssuePage *m_issue;
    CommissioningVerifyPage *m_verify;
    CommissioningReportPage *m_report;
};

} // namespace fd
