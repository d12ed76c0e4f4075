#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace fd {

// A commissioning report (commissioning_reports row): who commissioned which device with
// which certificate, when, and the checks of its first telemetry (JSON, the wizard's).
struct CommissioningReport
{
    qint64 id = 0;
    QString deviceId;
    QString serial;
    QString certSerial;
    QString fingerprint;
    QString technician;
    qint64 createdMs = 0;   // 0: the time the job runs
    bool passed = false;
    QString checksJson = QStringLiteral("[]");
    QByteArray pdf;         // may be empty

    friend bool operator==(const CommissioningReport &, const CommissioningReport &) = default;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::CommissioningReport)
