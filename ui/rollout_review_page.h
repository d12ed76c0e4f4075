#pragma once

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace fd {

struct RolloutWizardContext;

// Rollout wizard, step 4: a plain summary of what will happen (firmware, signature, devices,
// waves, pace, abort rule, timing), the rollout's name, whether to start it at once, and,
// above the plan's confirmation size, the device count typed by the operator: a large
// rollout is never one click away.
class RolloutReviewPage : public QWizardPage
{
    Q_OBJECT
public:
    RolloutReviewPage(RolloutWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    QString rolloutName() const;
    bool startNow() const;
    bool needsTypedConfirmation() const;

    QPlainTextEdit *summaryView() const { return m_summary; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *confirmEdit() const { return m_confirm; }
    QLabel *confirmLabel() const { return m_confirmLabel; }
    QCheckBox *startCheck() const { return m_start; }

    // The summary's text for a context (also for tests and the audit trail).
    static QString summaryText(const RolloutWizardContext &context);

private:
    RolloutWizardContext *m_context;
    QLineEdit *m_name;
    QPlainTextEdit *m_summary;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirm;
    QCheckBox *m_start;
};

} // namespace fd
