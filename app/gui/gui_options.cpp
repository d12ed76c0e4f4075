#include "app/gui/gui_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

namespace fd {

bool GuiOptions::parse(const QStringList &arguments, GuiOptions *out, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("FleetDeck: desktop operations console for IoT device fleets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  tr("Start a private broker and a simulated fleet, and connect to it."));
    const QCommandLineOption broker(QStringLiteral("broker"),
                                    tr("Connect to this broker (mqtt://host:port or mqtts://host:port)."),
                                    tr("url"));
    const QCommandLineOption db(QStringLiteral("db"), tr("Cache database file."), tr("file"));
    const QCommandLineOption profile(QStringLiteral("profile"), tr("Connect with this saved connection profile."),
                                     tr("name"));
    const QCommandLineOption geometry(QStringLiteral("geometry"), tr("Window size, e.g. 1400x860."), tr("WxH"),
                                      QStringLiteral("1400x860"));
    const QCommandLineOption devices(QStringLiteral("devices"), tr("Number of simulated devices (demo mode)."),
                                     tr("n"), QStringLiteral("200"));
    const QCommandLineOption prefix(QStringLiteral("prefix"), tr("Topic prefix (default fleetdeck/v1)."),
                                    tr("prefix"));
    const QCommandLineOption perfReport(
        QStringLiteral("perf-report"),
        tr("At exit, write a responsiveness report (time to first paint, GUI event-loop lateness, ingest "
           "counters) as JSON to this file."),
        tr("file"));
    const QCommandLineOption perfQuit(QStringLiteral("perf-quit-after-paint"),
                                      tr("Quit as soon as the first frame is painted (start-up measurement)."));
    const QCommandLineOption demoHistory(QStringLiteral("demo-history"),
                                         tr("Demo mode: the simulated devices first publish this many hours "
                                            "of past telemetry, one sample a minute (e.g. 24)."),
                                         tr("hours"), QStringLiteral("0"));
    const QCommandLineOption demoBrokers(QStringLiteral("demo-brokers"),
                                         tr("Demo mode: number of simulated sites, each with its own private "
                                            "broker and the same device ids (1 to 8)."),
                                         tr("n"), QStringLiteral("1"));
    const QCommandLineOption demoScenarios(QStringLiteral("demo-scenarios"),
                                           tr("Demo mode: fault scenarios of the first site's simulated devices "
                                              "(fleetdeck-sim --scenario; default \"demo\": overheating, battery "
                                              "drain, stuck sensor, flapping, silent device, a site down; with it a "
                                              "Sparkplug gateway dies and is reborn), or \"none\"."),
                                           tr("spec"), QStringLiteral("demo"));
    // Hidden: opens a dialog once the window is shown (documentation screenshots).
    QCommandLineOption showDialog(QStringLiteral("show-dialog"),
                                  tr("Open this dialog at start (retention, ingest-limits, connections)."),
                                  tr("name"));
    showDialog.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({demo, broker, db, profile, geometry, devices, prefix, perfReport, perfQuit, demoHistory,
                       demoBrokers, demoScenarios, showDialog});
    parser.process(arguments);  // handles --help / --version and unknown options

    GuiOptions o;
    o.demo = parser.isSet(demo);
    o.brokerUrl = parser.value(broker);
    o.dbPath = parser.value(db);
    o.profileName = parser.value(profile);
    o.topicPrefix = parser.value(prefix);
    o.perfReportPath = parser.value(perfReport);
    o.perfQuitAfterPaint = parser.isSet(perfQuit);
    o.showDialog = parser.value(showDialog);
    if (!o.showDialog.isEmpty() && o.showDialog != u"retention" && o.showDialog != u"ingest-limits"
        && o.showDialog != u"connections") {
        *error = tr("--show-dialog expects: retention, ingest-limits or connections.");
        return false;
    }
    if (o.perfQuitAfterPaint && o.perfReportPath.isEmpty()) {
        *error = tr("--perf-quit-after-paint needs --perf-report FILE.");
        return false;
    }
    o.geometryGiven = parser.isSet(geometry);
    static const QRegularExpression sizeRe(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const QRegularExpressionMatch m = sizeRe.match(parser.value(geometry));
    if (!m.hasMatch()) {
        *error = tr("--geometry expects WIDTHxHEIGHT, e.g. 1400x860.");
        return false;
    }
    o.geometry = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    bool ok = false;
    o.demoHistoryHours = qBound(0.0, parser.value(demoHistory).toDouble(), 24.0 * 31);
    o.demoDevices = parser.value(devices).toInt(&ok);
    if (!ok || o.demoDevices < 1 || o.demoDevices > 100000) {
        *error = tr("--devices expects a number from 1 to 100000.");
        return false;
    }
    o.demoBrokers = parser.value(demoBrokers).toInt(&ok);
    if (!ok || o.demoBrokers < 1 || o.demoBrokers > 8) {
        *error = tr("--demo-brokers expects a number from 1 to 8.");
        return false;
    }
    if (parser.isSet(demoBrokers) && !o.demo) {
        *error = tr("--demo-brokers needs --demo.");
        return false;
    }
    o.demoScenarios = parser.value(demoScenarios).trimmed();
    if (o.demoScenarios == u"none")
        o.demoScenarios.clear();
    if (parser.isSet(demoScenarios) && !o.demo) {
        *error = tr("--demo-scenarios needs --demo.");
        return false;
    }
    if (o.demo && (!o.brokerUrl.isEmpty() || !o.profileName.isEmpty())) {
        *error = tr("--demo cannot be combined with --broker or --profile.");
        return false;
    }
    *out = o;
    return true;
}

} // namespace fd
