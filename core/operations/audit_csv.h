#pragma once

#include "core/operations/audit_entry.h"

#include <QByteArray>
#include <QList>

namespace fd {

// The audit log as CSV (the triage page's export): RFC 4180, UTF-8, "\r\n" line ends, the
// columns of AuditJson in the same order: ts (ISO 8601 UTC with ms), actor, action, source,
// device_path, object_kind, object_id, before, after (the stored JSON text), detail. A cell
// that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first) gets
// a leading apostrophe, as TelemetryCsvWriter::textField does.
class AuditCsv
{
public:
    static QByteArray header();
    static QByteArray toCsv(const QList<AuditEntry> &entries);
    static QByteArray field(const QString &text);
};

} // namespace fd
