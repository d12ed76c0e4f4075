#pragma once

#include "core/alerts/certificate_expiry_evaluator.h"
#include "core/alerts/certificate_holder_directory.h"
#include "core/platform/long_single_shot.h"

#include <QList>
#include <QObject>

namespace fd {

class AlertService;
class FleetSession;

// Drives the certificate expiry alerts: evaluates the "certificate_expiring" rules of the
// AlertService against the certificate inventory (setDeadlines, from the fleet PKI) whenever
// the rules, the certificates or the inventory (reevaluate) change, and again when a
// certificate enters a rule's window or expires (a timer on the evaluator's next change,
// and at least hourly). The transitions go to AlertService like the engine's. After a
// restart it takes over the open alerts of certificate rules, so nothing is raised twice.
class CertificateExpiryMonitor : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;

    CertificateExpiryMonitor(AlertService *alerts, CertificateExpiryEvaluator::HolderLookup holders,
                             QObject *parent = nullptr);
    // The holders are the session's inventory (CertificateHolderDirectory, kept up to date
    // from its device updates; the cached devices at once).
    CertificateExpiryMonitor(AlertService *alerts, FleetSession *session, QObject *parent = nullptr);

    void setClock(Clock clock) { m_clock = std::move(clock); }  // tests
    void setDeadlines(const QList<fd::CertificateDeadline> &deadlines);
    void reevaluate();
    int firingCount() const { return m_evaluator.firingCount(); }

    static constexpr qint64 kMaxRecheckMs = 3600 * 1000;

private:
    void seedFromOpenAlerts();

    void init();

    AlertService *m_alerts;
    CertificateHolderDirectory m_directory;  // with a session
    CertificateExpiryEvaluator::HolderLookup m_holders;
    CertificateExpiryEvaluator m_evaluator;
    QList<CertificateDeadline> m_deadlines;
    LongSingleShot m_timer;
    Clock m_clock;
    bool m_seeded = false;
    bool m_haveDeadlines = false;
};

} // namespace fd
