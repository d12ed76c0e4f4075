#include "ui/ingest_limits_dialog.h"

#include "widgets/plain_label.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fd {

namespace {
QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    return plainLabel(text, parent, {.wrap = true});
}
} // namespace

IngestLimitsDialog::IngestLimitsDialog(const IngestLimits &current, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("IngestLimitsDialog"));
    setWindowTitle(tr("Ingest Limits"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(wrappedLabel(
        tr("Every topic under a connection's prefix names a device, and every telemetry message may name new "
           "metrics. These limits keep a broken or hostile publisher from filling memory and the cache. Past a "
           "limit the new device or metric is rejected and counted on the Diagnostics page (\"Device limit\", "
           "\"Metric limit\"); known devices and metrics keep working. Lowering a limit removes nothing."),
        this));

    auto *form = new QFormLayout;
    m_devices = new QSpinBox(this);
    m_devices->setObjectName(QStringLiteral("maxDevicesPerSource"));
    m_devices->setRange(1, IngestLimits::kMaxDevicesPerSourceBound);
    m_devices->setGroupSeparatorShown(true);
    m_devices->setToolTip(tr("Devices one connection (broker) may have, counting those in the cache."));
    form->addRow(tr("Devices per &connection:"), m_devices);
    m_metrics = new QSpinBox(this);
    m_metrics->setObjectName(QStringLiteral("maxMetricsPerDevice"));
    m_metrics->setRange(1, IngestLimits::kMaxMetricsPerDeviceBound);
    m_metrics->setGroupSeparatorShown(true);
    m_metrics->setToolTip(tr("Distinct metric names one device may report."));
    form->addRow(tr("&Metrics per device:"), m_metrics);
    layout->addLayout(form);
    auto *note = wrappedLabel(tr("The limits apply from the next message on, to every connection, and to "
                                 "fleetdeckctl record unless its command line says otherwise."),
                              this);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                             | QDialogButtonBox::RestoreDefaults,
                                         this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setLimits(IngestLimits{}); });
    layout->addWidget(buttons);
    setLimits(current);
}

IngestLimits IngestLimitsDialog::limits() const
{
    IngestLimits limits;
    limits.maxDevicesPerSource = m_devices->value();
    limits.maxMetricsPerDevice = m_metrics->value();
    return limits;
}

void IngestLimitsDialog::setLimits(const IngestLimits &limits)
{
    m_devices->setValue(limits.maxDevicesPerSource);
    m_metrics->setValue(limits.maxMetricsPerDevice);
}

} // namespace fd
