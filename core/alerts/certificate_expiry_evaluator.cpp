#include "core/alerts/certificate_expiry_evaluator.h"

#include <QCoreApplication>
#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(fd::CertificateExpiryEvaluator)
};

} // namespace

void CertificateExpiryEvaluator::seedFiring(qint64 ruleId, const DeviceKey &device)
{
    m_firing.insert({ruleId, device}, Firing{});
}

QString CertificateExpiryEvaluator::message(const CertificateDeadline &deadline, qint64 nowMs)
{
    const QString when = QDateTime::fromMSecsSinceEpoch(deadline.notAfterMs, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    if (deadline.notAfterMs <= nowMs)
        return Tr::tr("certificate %1 expired on %2").arg(deadline.serial, when);
    const qint64 days = (deadline.notAfterMs - nowMs) / kDayMs;
    return Tr::tr("certificate %1 expires in %n day(s), on %2", nullptr, int(days)).arg(deadline.serial, when);
}

QList<AlertTransition> CertificateExpiryEvaluator::evaluate(const QList<AlertRule> &rules,
                                                            const QList<CertificateDeadline> &deadlines,
                                                            const HolderLookup &holders, qint64 nowMs)
{
    // The newest certificate per device decides (an old one about to expire beside a new one
    // is not a problem).
    QHash<QString, CertificateDeadline> newest;
    for (const CertificateDeadline &d : deadlines) {
        auto it = newest.find(d.deviceId);
        if (it == newest.end() || d.notAfterMs > it->notAfterMs)
            newest.insert(d.deviceId, d);
    }

    QHash<QPair<qint64, DeviceKey>, Firing> firing;
    QList<AlertTransition> out;
    m_nextChangeMs = std::numeric_limits<qint64>::max();
    for (const AlertRule &rule : rules) {
        if (rule.kind != AlertRuleKind::CertificateExpiring || !rule.enabled || !rule.validate().isEmpty())
            continue;
        const qint64 windowMs = qint64(std::llround(rule.threshold * double(kDayMs)));
        for (auto it = newest.cbegin(); it != newest.cend(); ++it) {
            const CertificateDeadline &d = it.value();
            const qint64 entersWindowMs = d.notAfterMs - windowMs;
            const bool expired = d.notAfterMs <= nowMs;
            if (nowMs < entersWindowMs) {
                m_nextChangeMs = std::min(m_nextChangeMs, entersWindowMs);
                continue;
            }
            if (!expired)
                m_nextChangeMs = std::min(m_nextChangeMs, d.notAfterMs);
            for (const CertificateHolder &h : holders(d.deviceId)) {
                if (!rule.scope.matches(h.key.source, h.key.path, h.site, h.model, h.tags))
                    continue;
                const QPair<qint64, DeviceKey> id{rule.id, h.key};
                const Firing now{d.serial, expired};
                const auto was = m_firing.constFind(id);
                firing.insert(id, now);
                if (was != m_firing.cend() && was->serial == now.serial && was->expired == now.expired)
                    continue;
                AlertTransition t;
                // New, or seeded after a restart, or another serial / now expired: a raise
                // (AlertLifecycle keeps one open alert per rule and device and refreshes it).
                t.kind = AlertTransition::Kind::Raise;
                t.ruleId = rule.id;
                t.device = h.key;
                t.site = h.site;
                t.tsMs = nowMs;
                t.value = d.serial;
                t.message = message(d, nowMs);
                out.append(t);
            }
        }
    }
    for (auto it = m_firing.cbegin(); it != m_firing.cend(); ++it) {
        if (firing.contains(it.key()))
            continue;
        AlertTransition t;
        t.kind = AlertTransition::Kind::Clear;
        t.ruleId = it.key().first;
        t.device = it.key().second;
        t.tsMs = nowMs;
        t.message = Tr::tr("certificate renewed or no longer watched");
        out.append(t);
    }
    m_firing = std::move(firing);
    return out;
}

} // namespace fd
