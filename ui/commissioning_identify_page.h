#pragma once

#include "core/provisioning/provisioning_service.h"

#include <QWizardPage>

#include <optional>

class QLabel;

namespace fd {

class LabelCodeEntry;
struct CommissioningWizardContext;

// Commissioning, step 1: the serial number and claim code from the device's label, typed or
// scanned (LabelCodeEntry: Enter in the serial moves to the claim code, Enter there checks
// and goes on; "SERIAL;CLAIM" / "SERIAL<Tab>CLAIM" fills both). Shows the device's waiting
// request as soon as there is one (pending requests are live), and what is wrong in plain
// words: a serial that cannot be one, no request from that serial yet, a claim code that
// does not match the one the device sent or the expected-devices list.
class CommissioningIdentifyPage : public QWizardPage
{
    Q_OBJECT
public:
    CommissioningIdentifyPage(CommissioningWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // Fills the serial (e.g. from the page's selected request); the claim is still typed.
    void presetSerial(const QString &serial);

    LabelCodeEntry *entry() const { return m_entry; }
    QLabel *requestLabel() const { return m_request; }
    QLabel *problemLabel() const { return m_problem; }

    // The problem with the typed values ('' when none); finds the matching request.
    QString check();

private:
    void onSubmitted();
    void refreshRequest();

    CommissioningWizardContext *m_context;
    std::optional<PendingRequest> m_found;  // the waiting request of the typed serial
    LabelCodeEntry *m_entry;
    QLabel *m_request;
    QLabel *m_problem;
    bool m_showProblems = false;
};

} // namespace fd
