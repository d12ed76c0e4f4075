#pragma once

#include <QList>
#include <QString>

namespace fd::sim {

// A device in factory state, as its label would say: serial, model and claim code, plus the
// device id it asks for (its serial lowercased). Everything is derived from the run's seed,
// so the expected-devices list written by one run (--factory-list) matches the devices of
// another run with the same seed.
struct FactoryIdentity
{
    QString serial;     // "SN-42-0001"
    QString model;      // "TH-100"
    QString claimCode;  // "K7QD-9M2P-XW3R": 12 characters of Crockford base32 in groups of 4
    QString deviceId;   // "sn-42-0001"
};

class FactoryIdentities
{
public:
    static constexpr int kMaxDevices = 10000;
    static constexpr qint64 kMaxSerialFileBytes = 1024 * 1024;

    // SN-<seed>-0001 .. SN-<seed>-<count> (4 digits at least).
    static QList<FactoryIdentity> generate(int count, quint64 seed, const QString &model);
    // One serial per line (blank lines and lines starting with '#' skipped); every serial
    // must be a valid one (docs/protocol.md: 1..64 of [A-Za-z0-9._-]) and appear once.
    // false with *why naming the file and line.
    static bool fromSerialFile(const QString &path, quint64 seed, const QString &model, QList<FactoryIdentity> *out,
                               QString *why);
    static FactoryIdentity identity(const QString &serial, quint64 seed, const QString &model);
    // The claim code printed on the label of serial (seeded, reproducible).
    static QString claimCode(const QString &serial, quint64 seed);
};

} // namespace fd::sim
