#pragma once

#include "core/domain/alert_scope.h"
#include "core/domain/alert_severity.h"

#include <QMetaType>
#include <QString>
#include <QStringView>

#include <limits>
#include <optional>

namespace fd {

// What makes an alert (docs/alerts.md). Durations are held on the samples' own timestamps
// (`ts`), so a replay evaluates like live data; NoData and Offline are measured on the
// receive clock (nothing arrives to carry a timestamp).
enum class AlertRuleKind : quint8 {
    Above,        // value > threshold for for_s; clears at value < clear_below (default threshold)
    Below,        // value < threshold for for_s; clears at value > clear_above (default threshold)
    Outside,      // value outside [low, high] for for_s; clears inside [clear_low, clear_high]
    Occurrences,  // `count` samples meeting `condition` threshold within window_s; clears
                  // once a whole window passes without one
    Rate,         // |change per second| between consecutive samples above threshold
                  // (direction rise / fall / any); clears at or below clear_threshold
    Stuck,        // value unchanged (within tolerance) for for_s; clears when it moves
    NoData,       // no sample of the metric (any telemetry if no metric) for for_s
    Offline,      // the device reported offline (status, Last Will) for for_s
    CertificateExpiring,  // the device's newest valid certificate (fleet PKI) expires within
                          // `threshold` days, or has expired; evaluated from the certificate
                          // inventory (CertificateExpiryEvaluator), not from telemetry
};

struct AlertRule
{
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    enum class Direction : quint8 { Any, Rise, Fall };

    qint64 id = 0;  // operations store row; 0 until stored
    QString name;   // unique among the rules, 1..128 characters
    QString description;
    AlertSeverity severity = AlertSeverity::Major;
    AlertScope scope;
    AlertRuleKind kind = AlertRuleKind::Above;
    QString metric;              // every kind but Offline (optional for NoData)
    double threshold = kNone;    // Above, Below, Occurrences, Rate
    double clearThreshold = kNone;  // Above: clear_below; Below: clear_above; Rate; NaN: threshold
    double low = kNone;          // Outside
    double high = kNone;
    double clearLow = kNone;     // Outside hysteresis; NaN: low / high
    double clearHigh = kNone;
    bool conditionAbove = true;  // Occurrences: a sample counts when above (else below) threshold
    int count = 0;               // Occurrences
    qint64 windowMs = 0;         // Occurrences
    Direction direction = Direction::Any;  // Rate
    double tolerance = 0.0;      // Stuck
    qint64 forMs = 0;            // hold time before firing
    qint64 clearForMs = 0;       // hold time before clearing
    bool enabled = true;

    static constexpr int kMaxNameLength = 128;
    static constexpr qint64 kMaxDurationMs = 366LL * 24 * 3600 * 1000;
    static constexpr int kMaxCount = 10000;

    // Empty when the rule is complete and consistent, else the first problem, phrased for an
    // operator ("threshold is required for kind above").
    QString validate() const;
    bool usesMetric() const { return kind != AlertRuleKind::Offline && kind != AlertRuleKind::CertificateExpiring; }
    bool needsMetric() const { return usesMetric() && kind != AlertRuleKind::NoData; }
    // Evaluated per sample (the others on the receive clock, or from the certificate inventory).
    bool isSampleRule() const { return needsMetric(); }
    // Evaluated by the telemetry rule engine (AlertEngine); certificate rules are not.
    bool isTelemetryRule() const { return kind != AlertRuleKind::CertificateExpiring; }
    static constexpr int kMaxCertificateDays = 3650;
    // The effective clear bounds (defaults applied).
    double effectiveClear() const { return clearThreshold == clearThreshold ? clearThreshold : threshold; }
    double effectiveClearLow() const { return clearLow == clearLow ? clearLow : low; }
    double effectiveClearHigh() const { return clearHigh == clearHigh ? clearHigh : high; }
    // One line for an operator: "temperature above 40 for 10 s (clears below 35)".
    QString conditionText() const;

    static QString kindKey(AlertRuleKind kind);  // "above", "below", "outside", "occurrences",
                                                 // "rate", "stuck", "no_data", "offline",
                                                 // "certificate_expiring"
    static std::optional<AlertRuleKind> kindFromKey(QStringView key);
    static QString directionKey(Direction direction);  // "any", "rise", "fall"
    static std::optional<Direction> directionFromKey(QStringView key);

    // Same definition (ids aside); NaN fields compare equal.
    bool sameDefinition(const AlertRule &other) const;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::AlertRule)
