#pragma once

#include <QJsonObject>

namespace fd::sim {

// What an edge node did in this run, for the manifest.
struct SparkplugNodeStats
{
    quint64 connects = 0;         // MQTT CONNECTs (each with the next bdSeq)
    quint64 births = 0;           // NBIRTHs (each followed by the DBIRTHs)
    quint64 rebirthRequests = 0;  // NCMD Node Control/Rebirth = true
    quint64 dataMessages = 0;     // NDATA + DDATA
    quint64 writes = 0;           // metrics written by NCMD/DCMD
    quint64 commandsRefused = 0;  // unreadable commands, refused writes
    quint64 drops = 0;            // die_rebirth: connections dropped for the Will
    quint64 hostSessionEnds = 0;  // sessions ended because the primary host went offline

    void insertInto(QJsonObject &o) const
    {
        o.insert(QStringLiteral("connects"), double(connects));
        o.insert(QStringLiteral("births"), double(births));
        o.insert(QStringLiteral("rebirth_requests"), double(rebirthRequests));
        o.insert(QStringLiteral("data_messages"), double(dataMessages));
        o.insert(QStringLiteral("writes"), double(writes));
        o.insert(QStringLiteral("commands_refused"), double(commandsRefused));
        o.insert(QStringLiteral("drops"), double(drops));
        o.insert(QStringLiteral("host_session_ends"), double(hostSessionEnds));
    }
};

} // namespace fd::sim
