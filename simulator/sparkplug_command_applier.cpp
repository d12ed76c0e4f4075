#include "simulator/sparkplug_command_applier.h"

#include "simulator/sparkplug_device_model.h"
#include "simulator/sparkplug_node_model.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

namespace fd::sim {

namespace pb = fleetdeck::sparkplug_b;

namespace {

constexpr quint64 kRebirthAlias = 2;  // SparkplugNodeModel: "Node Control/Rebirth"

} // namespace

SparkplugCommandApplier::Outcome SparkplugCommandApplier::apply(const QString &device, const QByteArray &payload,
                                                                SparkplugNodeModel &node,
                                                                std::vector<SparkplugDeviceModel> &devices)
{
    Outcome out;
    const QString kind = device.isEmpty() ? QStringLiteral("NCMD") : QStringLiteral("DCMD");
    pb::Payload command;
    if (payload.size() > kMaxPayloadBytes || !command.ParseFromArray(payload.constData(), int(payload.size()))
        || command.metrics_size() > kMaxMetrics) {
        ++out.refused;
        out.notes << QStringLiteral("ignored an unreadable %1").arg(kind);
        return out;
    }
    SparkplugMetricSet *target = &node.metrics();
    if (!device.isEmpty()) {
        target = nullptr;
        for (SparkplugDeviceModel &d : devices) {
            if (d.id() == device)
                target = &d.metrics();
        }
        if (!target) {
            ++out.refused;
            out.notes << QStringLiteral("DCMD for an unknown device %1 ignored").arg(device.left(64));
            return out;
        }
    }
    for (const pb::Payload::Metric &m : command.metrics()) {
        const bool isRebirth = device.isEmpty()
            && (m.has_alias() ? m.alias() == kRebirthAlias : m.name() == "Node Control/Rebirth");
        if (isRebirth) {
            if (m.value_case() == pb::Payload::Metric::kBooleanValue && m.boolean_value())
                out.rebirth = true;
            continue;
        }
        QString name;
        const SparkplugMetricSet::WriteResult result = target->write(m, &name);
        if (result != SparkplugMetricSet::WriteResult::Applied) {
            ++out.refused;
            if (name.isEmpty())
                name = QStringLiteral("\"%1\" (alias %2)").arg(QString::fromStdString(m.name()).left(64)).arg(m.alias());
            out.notes << QStringLiteral("%1 write of %2 refused: %3")
                             .arg(kind, name, SparkplugMetricSet::writeResultText(result));
            continue;
        }
        ++out.writes;
        out.written = target;
        if (device.isEmpty() && name == u"report_interval_ms") {
            node.clampReportInterval();
            out.intervalChanged = true;
        }
    }
    return out;
}

} // namespace fd::sim
