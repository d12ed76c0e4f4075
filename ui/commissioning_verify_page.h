#pragma once

#include "core/domain/device.h"

#include <QWizardPage>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace fd {

struct CommissioningWizardContext;

// Commissioning, step 4: waits for the device to come online with its new certificate (its
// status's "cert_serial" is the one just issued) and for its first telemetry after that,
// from the session's live device updates (onDevicesUpdated(), fed from
// FleetSession::devicesUpdated); then checks each metric against the model's expected
// ranges (ModelExpectations; a model without ranges: telemetry arrival only, said so).
// Pass or fail per line; "Continue without waiting" ends the wait (the report then says
// what was not seen).
class CommissioningVerifyPage : public QWizardPage
{
    Q_OBJECT
public:
    CommissioningVerifyPage(CommissioningWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    QTreeWidget *checksView() const { return m_checks; }
    QLabel *stateLabel() const { return m_state; }
    QPushButton *skipButton() const { return m_skip; }

public slots:
    void onDevicesUpdated(const QList<fd::Device> &changed);

private:
    void evaluate(const Device &device);
    bool matches(const Device &device) const;
    void showChecks();
    void tick();

    CommissioningWizardContext *m_context;
    QLabel *m_state;
    QTreeWidget *m_checks;
    QPushButton *m_skip;
    QTimer *m_clock;
    qint64 m_startedMs = 0;
    qint64 m_baselineTelemetryMs = 0;
};

} // namespace fd
