#include "models/alert_style.h"

#include <QCoreApplication>
#include <QDateTime>

namespace fd {

namespace {
// The translation context of these free functions.
struct AlertStyle
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertStyle)
};
} // namespace

QString alertSeverityLabel(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical: return AlertStyle::tr("Critical");
    case AlertSeverity::Major: return AlertStyle::tr("Major");
    case AlertSeverity::Minor: return AlertStyle::tr("Minor");
    case AlertSeverity::Warning: return AlertStyle::tr("Warning");
    case AlertSeverity::Indeterminate: return AlertStyle::tr("Indeterminate");
    }
    return {};
}

QColor alertSeverityColor(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical: return QColor(0xd3, 0x2f, 0x2f);
    case AlertSeverity::Major: return QColor(0xef, 0x6c, 0x00);
    case AlertSeverity::Minor: return QColor(0xe0, 0xa1, 0x00);
    case AlertSeverity::Warning: return QColor(0x3b, 0x82, 0xc4);
    case AlertSeverity::Indeterminate: break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString alertStatusLabel(AlertStatus status)
{
    switch (status) {
    case AlertStatus::ActiveUnack: return AlertStyle::tr("Active, unacknowledged");
    case AlertStatus::ActiveAck: return AlertStyle::tr("Active, acknowledged");
    case AlertStatus::ClearedUnack: return AlertStyle::tr("Cleared, unacknowledged");
    case AlertStatus::ClearedAck: return AlertStyle::tr("Cleared, acknowledged");
    }
    return {};
}

QString alertRuleKindLabel(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Above: return AlertStyle::tr("Above a threshold");
    case AlertRuleKind::Below: return AlertStyle::tr("Below a threshold");
    case AlertRuleKind::Outside: return AlertStyle::tr("Outside a range");
    case AlertRuleKind::Occurrences: return AlertStyle::tr("Occurrences in a window");
    case AlertRuleKind::Rate: return AlertStyle::tr("Rate of change");
    case AlertRuleKind::Stuck: return AlertStyle::tr("Stuck value");
    case AlertRuleKind::NoData: return AlertStyle::tr("No data");
    case AlertRuleKind::Offline: return AlertStyle::tr("Device offline");
    case AlertRuleKind::CertificateExpiring: return AlertStyle::tr("Certificate expiring");
    }
    return {};
}

QString formatAlertTime(qint64 msSinceEpoch, qint64 nowMs)
{
    if (msSinceEpoch <= 0)
        return QStringLiteral("\u2014");
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(msSinceEpoch);
    if (t.date() == QDateTime::fromMSecsSinceEpoch(nowMs).date())
        return t.toString(QStringLiteral("HH:mm:ss"));
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString alertSubjectText(const Alert &alert)
{
    if (!alert.isGroup())
        return alert.device.shownId();
    const qsizetype colon = alert.groupKey.indexOf(QLatin1Char(':'));
    const QString kind = colon > 0 ? alert.groupKey.left(colon) : QString();
    const QString name = colon > 0 ? alert.groupKey.mid(colon + 1) : alert.groupKey;
    const QString what = kind == u"site"     ? AlertStyle::tr("site %1").arg(name)
                         : kind == u"source" ? AlertStyle::tr("source %1").arg(name)
                         : name.isEmpty()    ? alert.device.source
                                             : name;
    return AlertStyle::tr("%1 (%n device(s))", nullptr, alert.childCount).arg(what);
}

} // namespace fd
