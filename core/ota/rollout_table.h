#pragma once

#include "core/ota/rollout.h"
#include "core/ota/rollout_engine.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

struct sqlite3;

namespace fd {

class OperationsTransaction;

// Rows of the operations store's rollouts, rollout_devices and rollout_events tables
// (schema v3), read and written on the store's connection (inside a job's transaction for
// writes). No rollout rules here: RolloutEngine decides, this reads and writes.
class RolloutTable
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutTable)
public:
    // Inserts the rollout (its id and uid are assigned: 8 random hex chars, retried on a
    // collision), its devices (rolloutId set), a 'created' event and an audit entry
    // ("rollout.created"). Fills rollout->id/uid and the devices' rolloutId; false with *error.
    static bool insertRollout(OperationsTransaction &tx, Rollout *rollout, QList<RolloutDevice> *devices,
                              QString *error);
    // Writes one decision's changes: the rollout row and device rows as they must become
    // (upsert), the events appended, and an audit entry for each operator event.
    static bool applyChanges(OperationsTransaction &tx, const RolloutChanges &changes, QString *error);

    // Reads one rollout and its devices (ordered by position). *found false if no such id.
    static bool loadRollout(sqlite3 *db, qint64 id, Rollout *rollout, QList<RolloutDevice> *devices, bool *found,
                            QString *error);
    // Every rollout, newest first (id descending).
    static bool listRollouts(sqlite3 *db, QList<Rollout> *out, QString *error);
    // The newest `limit` events of a rollout, in id order.
    static bool events(sqlite3 *db, qint64 rolloutId, QList<RolloutEvent> *out, QString *error, int limit = 1000);
};

} // namespace fd
