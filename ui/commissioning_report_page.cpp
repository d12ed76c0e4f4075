#include "ui/commissioning_report_page.h"

#include "core/pki/certificate_authority_service.h"
#include "ui/commissioning_records.h"
#include "ui/commissioning_report_pdf.h"
#include "ui/commissioning_wizard_context.h"
#include "widgets/plain_label.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace fd {

CommissioningReportPage::CommissioningReportPage(CommissioningWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_summary(new QPlainTextEdit(this))
    , m_store(plainLabel(QString(), this, {.wrap = true}))
    , m_save(new QPushButton(tr("&Save PDF…"), this))
    , m_saved(plainLabel(QString(), this, {.wrap = true, .selectable = true}))
{
    setTitle(tr("Commissioning report"));
    setSubTitle(tr("Kept in the operations store with its PDF. Save a copy for the customer or the site file."));
    setFinalPage(true);
    m_summary->setReadOnly(true);
    m_summary->setObjectName(QStringLiteral("reportSummary"));
    m_store->setObjectName(QStringLiteral("storeLabel"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_save);
    row->addWidget(m_saved, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_store);
    layout->addLayout(row);
    connect(m_save, &QPushButton::clicked, this, [this] {
        QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (dir.isEmpty())
            dir = QDir::homePath();
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save Commissioning Report"), QDir(dir).filePath(CommissioningReportPdf::defaultFileName(m_content)),
            tr("PDF documents (*.pdf)"));
        if (!path.isEmpty())
            savePdf(path);
    });
}

CommissioningReportContent CommissioningReportPage::contentOf(const CommissioningWizardContext &c, qint64 nowMs)
{
    CommissioningReportContent r;
    r.deviceId = c.enrollment.deviceId;
    r.deviceName = c.enrollment.name;
    r.site = c.enrollment.site;
    r.tags = c.enrollment.tags;
    r.model = c.device && !c.device->model.isEmpty() ? c.device->model
              : c.request ? c.request->record.model : QString();
    r.serial = c.serial;
    if (c.certificate) {
        r.certSerial = c.certificate->serial;
        r.fingerprint = c.certificate->fingerprint;
        r.certNotAfterMs = c.certificate->notAfterMs;
    }
    r.issuer = c.authority ? c.authority->authorityName() : QString();
    r.technician = c.technician;
    r.createdMs = nowMs;
    r.passed = c.passed();
    r.rangesKnown = !c.telemetrySeen || c.rangesKnown;
    r.checks.append({QObject::tr("connected with the new certificate"), r.certSerial,
                     c.device ? c.device->certSerial : QString(), c.certificateSeen,
                     c.certificateSeen ? QString() : QObject::tr("not seen")});
    r.checks.append({QObject::tr("first telemetry"), QObject::tr("any"),
                     c.telemetrySeen ? QDateTime::fromMSecsSinceEpoch(c.telemetryAtMs).toString(QStringLiteral("HH:mm:ss"))
                                     : QString(),
                     c.telemetrySeen, c.telemetrySeen ? QString() : QObject::tr("not seen")});
    r.checks.append(c.checks);
    if (c.device)
        r.notes << QObject::tr("Connection: %1").arg(c.device->source);
    return r;
}

QString CommissioningReportPage::checksJson(const CommissioningWizardContext &c)
{
    QJsonArray checks;
    for (const MetricCheck &m : contentOf(c, 0).checks)
        checks.append(QJsonObject{{QStringLiteral("check"), m.metric},
                                  {QStringLiteral("expected"), m.expected},
                                  {QStringLiteral("observed"), m.observed},
                                  {QStringLiteral("passed"), m.passed},
                                  {QStringLiteral("note"), m.note}});
    return QString::fromUtf8(QJsonDocument(checks).toJson(QJsonDocument::Compact));
}

void CommissioningReportPage::initializePage()
{
    if (m_stored || m_storing)
        return;
    m_content = contentOf(*m_context, QDateTime::currentMSecsSinceEpoch());
    m_pdf = CommissioningReportPdf::render(m_content);
    QStringList lines;
    lines << (m_content.passed ? tr("PASSED") : tr("FAILED")) << QString()
          << tr("Device: %1 (%2), serial %3, model %4")
                 .arg(m_content.deviceId, m_content.deviceName.isEmpty() ? tr("no name") : m_content.deviceName,
                      m_content.serial, m_content.model)
          << tr("Site: %1; tags: %2").arg(m_content.site, m_content.tags.join(QStringLiteral(", ")))
          << tr("Certificate: %1").arg(m_content.certSerial) << tr("SHA-256: %1").arg(m_content.fingerprint)
          << tr("Technician: %1").arg(m_content.technician)
          << tr("Time: %1").arg(QDateTime::fromMSecsSinceEpoch(m_content.createdMs).toString(Qt::ISODate)) << QString();
    if (!m_content.rangesKnown)
        lines << tr("No ranges for model %1: telemetry arrival checked only.").arg(m_content.model);
    for (const MetricCheck &m : m_content.checks)
        lines << tr("%1: %2 (expected %3, observed %4)")
                     .arg(m.metric, m.passed ? tr("pass") : tr("FAIL, %1").arg(m.note), m.expected,
                          m.observed.isEmpty() ? tr("nothing") : m.observed);
    m_summary->setPlainText(lines.join(u'\n'));
    store();
}

void CommissioningReportPage::store()
{
    if (!m_context->records) {
        m_store->setText(tr("Not kept: no operations store."));
        m_stored = true;  // nothing to wait for
        emit completeChanged();
        return;
    }
    CommissioningReport report;
    report.deviceId = m_content.deviceId;
    report.serial = m_content.serial;
    report.certSerial = m_content.certSerial;
    report.fingerprint = m_content.fingerprint;
    report.technician = m_content.technician;
    report.createdMs = m_content.createdMs;
    report.passed = m_content.passed;
    report.checksJson = checksJson(*m_context);
    report.pdf = m_pdf;
    m_storing = true;
    m_store->setText(tr("Keeping the report in the operations store…"));
    QPointer<CommissioningReportPage> self(this);
    m_context->records->saveReport(report, [self](qint64 id, const QString &error) {
        if (!self)
            return;
        self->m_storing = false;
        self->m_stored = true;
        self->m_context->reportId = id;
        self->m_store->setText(id > 0 ? tr("Report %1 kept in the operations store (with its PDF).").arg(id)
                                      : tr("The report could not be kept: %1. Save the PDF.").arg(error));
        emit self->completeChanged();
    });
}

bool CommissioningReportPage::savePdf(const QString &path)
{
    if (m_pdf.isEmpty())
        m_pdf = CommissioningReportPdf::render(m_content);
    // The very bytes kept in the store.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_pdf) != m_pdf.size() || !file.commit()) {
        m_saved->setText(tr("Not saved: %1").arg(file.errorString()));
        return false;
    }
    m_context->pdfPath = path;
    m_saved->setText(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool CommissioningReportPage::isComplete() const
{
    return m_stored;
}

} // namespace fd
