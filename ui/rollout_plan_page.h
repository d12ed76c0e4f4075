#pragma once

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QTimeEdit;

namespace fd {

struct RolloutWizardContext;

// Rollout wizard, step 3: how. Canary (devices or %), waves ("10%,50%,100%": cumulative
// shares, or device counts; the last takes the rest), rate (per minute, optionally growing
// exponentially), the success threshold a wave must reach and what follows it (the next wave
// or a pause for approval), abort criteria (failure kind, threshold %, minimum executed
// devices), per-device timeout and retries, start time and a daily maintenance window (UTC).
// The wave sizes for the chosen targets show live; a plan that is invalid or has a wave of
// 0 devices cannot go on, with the reason on the page.
class RolloutPlanPage : public QWizardPage
{
    Q_OBJECT
public:
    RolloutPlanPage(RolloutWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    // The plan as the form says (also kept in the context on every change).
    void recompute();
    QString problem() const { return m_problem; }

    QSpinBox *canarySpin() const { return m_canary; }
    QComboBox *canaryUnit() const { return m_canaryUnit; }
    QLineEdit *wavesEdit() const { return m_waves; }
    QSpinBox *rateSpin() const { return m_rate; }
    QSpinBox *thresholdSpin() const { return m_threshold; }
    QComboBox *afterWaveChoice() const { return m_afterWave; }
    QCheckBox *abortCheck() const { return m_abort; }
    QSpinBox *abortPercentSpin() const { return m_abortPct; }
    QSpinBox *minExecutedSpin() const { return m_minExecuted; }
    QLabel *waveSizesLabel() const { return m_sizes; }
    QLabel *problemLabel() const { return m_problemLabel; }

private:
    RolloutWizardContext *m_context;
    QSpinBox *m_canary;
    QComboBox *m_canaryUnit;
    QLineEdit *m_waves;
    QLabel *m_sizes;
    QSpinBox *m_rate;
    QCheckBox *m_exponential;
    QDoubleSpinBox *m_factor;
    QSpinBox *m_every;
    QSpinBox *m_threshold;
    QComboBox *m_afterWave;
    QCheckBox *m_abort;
    QComboBox *m_abortKind;
    QSpinBox *m_abortPct;
    QSpinBox *m_minExecuted;
    QSpinBox *m_timeout;
    QSpinBox *m_retries;
    QRadioButton *m_startNow;
    QRadioButton *m_startAt;
    QDateTimeEdit *m_startTime;
    QCheckBox *m_window;
    QTimeEdit *m_windowStart;
    QTimeEdit *m_windowEnd;
    QLabel *m_problemLabel;
    QString m_problem;
};

} // namespace fd
