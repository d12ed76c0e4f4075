#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace fd::sim {

// Who a simulated device is. Deterministic from (seed, index).
struct DeviceIdentity
{
    int index = 0;
    QString id;         // "dev-00001"
    QString name;       // "Cold Room 7"
    QString site;       // "Rotterdam-Port"
    QString model;      // "TH-100"
    QString fwVersion;  // "2.4.0"
    // "freezer" (reefers), "cold-room" (cold rooms) or "ambient" (the rest), and "pilot" on
    // about 10 % of the fleet; the other attributes are the same as before tags existed.
    QStringList tags;
};

// Builds the fleet: several sites, models and firmware versions, spread reproducibly. Each
// identity depends only on (seed, index), so a fleet split over several processes
// (--first-device) is the same fleet.
class FleetGenerator
{
public:
    static QList<DeviceIdentity> generate(int count, quint64 seed, int firstIndex = 0);
    static DeviceIdentity identity(int index, quint64 seed);
    static QString deviceId(int index);
    static const QStringList &sites();
    static const QStringList &models();
    // splitmix64: derives independent per-device seeds from the run seed.
    static quint64 mix(quint64 x);
};

} // namespace fd::sim
