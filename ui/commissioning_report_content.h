#pragma once

#include "models/model_expectations.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace fd {

// What a commissioning report says, as plain values (every string as the device, the
// technician or the CA gave it: CommissioningReportPdf escapes them).
struct CommissioningReportContent
{
    QString deviceId;
    QString deviceName;
    QString site;
    QStringList tags;
    QString model;
    QString serial;            // the hardware serial from the label
    QString certSerial;        // uppercase hex
    QString fingerprint;       // SHA-256, "AB:CD:..."
    qint64 certNotAfterMs = 0; // 0: unknown
    QString issuer;            // the issuing CA's name
    QString technician;
    qint64 createdMs = 0;
    bool passed = false;
    bool rangesKnown = true;   // false: telemetry arrival checked only
    QList<MetricCheck> checks;
    QStringList notes;         // further lines (connection, first telemetry time, …)
};

} // namespace fd
