#pragma once

#include <QCoreApplication>
#include <QSize>
#include <QString>
#include <QStringList>

namespace fd {

// Command line of the fleetdeck GUI.
struct GuiOptions
{
    Q_DECLARE_TR_FUNCTIONS(fd::GuiOptions)

public:
    bool demo = false;
    QString brokerUrl;
    QString dbPath;        // empty: <AppDataLocation>/cache.sqlite (demo: demo-cache.sqlite)
    QString profileName;
    QSize geometry{1400, 860};
    bool geometryGiven = false;
    int demoDevices = 200;
    int demoBrokers = 1;          // --demo-brokers: simulated sites, a broker each (1..8)
    double demoHistoryHours = 0;  // --demo-history: simulator backfill for long chart windows
    QString demoScenarios = QStringLiteral("demo");  // --demo-scenarios: fleetdeck-sim --scenario; empty: none
    QString topicPrefix;   // empty: the profile's / protocol default
    QString perfReportPath;          // --perf-report FILE: responsiveness report at exit (PerfReport)
    bool perfQuitAfterPaint = false; // --perf-quit-after-paint: start-up measurement
    QString showDialog;              // hidden --show-dialog NAME ("retention"): for screenshots

    // Parses arguments (argv[0] first). Exits the process for --help/--version; returns
    // false with a reason on bad input.
    static bool parse(const QStringList &arguments, GuiOptions *out, QString *error);
};

} // namespace fd
