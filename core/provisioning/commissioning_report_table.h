#pragma once

#include "core/provisioning/commissioning_report.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's commissioning_reports table (schema v4), audited
// ("commissioning_report.created", object_kind "commissioning_report").
class CommissioningReportTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::CommissioningReportTable)
public:
    static constexpr qsizetype kMaxPdfBytes = 32 * 1024 * 1024;
    static constexpr qsizetype kMaxChecksJsonBytes = 1024 * 1024;

    // report->id (and createdMs when 0) are set. Refuses a report without device id or
    // technician, an oversized PDF or checks that are not a JSON array or object.
    static bool insert(OperationsTransaction &tx, CommissioningReport *report, QString *error);
    // Newest first; without the PDF bytes unless withPdf (a device's reports, or all when
    // deviceId is empty).
    static bool list(sqlite3 *db, const QString &deviceId, QList<CommissioningReport> *out, QString *error,
                     bool withPdf = false);
    static bool byId(sqlite3 *db, qint64 id, CommissioningReport *out, bool *found, QString *error);
};

} // namespace fd
