#include "core/ota/rollout_target_filter.h"

#include "core/ota/firmware_version.h"

#include <QJsonArray>

#include <algorithm>

namespace fd {
namespace {

constexpr int kMaxValuesPerKey = 100;
constexpr int kMaxValueLength = 256;

bool deviceBefore(const Device &a, const Device &b)
{
    return a.key() < b.key();
}

} // namespace

QStringList RolloutTargetFilter::keys()
{
    return {QStringLiteral("source"), QStringLiteral("site"), QStringLiteral("model"),
            QStringLiteral("tag"), QStringLiteral("firmware"), QStringLiteral("online")};
}

bool RolloutTargetFilter::add(QStringView expression, QString *error)
{
    const qsizetype eq = expression.indexOf(QLatin1Char('='));
    if (eq <= 0) {
        *error = tr("target \"%1\": expected KEY=VALUE with KEY one of %2")
                     .arg(expression.left(kMaxValueLength), keys().join(QStringLiteral(", ")));
        return false;
    }
    return add(expression.first(eq).trimmed().toString(), expression.sliced(eq + 1).trimmed().toString(), error);
}

bool RolloutTargetFilter::add(const QString &key, const QString &value, QString *error)
{
    if (!keys().contains(key)) {
        *error = tr("target \"%1\": unknown key (one of %2)").arg(key.left(64), keys().join(QStringLiteral(", ")));
        return false;
    }
    if (value.isEmpty() || value.size() > kMaxValueLength) {
        *error = tr("target %1: the value must be 1 to %2 characters").arg(key).arg(kMaxValueLength);
        return false;
    }
    if (key == u"online" && value != u"true" && value != u"false") {
        *error = tr("target online: true or false, not \"%1\"").arg(value);
        return false;
    }
    QStringList &values = m_values[key];
    if (values.size() >= kMaxValuesPerKey) {
        *error = tr("target %1: at most %2 values").arg(key).arg(kMaxValuesPerKey);
        return false;
    }
    if (!values.contains(value))
        values.append(value);
    return true;
}

bool RolloutTargetFilter::matches(const Device &device) const
{
    for (auto it = m_values.begin(); it != m_values.end(); ++it) {
        const QString &key = it.key();
        const QStringList &values = it.value();
        bool any = false;
        for (const QString &v : values) {
            if (key == u"source")
                any = device.source == v;
            else if (key == u"site")
                any = device.site == v;
            else if (key == u"model")
                any = device.model == v;
            else if (key == u"tag")
                any = device.tags.contains(v);
            else if (key == u"firmware")
                any = device.fwVersion == v;
            else if (key == u"online")
                any = device.online == (v == u"true");
            if (any)
                break;
        }
        if (!any)
            return false;
    }
    return true;
}

QJsonObject RolloutTargetFilter::toJson() const
{
    QJsonObject o;
    for (auto it = m_values.begin(); it != m_values.end(); ++it)
        o.insert(it.key(), QJsonArray::fromStringList(it.value()));
    return o;
}

bool RolloutTargetFilter::isSparkplug(const Device &device)
{
    // Sparkplug paths are "group/node" or "group/node/device"; protocol v1 paths never
    // contain '/'.
    return device.sparkplug.isSparkplug() || device.key().path.contains(DeviceKey::separator());
}

QString RolloutTargetFilter::incompatibility(const Device &device, const QString &version, const QStringList &models,
                                             bool rollback)
{
    if (isSparkplug(device))
        return tr("Sparkplug devices are not updated over FleetDeck OTA yet");
    if (!models.contains(device.model))
        return device.model.isEmpty() ? tr("model unknown (not in the artifact's models)")
                                      : tr("model %1 is not compatible").arg(device.model);
    if (!device.fwVersion.isEmpty()) {
        const int c = FirmwareVersion::compare(device.fwVersion, version);
        if (c == 0)
            return tr("already on %1").arg(version);
        if (c > 0 && !rollback)
            return tr("runs %1, newer than %2 (not a rollback rollout)").arg(device.fwVersion, version);
    }
    return {};
}

RolloutTargetFilter::Result RolloutTargetFilter::select(const QList<Device> &inventory, const QString &version,
                                                        const QStringList &models, bool rollback) const
{
    QList<Device> matching;
    for (const Device &d : inventory) {
        if (matches(d))
            matching.append(d);
    }
    std::sort(matching.begin(), matching.end(), deviceBefore);
    Result result;
    for (const Device &d : matching) {
        const QString why = incompatibility(d, version, models, rollback);
        if (why.isEmpty())
            result.targets.append(d);
        else
            result.excluded.append(Excluded{d, why});
    }
    return result;
}

} // namespace fd
