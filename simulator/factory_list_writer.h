#pragma once

#include "simulator/factory_identity.h"

#include <QByteArray>
#include <QList>

namespace fd::sim {

// --factory-list OUT.csv: the expected-devices list of the factory devices, as FleetDeck
// imports it (header "serial,model,claim_code"; docs/protocol.md "Provisioning"). Fields
// with a comma, a quote or a line break are quoted (RFC 4180).
class FactoryListWriter
{
public:
    static QByteArray csv(const QList<FactoryIdentity> &devices);
    // Written atomically; false with *error.
    static bool write(const QString &path, const QList<FactoryIdentity> &devices, QString *error);
};

} // namespace fd::sim
