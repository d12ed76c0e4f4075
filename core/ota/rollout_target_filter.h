#pragma once

#include "core/domain/device.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace fd {

// Which devices of the inventory a rollout targets: filters (source= site= model= tag=
// firmware= online=true|false; different keys AND, the same key repeated OR) and the
// artifact's compatibility (model listed, version newer than the device's unless rollback,
// not a Sparkplug device). Pure: a function over a device list, no I/O; used by
// `fleetdeckctl rollout create` and the UI's rollout wizard.
class RolloutTargetFilter
{
    Q_DECLARE_TR_FUNCTIONS(fd::RolloutTargetFilter)
public:
    struct Excluded
    {
        Device device;
        QString reason;  // "already on 2.4.0", "model TH-200 is not compatible", ...
    };
    struct Result
    {
        QList<Device> targets;    // ordered by source, then path
        QList<Excluded> excluded; // devices matching the filters but not compatible, same order
    };

    static QStringList keys();  // source site model tag firmware online

    // Adds "key=value"; false with *error for an unknown key or a bad value.
    bool add(QStringView expression, QString *error);
    bool add(const QString &key, const QString &value, QString *error);
    bool isEmpty() const { return m_values.isEmpty(); }
    // Does the device pass the filters (compatibility aside)?
    bool matches(const Device &device) const;
    // {"site":["a","b"],"model":["TH-100"]}: the filter as given (rollouts.targets).
    QJsonObject toJson() const;

    // Filters, then splits by compatibility with an artifact of `version` for `models`.
    Result select(const QList<Device> &inventory, const QString &version, const QStringList &models,
                  bool rollback) const;

    // Why a device cannot take this artifact ('' when it can).
    static QString incompatibility(const Device &device, const QString &version, const QStringList &models,
                                   bool rollback);
    static bool isSparkplug(const Device &device);

private:
    QMap<QString, QStringList> m_values;  // key -> accepted values (OR)
};

} // namespace fd
