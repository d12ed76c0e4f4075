#pragma once

// Test helper (header-only): a RolloutEngine driven like the runner drives it: every
// decision committed at once (unless told not to), job orders recorded, devices' statuses
// fed back.

#include "core/ota/rollout_engine.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace fd::rollouttest {

constexpr qint64 kT0 = 1764500000000;  // 2025-11-30T10:53:20Z

inline DeviceKey keyOf(int i)
{
    return DeviceKey(QStringLiteral("site-a"), QStringLiteral("dev-%1").arg(i, 3, 10, QLatin1Char('0')));
}

// n devices split into waves by the plan (positions in key order).
inline std::pair<Rollout, QList<RolloutDevice>> makeRollout(int n, const RolloutPlan &plan)
{
    Rollout r;
    r.id = 7;
    r.uid = QStringLiteral("abcd1234");
    r.name = QStringLiteral("test");
    r.artifactId = QStringLiteral("0123456789abcdef");
    r.plan = plan;
    r.createdMs = kT0 - 1000;
    r.createdBy = QStringLiteral("alice");
    QString error;
    const QList<int> sizes = plan.waveSizes(n, &error);
    Q_ASSERT_X(!sizes.isEmpty(), "makeRollout", qPrintable(error));
    QList<RolloutDevice> devices;
    int wave = 0;
    int left = sizes[0];
    for (int i = 0; i < n; ++i) {
        while (left == 0)
            left = sizes[++wave];
        RolloutDevice d;
        d.rolloutId = r.id;
        d.key = keyOf(i);
        d.deviceId = d.key.path;
        d.model = QStringLiteral("TH-100");
        d.fromVersion = QStringLiteral("2.3.0");
        d.wave = wave;
        d.position = i;
        d.updatedMs = r.createdMs;
        devices.append(d);
        --left;
    }
    return {r, devices};
}

class Harness
{
public:
    Harness(int n, const RolloutPlan &plan)
        : engine(makeRollout(n, plan).first, makeRollout(n, plan).second)
    {
    }
    Harness(Rollout r, QList<RolloutDevice> d)
        : engine(std::move(r), std::move(d))
    {
    }

    RolloutDecision apply(const RolloutDecision &d)
    {
        engine.committed(d.changes);
        published += d.publishJobs;
        cleared += d.clearJobs;
        events += d.changes.events;
        for (const OtaJobOrder &o : d.publishJobs)
            jobsByDevice[o.device.path].append(o.jobId);
        return d;
    }
    // PUBACK of every order of a decision.
    void ack(const RolloutDecision &d)
    {
        for (const OtaJobOrder &o : d.publishJobs)
            apply(engine.jobPublished(o.device, o.jobId, now));
    }
    RolloutDecision start() { return applyAndAck(engine.start(now, QStringLiteral("alice"))); }
    RolloutDecision tick() { return applyAndAck(engine.tick(now)); }
    RolloutDecision applyAndAck(const RolloutDecision &d)
    {
        apply(d);
        ack(d);
        return d;
    }
    const RolloutDevice &row(int i) const
    {
        for (const RolloutDevice &d : engine.devices()) {
            if (d.key == keyOf(i))
                return d;
        }
        Q_UNREACHABLE();
    }
    // The device reports a wire state for its current job (or for jobId when given).
    RolloutDecision report(int i, OtaDeviceState state, const QString &reason = {}, const QString &jobId = {})
    {
        OtaStatus s;
        s.jobId = jobId.isEmpty() ? row(i).jobId : jobId;
        s.state = state;
        s.progress = state == OtaDeviceState::Updated ? 100 : 10;
        s.reason = reason;
        s.fwVersion = state == OtaDeviceState::Updated ? QStringLiteral("2.4.0") : QStringLiteral("2.3.0");
        s.tsMs = now;
        return applyAndAck(engine.statusReceived(keyOf(i), s, now));
    }
    int count(OtaDeviceState s) const
    {
        int n = 0;
        for (const RolloutDevice &d : engine.devices())
            n += d.state == s ? 1 : 0;
        return n;
    }
    QStringList eventKinds() const
    {
        QStringList k;
        for (const RolloutEvent &e : events)
            k.append(e.kind);
        return k;
    }
    // Device indexes currently in a state, in position order.
    QList<int> inState(OtaDeviceState s) const
    {
        QList<int> out;
        for (const RolloutDevice &d : engine.devices()) {
            if (d.state == s)
                out.append(d.position);
        }
        return out;
    }

    RolloutEngine engine;
    qint64 now = kT0;
    QList<OtaJobOrder> published;
    QList<DeviceKey> cleared;
    QList<RolloutEvent> events;
    QHash<QString, QStringList> jobsByDevice;
};

} // namespace fd::rollouttest
