#include "ui/commissioning_verify_page.h"

#include "ui/commissioning_wizard_context.h"
#include "widgets/plain_label.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fd {

namespace {

enum Column { CheckColumn, ResultColumn, ExpectedColumn, ObservedColumn };

} // namespace

CommissioningVerifyPage::CommissioningVerifyPage(CommissioningWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_state(plainLabel(QString(), this, {.wrap = true}))
    , m_checks(new QTreeWidget(this))
    , m_skip(new QPushButton(tr("Continue &without waiting"), this))
    , m_clock(new QTimer(this))
{
    setTitle(tr("Verify"));
    setSubTitle(tr("The device reconnects with its new certificate and reports. Its first telemetry is checked "
                   "against the ranges expected for its model."));
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_checks->setObjectName(QStringLiteral("checksView"));
    m_checks->setRootIsDecorated(false);
    m_checks->setHeaderLabels({tr("Check"), tr("Result"), tr("Expected"), tr("Observed")});
    m_checks->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_checks->header()->setStretchLastSection(true);
    m_checks->setSelectionMode(QAbstractItemView::NoSelection);
    m_checks->setFocusPolicy(Qt::NoFocus);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_skip);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_state);
    layout->addWidget(m_checks, 1);
    layout->addLayout(buttons);
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &CommissioningVerifyPage::tick);
    connect(m_skip, &QPushButton::clicked, this, [this] {
        m_context->verifyFinished = true;
        m_clock->stop();
        showChecks();
        emit completeChanged();
    });
}

void CommissioningVerifyPage::initializePage()
{
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_context->certificateSeen = false;
    m_context->telemetrySeen = false;
    m_context->verifyFinished = false;
    m_context->checks.clear();
    m_context->device.reset();
    m_baselineTelemetryMs = 0;
    if (m_context->inventory) {
        for (const Device &d : m_context->inventory()) {
            if (!matches(d))
                continue;
            // Telemetry it sent before it had the new certificate does not count.
            const bool alreadyNew = d.online && d.certSerial.compare(m_context->certificate->serial, Qt::CaseInsensitive) == 0;
            m_baselineTelemetryMs = alreadyNew ? 0 : d.lastTelemetryMs;
            evaluate(d);
        }
    }
    if (!m_context->verifyFinished)
        m_clock->start();
    showChecks();
}

void CommissioningVerifyPage::cleanupPage()
{
    m_clock->stop();
}

bool CommissioningVerifyPage::matches(const Device &device) const
{
    if (!m_context->certificate)
        return false;
    if (device.id != m_context->enrollment.deviceId)
        return false;
    // The device answers on the connection its request came in on.
    const QString source = m_context->request ? m_context->request->record.source : QString();
    return source.isEmpty() || device.source == source;
}

void CommissioningVerifyPage::onDevicesUpdated(const QList<Device> &changed)
{
    if (m_context->verifyFinished || !m_clock->isActive())
        return;
    for (const Device &d : changed) {
        if (matches(d))
            evaluate(d);
    }
}

void CommissioningVerifyPage::evaluate(const Device &device)
{
    m_context->device = device;
    const bool newCert = device.online
                         && device.certSerial.compare(m_context->certificate->serial, Qt::CaseInsensitive) == 0;
    if (newCert)
        m_context->certificateSeen = true;
    if (m_context->certificateSeen && !m_context->telemetrySeen && !device.metrics.isEmpty()
        && device.lastTelemetryMs > m_baselineTelemetryMs) {
        m_context->telemetrySeen = true;
        m_context->telemetryAtMs = QDateTime::currentMSecsSinceEpoch();
        const QString model = !device.model.isEmpty() ? device.model
                              : m_context->request ? m_context->request->record.model : QString();
        m_context->rangesKnown = m_context->expectations.knows(model);
        m_context->checks = m_context->expectations.check(model, device.metrics);
        m_context->verifyFinished = true;
        m_clock->stop();
        emit completeChanged();
    }
    showChecks();
}

void CommissioningVerifyPage::tick()
{
    showChecks();
}

void CommissioningVerifyPage::showChecks()
{
    const CommissioningWizardContext &c = *m_context;
    const QString id = c.enrollment.deviceId;
    const QString serial = c.certificate ? c.certificate->serial : QString();
    const qint64 waited = (QDateTime::currentMSecsSinceEpoch() - m_startedMs) / 1000;
    const QString elapsed = QStringLiteral("%1:%2").arg(waited / 60).arg(waited % 60, 2, 10, QLatin1Char('0'));
    if (c.telemetrySeen)
        m_state->setText(c.passed() ? tr("%1 is online with its new certificate and reports within the expected ranges.")
                                          .arg(id)
                                    : tr("%1 is online with its new certificate; some checks failed (see below).").arg(id));
    else if (c.verifyFinished)
        m_state->setText(tr("Not verified: you went on after %1 without %2.")
                             .arg(elapsed, c.certificateSeen ? tr("its first telemetry") : tr("seeing it connect with the new certificate")));
    else if (!c.certificateSeen && c.device && c.device->online && !c.device->certSerial.isEmpty())
        m_state->setText(tr("%1 is online, but still with certificate %2; waiting for it to reconnect with %3… (%4)")
                             .arg(id, c.device->certSerial, serial, elapsed));
    else if (!c.certificateSeen)
        m_state->setText(tr("Waiting for %1 to connect with certificate %2… (%3)").arg(id, serial, elapsed));
    else
        m_state->setText(tr("%1 is connected with its new certificate; waiting for its first telemetry… (%2)").arg(id, elapsed));

    m_checks->clear();
    auto add = [this](const QString &check, const QString &expected, const QString &observed, const QString &result,
                      int state /* 1 pass, 0 wait, -1 fail */) {
        auto *item = new QTreeWidgetItem(m_checks, {check, result, expected, observed});
        if (state != 0)
            item->setForeground(ResultColumn, state > 0 ? QColor(0x1a, 0x7f, 0x37) : QColor(0xb3, 0x26, 0x1e));
    };
    const bool over = c.verifyFinished;
    auto pending = [over](bool seen) { return seen ? 1 : over ? -1 : 0; };
    auto word = [over](bool seen) { return seen ? tr("pass") : over ? tr("fail: not seen") : tr("waiting…"); };
    add(tr("Connected with the new certificate"), serial, c.device ? c.device->certSerial : QString(),
        word(c.certificateSeen), pending(c.certificateSeen));
    add(tr("First telemetry"), tr("any"),
        c.telemetrySeen ? QDateTime::fromMSecsSinceEpoch(c.telemetryAtMs).toString(QStringLiteral("HH:mm:ss")) : QString(),
        word(c.telemetrySeen), pending(c.telemetrySeen));
    if (c.telemetrySeen && !c.rangesKnown) {
        const QString model = c.device ? c.device->model : QString();
        add(tr("No ranges for model %1: telemetry arrival checked only").arg(model), QString(), QString(), QString(), 0);
    }
    for (const MetricCheck &m : c.checks)
        add(m.metric, m.expected, m.observed, m.passed ? tr("pass") : tr("fail: %1").arg(m.note), m.passed ? 1 : -1);
    m_skip->setEnabled(!c.verifyFinished);
}

bool CommissioningVerifyPage::isComplete() const
{
    return m_context->verifyFinished;
}

} // namespace fd
