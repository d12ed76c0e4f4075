#pragma once

#include "core/alerts/alert_transition.h"
#include "core/domain/alert_rule.h"
#include "core/domain/device_key.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace fd {

// A device's newest valid certificate of the fleet PKI, as the expiry alerts see it.
struct CertificateDeadline
{
    QString deviceId;   // the certificate's CN
    QString serial;     // uppercase hex
    qint64 notAfterMs = 0;
};

// Where a device id is known in the inventory (a device may be on several brokers), with
// what rule scopes match on.
struct CertificateHolder
{
    DeviceKey key;
    QString site;
    QString model;
    QStringList tags;
};

// The "certificate_expiring" alert rules (AlertRuleKind::CertificateExpiring) evaluated
// against the certificate inventory: a device whose newest valid certificate expires within
// the rule's threshold (days), or has expired, raises an alert on every inventory entry of
// that device the rule's scope matches; it clears once the device holds a certificate
// valid beyond the window (rotated), or has none left to watch (revoked, device deleted).
// Pure: the caller supplies the clock and remembers nothing; this object keeps which
// (rule, device) alerts it raised, so it reports changes only.
class CertificateExpiryEvaluator
{
public:
    using HolderLookup = std::function<QList<CertificateHolder>(const QString &deviceId)>;

    // What is firing already (open, active alerts of certificate rules after a restart).
    void seedFiring(qint64 ruleId, const DeviceKey &device);
    // Transitions since the previous call. Rules of other kinds and disabled or invalid
    // rules are ignored (a rule that went away clears its alerts).
    QList<AlertTransition> evaluate(const QList<AlertRule> &rules, const QList<CertificateDeadline> &deadlines,
                                    const HolderLookup &holders, qint64 nowMs);
    // When the next evaluation could change something without new inputs (a certificate
    // entering a window or expiring); INT64_MAX when nothing is pending.
    qint64 nextChangeMs() const { return m_nextChangeMs; }
    int firingCount() const { return int(m_firing.size()); }

    static QString message(const CertificateDeadline &deadline, qint64 nowMs);

private:
    struct Firing
    {
        QString serial;
        bool expired = false;
    };
    // (rule id, device) -> what it fired for
    QHash<QPair<qint64, DeviceKey>, Firing> m_firing;
    qint64 m_nextChangeMs = std::numeric_limits<qint64>::max();
};

} // namespace fd
