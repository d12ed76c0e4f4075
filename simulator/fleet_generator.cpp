#include "simulator/fleet_generator.h"

#include <QStringList>

#include <random>

namespace fd::sim {

namespace {

struct ModelInfo
{
    const char *name;
    int weight;  // share of the fleet, in percent
    QStringList firmware;
};

const QList<ModelInfo> &modelTable()
{
    static const QList<ModelInfo> table = {
        {"TH-100", 55, {QStringLiteral("2.3.1"), QStringLiteral("2.4.0"), QStringLiteral("2.4.2")}},
        {"TH-200", 30, {QStringLiteral("1.0.7"), QStringLiteral("1.1.0")}},
        {"GW-5", 10, {QStringLiteral("5.2.0"), QStringLiteral("5.3.1")}},
        {"PM-10", 5, {QStringLiteral("0.9.4"), QStringLiteral("1.0.0")}},
    };
    return table;
}

const QStringList &placeNames()
{
    static const QStringList names = {
        QStringLiteral("Cold Room"),    QStringLiteral("Reefer"),      QStringLiteral("Server Rack"),
        QStringLiteral("Warehouse Bay"), QStringLiteral("Loading Dock"), QStringLiteral("Boiler Room"),
        QStringLiteral("Clean Room"),   QStringLiteral("Greenhouse"),  QStringLiteral("Pump House"),
        QStringLiteral("Office Floor"),
    };
    return names;
}

// Tags by the kind of place (the same as SimulatedDevice's cold devices), plus "pilot" on
// about 10 % of the devices, from a draw of their own: the rng above draws exactly what it
// drew before tags existed, so every other attribute of a (seed, index) stays the same.
// The few distinct lists are shared (one allocation each, as the decoder would share them).
QStringList tagsFor(qsizetype place, int index, quint64 seed)
{
    static const QList<QStringList> lists = {
        {QStringLiteral("cold-room")}, {QStringLiteral("cold-room"), QStringLiteral("pilot")},
        {QStringLiteral("freezer")},   {QStringLiteral("freezer"), QStringLiteral("pilot")},
        {QStringLiteral("ambient")},   {QStringLiteral("ambient"), QStringLiteral("pilot")},
    };
    const QString &name = placeNames().at(place);
    const int kind = name == u"Cold Room" ? 0 : name == u"Reefer" ? 1 : 2;
    const bool pilot = FleetGenerator::mix(seed ^ FleetGenerator::mix(quint64(index) + 0x7A65ull)) % 100 < 10;
    return lists.at(kind * 2 + (pilot ? 1 : 0));
}

} // namespace

quint64 FleetGenerator::mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

const QStringList &FleetGenerator::sites()
{
    static const QStringList list = {
        QStringLiteral("Rotterdam-Port"), QStringLiteral("Lyon-Nord"),    QStringLiteral("Austin-DC2"),
        QStringLiteral("Osaka-Bay"),      QStringLiteral("Sao-Paulo-Sul"), QStringLiteral("Nairobi-East"),
        QStringLiteral("Toronto-West"),   QStringLiteral("Melbourne-Docklands"),
    };
    return list;
}

const QStringList &FleetGenerator::models()
{
    static const QStringList list = [] {
        QStringList names;
        for (const ModelInfo &m : modelTable())
            names << QString::fromLatin1(m.name);
        return names;
    }();
    return list;
}

QString FleetGenerator::deviceId(int index)
{
    return QStringLiteral("dev-%1").arg(index + 1, 5, 10, QLatin1Char('0'));
}

DeviceIdentity FleetGenerator::identity(int index, quint64 seed)
{
    std::mt19937_64 rng(mix(seed ^ mix(quint64(index) + 0x51ED270B27ull)));
    // Sites get uneven shares (a few big sites, some small), like a real fleet.
    std::discrete_distribution<int> siteDist({30, 20, 15, 10, 8, 7, 6, 4});
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> placeDist(0, int(placeNames().size()) - 1);
    DeviceIdentity d;
    d.index = index;
    d.id = deviceId(index);
    d.site = sites().at(siteDist(rng) % sites().size());
    int roll = percent(rng);
    const ModelInfo *model = &modelTable().first();
    for (const ModelInfo &m : modelTable()) {
        if (roll < m.weight) {
            model = &m;
            break;
        }
        roll -= m.weight;
    }
    d.model = QString::fromLatin1(model->name);
    // Most devices run the newest firmware; older versions linger.
    const int fwRoll = percent(rng);
    const qsizetype versions = model->firmware.size();
    const qsizetype fwIndex = fwRoll < 70 ? versions - 1 : (fwRoll < 90 ? std::max<qsizetype>(0, versions - 2) : 0);
    d.fwVersion = model->firmware.at(fwIndex);
    const qsizetype place = placeDist(rng);
    d.name = QStringLiteral("%1 %2").arg(placeNames().at(place)).arg(index + 1);
    d.tags = tagsFor(place, index, seed);
    return d;
}

QList<DeviceIdentity> FleetGenerator::generate(int count, quint64 seed, int firstIndex)
{
    QList<DeviceIdentity> fleet;
    fleet.reserve(count);
    for (int i = 0; i < count; ++i)
        fleet.append(identity(firstIndex + i, seed));
    return fleet;
}

} // namespace fd::sim
