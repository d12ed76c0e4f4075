#include "simulator/ota_state_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <cmath>

namespace fd::sim {

namespace {

const QLatin1StringView kFormat("fleetdeck-sim-ota-state");
constexpr int kVersion = 1;
constexpr qsizetype kMaxVersionChars = 64;

bool isValidId(const QString &id)
{
    // Device ids and job ids: what the agent accepts in a job document, and what a topic
    // level may hold.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return re.match(id).hasMatch();
}

bool isFinalState(const QString &state)
{
    static const QStringList states{QStringLiteral("UPDATED"), QStringLiteral("FAILED"), QStringLiteral("REJECTED"),
                                    QStringLiteral("TIMED_OUT"), QStringLiteral("ROLLED_BACK")};
    return states.contains(state);
}

std::optional<int> count(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < 0 || d > 1e9)
        return std::nullopt;
    return int(d);
}

std::optional<OtaStateFile::Device> parseDevice(const QJsonObject &o, QString *error)
{
    auto bad = [error](const QString &why) -> std::optional<OtaStateFile::Device> {
        *error = why;
        return std::nullopt;
    };
    OtaStateFile::Device d;
    d.fwVersion = o.value(QLatin1StringView("fw_version")).toString();
    if (d.fwVersion.isEmpty() || d.fwVersion.size() > kMaxVersionChars)
        return bad(QStringLiteral("fw_version must be a string of 1 to %1 characters").arg(kMaxVersionChars));
    const std::optional<int> installs = count(o.value(QLatin1StringView("installs")));
    if (!installs)
        return bad(QStringLiteral("installs must be a whole number"));
    d.installs = *installs;
    const QJsonValue received = o.value(QLatin1StringView("received"));
    const QJsonValue finished = o.value(QLatin1StringView("finished"));
    if (!received.isObject() || !finished.isObject())
        return bad(QStringLiteral("received and finished must be objects"));
    const QJsonObject r = received.toObject();
    const QJsonObject f = finished.toObject();
    if (r.size() > OtaStateFile::kMaxJobsPerDevice || f.size() > OtaStateFile::kMaxJobsPerDevice)
        return bad(QStringLiteral("more than %1 jobs").arg(OtaStateFile::kMaxJobsPerDevice));
    for (auto it = r.constBegin(); it != r.constEnd(); ++it) {
        const std::optional<int> n = count(it.value());
        if (!isValidId(it.key()) || !n)
            return bad(QStringLiteral("received: a job id of 1 to 64 of [A-Za-z0-9._-] and a count are expected"));
        d.received.insert(it.key(), *n);
    }
    for (auto it = f.constBegin(); it != f.constEnd(); ++it) {
        if (!isValidId(it.key()) || !isFinalState(it.value().toString()))
            return bad(QStringLiteral("finished: a job id and a final state (UPDATED, FAILED, REJECTED, TIMED_OUT, "
                                      "ROLLED_BACK) are expected"));
        d.finished.insert(it.key(), it.value().toString());
    }
    return d;
}

} // namespace

std::optional<OtaStateFile::Devices> OtaStateFile::read(const QString &path, QString *error)
{
    auto bad = [&](const QString &why) -> std::optional<Devices> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, why);
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return Devices();
    if (!info.isFile())
        return bad(QStringLiteral("not a regular file"));
    if (info.size() > kMaxFileBytes)
        return bad(QStringLiteral("larger than %1 bytes, not an OTA state file").arg(kMaxFileBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return bad(QStringLiteral("cannot read it: %1").arg(file.errorString()));
    const QByteArray bytes = file.read(kMaxFileBytes + 1);
    if (bytes.size() > kMaxFileBytes)
        return bad(QStringLiteral("larger than %1 bytes, not an OTA state file").arg(kMaxFileBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return bad(QStringLiteral("damaged: not JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QLatin1StringView("format")).toString() != kFormat)
        return bad(QStringLiteral("not a fleetdeck-sim OTA state file (no \"format\":\"%1\")").arg(kFormat));
    if (root.value(QLatin1StringView("version")).toInt(-1) != kVersion)
        return bad(QStringLiteral("unsupported version (this simulator reads version %1)").arg(kVersion));
    const QJsonValue devices = root.value(QLatin1StringView("devices"));
    if (!devices.isObject())
        return bad(QStringLiteral("damaged: \"devices\" must be an object"));
    const QJsonObject all = devices.toObject();
    if (all.size() > kMaxDevices)
        return bad(QStringLiteral("more than %1 devices").arg(kMaxDevices));
    Devices out;
    for (auto it = all.constBegin(); it != all.constEnd(); ++it) {
        if (!isValidId(it.key()))
            return bad(QStringLiteral("damaged: a device id must be 1 to 64 of [A-Za-z0-9._-]"));
        if (!it.value().isObject())
            return bad(QStringLiteral("damaged: device %1 is not an object").arg(it.key()));
        QString why;
        std::optional<Device> d = parseDevice(it.value().toObject(), &why);
        if (!d)
            return bad(QStringLiteral("damaged: device %1: %2").arg(it.key(), why));
        out.insert(it.key(), std::move(*d));
    }
    return out;
}

std::optional<OtaStateFile::Devices> OtaStateFile::readWithParts(const QString &path, QString *error)
{
    std::optional<Devices> all = read(path, error);
    if (!all)
        return std::nullopt;
    for (const QString &part : existingParts(path)) {
        const std::optional<Devices> devices = read(part, error);
        if (!devices)
            return std::nullopt;
        for (auto it = devices->cbegin(); it != devices->cend(); ++it)
            all->insert(it.key(), it.value());
    }
    if (all->size() > kMaxDevices) {
        if (error)
            *error = QStringLiteral("%1 and its shard parts: more than %2 devices").arg(path).arg(kMaxDevices);
        return std::nullopt;
    }
    return all;
}

bool OtaStateFile::write(const QString &path, const Devices &devices, QString *error)
{
    QJsonObject all;
    for (auto it = devices.cbegin(); it != devices.cend(); ++it) {
        QJsonObject received;
        for (auto j = it->received.cbegin(); j != it->received.cend(); ++j)
            received.insert(j.key(), j.value());
        QJsonObject finished;
        for (auto j = it->finished.cbegin(); j != it->finished.cend(); ++j)
            finished.insert(j.key(), j.value());
        all.insert(it.key(), QJsonObject{{QStringLiteral("fw_version"), it->fwVersion},
                                         {QStringLiteral("installs"), it->installs},
                                         {QStringLiteral("received"), received},
                                         {QStringLiteral("finished"), finished}});
    }
    const QJsonObject root{{QStringLiteral("format"), QString(kFormat)},
                           {QStringLiteral("version"), kVersion},
                           {QStringLiteral("devices"), all}};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0
        || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write the OTA state %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool OtaStateFile::consolidate(const QString &path, QString *error)
{
    const QStringList parts = existingParts(path);
    if (parts.isEmpty())
        return true;
    const std::optional<Devices> all = readWithParts(path, error);
    if (!all || !write(path, *all, error))
        return false;
    for (const QString &part : parts)
        QFile::remove(part);
    return true;
}

QString OtaStateFile::partPath(const QString &path, int shard)
{
    return QStringLiteral("%1.shard-%2").arg(path).arg(shard);
}

QStringList OtaStateFile::existingParts(const QString &path)
{
    const QFileInfo info(path);
    const QString prefix = info.fileName() + QStringLiteral(".shard-");
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,5}$"));
    QStringList out;
    const QDir dir = info.absoluteDir();
    for (const QString &name : dir.entryList({prefix + u'*'}, QDir::Files, QDir::Name)) {
        if (digits.match(name.mid(prefix.size())).hasMatch())
            out << dir.filePath(name);
    }
    return out;
}

} // namespace fd::sim
