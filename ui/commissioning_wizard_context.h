#pragma once

#include "core/domain/device.h"
#include "core/pki/certificate_record.h"
#include "core/provisioning/provisioning_service.h"
#include "models/model_expectations.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace fd {

class CertificateAuthorityService;
class CommissioningRecords;

// What the commissioning wizard's pages share: the services (not owned), and each page's
// answer as the technician gives it. Owned by CommissioningWizard.
struct CommissioningWizardContext
{
    ProvisioningService *provisioning = nullptr;
    CertificateAuthorityService *authority = nullptr;  // may be null: no unlocking from here
    CommissioningRecords *records = nullptr;           // may be null: the report is not stored
    ModelExpectations expectations = ModelExpectations::builtIn();
    QString technician;
    // Every device the session knows now (all connections); for the Verify page.
    std::function<QList<Device>()> inventory;

    // 1. Identify
    QString serial;
    QString claim;
    std::optional<PendingRequest> request;
    // 2. Assign
    Enrollment enrollment;
    // 3. Issue
    std::optional<CertificateRecord> certificate;
    QString rejectionKey;
    QString rejection;
    qint64 issuedAtMs = 0;
    // 4. Verify
    std::optional<Device> device;      // as last seen
    bool certificateSeen = false;      // online with the new certificate (its status's cert_serial)
    bool telemetrySeen = false;
    qint64 telemetryAtMs = 0;
    bool rangesKnown = true;
    QList<MetricCheck> checks;
    bool verifyFinished = false;       // passed, or the technician went on without it
    bool passed() const;
    // 5. Report
    qint64 reportId = 0;
    QString pdfPath;
};

inline bool CommissioningWizardContext::passed() const
{
    if (!certificate || !certificateSeen || !telemetrySeen)
        return false;
    for (const MetricCheck &c : checks) {
        if (!c.passed)
            return false;
    }
    return true;
}

} // namespace fd
