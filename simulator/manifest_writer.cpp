#include "simulator/manifest_writer.h"

#include "simulator/sim_options.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace fd::sim {

namespace {

QJsonObject rootObject(const SimOptions &options, const QJsonArray &devices)
{
    QJsonObject root;
    root.insert(QStringLiteral("seed"), QString::number(options.seed));
    root.insert(QStringLiteral("prefix"), options.prefix);
    root.insert(QStringLiteral("qos"), options.qos);
    root.insert(QStringLiteral("devices"), devices);
    if (!options.scenarios.isEmpty()) {
        QJsonArray scenarios;
        for (const ScenarioSpec &spec : options.scenarios)
            scenarios.append(spec.toString());
        root.insert(QStringLiteral("scenarios"), scenarios);
    }
    return root;
}

bool save(const QString &path, const QJsonObject &root, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write manifest %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool ManifestWriter::write(const QString &path, const SimOptions &options, const QList<DeviceRecord> &devices,
                           QString *error)
{
    QJsonArray list;
    for (const DeviceRecord &d : devices) {
        QJsonObject metrics;
        for (const MetricValue &m : d.ledger.lastMetrics)
            metrics.insert(m.name, m.value);
        QJsonObject faults;
        for (auto it = d.ledger.faults.cbegin(); it != d.ledger.faults.cend(); ++it)
            faults.insert(it.key(), double(it.value()));
        QJsonObject o;
        o.insert(QStringLiteral("id"), d.identity.id);
        o.insert(QStringLiteral("name"), d.identity.name);
        o.insert(QStringLiteral("site"), d.identity.site);
        o.insert(QStringLiteral("model"), d.identity.model);
        o.insert(QStringLiteral("fw_version"), d.identity.fwVersion);
        o.insert(QStringLiteral("tags"), QJsonArray::fromStringList(d.identity.tags));
        o.insert(QStringLiteral("online"), d.ledger.retainedOnline.value_or(false));
        o.insert(QStringLiteral("metrics"), metrics);
        o.insert(QStringLiteral("published"), double(d.ledger.published));
        o.insert(QStringLiteral("last_seq"), double(d.ledger.lastSeq));
        o.insert(QStringLiteral("faults"), faults);
        o.insert(QStringLiteral("failed"), double(d.ledger.failed));
        if (!options.scenarios.isEmpty()) {
            QJsonArray scenarios;
            for (const ScenarioAssignment &a : d.scenarios)
                scenarios.append(a.toJson());
            o.insert(QStringLiteral("scenarios"), scenarios);
        }
        list.append(o);
    }
    return save(path, rootObject(options, list), error);
}

bool ManifestWriter::addSection(const QString &path, const QString &key, const QJsonObject &section, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read manifest %1: %2").arg(path, file.errorString());
        return false;
    }
    QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    root.insert(key, section);
    return save(path, root, error);
}

bool ManifestWriter::merge(const QStringList &shardPaths, const QString &path, const SimOptions &options,
                           QString *error)
{
    QJsonArray all;
    for (const QString &shard : shardPaths) {
        QFile file(shard);
        if (!file.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("shard manifest %1 is missing: %2").arg(shard, file.errorString());
            return false;
        }
        const QJsonArray devices =
            QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("devices")).toArray();
        for (const QJsonValue &d : devices)
            all.append(d);
    }
    return save(path, rootObject(options, all), error);
}

} // namespace fd::sim
