#include "core/domain/alert_rule.h"

#include <QCoreApplication>

#include <cmath>

namespace fd {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fd::AlertRule", text);
}

bool isSet(double v)
{
    return !std::isnan(v);
}

bool sameNumber(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

QString number(double v)
{
    return QString::number(v, 'g', 10);
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 10);
}

} // namespace

QString AlertRule::kindKey(AlertRuleKind kind)
{
    switch (kind) {
    case AlertRuleKind::Above: return QStringLiteral("above");
    case AlertRuleKind::Below: return QStringLiteral("below");
    case AlertRuleKind::Outside: return QStringLiteral("outside");
    case AlertRuleKind::Occurrences: return QStringLiteral("occurrences");
    case AlertRuleKind::Rate: return QStringLiteral("rate");
    case AlertRuleKind::Stuck: return QStringLiteral("stuck");
    case AlertRuleKind::NoData: return QStringLiteral("no_data");
    case AlertRuleKind::Offline: return QStringLiteral("offline");
    case AlertRuleKind::CertificateExpiring: return QStringLiteral("certificate_expiring");
    }
    return QStringLiteral("above");
}

std::optional<AlertRuleKind> AlertRule::kindFromKey(QStringView key)
{
    for (AlertRuleKind k : {AlertRuleKind::Above, AlertRuleKind::Below, AlertRuleKind::Outside,
                            AlertRuleKind::Occurrences, AlertRuleKind::Rate, AlertRuleKind::Stuck,
                            AlertRuleKind::NoData, AlertRuleKind::Offline, AlertRuleKind::CertificateExpiring}) {
        if (key == kindKey(k))
            return k;
    }
    return std::nullopt;
}

QString AlertRule::directionKey(Direction direction)
{
    switch (direction) {
    case Direction::Any: return QStringLiteral("any");
    case Direction::Rise: return QStringLiteral("rise");
    case Direction::Fall: return QStringLiteral("fall");
    }
    return QStringLiteral("any");
}

std::optional<AlertRule::Direction> AlertRule::directionFromKey(QStringView key)
{
    for (Direction d : {Direction::Any, Direction::Rise, Direction::Fall}) {
        if (key == directionKey(d))
            return d;
    }
    return std::nullopt;
}

QString AlertRule::validate() const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return tr("the rule has no name");
    if (name.size() > kMaxNameLength)
        return tr("the name is longer than %1 characters").arg(kMaxNameLength);
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return tr("the name contains a control character");
    }
    if (needsMetric() && metric.trimmed().isEmpty())
        return tr("a metric is required for kind %1").arg(kindKey(kind));
    if (metric.size() > 128)
        return tr("the metric name is longer than 128 characters");
    if (scope.kind != AlertScope::Kind::All && scope.value.isEmpty())
        return tr("the scope %1 needs a value").arg(AlertScope::kindKey(scope.kind));
    if (forMs < 0 || forMs > kMaxDurationMs)
        return tr("for_s must be between 0 and %1").arg(kMaxDurationMs / 1000);
    if (clearForMs < 0 || clearForMs > kMaxDurationMs)
        return tr("clear_for_s must be between 0 and %1").arg(kMaxDurationMs / 1000);
    const auto finiteOrUnset = [](double v) { return std::isnan(v) || std::isfinite(v); };
    if (!finiteOrUnset(threshold) || !finiteOrUnset(clearThreshold) || !finiteOrUnset(low) || !finiteOrUnset(high)
        || !finiteOrUnset(clearLow) || !finiteOrUnset(clearHigh) || !std::isfinite(tolerance))
        return tr("thresholds must be finite numbers");

    switch (kind) {
    case AlertRuleKind::Above:
        if (!isSet(threshold))
            return tr("threshold is required for kind above");
        if (isSet(clearThreshold) && clearThreshold > threshold)
            return tr("clear_below (%1) must not be above the threshold (%2)").arg(number(clearThreshold), number(threshold));
        break;
    case AlertRuleKind::Below:
        if (!isSet(threshold))
            return tr("threshold is required for kind below");
        if (isSet(clearThreshold) && clearThreshold < threshold)
            return tr("clear_above (%1) must not be below the threshold (%2)").arg(number(clearThreshold), number(threshold));
        break;
    case AlertRuleKind::Outside:
        if (!isSet(low) || !isSet(high))
            return tr("low and high are required for kind outside");
        if (low > high)
            return tr("low (%1) is above high (%2)").arg(number(low), number(high));
        if (effectiveClearLow() < low || effectiveClearHigh() > high || effectiveClearLow() > effectiveClearHigh())
            return tr("the clear range must lie within [low, high]");
        break;
    case AlertRuleKind::Occurrences:
        if (!isSet(threshold))
            return tr("threshold is required for kind occurrences");
        if (count < 1 || count > kMaxCount)
            return tr("count must be between 1 and %1").arg(kMaxCount);
        if (windowMs <= 0 || windowMs > kMaxDurationMs)
            return tr("window_s must be above 0 and at most %1").arg(kMaxDurationMs / 1000);
        break;
    case AlertRuleKind::Rate:
        if (!isSet(threshold) || threshold <= 0)
            return tr("threshold (change per second) must be above 0 for kind rate");
        if (isSet(clearThreshold) && (clearThreshold < 0 || clearThreshold > threshold))
            return tr("clear_threshold must be between 0 and the threshold");
        break;
    case AlertRuleKind::Stuck:
        if (forMs <= 0)
            return tr("for_s must be above 0 for kind stuck");
        if (tolerance < 0)
            return tr("tolerance must not be negative");
        break;
    case AlertRuleKind::NoData:
    case AlertRuleKind::Offline:
        if (forMs <= 0)
            return tr("for_s must be above 0 for kind %1").arg(kindKey(kind));
        break;
    case AlertRuleKind::CertificateExpiring:
        if (!isSet(threshold) || threshold < 1 || threshold > kMaxCertificateDays)
            return tr("threshold (days before expiry) must be between 1 and %1 for kind certificate_expiring")
                .arg(kMaxCertificateDays);
        break;
    }
    return {};
}

QString AlertRule::conditionText() const
{
    QString text;
    switch (kind) {
    case AlertRuleKind::Above:
        text = tr("%1 above %2").arg(metric, number(threshold));
        break;
    case AlertRuleKind::Below:
        text = tr("%1 below %2").arg(metric, number(threshold));
        break;
    case AlertRuleKind::Outside:
        text = tr("%1 outside %2 … %3").arg(metric, number(low), number(high));
        break;
    case AlertRuleKind::Occurrences:
        text = tr("%1 %2 %3, %4 times within %5 s")
                   .arg(metric, conditionAbove ? tr("above") : tr("below"), number(threshold))
                   .arg(count)
                   .arg(seconds(windowMs));
        break;
    case AlertRuleKind::Rate:
        text = tr("%1 changing faster than %2 per second").arg(metric, number(threshold));
        if (direction == Direction::Rise)
            text += tr(" (rising)");
        else if (direction == Direction::Fall)
            text += tr(" (falling)");
        break;
    case AlertRuleKind::Stuck:
        text = tr("%1 unchanged").arg(metric);
        break;
    case AlertRuleKind::NoData:
        text = metric.isEmpty() ? tr("no telemetry") : tr("no %1 data").arg(metric);
        break;
    case AlertRuleKind::Offline:
        text = tr("offline");
        break;
    case AlertRuleKind::CertificateExpiring:
        text = tr("certificate expires within %1 days").arg(number(threshold));
        break;
    }
    if (forMs > 0 && kind != AlertRuleKind::Occurrences)
        text += tr(" for %1 s").arg(seconds(forMs));
    if (kind == AlertRuleKind::Above && isSet(clearThreshold) && clearThreshold != threshold)
        text += tr(" (clears below %1)").arg(number(clearThreshold));
    else if (kind == AlertRuleKind::Below && isSet(clearThreshold) && clearThreshold != threshold)
        text += tr(" (clears above %1)").arg(number(clearThreshold));
    return text;
}

bool AlertRule::sameDefinition(const AlertRule &o) const
{
    return name == o.name && description == o.description && severity == o.severity && scope == o.scope
        && kind == o.kind && metric == o.metric && sameNumber(threshold, o.threshold)
        && sameNumber(clearThreshold, o.clearThreshold) && sameNumber(low, o.low) && sameNumber(high, o.high)
        && sameNumber(clearLow, o.clearLow) && sameNumber(clearHigh, o.clearHigh)
        && conditionAbove == o.conditionAbove && count == o.count && windowMs == o.windowMs
        && direction == o.direction && tolerance == o.tolerance && forMs == o.forMs && clearForMs == o.clearForMs
        && enabled == o.enabled;
}

} // namespace fd
