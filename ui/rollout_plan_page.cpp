#include "ui/rollout_plan_page.h"

#include "models/rollout_device_model.h"
#include "ui/rollout_wizard_context.h"
#include "widgets/warning_colors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace fd {

namespace {

QHBoxLayout *row(std::initializer_list<QWidget *> widgets)
{
    auto *layout = new QHBoxLayout;
    for (QWidget *w : widgets)
        layout->addWidget(w);
    layout->addStretch(1);
    return layout;
}

QLabel *text(const QString &s, QWidget *parent)
{
    auto *label = new QLabel(s, parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

RolloutPlanPage::RolloutPlanPage(RolloutWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_canary(new QSpinBox(this))
    , m_canaryUnit(new QComboBox(this))
    , m_waves(new QLineEdit(this))
    , m_sizes(new QLabel(this))
    , m_rate(new QSpinBox(this))
    , m_exponential(new QCheckBox(tr("then ×"), this))
    , m_factor(new QDoubleSpinBox(this))
    , m_every(new QSpinBox(this))
    , m_threshold(new QSpinBox(this))
    , m_afterWave(new QComboBox(this))
    , m_abort(new QCheckBox(tr("when"), this))
    , m_abortKind(new QComboBox(this))
    , m_abortPct(new QSpinBox(this))
    , m_minExecuted(new QSpinBox(this))
    , m_timeout(new QSpinBox(this))
    , m_retries(new QSpinBox(this))
    , m_startNow(new QRadioButton(tr("Now"), this))
    , m_startAt(new QRadioButton(tr("At"), this))
    , m_startTime(new QDateTimeEdit(this))
    , m_window(new QCheckBox(tr("Only between"), this))
    , m_windowStart(new QTimeEdit(this))
    , m_windowEnd(new QTimeEdit(this))
    , m_problemLabel(new QLabel(this))
{
    setTitle(tr("Plan"));
    setSubTitle(tr("Start small, watch, then widen. Failures beyond the abort threshold stop the rollout."));

    m_canary->setRange(0, 100000);
    m_canary->setValue(2);
    m_canary->setSpecialValueText(tr("none"));
    m_canaryUnit->addItem(tr("devices"));
    m_canaryUnit->addItem(tr("% of the targets"));
    m_waves->setText(QStringLiteral("10%,50%,100%"));
    m_waves->setToolTip(tr("Comma-separated: \"N%\" = up to N % of the targets (after the canary) by the end of "
                           "that wave, \"N\" = N devices in that wave. The last wave takes the rest."));
    m_sizes->setTextFormat(Qt::PlainText);
    m_sizes->setWordWrap(true);
    m_rate->setRange(0, 1000);
    m_rate->setValue(60);
    m_rate->setSpecialValueText(tr("unlimited"));
    m_rate->setSuffix(tr(" devices/min"));
    m_factor->setRange(1.1, 5.0);
    m_factor->setSingleStep(0.1);
    m_factor->setValue(2.0);
    m_every->setRange(1, 100000);
    m_every->setValue(10);
    m_every->setPrefix(tr("every "));
    m_every->setSuffix(tr(" updated"));
    m_threshold->setRange(1, 100);
    m_threshold->setValue(80);
    m_threshold->setSuffix(tr(" % updated"));
    m_afterWave->addItem(tr("start the next wave"), int(RolloutPlan::AfterWave::NextWave));
    m_afterWave->addItem(tr("pause for my approval"), int(RolloutPlan::AfterWave::PauseForApproval));
    m_abort->setChecked(true);
    m_abortKind->addItem(tr("any failure"), int(RolloutAbortCriterion::Kind::All));
    m_abortKind->addItem(tr("failed downloads or installs"), int(RolloutAbortCriterion::Kind::Failed));
    m_abortKind->addItem(tr("rejections"), int(RolloutAbortCriterion::Kind::Rejected));
    m_abortKind->addItem(tr("timeouts"), int(RolloutAbortCriterion::Kind::TimedOut));
    m_abortPct->setRange(1, 100);
    m_abortPct->setValue(5);
    m_abortPct->setSuffix(tr(" %"));
    m_minExecuted->setRange(1, 1000000);
    m_minExecuted->setValue(10);
    m_timeout->setRange(1, 7 * 24 * 60);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" min"));
    m_retries->setRange(0, 10);
    m_retries->setValue(1);
    m_startNow->setChecked(true);
    m_startTime->setDateTime(QDateTime::currentDateTime().addSecs(3600));
    m_startTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_startTime->setCalendarPopup(true);
    for (QTimeEdit *t : {m_windowStart, m_windowEnd}) {
        t->setDisplayFormat(QStringLiteral("HH:mm"));
        t->setTimeSpec(Qt::UTC);
    }
    m_windowStart->setTime(QTime(22, 0));
    m_windowEnd->setTime(QTime(4, 0));
    m_problemLabel->setTextFormat(Qt::PlainText);
    m_problemLabel->setWordWrap(true);
    QPalette p = m_problemLabel->palette();
    p.setColor(QPalette::WindowText, warningColors(palette()).errorText);
    m_problemLabel->setPalette(p);

    auto *waves = new QGroupBox(tr("Waves"), this);
    auto *wavesForm = new QFormLayout(waves);
    wavesForm->addRow(tr("Canary:"), row({m_canary, m_canaryUnit}));
    wavesForm->addRow(tr("&Waves:"), m_waves);
    wavesForm->addRow(QString(), m_sizes);
    wavesForm->addRow(tr("A wave succeeds at:"), row({m_threshold, text(tr("then"), waves), m_afterWave}));

    auto *pace = new QGroupBox(tr("Pace and safety"), this);
    auto *paceForm = new QFormLayout(pace);
    paceForm->addRow(tr("Rate:"), row({m_rate, m_exponential, m_factor, m_every}));
    paceForm->addRow(tr("Abort:"), row({m_abort, m_abortKind, text(tr("reaches"), pace), m_abortPct,
                                     text(tr("of at least"), pace), m_minExecuted, text(tr("finished devices"), pace)}));
    paceForm->addRow(tr("Per device:"), row({text(tr("time out after"), pace), m_timeout, text(tr("retry"), pace),
                                              m_retries, text(tr("times"), pace)}));

    auto *when = new QGroupBox(tr("When"), this);
    auto *whenForm = new QFormLayout(when);
    whenForm->addRow(tr("Start:"), row({m_startNow, m_startAt, m_startTime}));
    whenForm->addRow(tr("Window:"), row({m_window, m_windowStart, text(tr("and"), when), m_windowEnd,
                                         text(tr("UTC, daily"), when)}));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(waves);
    layout->addWidget(pace);
    layout->addWidget(when);
    layout->addWidget(m_problemLabel);
    layout->addStretch(1);

    const auto changed = [this] { recompute(); };
    for (QSpinBox *s : {m_canary, m_rate, m_every, m_threshold, m_abortPct, m_minExecuted, m_timeout, m_retries})
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QComboBox *c : {m_canaryUnit, m_afterWave, m_abortKind})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QCheckBox *c : {m_exponential, m_abort, m_window})
        connect(c, &QCheckBox::toggled, this, changed);
    connect(m_startAt, &QRadioButton::toggled, this, changed);
    connect(m_factor, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_waves, &QLineEdit::textChanged, this, changed);
    connect(m_startTime, &QDateTimeEdit::dateTimeChanged, this, changed);
    connect(m_windowStart, &QTimeEdit::timeChanged, this, changed);
    connect(m_windowEnd, &QTimeEdit::timeChanged, this, changed);
}

void RolloutPlanPage::initializePage()
{
    recompute();
}

bool RolloutPlanPage::isComplete() const
{
    return m_problem.isEmpty();
}

void RolloutPlanPage::recompute()
{
    m_factor->setEnabled(m_exponential->isChecked() && m_rate->value() > 0);
    m_every->setEnabled(m_factor->isEnabled());
    m_exponential->setEnabled(m_rate->value() > 0);
    for (QWidget *w : std::initializer_list<QWidget *>{m_abortKind, m_abortPct, m_minExecuted})
        w->setEnabled(m_abort->isChecked());
    m_startTime->setEnabled(m_startAt->isChecked());
    m_windowStart->setEnabled(m_window->isChecked());
    m_windowEnd->setEnabled(m_window->isChecked());

    RolloutPlan plan;
    plan.canary = m_canary->value();
    plan.canaryPercent = m_canaryUnit->currentIndex() == 1;
    QString error;
    const std::optional<QList<RolloutWave>> waves = RolloutPlan::parseWaves(m_waves->text(), &error);
    if (waves)
        plan.waves = *waves;
    plan.ratePerMinute = m_rate->value();
    if (m_exponential->isEnabled() && m_exponential->isChecked()) {
        plan.rateIncreaseFactor = m_factor->value();
        plan.rateIncreaseEvery = m_every->value();
    }
    plan.successThresholdPct = m_threshold->value();
    plan.afterWave = RolloutPlan::AfterWave(m_afterWave->currentData().toInt());
    if (m_abort->isChecked()) {
        RolloutAbortCriterion criterion;
        criterion.kind = RolloutAbortCriterion::Kind(m_abortKind->currentData().toInt());
        criterion.thresholdPct = m_abortPct->value();
        criterion.minExecuted = m_minExecuted->value();
        plan.abortCriteria = {criterion};
    }
    plan.deviceTimeoutS = m_timeout->value() * 60;
    plan.retries = m_retries->value();
    if (m_startAt->isChecked())
        plan.startAtMs = m_startTime->dateTime().toMSecsSinceEpoch();
    if (m_window->isChecked()) {
        MaintenanceWindow window;
        window.startMinute = m_windowStart->time().hour() * 60 + m_windowStart->time().minute();
        window.endMinute = m_windowEnd->time().hour() * 60 + m_windowEnd->time().minute();
        plan.window = window;
    }
    plan.rollback = m_context->rollback;
    m_context->plan = plan;

    const int targets = int(m_context->selection.targets.size());
    m_problem.clear();
    if (!waves)
        m_problem = tr("Waves: %1").arg(error);
    else if (const QString invalid = plan.validate(); !invalid.isEmpty())
        m_problem = invalid;
    else if (m_startAt->isChecked() && plan.startAtMs <= QDateTime::currentMSecsSinceEpoch())
        m_problem = tr("The start time is in the past.");
    QStringList sizesText;
    if (m_problem.isEmpty()) {
        const QList<int> sizes = plan.waveSizes(targets, &error);
        if (sizes.isEmpty()) {
            m_problem = error;
        } else {
            for (qsizetype w = 0; w < sizes.size(); ++w) {
                if (w == 0 && sizes.at(0) == 0)
                    continue;
                sizesText.append(tr("%1: %2").arg(RolloutDeviceModel::waveName(int(w))).arg(sizes.at(w)));
            }
        }
    }
    m_sizes->setText(sizesText.isEmpty() ? QString()
                                         : tr("For %n device(s): ", nullptr, targets) + sizesText.join(QStringLiteral(" · ")));
    m_problemLabel->setText(m_problem);
    emit completeChanged();
}

} // namespace fd
