#pragma once

#include "ui/commissioning_report_content.h"

#include <QByteArray>
#include <QString>

namespace fd {

// The commissioning report as a one-page A4 PDF (QPdfWriter + QTextDocument). Every string
// of the content is HTML-escaped: a device named "<b>x</b>" prints those characters.
class CommissioningReportPdf
{
public:
    static QString html(const CommissioningReportContent &content);
    static QByteArray render(const CommissioningReportContent &content);
    // render() written to path; false with the reason on failure.
    static bool write(const CommissioningReportContent &content, const QString &path, QString *error);
    // "commissioning-<device id made safe>-<yyyyMMdd-HHmm>.pdf"
    static QString defaultFileName(const CommissioningReportContent &content);
};

} // namespace fd
