#pragma once

#include <QCoreApplication>
#include <QString>

namespace fd {

// How long the cache keeps telemetry, per level, in days (by sample timestamp): raw rows,
// per-minute rollups and per-hour rollups. kKeepForever (0) keeps a level forever.
//
// Rule: a coarser level never expires before a finer one (minute >= raw, hour >= minute;
// "forever" at a level means forever at every coarser level), so a chart can always fall
// back from pruned raw rows to the rollups that summarise them. isValid() checks the rule
// for what an operator entered; normalized() applies it by raising the coarser levels,
// which is also what StorageWriter does with whatever it is given.
struct RetentionPolicy
{
    Q_DECLARE_TR_FUNCTIONS(fd::RetentionPolicy)

public:
    static constexpr int kKeepForever = 0;
    static constexpr int kMaxDays = 100 * 366;
    static constexpr int kDefaultRawDays = 7;
    static constexpr int kDefaultMinuteDays = 90;
    static constexpr int kDefaultHourDays = 730;

    int rawDays = kDefaultRawDays;
    int minuteDays = kDefaultMinuteDays;
    int hourDays = kDefaultHourDays;

    static bool keepsForever(int days) { return days <= kKeepForever; }
    // "7 days" or "forever", for messages.
    static QString describe(int days);

    // False, with a sentence for the operator, when a level is out of range (negative or
    // above kMaxDays) or a coarser level would expire before a finer one.
    bool isValid(QString *problem = nullptr) const;
    // Out-of-range values clamped, coarser levels raised to at least their finer level.
    RetentionPolicy normalized() const;
    // True when some level of this policy (normalized) keeps less than the same level of
    // before (normalized): data may have to be deleted now.
    bool isShorterThan(const RetentionPolicy &before) const;

    bool operator==(const RetentionPolicy &) const = default;
};

} // namespace fd
