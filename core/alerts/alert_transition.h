#pragma once

#include "core/domain/device_key.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace fd {

// What the rule engine found for one (rule, device): the condition fired (Raise), still
// holds (Update: newest value and time, at most every AlertEvaluator::kUpdateIntervalMs of
// sample time), or cleared. AlertService turns them into alert rows. A device path empty:
// the whole source (its connection is down).
struct AlertTransition
{
    enum class Kind : quint8 { Raise, Update, Clear };

    Kind kind = Kind::Raise;
    qint64 ruleId = 0;
    DeviceKey device;
    QString site;      // the device's site at the time
    qint64 tsMs = 0;   // sample time (receive time for offline / no data)
    QString value;     // display text of the value, if any
    QString message;   // for the operator, plain text
};

// A rule's saved evaluation state for one device (table alert_rule_state), so a condition
// that holds but has not held long enough yet ("pending") survives a restart. An empty
// state deletes the row.
struct RuleStateRecord
{
    qint64 ruleId = 0;
    DeviceKey device;
    QByteArray state;  // RuleSeriesState::serialize()
};

} // namespace fd

Q_DECLARE_METATYPE(fd::AlertTransition)
Q_DECLARE_METATYPE(fd::RuleStateRecord)
