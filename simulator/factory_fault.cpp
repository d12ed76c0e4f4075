#include "simulator/factory_fault.h"

#include <QStringList>

namespace fd::sim {

QList<FactoryFault> FactoryFaults::all()
{
    return {FactoryFault::WrongClaim, FactoryFault::BadCsr, FactoryFault::WrongSubject,
            FactoryFault::WeakKey,    FactoryFault::Replay, FactoryFault::Expired};
}

QString FactoryFaults::key(FactoryFault fault)
{
    switch (fault) {
    case FactoryFault::WrongClaim: return QStringLiteral("wrong-claim");
    case FactoryFault::BadCsr: return QStringLiteral("bad-csr");
    case FactoryFault::WrongSubject: return QStringLiteral("wrong-subject");
    case FactoryFault::WeakKey: return QStringLiteral("weak-key");
    case FactoryFault::Replay: return QStringLiteral("replay");
    case FactoryFault::Expired: return QStringLiteral("expired");
    }
    return {};
}

void FactoryFaults::add(FactoryFault fault)
{
    if (!m_faults.contains(fault))
        m_faults.append(fault);
}

QString FactoryFaults::toString() const
{
    QStringList keys;
    for (FactoryFault f : m_faults)
        keys << key(f);
    return keys.join(u',');
}

bool FactoryFaults::parse(const QString &spec, FactoryFaults *faults, QString *why)
{
    const QStringList parts = spec.split(u',');
    QList<FactoryFault> parsed;
    for (const QString &raw : parts) {
        const QString part = raw.trimmed();
        bool found = false;
        for (FactoryFault f : all()) {
            if (key(f) == part) {
                parsed << f;
                found = true;
                break;
            }
        }
        if (!found) {
            QStringList keys;
            for (FactoryFault f : all())
                keys << key(f);
            *why = QStringLiteral("--factory-fault: unknown kind '%1' (kinds: %2)")
                       .arg(part.left(64), keys.join(QStringLiteral(", ")));
            return false;
        }
    }
    for (FactoryFault f : parsed)
        faults->add(f);
    return true;
}

} // namespace fd::sim
