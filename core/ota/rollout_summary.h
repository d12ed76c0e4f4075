#pragma once

#include "core/ota/rollout.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <array>

namespace fd {

// Counts of a rollout's devices by state, overall and per wave, and the reasons of the
// devices that did not update: for `fleetdeckctl rollout status` and the UI.
struct RolloutSummary
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutSummary)
public:
    static constexpr int kMaxReasons = 50;  // distinct reasons listed; the rest count as "other"

    using Counts = std::array<int, kAllOtaDeviceStates.size()>;
    struct Wave
    {
        int index = 0;      // 0 = canary
        QString name;       // "canary", "wave 1", ...
        int size = 0;
        Counts counts{};
    };

    Counts counts{};
    QList<Wave> waves;          // by index
    QMap<QString, int> reasons; // reason -> devices (terminal, not updated)
    int total = 0;

    int count(OtaDeviceState s) const { return counts[size_t(s)]; }
    int terminal() const;
    int inProgress() const;

    static RolloutSummary of(const QList<RolloutDevice> &devices);
    static QString waveName(int index);
    // {"pending":0,"dispatching":0,...}: every OtaDeviceState key.
    static QJsonObject countsJson(const Counts &counts);
    // The `rollout status --json` object (docs/ota.md); version = the artifact's version.
    static QJsonObject statusJson(const Rollout &rollout, const QList<RolloutDevice> &devices, const QString &version);
};

} // namespace fd
