#include "simulator/sparkplug_fleet.h"

#include "simulator/device_cert_dir.h"

#include "simulator/sim_logging.h"
#include "simulator/sparkplug_edge_node.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTimer>

#include <cstdio>

namespace fd::sim {

namespace {

constexpr int kStaggerMs = 5;  // between two nodes' first connects
constexpr int kStopWaitMs = 3000;

void waitFor(const std::vector<mqtt::token_ptr> &tokens, const QElapsedTimer &timer)
{
    for (const mqtt::token_ptr &tok : tokens) {
        if (!tok)
            continue;
        try {
            tok->wait_for(std::chrono::milliseconds(std::max<qint64>(10, kStopWaitMs - timer.elapsed())));
        } catch (const mqtt::exception &e) {
            qCWarning(lcSim) << "Sparkplug shutdown:" << e.what();
        }
    }
}

} // namespace

SparkplugFleet::SparkplugFleet(SimOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

SparkplugFleet::~SparkplugFleet() = default;

bool SparkplugFleet::start(QString *error)
{
    const SparkplugOptions &sp = m_options.sparkplug;
    for (int i = 0; i < sp.nodes; ++i) {
        SparkplugEdgeNode::Config cfg;
        cfg.index = i;
        cfg.group = sp.group;
        cfg.devices = sp.devicesPerNode;
        cfg.intervalMs = sp.intervalMs;
        cfg.seed = m_options.seed;
        cfg.primaryHost = sp.primaryHost;
        for (const SparkplugFaultSpec &f : sp.faults) {
            if (f.node == i + 1)
                cfg.faults.append(f);
        }
        cfg.tag = m_options.tag();
        cfg.connection.serverUri = m_options.broker.pahoUri().toStdString();
        cfg.connection.clientId =
            QString(m_options.clientIdPrefix + sp.group + u'-' + SparkplugNodeModel::nodeId(i)).toStdString();
        cfg.connection.caFile = m_options.caFile.toStdString();
        if (!m_options.certDir.isEmpty()) {
            // The node's own identity (CN = node id): the ACL's spBv1.0/+/+/%u.
            const DeviceCertDir dir(m_options.certDir);
            const QString nodeId = SparkplugNodeModel::nodeId(i);
            if (!dir.has(nodeId)) {
                std::fprintf(stderr, "%s: Sparkplug node %s has no certificate in %s (%s.crt and %s.key) and stays "
                                     "offline\n",
                             qPrintable(m_options.tag()), qPrintable(nodeId), qPrintable(m_options.certDir),
                             qPrintable(nodeId), qPrintable(nodeId));
                continue;
            }
            cfg.connection.certFile = dir.certPath(nodeId).toStdString();
            cfg.connection.keyFile = dir.keyPath(nodeId).toStdString();
        }
        cfg.connection.username = m_options.username.toStdString();
        cfg.connection.password = m_options.password.toStdString();
        try {
            m_nodes.push_back(std::make_unique<SparkplugEdgeNode>(std::move(cfg), this));
        } catch (const mqtt::exception &e) {
            if (error)
                *error = QStringLiteral("cannot create the MQTT client of Sparkplug node %1: %2")
                             .arg(SparkplugNodeModel::nodeId(i), QString::fromUtf8(e.what()));
            return false;
        }
    }
    std::fprintf(stderr, "%s: %d Sparkplug edge nodes x %d devices, group %s, DATA every %d ms%s\n",
                 qPrintable(m_options.tag()), sp.nodes, sp.devicesPerNode, qPrintable(sp.group), sp.intervalMs,
                 sp.primaryHost.isEmpty() ? "" : qPrintable(QStringLiteral(", primary host ") + sp.primaryHost));
    for (const SparkplugFaultSpec &f : sp.faults)
        std::fprintf(stderr, "%s: Sparkplug fault %s\n", qPrintable(m_options.tag()), qPrintable(f.toString()));
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        SparkplugEdgeNode *node = m_nodes[i].get();
        QTimer::singleShot(int(i) * kStaggerMs, node, [node] { node->start(); });
    }
    return true;
}

void SparkplugFleet::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    QElapsedTimer timer;
    timer.start();
    std::vector<mqtt::token_ptr> deaths;
    for (const std::unique_ptr<SparkplugEdgeNode> &node : m_nodes)
        deaths.push_back(node->beginStop());
    waitFor(deaths, timer);
    timer.restart();
    std::vector<mqtt::token_ptr> disconnects;
    for (const std::unique_ptr<SparkplugEdgeNode> &node : m_nodes)
        disconnects.push_back(node->finishStop());
    waitFor(disconnects, timer);
    std::fprintf(stderr, "%s: %zu Sparkplug edge nodes stopped (NDEATH published)\n", qPrintable(m_options.tag()),
                 m_nodes.size());
}

QJsonObject SparkplugFleet::manifest() const
{
    QJsonArray nodes;
    for (const std::unique_ptr<SparkplugEdgeNode> &node : m_nodes)
        nodes.append(node->manifest());
    QJsonArray faults;
    for (const SparkplugFaultSpec &f : m_options.sparkplug.faults)
        faults.append(f.toString());
    return QJsonObject{{QStringLiteral("group"), m_options.sparkplug.group},
                       {QStringLiteral("interval_ms"), m_options.sparkplug.intervalMs},
                       {QStringLiteral("faults"), faults},
                       {QStringLiteral("nodes"), nodes}};
}

} // namespace fd::sim
