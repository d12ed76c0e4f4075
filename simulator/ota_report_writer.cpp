#include "simulator/ota_report_writer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace fd::sim {

namespace {

bool save(const QString &path, const QJsonObject &root, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write OTA report %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool OtaReportWriter::write(const QString &path, const QList<DeviceRecord> &devices, QString *error)
{
    QJsonObject root;
    for (const DeviceRecord &d : devices) {
        QJsonObject jobs;
        for (auto it = d.jobs.cbegin(); it != d.jobs.cend(); ++it)
            jobs.insert(it.key(), it.value());
        QJsonObject o;
        o.insert(QStringLiteral("fw_version"), d.fwVersion);
        o.insert(QStringLiteral("jobs"), jobs);
        o.insert(QStringLiteral("installs"), d.installs);
        root.insert(d.id, o);
    }
    return save(path, root, error);
}

bool OtaReportWriter::merge(const QStringList &shardPaths, const QString &path, QString *error)
{
    QJsonObject all;
    for (const QString &shard : shardPaths) {
        QFile file(shard);
        if (!file.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("shard OTA report %1 is missing: %2").arg(shard, file.errorString());
            return false;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (!doc.isObject()) {
            if (error)
                *error = QStringLiteral("shard OTA report %1 is not a JSON object: %2").arg(shard, parseError.errorString());
            return false;
        }
        const QJsonObject part = doc.object();
        for (auto it = part.constBegin(); it != part.constEnd(); ++it)
            all.insert(it.key(), it.value());
    }
    return save(path, all, error);
}

} // namespace fd::sim
