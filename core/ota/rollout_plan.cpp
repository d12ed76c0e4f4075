#include "core/ota/rollout_plan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <cmath>

namespace fd {
namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
constexpr int kMaxCanaryCount = 100000;
constexpr int kMaxWaveCount = 1000000;

std::optional<int> parseBoundedInt(QStringView text, int low, int high)
{
    if (text.isEmpty() || text.size() > 9)
        return std::nullopt;
    for (QChar c : text) {
        if (!c.isDigit() || c.unicode() > 127)
            return std::nullopt;
    }
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < low || v > high)
        return std::nullopt;
    return v;
}

QString minuteString(int minute)
{
    return QStringLiteral("%1:%2").arg(minute / 60, 2, 10, QLatin1Char('0')).arg(minute % 60, 2, 10, QLatin1Char('0'));
}

std::optional<int> parseMinute(QStringView text)
{
    if (text.size() != 5 || text[2] != QLatin1Char(':'))
        return std::nullopt;
    const auto h = parseBoundedInt(text.first(2), 0, 23);
    const auto m = parseBoundedInt(text.sliced(3), 0, 59);
    if (!h || !m)
        return std::nullopt;
    return *h * 60 + *m;
}

// Strict JSON readers: the right type or a reason.
bool readInt(const QJsonObject &o, const char *key, int low, int high, int *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined())
        return true;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || std::isnan(d) || d != std::floor(d) || d < low || d > high) {
        *error = RolloutPlan::tr("plan: \"%1\" must be an integer from %2 to %3").arg(QLatin1StringView(key)).arg(low).arg(high);
        return false;
    }
    *out = int(d);
    return true;
}

bool readBool(const QJsonObject &o, const char *key, bool *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined())
        return true;
    if (!v.isBool()) {
        *error = RolloutPlan::tr("plan: \"%1\" must be true or false").arg(QLatin1StringView(key));
        return false;
    }
    *out = v.toBool();
    return true;
}

} // namespace

// --- RolloutWave ---

QString RolloutWave::toString() const
{
    return percent ? QStringLiteral("%1%").arg(value) : QString::number(value);
}

std::optional<RolloutWave> RolloutWave::parse(QStringView text, QString *error)
{
    const QStringView t = text.trimmed();
    RolloutWave w;
    w.percent = t.endsWith(QLatin1Char('%'));
    const auto v = w.percent ? parseBoundedInt(t.chopped(1), 1, 100) : parseBoundedInt(t, 1, kMaxWaveCount);
    if (!v) {
        *error = w.percent ? RolloutPlan::tr("wave \"%1\": a percentage must be 1% to 100%").arg(t)
                           : RolloutPlan::tr("wave \"%1\": expected N% or a device count from 1 to %2")
                                 .arg(t)
                                 .arg(kMaxWaveCount);
        return std::nullopt;
    }
    w.value = *v;
    return w;
}

// --- RolloutAbortCriterion ---

QString RolloutAbortCriterion::kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Failed: return QStringLiteral("failed");
    case Kind::Rejected: return QStringLiteral("rejected");
    case Kind::TimedOut: return QStringLiteral("timed_out");
    case Kind::All: break;
    }
    return QStringLiteral("all");
}

std::optional<RolloutAbortCriterion::Kind> RolloutAbortCriterion::kindFromKey(QStringView key)
{
    for (Kind k : {Kind::Failed, Kind::Rejected, Kind::TimedOut, Kind::All}) {
        if (key == kindKey(k))
            return k;
    }
    return std::nullopt;
}

// --- MaintenanceWindow ---

bool MaintenanceWindow::contains(qint64 utcMs) const
{
    const int minute = int(((utcMs % kDayMs + kDayMs) % kDayMs) / 60000);
    if (startMinute < endMinute)
        return minute >= startMinute && minute < endMinute;
    return minute >= startMinute || minute < endMinute;  // wraps midnight
}

qint64 MaintenanceWindow::nextOpeningMs(qint64 utcMs) const
{
    if (contains(utcMs))
        return utcMs;
    const qint64 dayStart = utcMs - ((utcMs % kDayMs + kDayMs) % kDayMs);
    const qint64 today = dayStart + qint64(startMinute) * 60000;
    return today > utcMs ? today : today + kDayMs;
}

QString MaintenanceWindow::toString() const
{
    return minuteString(startMinute) + QLatin1Char('-') + minuteString(endMinute);
}

std::optional<MaintenanceWindow> MaintenanceWindow::parse(QStringView text, QString *error)
{
    const QStringView t = text.trimmed();
    const qsizetype dash = t.indexOf(QLatin1Char('-'));
    const auto start = dash < 0 ? std::nullopt : parseMinute(t.first(dash));
    const auto end = dash < 0 ? std::nullopt : parseMinute(t.sliced(dash + 1));
    if (!start || !end) {
        *error = RolloutPlan::tr("window \"%1\": expected HH:MM-HH:MM (UTC)").arg(t);
        return std::nullopt;
    }
    if (*start == *end) {
        *error = RolloutPlan::tr("window \"%1\": start and end are the same time").arg(t);
        return std::nullopt;
    }
    return MaintenanceWindow{*start, *end};
}

// --- RolloutPlan ---

QString RolloutPlan::afterWaveKey(AfterWave after)
{
    return after == AfterWave::PauseForApproval ? QStringLiteral("pause_for_approval") : QStringLiteral("next_wave");
}

std::optional<RolloutPlan::AfterWave> RolloutPlan::afterWaveFromKey(QStringView key)
{
    if (key == u"next_wave")
        return AfterWave::NextWave;
    if (key == u"pause_for_approval")
        return AfterWave::PauseForApproval;
    return std::nullopt;
}

QString RolloutPlan::validate() const
{
    if (canary < 0 || (canaryPercent && canary > 50) || (!canaryPercent && canary > kMaxCanaryCount))
        return canaryPercent ? tr("canary: a percentage must be 1% to 50% (0 for none)")
                             : tr("canary: a count must be 0 to %1").arg(kMaxCanaryCount);
    if (waves.isEmpty())
        return tr("waves: at least one wave is needed");
    if (waves.size() > kMaxWaves)
        return tr("waves: at most %1 waves").arg(kMaxWaves);
    int lastPct = 0;
    for (qsizetype i = 0; i < waves.size(); ++i) {
        const RolloutWave &w = waves[i];
        if (w.percent) {
            if (w.value < 1 || w.value > 100)
                return tr("wave %1 (%2): a percentage must be 1% to 100%").arg(i + 1).arg(w.toString());
            if (w.value <= lastPct)
                return tr("wave %1 (%2): percentages must increase (the previous wave reaches %3%)")
                    .arg(i + 1)
                    .arg(w.toString())
                    .arg(lastPct);
            lastPct = w.value;
        } else if (w.value < 1 || w.value > kMaxWaveCount) {
            return tr("wave %1 (%2): a device count must be 1 to %3").arg(i + 1).arg(w.toString()).arg(kMaxWaveCount);
        }
    }
    if (ratePerMinute < 0 || ratePerMinute > 1000)
        return tr("rate: 1 to 1000 devices per minute (0 for unlimited)");
    if (rateIncreaseFactor != 0) {
        if (!(rateIncreaseFactor >= 1.1 && rateIncreaseFactor <= 5))
            return tr("rate increase: the factor must be 1.1 to 5");
        if (ratePerMinute == 0)
            return tr("rate increase: needs a rate per minute to increase");
        if (rateIncreaseEvery < 1 || rateIncreaseEvery > kMaxWaveCount)
            return tr("rate increase: needs the number of devices (1 to %1) after which it applies")
                .arg(kMaxWaveCount);
    } else if (rateIncreaseEvery != 0) {
        return tr("rate increase: a device count without a factor");
    }
    if (successThresholdPct < 0 || successThresholdPct > 100)
        return tr("success threshold: 0% to 100%");
    if (abortCriteria.size() > kMaxAbortCriteria)
        return tr("abort: at most %1 criteria").arg(kMaxAbortCriteria);
    for (const RolloutAbortCriterion &c : abortCriteria) {
        if (c.thresholdPct < 1 || c.thresholdPct > 100)
            return tr("abort (%1): the threshold must be 1% to 100%").arg(RolloutAbortCriterion::kindKey(c.kind));
        if (c.minExecuted < 1 || c.minExecuted > kMaxWaveCount)
            return tr("abort (%1): the minimum of finished devices must be 1 to %2")
                .arg(RolloutAbortCriterion::kindKey(c.kind))
                .arg(kMaxWaveCount);
    }
    if (deviceTimeoutS < 60 || deviceTimeoutS > 604800)
        return tr("timeout: 60 to 604800 seconds (1 minute to 7 days) per device");
    if (retries < 0 || retries > 10)
        return tr("retries: 0 to 10");
    if (startAtMs < 0)
        return tr("start time: before 1970");
    if (window) {
        if (window->startMinute < 0 || window->startMinute > 1439 || window->endMinute < 0
            || window->endMinute > 1439 || window->startMinute == window->endMinute)
            return tr("window: start and end must be different times of day (00:00 to 23:59)");
    }
    if (confirmAboveDevices < 0 || confirmAboveDevices > kMaxWaveCount)
        return tr("confirmation: 0 to %1 devices").arg(kMaxWaveCount);
    return {};
}

QList<int> RolloutPlan::waveSizes(int targetCount, QString *error) const
{
    const QString invalid = validate();
    if (!invalid.isEmpty()) {
        *error = invalid;
        return {};
    }
    if (targetCount <= 0) {
        *error = tr("no target devices");
        return {};
    }
    int canarySize = 0;
    if (canary > 0) {
        // A canary percentage rounds up: "1%" of 50 devices is one device, never none.
        canarySize = canaryPercent ? int((qint64(canary) * targetCount + 99) / 100) : canary;
        if (canarySize >= targetCount) {
            *error = tr("the canary (%1) would take %2 of %3 devices and leave none for the waves")
                         .arg(canaryPercent ? QStringLiteral("%1%").arg(canary) : QString::number(canary))
                         .arg(canarySize)
                         .arg(targetCount);
            return {};
        }
    }
    const int rest = targetCount - canarySize;
    QList<int> sizes{canarySize};
    int reached = 0;  // cumulative devices of the waves so far
    for (qsizetype i = 0; i < waves.size(); ++i) {
        const RolloutWave &w = waves[i];
        const bool last = i == waves.size() - 1;
        int size = 0;
        if (last) {
            size = rest - reached;  // the last wave always takes the rest
        } else if (w.percent) {
            const int cumulative = int(qint64(w.value) * rest / 100);  // floor
            size = cumulative - reached;
        } else {
            size = w.value;
            if (reached + size > rest) {
                *error = tr("wave %1 (%2 devices) needs more than the %3 of %4 devices left")
                             .arg(i + 1)
                             .arg(w.value)
                             .arg(rest - reached)
                             .arg(rest);
                return {};
            }
        }
        if (size <= 0) {
            *error = tr("wave %1 (%2) would get 0 of %3 devices").arg(i + 1).arg(w.toString()).arg(rest);
            return {};
        }
        reached += size;
        sizes.append(size);
    }
    return sizes;
}

int RolloutPlan::currentRatePerMinute(int succeeded) const
{
    if (ratePerMinute <= 0)
        return 0;
    if (rateIncreaseFactor <= 0 || rateIncreaseEvery <= 0)
        return ratePerMinute;
    const int steps = qMin(succeeded / rateIncreaseEvery, 100);
    const double rate = ratePerMinute * std::pow(rateIncreaseFactor, steps);
    return rate >= 1000 ? 1000 : qMax(1, int(rate));
}

QString RolloutPlan::wavesString() const
{
    QStringList parts;
    for (const RolloutWave &w : waves)
        parts.append(w.toString());
    return parts.join(QLatin1Char(','));
}

std::optional<QList<RolloutWave>> RolloutPlan::parseWaves(QStringView text, QString *error)
{
    QList<RolloutWave> out;
    const auto parts = text.split(QLatin1Char(','));
    if (parts.size() > kMaxWaves) {
        *error = tr("waves: at most %1 waves").arg(kMaxWaves);
        return std::nullopt;
    }
    for (QStringView part : parts) {
        const auto w = RolloutWave::parse(part, error);
        if (!w)
            return std::nullopt;
        out.append(*w);
    }
    return out;
}

QString RolloutPlan::summary(int targetCount) const
{
    QStringList lines;
    QString error;
    const QList<int> sizes = waveSizes(targetCount, &error);
    lines.append(tr("targets: %1 devices").arg(targetCount));
    if (!sizes.isEmpty()) {
        QStringList parts;
        if (sizes[0] > 0)
            parts.append(tr("canary %1").arg(sizes[0]));
        for (qsizetype i = 1; i < sizes.size(); ++i)
            parts.append(tr("wave %1: %2").arg(i).arg(sizes[i]));
        lines.append(tr("waves: %1 (%2)").arg(wavesString(), parts.join(QStringLiteral(", "))));
    } else {
        lines.append(tr("waves: %1 (%2)").arg(wavesString(), error));
    }
    lines.append(tr("after each wave: %1, success threshold %2%")
                     .arg(afterWave == AfterWave::NextWave ? tr("next wave") : tr("pause for approval"))
                     .arg(successThresholdPct));
    if (ratePerMinute == 0)
        lines.append(tr("rate: unlimited"));
    else if (rateIncreaseFactor > 0)
        lines.append(tr("rate: %1 per minute, x%2 every %3 devices updated")
                         .arg(ratePerMinute)
                         .arg(rateIncreaseFactor)
                         .arg(rateIncreaseEvery));
    else
        lines.append(tr("rate: %1 per minute").arg(ratePerMinute));
    for (const RolloutAbortCriterion &c : abortCriteria)
        lines.append(tr("abort when %1 >= %2% after %3 devices finished")
                         .arg(RolloutAbortCriterion::kindKey(c.kind))
                         .arg(c.thresholdPct)
                         .arg(c.minExecuted));
    lines.append(tr("device timeout: %1 s, retries: %2").arg(deviceTimeoutS).arg(retries));
    if (window)
        lines.append(tr("maintenance window: %1 UTC").arg(window->toString()));
    if (rollback)
        lines.append(tr("rollback rollout: older versions allowed"));
    return lines.join(QLatin1Char('\n'));
}

QJsonObject RolloutPlan::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("canary"), canary);
    o.insert(QStringLiteral("canary_percent"), canaryPercent);
    QJsonArray w;
    for (const RolloutWave &wave : waves)
        w.append(wave.toString());
    o.insert(QStringLiteral("waves"), w);
    o.insert(QStringLiteral("rate_per_minute"), ratePerMinute);
    o.insert(QStringLiteral("rate_increase_factor"), rateIncreaseFactor);
    o.insert(QStringLiteral("rate_increase_every"), rateIncreaseEvery);
    o.insert(QStringLiteral("success_threshold_pct"), successThresholdPct);
    o.insert(QStringLiteral("after_wave"), afterWaveKey(afterWave));
    QJsonArray abort;
    for (const RolloutAbortCriterion &c : abortCriteria) {
        abort.append(QJsonObject{{QStringLiteral("kind"), RolloutAbortCriterion::kindKey(c.kind)},
                                 {QStringLiteral("threshold_pct"), c.thresholdPct},
                                 {QStringLiteral("min_executed"), c.minExecuted}});
    }
    o.insert(QStringLiteral("abort"), abort);
    o.insert(QStringLiteral("device_timeout_s"), deviceTimeoutS);
    o.insert(QStringLiteral("retries"), retries);
    o.insert(QStringLiteral("start_at_ms"), double(startAtMs));
    if (window)
        o.insert(QStringLiteral("window"), window->toString());
    o.insert(QStringLiteral("rollback"), rollback);
    o.insert(QStringLiteral("confirm_above_devices"), confirmAboveDevices);
    return o;
}

QByteArray RolloutPlan::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

std::optional<RolloutPlan> RolloutPlan::fromJson(const QJsonObject &o, QString *error)
{
    static const QSet<QString> kKeys = {
        QStringLiteral("canary"), QStringLiteral("canary_percent"), QStringLiteral("waves"),
        QStringLiteral("rate_per_minute"), QStringLiteral("rate_increase_factor"),
        QStringLiteral("rate_increase_every"), QStringLiteral("success_threshold_pct"),
        QStringLiteral("after_wave"), QStringLiteral("abort"), QStringLiteral("device_timeout_s"),
        QStringLiteral("retries"), QStringLiteral("start_at_ms"), QStringLiteral("window"),
        QStringLiteral("rollback"), QStringLiteral("confirm_above_devices")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!kKeys.contains(it.key())) {
            *error = tr("plan: unknown key \"%1\"").arg(it.key().left(64));
            return std::nullopt;
        }
    }
    RolloutPlan p;
    if (!readInt(o, "canary", 0, kMaxCanaryCount, &p.canary, error) || !readBool(o, "canary_percent", &p.canaryPercent, error)
        || !readInt(o, "rate_per_minute", 0, 1000, &p.ratePerMinute, error)
        || !readInt(o, "rate_increase_every", 0, kMaxWaveCount, &p.rateIncreaseEvery, error)
        || !readInt(o, "success_threshold_pct", 0, 100, &p.successThresholdPct, error)
        || !readInt(o, "device_timeout_s", 60, 604800, &p.deviceTimeoutS, error)
        || !readInt(o, "retries", 0, 10, &p.retries, error)
        || !readBool(o, "rollback", &p.rollback, error)
        || !readInt(o, "confirm_above_devices", 0, kMaxWaveCount, &p.confirmAboveDevices, error))
        return std::nullopt;
    if (o.contains(u"rate_increase_factor")) {
        const QJsonValue v = o.value(u"rate_increase_factor");
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0 || v.toDouble() > 5) {
            *error = tr("plan: \"rate_increase_factor\" must be 0 or a number from 1.1 to 5");
            return std::nullopt;
        }
        p.rateIncreaseFactor = v.toDouble();
    }
    if (o.contains(u"waves")) {
        const QJsonValue v = o.value(u"waves");
        if (!v.isArray() || v.toArray().isEmpty() || v.toArray().size() > kMaxWaves) {
            *error = tr("plan: \"waves\" must be a list of 1 to %1 waves").arg(kMaxWaves);
            return std::nullopt;
        }
        p.waves.clear();
        for (const QJsonValue &w : v.toArray()) {
            if (!w.isString()) {
                *error = tr("plan: a wave must be a string (\"N%\" or \"N\")");
                return std::nullopt;
            }
            const auto wave = RolloutWave::parse(w.toString(), error);
            if (!wave)
                return std::nullopt;
            p.waves.append(*wave);
        }
    }
    if (o.contains(u"after_wave")) {
        const auto after = afterWaveFromKey(o.value(u"after_wave").toString());
        if (!after) {
            *error = tr("plan: \"after_wave\" must be \"next_wave\" or \"pause_for_approval\"");
            return std::nullopt;
        }
        p.afterWave = *after;
    }
    if (o.contains(u"abort")) {
        const QJsonValue v = o.value(u"abort");
        if (!v.isArray() || v.toArray().size() > kMaxAbortCriteria) {
            *error = tr("plan: \"abort\" must be a list of at most %1 criteria").arg(kMaxAbortCriteria);
            return std::nullopt;
        }
        for (const QJsonValue &c : v.toArray()) {
            const QJsonObject co = c.toObject();
            if (!c.isObject() || co.size() != 3) {
                *error = tr("plan: an abort criterion is {\"kind\", \"threshold_pct\", \"min_executed\"}");
                return std::nullopt;
            }
            RolloutAbortCriterion crit;
            const auto kind = RolloutAbortCriterion::kindFromKey(co.value(u"kind").toString());
            if (!kind) {
                *error = tr("plan: an abort kind is failed, rejected, timed_out or all");
                return std::nullopt;
            }
            crit.kind = *kind;
            if (!co.contains(u"threshold_pct") || !co.contains(u"min_executed")
                || !readInt(co, "threshold_pct", 1, 100, &crit.thresholdPct, error)
                || !readInt(co, "min_executed", 1, kMaxWaveCount, &crit.minExecuted, error)) {
                if (error->isEmpty())
                    *error = tr("plan: an abort criterion needs threshold_pct and min_executed");
                return std::nullopt;
            }
            p.abortCriteria.append(crit);
        }
    }
    if (o.contains(u"start_at_ms")) {
        const QJsonValue v = o.value(u"start_at_ms");
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d > 9.0e15 || d != std::floor(d)) {
            *error = tr("plan: \"start_at_ms\" must be a time in ms since 1970");
            return std::nullopt;
        }
        p.startAtMs = qint64(d);
    }
    if (o.contains(u"window")) {
        if (!o.value(u"window").isString()) {
            *error = tr("plan: \"window\" must be \"HH:MM-HH:MM\"");
            return std::nullopt;
        }
        const auto w = MaintenanceWindow::parse(o.value(u"window").toString(), error);
        if (!w)
            return std::nullopt;
        p.window = *w;
    }
    const QString invalid = p.validate();
    if (!invalid.isEmpty()) {
        *error = invalid;
        return std::nullopt;
    }
    return p;
}

std::optional<RolloutPlan> RolloutPlan::fromJsonBytes(QByteArrayView bytes, QString *error)
{
    if (bytes.size() > kMaxJsonBytes) {
        *error = tr("plan: larger than %1 bytes").arg(kMaxJsonBytes);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = tr("plan: not a JSON object (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    return fromJson(doc.object(), error);
}

} // namespace fd
