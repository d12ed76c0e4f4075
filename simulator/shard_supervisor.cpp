#include "simulator/shard_supervisor.h"

#include "simulator/manifest_writer.h"
#include "simulator/ota_report_writer.h"
#include "simulator/ota_state_file.h"

#include <cstdio>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace fd::sim {

ShardSupervisor::ShardSupervisor(SimOptions options, QString program, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_program(std::move(program))
{
}

ShardSupervisor::~ShardSupervisor()
{
    for (auto &child : m_children) {
        disconnect(child.get(), nullptr, this, nullptr);
        if (child->state() != QProcess::NotRunning) {
            child->terminate();
            if (!child->waitForFinished(5000))
                child->kill();
            child->waitForFinished(1000);
        }
    }
}

bool ShardSupervisor::start(QString *error)
{
    if (!m_dir.isValid()) {
        if (error)
            *error = QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    const int per = m_options.devicesPerProcess;
    const int shards = (m_options.devices + per - 1) / per;
    std::fprintf(stderr, "fleetdeck-sim: %d devices in %d processes of up to %d\n", m_options.devices, shards, per);
    for (int i = 0; i < shards; ++i) {
        const int first = m_options.firstDevice + i * per;
        const int count = std::min(per, m_options.devices - i * per);
        const QString manifest = m_options.manifestPath.isEmpty()
            ? QString()
            : m_dir.filePath(QStringLiteral("shard-%1.json").arg(i));
        if (!manifest.isEmpty())
            m_manifests << manifest;
        const QString otaReport = m_options.ota.reportPath.isEmpty()
            ? QString()
            : m_dir.filePath(QStringLiteral("shard-%1-ota.json").arg(i));
        if (!otaReport.isEmpty())
            m_otaReports << otaReport;
        // --ota-state: a part of its own next to the file, merged into it when we end (or,
        // should we be killed, when the next run starts).
        const QString otaState = m_options.ota.statePath.isEmpty()
            ? QString()
            : OtaStateFile::partPath(m_options.ota.statePath, i + 1);
        auto child = std::make_unique<QProcess>();
        child->setProcessChannelMode(QProcess::ForwardedChannels);
#ifdef Q_OS_LINUX
        // SIGKILL, not SIGTERM: a killed simulator must look killed (Last Wills fire) whether
        // or not it was sharded.
        child->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
        connect(child.get(), &QProcess::finished, this, &ShardSupervisor::onChildFinished);
        child->start(m_program,
                     m_options.shardArguments(first, count, manifest, QStringLiteral("%1/%2").arg(i + 1).arg(shards),
                                              otaReport, otaState));
        if (!child->waitForStarted(5000)) {
            if (error)
                *error = QStringLiteral("cannot start %1: %2").arg(m_program, child->errorString());
            m_children.push_back(std::move(child));
            return false;
        }
        ++m_running;
        m_children.push_back(std::move(child));
    }
    return true;
}

void ShardSupervisor::stop()
{
    for (auto &child : m_children) {
        if (child->state() != QProcess::NotRunning)
            child->terminate();
    }
}

void ShardSupervisor::onChildFinished()
{
    auto *child = qobject_cast<QProcess *>(sender());
    if (child) {
        const int code = child->exitStatus() == QProcess::NormalExit ? child->exitCode() : 1;
        m_worstExit = std::max(m_worstExit, code);
    }
    if (--m_running > 0)
        return;
    if (!m_options.manifestPath.isEmpty()) {
        QString error;
        if (ManifestWriter::merge(m_manifests, m_options.manifestPath, m_options, &error)) {
            std::fprintf(stderr, "fleetdeck-sim: manifest written to %s\n", qPrintable(m_options.manifestPath));
        } else {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(error));
            m_worstExit = std::max(m_worstExit, 1);
        }
    }
    if (!m_options.ota.reportPath.isEmpty()) {
        QString error;
        if (OtaReportWriter::merge(m_otaReports, m_options.ota.reportPath, &error)) {
            std::fprintf(stderr, "fleetdeck-sim: OTA report written to %s\n", qPrintable(m_options.ota.reportPath));
        } else {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(error));
            m_worstExit = std::max(m_worstExit, 1);
        }
    }
    if (!m_options.ota.statePath.isEmpty()) {
        QString error;
        if (!OtaStateFile::consolidate(m_options.ota.statePath, &error)) {
            std::fprintf(stderr, "fleetdeck-sim: %s\n", qPrintable(error));
            m_worstExit = std::max(m_worstExit, 1);
        }
    }
    emit finished(m_worstExit);
}

} // namespace fd::sim
