#pragma once

#include "ui/commissioning_report_content.h"

#include <QByteArray>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace fd {

struct CommissioningWizardContext;

// Commissioning, step 5: the commissioning report (device, certificate serial and
// fingerprint, technician = the operator name, time, checks, PASSED / FAILED). On entering
// the page the PDF is made (CommissioningReportPdf) and kept in the operations store
// (commissioning_reports, audited); "Save PDF…" writes a copy where the technician chooses,
// named from the device id made safe.
class CommissioningReportPage : public QWizardPage
{
    Q_OBJECT
public:
    CommissioningReportPage(CommissioningWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    static CommissioningReportContent contentOf(const CommissioningWizardContext &context, qint64 nowMs);
    static QString checksJson(const CommissioningWizardContext &context);

    const CommissioningReportContent &content() const { return m_content; }
    const QByteArray &pdf() const { return m_pdf; }
    QPlainTextEdit *summaryView() const { return m_summary; }
    QLabel *storeLabel() const { return m_store; }
    QPushButton *saveButton() const { return m_save; }

    // Writes the PDF to path; false with the reason shown.
    bool savePdf(const QString &path);

private:
    void store();

    CommissioningWizardContext *m_context;
    QPlainTextEdit *m_summary;
    QLabel *m_store;
    QPushButton *m_save;
    QLabel *m_saved;
    CommissioningReportContent m_content;
    QByteArray m_pdf;
    bool m_storing = false;
    bool m_stored = false;
};

} // namespace fd
