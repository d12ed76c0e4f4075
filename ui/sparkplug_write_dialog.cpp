#include "ui/sparkplug_write_dialog.h"

#include "core/domain/plain_text.h"
#include "widgets/plain_label.h"
#include "widgets/warning_colors.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fd {

namespace {

// Sparkplug datatype codes (the specification's; see sparkplug_b.proto).
enum : quint32 {
    kInt8 = 1, kInt16, kInt32, kInt64, kUInt8, kUInt16, kUInt32, kUInt64,
    kFloat, kDouble, kBoolean, kString, kDateTime, kText, kUUID = 15
};

QString hintFor(quint32 datatype)
{
    switch (datatype) {
    case kInt8: return SparkplugWriteDialog::tr("an integer from -128 to 127");
    case kInt16: return SparkplugWriteDialog::tr("an integer from -32768 to 32767");
    case kInt32: return SparkplugWriteDialog::tr("a 32-bit integer");
    case kInt64: return SparkplugWriteDialog::tr("a 64-bit integer");
    case kUInt8: return SparkplugWriteDialog::tr("an integer from 0 to 255");
    case kUInt16: return SparkplugWriteDialog::tr("an integer from 0 to 65535");
    case kUInt32: return SparkplugWriteDialog::tr("an integer from 0 to 4294967295");
    case kUInt64: return SparkplugWriteDialog::tr("an unsigned 64-bit integer");
    case kFloat:
    case kDouble: return SparkplugWriteDialog::tr("a number, e.g. 21.5");
    case kBoolean: return SparkplugWriteDialog::tr("true or false (1 or 0)");
    case kString:
    case kText: return SparkplugWriteDialog::tr("text");
    case kUUID: return SparkplugWriteDialog::tr("a UUID");
    case kDateTime: return SparkplugWriteDialog::tr("ms since 1970-01-01 UTC");
    default: return QString();
    }
}

bool isText(quint32 datatype)
{
    return datatype == kString || datatype == kText || datatype == kUUID;
}

} // namespace

SparkplugWriteDialog::SparkplugWriteDialog(const Device &device, QWidget *parent)
    : QDialog(parent)
    , m_device(device)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_metric(new QComboBox(this))
    , m_datatype(plainLabel(QString(), this))
    , m_current(plainLabel(QString(), this, {true, true}))
    , m_value(new QLineEdit(this))
    , m_error(plainLabel(QString(), this, {true, false}))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Write Metric — %1").arg(device.id));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const DeviceKey key = device.key();
    // One line (a wrapped label in a form is cut short); a long path shortened in the middle.
    const QString targetText = tr("%1 on %2").arg(key.path, key.source);
    QLabel *target = plainLabel(fontMetrics().elidedText(targetText, Qt::ElideMiddle, 480), this, {false, true});
    target->setToolTip(plainTextAsRichText(targetText));
    target->setObjectName(QStringLiteral("writeTarget"));
    form->addRow(tr("Device:"), target);

    m_metric->setObjectName(QStringLiteral("writeMetric"));
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_metric->setMinimumContentsLength(28);
    m_metric->setAccessibleName(tr("Metric"));
    QStringList names;
    if (device.sparkplug.metrics) {
        for (auto it = device.sparkplug.metrics->cbegin(); it != device.sparkplug.metrics->cend(); ++it)
            if (it.value().writable)
                names.append(it.key());
    }
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return QString::compare(a, b, Qt::CaseInsensitive) < 0; });
    m_metric->addItems(names);  // QComboBox items are plain text
    for (int i = 0; i < names.size(); ++i)
        m_metric->setItemData(i, names.at(i), Qt::ToolTipRole);  // plain text (no markup lookalike)
    auto *metricLabel = new QLabel(tr("&Metric:"), this);
    metricLabel->setBuddy(m_metric);
    form->addRow(metricLabel, m_metric);

    m_datatype->setObjectName(QStringLiteral("writeDatatype"));
    form->addRow(tr("Datatype:"), m_datatype);
    m_current->setObjectName(QStringLiteral("writeCurrent"));
    m_current->setWordWrap(false);
    form->addRow(tr("Current value:"), m_current);

    m_value->setObjectName(QStringLiteral("writeValue"));
    m_value->setAccessibleName(tr("New value"));
    m_value->setMaxLength(64 * 1024);
    auto *valueLabel = new QLabel(tr("&New value:"), this);
    valueLabel->setBuddy(m_value);
    form->addRow(valueLabel, m_value);
    m_error->setObjectName(QStringLiteral("writeError"));
    QPalette warning = m_error->palette();
    warning.setColor(QPalette::WindowText, warningColors(palette()).errorText);
    m_error->setPalette(warning);
    // Room for a line of reason at all times: the dialog does not jump as one comes and goes.
    m_error->setMinimumHeight(m_error->fontMetrics().lineSpacing());
    m_error->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);  // the field's width, not a narrow column
    form->addRow(QString(), m_error);
    layout->addLayout(form);

    QLabel *note = plainLabel(tr("Sent as a Sparkplug %1 (QoS 0) with the datatype of the last BIRTH. There is no "
                                 "answer: the new value shows when the device reports it. The write is recorded in "
                                 "the audit log.")
                                  .arg(key.path.count(QLatin1Char('/')) == 1 ? QStringLiteral("NCMD")
                                                                              : QStringLiteral("DCMD")),
                              this, {true, false});
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);

    QPushButton *write = m_buttons->addButton(tr("&Write"), QDialogButtonBox::AcceptRole);
    write->setObjectName(QStringLiteral("writeButton"));
    write->setDefault(true);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_acceptable)
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &SparkplugWriteDialog::onMetricChanged);
    connect(m_value, &QLineEdit::textChanged, this, &SparkplugWriteDialog::validate);
    onMetricChanged();
    setMinimumWidth(440);
    m_value->setFocus();
}

QPushButton *SparkplugWriteDialog::writeButton() const
{
    return findChild<QPushButton *>(QStringLiteral("writeButton"));
}

QStringList SparkplugWriteDialog::writableMetrics() const
{
    QStringList names;
    for (int i = 0; i < m_metric->count(); ++i)
        names.append(m_metric->itemText(i));
    return names;
}

bool SparkplugWriteDialog::selectMetric(const QString &metric)
{
    const int at = m_metric->findText(metric, Qt::MatchExactly | Qt::MatchCaseSensitive);
    if (at < 0)
        return false;
    m_metric->setCurrentIndex(at);
    return true;
}

QString SparkplugWriteDialog::metric() const
{
    return m_metric->currentText();
}

const SparkplugMetricDefinition *SparkplugWriteDialog::definition() const
{
    return m_metric->currentIndex() < 0 ? nullptr : m_device.sparkplug.definition(metric());
}

quint32 SparkplugWriteDialog::datatype() const
{
    const SparkplugMetricDefinition *d = definition();
    return d ? d->datatype : 0;
}

QString SparkplugWriteDialog::datatypeName() const
{
    return definition() ? SparkplugCommandBuilder::datatypeName(datatype()) : QString();
}

QString SparkplugWriteDialog::currentValueText() const
{
    return m_currentText;
}

QString SparkplugWriteDialog::valueText() const
{
    return m_value->text();
}

QString SparkplugWriteDialog::errorText() const
{
    return m_error->text();
}

bool SparkplugWriteDialog::isValueAcceptable() const
{
    return m_acceptable;
}

void SparkplugWriteDialog::onMetricChanged()
{
    const SparkplugMetricDefinition *d = definition();
    m_datatype->setText(d ? SparkplugCommandBuilder::datatypeName(d->datatype) : tr("—"));
    const MetricValue *current = nullptr;
    for (const MetricValue &m : m_device.metrics) {
        if (m.name == metric()) {
            current = &m;
            break;
        }
    }
    QString text = current ? current->displayText() : tr("— (not reported yet)");
    if (current && m_device.staleSinceMs != 0)
        text = tr("%1 (stale)").arg(text);
    m_current->setText(text);
    m_currentText = text;
    // One line; a long value shortened (all of it in the tooltip).
    m_current->setText(fontMetrics().elidedText(text.left(4096).replace(QLatin1Char('\n'), QLatin1Char(' ')),
                                                Qt::ElideRight, 420));
    m_current->setToolTip(text.size() > 40 ? plainTextAsRichText(text.left(4096)) : QString());
    m_value->setPlaceholderText(d ? hintFor(d->datatype) : QString());
    // A Boolean is usually toggled: offer the other value.
    if (d && d->datatype == kBoolean && current && m_value->text().isEmpty())
        m_value->setText(current->value != 0.0 ? QStringLiteral("false") : QStringLiteral("true"));
    validate();
}

void SparkplugWriteDialog::validate()
{
    const SparkplugMetricDefinition *d = definition();
    QString error;
    if (!d) {
        m_acceptable = false;
        error = m_metric->count() == 0 ? tr("The device declared no writable metric.") : QString();
    } else if (m_value->text().isEmpty() && !isText(d->datatype)) {
        m_acceptable = false;  // nothing typed yet: nothing to complain about
    } else {
        m_acceptable = SparkplugCommandBuilder::write(m_device.key().path, metric(), *d, m_value->text(), m_clock(),
                                                      &error)
                           .has_value();
        if (m_acceptable)
            error.clear();
    }
    m_error->setText(error);
    // A reason of several lines: grow to show it whole.
    if (layout() && isVisible()) {
        layout()->activate();
        if (height() < sizeHint().height())
            resize(width(), sizeHint().height());
    }
    if (QPushButton *write = writeButton())
        write->setEnabled(m_acceptable);
}

std::optional<SparkplugCommandMessage> SparkplugWriteDialog::command() const
{
    const SparkplugMetricDefinition *d = definition();
    if (!d || !m_acceptable)
        return std::nullopt;
    return SparkplugCommandBuilder::write(m_device.key().path, metric(), *d, m_value->text(), m_clock());
}

} // namespace fd
