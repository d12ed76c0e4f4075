#pragma once

#include "core/domain/device.h"
#include "core/provisioning/provisioning_policy.h"
#include "models/model_expectations.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace fd {

class CertificateAuthorityService;
class CertificatesPanel;
class CommissioningRecords;
class CommissioningWizard;
class ExpectedDeviceModel;
class PendingRequestModel;
class ProvisioningService;

// Commissioning (sidebar, after Rollouts): the provisioning requests waiting for a
// technician (PendingRequestModel, live), the expected-devices list (ExpectedDeviceModel,
// "N of M enrolled", Import CSV…), "Commission…" opening the CommissioningWizard (on the
// selected request's serial), and a Certificates tab (CertificatesPanel). Unlocking the CA
// hands it to ProvisioningService. Without the services (no operations store) the page says
// commissioning is unavailable.
class CommissioningPage : public QWidget
{
    Q_OBJECT
public:
    struct Services
    {
        ProvisioningService *provisioning = nullptr;
        CertificateAuthorityService *authority = nullptr;
        CommissioningRecords *records = nullptr;
        std::function<QList<Device>()> inventory;
        // Which source a device id is on (for rotation); empty when unknown.
        std::function<QString(const QString &deviceId)> sourceOf;
        std::function<QString()> technician;
        // Keeps the policy the operator chose (settings); the service gets it at once.
        std::function<void(const ProvisioningPolicy &)> savePolicy;
        ModelExpectations expectations = ModelExpectations::builtIn();
    };

    explicit CommissioningPage(const Services &services, QWidget *parent = nullptr);

    PendingRequestModel *pendingModel() const { return m_pending; }
    ExpectedDeviceModel *expectedModel() const { return m_expected; }
    QTableView *pendingTable() const { return m_pendingTable; }
    QTableView *expectedTable() const { return m_expectedTable; }
    CertificatesPanel *certificatesPanel() const { return m_certificates; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *commissionButton() const { return m_commission; }
    QPushButton *importButton() const { return m_import; }
    QLabel *countsLabel() const { return m_counts; }
    QLabel *feedbackLabel() const { return m_feedback; }
    CommissioningWizard *wizard() const;  // null when none is open

    // Opens the wizard (non-modal, one at a time), on the selected request's serial if any.
    CommissioningWizard *openWizard();
    // Import CSV…: the file dialog, then importFile().
    void askImport();
    // Shows the parse result (errors line by line) and imports on Import; the dialog is returned
    // (window-modal, open).
    QDialog *importFile(const QString &path);
    void reloadExpected();

public slots:
    // Live device updates (FleetSession::devicesUpdated), for the wizard's Verify step.
    void onDevicesUpdated(const QList<fd::Device> &changed);

signals:
    void pendingCountChanged(int count);

private:
    void refreshPending();
    void setFeedback(const QString &text);
    void requestRotation(const QString &deviceId);

    Services m_services;
    QTabWidget *m_tabs;
    PendingRequestModel *m_pending;
    ExpectedDeviceModel *m_expected;
    QTableView *m_pendingTable;
    QTableView *m_expectedTable;
    CertificatesPanel *m_certificates;
    QPushButton *m_commission;
    QPushButton *m_import;
    QCheckBox *m_allowUnknown;  // policy: devices not on the expected list
    QCheckBox *m_autoApprove;   // policy: listed devices enrolled without a technician
    QLabel *m_pendingTitle;
    QLabel *m_counts;
    QLabel *m_feedback;
    QPointer<CommissioningWizard> m_wizard;
};

} // namespace fd
