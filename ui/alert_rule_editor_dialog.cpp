#include "ui/alert_rule_editor_dialog.h"

#include "core/alerts/alert_service.h"
#include "models/alert_style.h"
#include "models/device_inventory_model.h"
#include "ui/alert_rule_preview_panel.h"
#include "ui/alert_scope_picker.h"
#include "widgets/form_section.h"
#include "widgets/warning_colors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace fd {

namespace {

QString numberText(double v)
{
    return std::isnan(v) ? QString() : QString::number(v, 'g', 12);
}

QDoubleSpinBox *secondsBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, double(AlertRule::kMaxDurationMs) / 1000.0);
    box->setDecimals(1);
    box->setSuffix(QCoreApplication::translate("fd::AlertRuleEditorDialog", " s"));
    box->setAccelerated(true);
    return box;
}

} // namespace

AlertRuleEditorDialog::AlertRuleEditorDialog(const AlertRule &rule, AlertService *service,
                                             DeviceInventoryModel *inventory, const QString &cachePath, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_enabled(new QCheckBox(tr("Evaluate this rule"), this))
    , m_severity(new QComboBox(this))
    , m_scope(new AlertScopePicker(inventory, this))
    , m_kind(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_threshold(numberField())
    , m_clear(numberField(tr("same as the threshold")))
    , m_low(numberField())
    , m_high(numberField())
    , m_clearLow(numberField(tr("same as low")))
    , m_clearHigh(numberField(tr("same as high")))
    , m_condition(new QComboBox(this))
    , m_count(new QSpinBox(this))
    , m_window(secondsBox(this))
    , m_direction(new QComboBox(this))
    , m_tolerance(numberField(tr("0: exactly the same value")))
    , m_for(secondsBox(this))
    , m_clearFor(secondsBox(this))
    , m_condText(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_preview(new AlertRulePreviewPanel(inventory, cachePath, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("alertRuleEditor"));
    setWindowTitle(rule.id ? tr("Edit Alert Rule") : tr("New Alert Rule"));
    setWindowModality(Qt::WindowModal);

    for (AlertSeverity s : kAllAlertSeverities)
        m_severity->addItem(alertSeverityLabel(s), alertSeverityKey(s));
    for (AlertRuleKind k : {AlertRuleKind::Above, AlertRuleKind::Below, AlertRuleKind::Outside, AlertRuleKind::Occurrences,
                            AlertRuleKind::Rate, AlertRuleKind::Stuck, AlertRuleKind::NoData, AlertRuleKind::Offline,
                            AlertRuleKind::CertificateExpiring})
        m_kind->addItem(alertRuleKindLabel(k), AlertRule::kindKey(k));
    m_metric->setEditable(true);
    m_metric->setInsertPolicy(QComboBox::NoInsert);
    m_metric->addItems(inventory->metricNames());
    m_name->setMaxLength(AlertRule::kMaxNameLength);
    m_name->setPlaceholderText(tr("e.g. Overheat"));
    m_condition->addItem(tr("above the threshold"), true);
    m_condition->addItem(tr("below the threshold"), false);
    m_count->setRange(1, AlertRule::kMaxCount);
    m_direction->addItem(tr("rising or falling"), AlertRule::directionKey(AlertRule::Direction::Any));
    m_direction->addItem(tr("rising"), AlertRule::directionKey(AlertRule::Direction::Rise));
    m_direction->addItem(tr("falling"), AlertRule::directionKey(AlertRule::Direction::Fall));

    auto *layout = new QVBoxLayout(this);
    QGroupBox *ruleBox = formSection(tr("Rule"), &m_form, this);
    addRow(QStringLiteral("name"), tr("&Name"), m_name);
    addRow(QStringLiteral("description"), tr("Descri&ption"), m_description);
    addRow(QStringLiteral("enabled"), tr("Enabled"), m_enabled);
    addRow(QStringLiteral("severity"), tr("&Severity"), m_severity);
    addRow(QStringLiteral("scope"), tr("Sco&pe"), m_scope);
    addRow(QStringLiteral("kind"), tr("&Kind"), m_kind);
    addRow(QStringLiteral("metric"), tr("&Metric"), m_metric);
    addRow(QStringLiteral("threshold"), tr("&Threshold"), m_threshold);
    addRow(QStringLiteral("clear"), tr("&Clears below"), m_clear);
    addRow(QStringLiteral("low"), tr("&Low"), m_low);
    addRow(QStringLiteral("high"), tr("&High"), m_high);
    addRow(QStringLiteral("clear_low"), tr("Clears above (low side)"), m_clearLow);
    addRow(QStringLiteral("clear_high"), tr("Clears below (high side)"), m_clearHigh);
    addRow(QStringLiteral("condition"), tr("A sample counts when"), m_condition);
    addRow(QStringLiteral("count"), tr("C&ount"), m_count);
    addRow(QStringLiteral("window"), tr("&Within"), m_window);
    addRow(QStringLiteral("direction"), tr("&Direction"), m_direction);
    addRow(QStringLiteral("tolerance"), tr("T&olerance"), m_tolerance);
    addRow(QStringLiteral("for"), tr("&Fires after (for_s)"), m_for);
    addRow(QStringLiteral("clear_for"), tr("Clears after (clear_for_s)"), m_clearFor);
    layout->addWidget(ruleBox);

    m_condText->setObjectName(QStringLiteral("ruleCondition"));
    m_condText->setTextFormat(Qt::PlainText);
    m_condText->setWordWrap(true);
    m_condText->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_condText);
    m_problem->setObjectName(QStringLiteral("ruleProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, warningColors(palette()).errorText);
    m_problem->setPalette(problemPalette);
    layout->addWidget(m_problem);

    auto *previewBox = new QGroupBox(tr("Preview"), this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_preview);
    layout->addWidget(previewBox);
    layout->addWidget(m_buttons);
    okButton()->setText(tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &AlertRuleEditorDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    load(rule);
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, &AlertRuleEditorDialog::revalidate);
    for (QComboBox *box : {m_severity, m_kind, m_condition, m_direction})
        connect(box, &QComboBox::currentIndexChanged, this, &AlertRuleEditorDialog::revalidate);
    connect(m_metric, &QComboBox::editTextChanged, this, &AlertRuleEditorDialog::revalidate);
    connect(m_enabled, &QCheckBox::toggled, this, &AlertRuleEditorDialog::revalidate);
    connect(m_count, &QSpinBox::valueChanged, this, &AlertRuleEditorDialog::revalidate);
    for (QDoubleSpinBox *box : {m_window, m_for, m_clearFor})
        connect(box, &QDoubleSpinBox::valueChanged, this, &AlertRuleEditorDialog::revalidate);
    connect(m_scope, &AlertScopePicker::changed, this, &AlertRuleEditorDialog::revalidate);
    if (m_service) {
        connect(m_service, &AlertService::actionFinished, this, [this](quint64 id, bool ok, const QString &error) {
            if (id != m_saving)
                return;
            m_saving = 0;
            okButton()->setText(tr("Save"));
            if (!ok) {
                revalidate();
                m_problem->setText(tr("Not saved: %1").arg(error));
                m_problem->setVisible(true);
                return;
            }
            emit saved(this->rule());
            QDialog::accept();
        });
    }
    revalidate();
    m_name->setFocus();
}

QLineEdit *AlertRuleEditorDialog::numberField(const QString &placeholder)
{
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
    return edit;
}

void AlertRuleEditorDialog::addRow(const QString &key, const QString &label, QWidget *widget)
{
    auto *caption = new QLabel(label, m_form->parentWidget());
    caption->setTextFormat(Qt::PlainText);
    caption->setBuddy(widget);
    widget->setObjectName(QStringLiteral("rule-") + key);
    widget->setAccessibleName(QString(label).remove(u'&'));
    m_form->addRow(caption, widget);
    m_fields.insert(key, widget);
    m_labels.insert(key, caption);
}

QWidget *AlertRuleEditorDialog::field(const QString &field) const
{
    return m_fields.value(field);
}

bool AlertRuleEditorDialog::isFieldShown(const QString &field) const
{
    QWidget *w = m_fields.value(field);
    return w && m_form->isRowVisible(w);
}

QLineEdit *AlertRuleEditorDialog::metricField() const
{
    return m_metric->lineEdit();
}

QPushButton *AlertRuleEditorDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

void AlertRuleEditorDialog::load(const AlertRule &r)
{
    m_id = r.id;
    m_name->setText(r.name);
    m_description->setText(r.description);
    m_enabled->setChecked(r.enabled);
    m_severity->setCurrentIndex(qMax(0, m_severity->findData(alertSeverityKey(r.severity))));
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(AlertRule::kindKey(r.kind))));
    m_metric->setEditText(r.metric);
    m_threshold->setText(numberText(r.threshold));
    m_clear->setText(numberText(r.clearThreshold));
    m_low->setText(numberText(r.low));
    m_high->setText(numberText(r.high));
    m_clearLow->setText(numberText(r.clearLow));
    m_clearHigh->setText(numberText(r.clearHigh));
    m_condition->setCurrentIndex(r.conditionAbove ? 0 : 1);
    m_count->setValue(qMax(1, r.count));
    m_window->setValue(double(r.windowMs) / 1000.0);
    m_direction->setCurrentIndex(qMax(0, m_direction->findData(AlertRule::directionKey(r.direction))));
    m_tolerance->setText(r.tolerance == 0.0 ? QString() : numberText(r.tolerance));
    m_for->setValue(double(r.forMs) / 1000.0);
    m_clearFor->setValue(double(r.clearForMs) / 1000.0);
    m_scope->setScope(r.scope);
}

double AlertRuleEditorDialog::number(const QString &key, bool *ok) const
{
    const auto *edit = qobject_cast<const QLineEdit *>(m_fields.value(key));
    const QString text = edit ? edit->text().trimmed() : QString();
    *ok = true;
    if (text.isEmpty())
        return AlertRule::kNone;
    bool parsed = false;
    double v = QLocale().toDouble(text, &parsed);
    if (!parsed)
        v = QLocale::c().toDouble(text, &parsed);
    if (!parsed) {
        *ok = false;
        return AlertRule::kNone;
    }
    return v;
}

AlertRule AlertRuleEditorDialog::rule() const
{
    AlertRule r;
    r.id = m_id;
    r.name = m_name->text().trimmed();
    r.description = m_description->text().trimmed();
    r.enabled = m_enabled->isChecked();
    r.severity = alertSeverityFromKey(m_severity->currentData().toString()).value_or(AlertSeverity::Major);
    r.kind = AlertRule::kindFromKey(m_kind->currentData().toString()).value_or(AlertRuleKind::Above);
    r.scope = m_scope->scope();
    r.metric = r.usesMetric() ? m_metric->currentText().trimmed() : QString();
    bool ok = true;
    switch (r.kind) {
    case AlertRuleKind::Above:
    case AlertRuleKind::Below:
    case AlertRuleKind::Rate:
        r.threshold = number(QStringLiteral("threshold"), &ok);
        r.clearThreshold = number(QStringLiteral("clear"), &ok);
        if (r.kind == AlertRuleKind::Rate)
            r.direction = AlertRule::directionFromKey(m_direction->currentData().toString()).value_or(AlertRule::Direction::Any);
        break;
    case AlertRuleKind::Outside:
        r.low = number(QStringLiteral("low"), &ok);
        r.high = number(QStringLiteral("high"), &ok);
        r.clearLow = number(QStringLiteral("clear_low"), &ok);
        r.clearHigh = number(QStringLiteral("clear_high"), &ok);
        break;
    case AlertRuleKind::Occurrences:
        r.threshold = number(QStringLiteral("threshold"), &ok);
        r.conditionAbove = m_condition->currentData().toBool();
        r.count = m_count->value();
        r.windowMs = qint64(std::llround(m_window->value() * 1000.0));
        break;
    case AlertRuleKind::Stuck: {
        const double t = number(QStringLiteral("tolerance"), &ok);
        r.tolerance = std::isnan(t) ? 0.0 : t;
        break;
    }
    case AlertRuleKind::CertificateExpiring:
        r.threshold = number(QStringLiteral("threshold"), &ok);
        break;
    case AlertRuleKind::NoData:
    case AlertRuleKind::Offline: break;
    }
    r.forMs = qint64(std::llround(m_for->value() * 1000.0));
    r.clearForMs = qint64(std::llround(m_clearFor->value() * 1000.0));
    return r;
}

QString AlertRuleEditorDialog::problem() const
{
    // Numbers that do not parse first: the rule would silently lose them.
    const std::pair<const char *, QString> numbers[] = {
        {"threshold", tr("threshold")}, {"clear", tr("the clear threshold")}, {"low", tr("low")},
        {"high", tr("high")},           {"clear_low", tr("clear low")},     {"clear_high", tr("clear high")},
        {"tolerance", tr("tolerance")},
    };
    for (const auto &[key, name] : numbers) {
        const QString k = QString::fromLatin1(key);
        bool ok = true;
        if (isFieldShown(k)) {
            number(k, &ok);
            if (!ok)
                return tr("%1 is not a number").arg(name);
        }
    }
    return rule().validate();
}

void AlertRuleEditorDialog::updateKindRows()
{
    const auto kind = AlertRule::kindFromKey(m_kind->currentData().toString()).value_or(AlertRuleKind::Above);
    const auto show = [this](const char *key, bool visible) {
        m_form->setRowVisible(m_fields.value(QString::fromLatin1(key)), visible);
    };
    const bool thresholdKind = kind == AlertRuleKind::Above || kind == AlertRuleKind::Below
                               || kind == AlertRuleKind::Rate || kind == AlertRuleKind::Occurrences
                               || kind == AlertRuleKind::CertificateExpiring;
    show("metric", kind != AlertRuleKind::Offline && kind != AlertRuleKind::CertificateExpiring);
    show("threshold", thresholdKind);
    show("clear", kind == AlertRuleKind::Above || kind == AlertRuleKind::Below || kind == AlertRuleKind::Rate);
    show("low", kind == AlertRuleKind::Outside);
    show("high", kind == AlertRuleKind::Outside);
    show("clear_low", kind == AlertRuleKind::Outside);
    show("clear_high", kind == AlertRuleKind::Outside);
    show("condition", kind == AlertRuleKind::Occurrences);
    show("count", kind == AlertRuleKind::Occurrences);
    show("window", kind == AlertRuleKind::Occurrences);
    show("direction", kind == AlertRuleKind::Rate);
    show("tolerance", kind == AlertRuleKind::Stuck);
    show("for", kind != AlertRuleKind::CertificateExpiring);  // the certificate's dates decide
    show("clear_for", kind != AlertRuleKind::CertificateExpiring);
    m_labels.value(QStringLiteral("threshold"))
        ->setText(kind == AlertRuleKind::Rate                  ? tr("&Threshold (change per second)")
                  : kind == AlertRuleKind::CertificateExpiring ? tr("&Days before expiry")
                                                               : tr("&Threshold"));
    m_labels.value(QStringLiteral("clear"))
        ->setText(kind == AlertRuleKind::Below  ? tr("&Clears above")
                  : kind == AlertRuleKind::Rate ? tr("&Clears at or below")
                                                : tr("&Clears below"));
    m_metric->lineEdit()->setPlaceholderText(kind == AlertRuleKind::NoData ? tr("empty: any telemetry") : QString());
}

void AlertRuleEditorDialog::revalidate()
{
    updateKindRows();
    const QString issue = problem();
    const AlertRule r = rule();
    m_problem->setText(issue.isEmpty() ? QString() : tr("Cannot save yet: %1.").arg(issue));
    m_problem->setVisible(!issue.isEmpty());
    m_condText->setText(issue.isEmpty() ? tr("Fires when %1, on %2.").arg(r.conditionText(), r.scope.displayText())
                                        : QString());
    m_condText->setVisible(issue.isEmpty());
    okButton()->setEnabled(issue.isEmpty() && m_saving == 0 && m_service);
    m_preview->setRule(r, issue.isEmpty());
}

void AlertRuleEditorDialog::accept()
{
    if (!problem().isEmpty() || m_saving != 0 || !m_service)
        return;
    m_saving = m_service->saveRule(rule());
    okButton()->setEnabled(false);
    okButton()->setText(tr("Saving…"));
}

} // namespace fd
