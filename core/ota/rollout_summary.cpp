#include "core/ota/rollout_summary.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>

namespace fd {
namespace {

QString isoOrEmpty(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

} // namespace

int RolloutSummary::terminal() const
{
    int n = 0;
    for (OtaDeviceState s : kAllOtaDeviceStates)
        n += isTerminal(s) ? count(s) : 0;
    return n;
}

int RolloutSummary::inProgress() const
{
    int n = 0;
    for (OtaDeviceState s : kAllOtaDeviceStates)
        n += isInProgress(s) ? count(s) : 0;
    return n;
}

QString RolloutSummary::waveName(int index)
{
    return index == 0 ? tr("canary") : tr("wave %1").arg(index);
}

RolloutSummary RolloutSummary::of(const QList<RolloutDevice> &devices)
{
    RolloutSummary s;
    QMap<int, Wave> waves;
    for (const RolloutDevice &d : devices) {
        const size_t state = size_t(d.state);
        ++s.counts[state];
        ++s.total;
        Wave &w = waves[d.wave];
        w.index = d.wave;
        ++w.size;
        ++w.counts[state];
        if (isTerminal(d.state) && d.state != OtaDeviceState::Updated && !d.reason.isEmpty()) {
            if (s.reasons.contains(d.reason) || s.reasons.size() < kMaxReasons)
                ++s.reasons[d.reason];
            else
                ++s.reasons[tr("other")];
        }
    }
    for (Wave &w : waves) {
        w.name = waveName(w.index);
        s.waves.append(w);
    }
    return s;
}

QJsonObject RolloutSummary::countsJson(const Counts &counts)
{
    QJsonObject o;
    for (OtaDeviceState s : kAllOtaDeviceStates)
        o.insert(otaDeviceStateKey(s), counts[size_t(s)]);
    return o;
}

QJsonObject RolloutSummary::statusJson(const Rollout &rollout, const QList<RolloutDevice> &devices,
                                       const QString &version)
{
    const RolloutSummary s = of(devices);
    QJsonArray waves;
    for (const Wave &w : s.waves)
        waves.append(QJsonObject{{QStringLiteral("index"), w.index},
                                 {QStringLiteral("name"), w.name},
                                 {QStringLiteral("size"), w.size},
                                 {QStringLiteral("counts"), countsJson(w.counts)}});
    // Device id -> state; "source/path" for ids heard on more than one source or path.
    QHash<QString, int> idUses;
    for (const RolloutDevice &d : devices)
        ++idUses[d.deviceId];
    QJsonObject states;
    for (const RolloutDevice &d : devices) {
        const QString name = idUses.value(d.deviceId) > 1 || d.deviceId.isEmpty()
                                 ? d.key.source + QLatin1Char('/') + d.key.path
                                 : d.deviceId;
        states.insert(name, otaDeviceStateKey(d.state));
    }
    QJsonObject reasons;
    for (auto it = s.reasons.cbegin(); it != s.reasons.cend(); ++it)
        reasons.insert(it.key(), it.value());
    QJsonObject o;
    o.insert(QStringLiteral("id"), double(rollout.id));
    o.insert(QStringLiteral("uid"), rollout.uid);
    o.insert(QStringLiteral("name"), rollout.name);
    o.insert(QStringLiteral("state"), rolloutStateKey(rollout.state));
    o.insert(QStringLiteral("state_reason"), rollout.stateReason);
    o.insert(QStringLiteral("artifact"), rollout.artifactId);
    o.insert(QStringLiteral("version"), version);
    o.insert(QStringLiteral("rollback"), rollout.plan.rollback);
    o.insert(QStringLiteral("current_wave"), rollout.currentWave);
    o.insert(QStringLiteral("total"), s.total);
    o.insert(QStringLiteral("waves"), waves);
    o.insert(QStringLiteral("counts"), countsJson(s.counts));
    o.insert(QStringLiteral("devices"), states);
    o.insert(QStringLiteral("reasons"), reasons);
    o.insert(QStringLiteral("created"), isoOrEmpty(rollout.createdMs));
    o.insert(QStringLiteral("created_by"), rollout.createdBy);
    o.insert(QStringLiteral("started"), isoOrEmpty(rollout.startedMs));
    o.insert(QStringLiteral("finished"), isoOrEmpty(rollout.finishedMs));
    o.insert(QStringLiteral("plan"), rollout.plan.toJson());
    return o;
}

} // namespace fd
