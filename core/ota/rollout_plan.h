#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <optional>

namespace fd {

// One wave of a rollout plan: "N%" (the CUMULATIVE share of the non-canary targets reached
// by the end of this wave) or "N" (that many devices in this wave). The last wave always
// takes the rest, whatever it says.
struct RolloutWave
{
    bool percent = true;
    int value = 100;

    QString toString() const;  // "50%" or "20"
    static std::optional<RolloutWave> parse(QStringView text, QString *error);
    friend bool operator==(const RolloutWave &, const RolloutWave &) = default;
};

// Stop the rollout when too many devices fail (AWS IoT Jobs abort config).
struct RolloutAbortCriterion
{
    enum class Kind : quint8 { Failed, Rejected, TimedOut, All };  // keys failed rejected timed_out all
    Kind kind = Kind::All;
    int thresholdPct = 10;  // 1..100: trips when failures*100 >= thresholdPct*executed
    int minExecuted = 10;   // 1..1000000: devices finished (terminal, after retries) before it can trip

    static QString kindKey(Kind kind);
    static std::optional<Kind> kindFromKey(QStringView key);
    friend bool operator==(const RolloutAbortCriterion &, const RolloutAbortCriterion &) = default;
};

// Daily maintenance window in UTC, minutes of the day [start, end); start > end wraps
// midnight (22:00-04:00). start == end is refused.
struct MaintenanceWindow
{
    int startMinute = 0;  // 0..1439
    int endMinute = 0;    // 0..1439

    bool contains(qint64 utcMs) const;
    // The next time (>= utcMs) the window is open: utcMs itself when it is open now.
    qint64 nextOpeningMs(qint64 utcMs) const;
    QString toString() const;  // "22:00-04:00"
    static std::optional<MaintenanceWindow> parse(QStringView text, QString *error);  // "HH:MM-HH:MM"
    friend bool operator==(const MaintenanceWindow &, const MaintenanceWindow &) = default;
};

// How a rollout proceeds (rollouts.plan as compact JSON). See docs/ota.md "Rollouts".
struct RolloutPlan
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutPlan)
public:
    enum class AfterWave : quint8 { NextWave, PauseForApproval };  // keys next_wave pause_for_approval

    static constexpr int kMaxWaves = 20;
    static constexpr int kMaxAbortCriteria = 8;
    static constexpr qsizetype kMaxJsonBytes = 16 * 1024;

    int canary = 0;               // devices (or percent with canaryPercent) in wave 0; 0 = none
    bool canaryPercent = false;
    QList<RolloutWave> waves = QList<RolloutWave>(1, RolloutWave{});  // default one wave "100%"
    int ratePerMinute = 0;        // 0 = unlimited, else 1..1000 dispatches per rolling minute
    double rateIncreaseFactor = 0;  // 0 = constant, else 1.1..5, applied each time...
    int rateIncreaseEvery = 0;    // ...this many devices succeeded (>= 1 when a factor is set)
    int successThresholdPct = 80; // per wave, updated / wave size
    AfterWave afterWave = AfterWave::NextWave;
    QList<RolloutAbortCriterion> abortCriteria;
    int deviceTimeoutS = 1800;    // 60..604800, per attempt since dispatch
    int retries = 0;              // 0..10, for failed and timed_out (rejected never retried)
    qint64 startAtMs = 0;         // 0 = now
    std::optional<MaintenanceWindow> window;
    bool rollback = false;        // explicit rollback rollout (older versions allowed)
    int confirmAboveDevices = 50; // UI asks for the typed device count above this many

    // Empty when the plan is valid, else the first problem for an operator.
    QString validate() const;

    // Sizes indexed by wave number for targetCount ordered targets: [0] the canary (0 when
    // the plan has none), [1..n] the waves. Empty with *error when a wave would get 0
    // devices, a count wave asks for more than is left, or the plan is invalid.
    // Rounding: a canary percentage rounds UP (at least 1 device); a wave percentage is
    // floor(pct * rest / 100) as the cumulative count; the last wave takes the rest.
    QList<int> waveSizes(int targetCount, QString *error) const;

    // The rate of dispatches per minute after `succeeded` devices updated (0 = unlimited).
    int currentRatePerMinute(int succeeded) const;

    // "10%,50%,100%".
    QString wavesString() const;
    static std::optional<QList<RolloutWave>> parseWaves(QStringView text, QString *error);

    // One line per setting, for stderr and the wizard's summary page.
    QString summary(int targetCount) const;

    QJsonObject toJson() const;
    QByteArray toJsonBytes() const;  // compact
    // Strict: unknown keys, wrong types, out-of-range values and oversized input refused.
    static std::optional<RolloutPlan> fromJson(const QJsonObject &json, QString *error);
    static std::optional<RolloutPlan> fromJsonBytes(QByteArrayView bytes, QString *error);

    static QString afterWaveKey(AfterWave after);
    static std::optional<AfterWave> afterWaveFromKey(QStringView key);

    friend bool operator==(const RolloutPlan &, const RolloutPlan &) = default;
};

} // namespace fd
