#pragma once

#include "core/provisioning/expected_device.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QStringList>

namespace fd {

// The expected-devices CSV (docs/protocol.md "Provisioning"): UTF-8 (a BOM is skipped),
// RFC 4180 quoting ("a, b" and "say ""hi"""; a quoted field may span lines), LF or CRLF.
// The first record is the header: the columns serial, model, claim_code (required) and
// device_id, name, site, tags (optional; tags separated by ';'), in any order, case-
// insensitive. Blank lines are skipped. At most 4 MiB, 100 000 rows and 64 fields a record.
// The whole file is refused when anything is wrong (the import is all or nothing): every
// error names its line (the line a record starts on), at most kMaxErrors of them.
class ExpectedDeviceCsv
{
    Q_DECLARE_TR_FUNCTIONS(fd::ExpectedDeviceCsv)
public:
    static constexpr qsizetype kMaxBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxRows = 100000;
    static constexpr qsizetype kMaxErrors = 50;
    static constexpr qsizetype kMaxTextChars = 256;  // name, site
    static constexpr qsizetype kMaxTags = 32;
    static constexpr qsizetype kMaxFields = 64;       // per record (a valid file has at most 7)

    struct Result
    {
        QList<ExpectedDevice> devices;  // claim codes hashed; importedMs set
        QStringList errors;             // "line 7: ..." ; empty when ok
        bool ok() const { return errors.isEmpty(); }
    };

    static Result parse(QByteArrayView bytes, qint64 importedMs);

    // The CSV of devices (without claim codes, which are not kept): "serial,model,claim_sha256,
    // device_id,name,site,tags,state" (export for people; not importable).
    static QByteArray write(const QList<ExpectedDevice> &devices);
    static QString quoted(const QString &field);
};

} // namespace fd
