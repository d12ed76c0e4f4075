#include "core/alerts/certificate_expiry_monitor.h"

#include "core/alerts/alert_service.h"
#include "core/ingest/fleet_session.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace fd {

CertificateExpiryMonitor::CertificateExpiryMonitor(AlertService *alerts,
                                                   CertificateExpiryEvaluator::HolderLookup holders,
                                                   QObject *parent)
    : QObject(parent)
    , m_alerts(alerts)
    , m_holders(std::move(holders))
    , m_timer(this)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    init();
}

CertificateExpiryMonitor::CertificateExpiryMonitor(AlertService *alerts, FleetSession *session, QObject *parent)
    : QObject(parent)
    , m_alerts(alerts)
    , m_holders([this](const QString &name) { return m_directory.holders(name); })
    , m_timer(this)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_directory.update(session->cachedDevices());
    connect(session, &FleetSession::devicesUpdated, this, [this](const QList<Device> &changed) {
        if (m_directory.update(changed))
            reevaluate();
    });
    connect(session, &FleetSession::devicesRemoved, this, [this](const QList<DeviceKey> &removed) {
        if (m_directory.remove(removed))
            reevaluate();
    });
    init();
}

void CertificateExpiryMonitor::init()
{
    connect(&m_timer, &LongSingleShot::timeout, this, &CertificateExpiryMonitor::reevaluate);
    connect(m_alerts, &AlertService::rulesChanged, this, &CertificateExpiryMonitor::reevaluate);
    connect(m_alerts, &AlertService::loaded, this, &CertificateExpiryMonitor::reevaluate);
}

void CertificateExpiryMonitor::setDeadlines(const QList<CertificateDeadline> &deadlines)
{
    m_deadlines = deadlines;
    m_haveDeadlines = true;
    reevaluate();
}

void CertificateExpiryMonitor::seedFromOpenAlerts()
{
    QSet<qint64> certificateRules;
    for (const AlertRule &r : m_alerts->rules()) {
        if (r.kind == AlertRuleKind::CertificateExpiring)
            certificateRules.insert(r.id);
    }
    for (const Alert &a : m_alerts->openAlerts()) {
        if (a.isActive() && certificateRules.contains(a.ruleId) && !a.device.path.isEmpty())
            m_evaluator.seedFiring(a.ruleId, a.device);
    }
    m_seeded = true;
}

void CertificateExpiryMonitor::reevaluate()
{
    // Nothing is decided before both the alerts and the certificate inventory are loaded:
    // an empty inventory read as "no certificates" would clear every alert.
    if (!m_alerts->isLoaded() || !m_haveDeadlines)
        return;
    if (!m_seeded)
        seedFromOpenAlerts();
    const qint64 now = m_clock();
    const QList<AlertTransition> transitions = m_evaluator.evaluate(m_alerts->rules(), m_deadlines, m_holders, now);
    if (!transitions.isEmpty())
        m_alerts->applyExternalTransitions(transitions);
    const qint64 next = m_evaluator.nextChangeMs();
    const qint64 wait = next == std::numeric_limits<qint64>::max() ? kMaxRecheckMs
                                                                   : std::clamp<qint64>(next - now + 1, 1, kMaxRecheckMs);
    m_timer.start(wait);
}

} // namespace fd
