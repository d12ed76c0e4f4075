#include "simulator/sim_options.h"

#include "simulator/scenario_file.h"
#include "simulator/scenario_spec_parser.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace fd::sim {

namespace {

bool fail(const QString &message, int *exitCode)
{
    std::fprintf(stderr, "fleetdeck-sim: %s\nTry 'fleetdeck-sim --help'.\n", qPrintable(message));
    *exitCode = 2;
    return false;
}

} // namespace

bool SimOptions::parse(const QStringList &arguments, SimOptions *out, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Simulates a fleet of devices speaking FleetDeck protocol v1 over a real MQTT broker.\n"
        "Every device has its own MQTT connection (unique client id) with a Last Will of a retained\n"
        "{\"online\":false} on {prefix}/{id}/status, publishes a retained status\n"
        "{\"online\":true,\"name\",\"model\",\"fw_version\",\"site\",\"tags\"} on every (re)connect, then telemetry\n"
        "{\"ts\",\"seq\",\"metrics\":{...}} on {prefix}/{id}/telemetry at RATE per device, spread evenly.\n"
        "Everything (identities, metric values, faults) is reproducible from --seed. --seq-metric adds\n"
        "the metric \"seq\" (= seq) to every message, so what a consumer stored can be audited per message.\n\n"
        "On exit (after --duration, or SIGINT/SIGTERM) all devices disconnect cleanly. A clean\n"
        "disconnect does not fire the Last Will: the retained status stays {\"online\":true} unless\n"
        "--offline-on-exit is given, which first publishes a retained {\"online\":false} per device.\n"
        "A killed simulator (SIGKILL) leaves the broker to publish the Last Wills.\n\n"
        "--faults RATE replaces that fraction of telemetry messages by a malformed one, cycling through:\n"
        "bad_json, wrong_type (seq as a string), oversize (> 256 KiB), bad_device_id (invalid id in the\n"
        "topic), missing_field (no metrics). Faults do not consume a seq number.\n\n"
        "Every device answers commands on {prefix}/{id}/cmd (ping, identify, set_interval; others:\n"
        "\"unknown command\") on {prefix}/{id}/cmd/response. --mute-commands RATE makes that fraction of\n"
        "devices (evenly spread: 0.5 = every second device) never answer, for timeout tests.\n\n"
        "--username USER logs every device in as USER with the password in the environment variable\n"
        "FLEETDECK_PASSWORD (never on the command line). Over mqtt:// (unencrypted) a password is sent\n"
        "only with --allow-plaintext-password.\n\n"
        "--scenario SPEC (repeatable, or several separated by commas) makes devices misbehave for a while.\n"
        "SPEC is kind[:key=value;...], kind one of overheating, battery_drain, stuck_sensor, flapping,\n"
        "silent, site_down; keys: devices=N (default 1) or device=dev-00003 (repeatable), site=NAME,\n"
        "start=S (seconds after start, default 0), duration=S (default: until exit), optional=1 (skip if\n"
        "nothing fits); overheating: peak=C (55), ramp=S (30); battery_drain: level=P (5), ramp=S (30);\n"
        "stuck_sensor: metric=NAME (humidity); flapping: period=S (15), down=S (5). \"demo\" is a set\n"
        "for demo mode. Devices are picked reproducibly from --seed, never two scenarios on one device\n"
        "unless named with device=. --scenario-file FILE reads {\"scenarios\":[{\"kind\":...,\n"
        "\"devices\":2,\"start_s\":10,\"duration_s\":120}, ...]} (see simulator/README.md).\n\n"
        "--sparkplug-nodes N runs N Sparkplug B 3.0 edge nodes gw-01.. in group --sparkplug-group (default\n"
        "Plant-1), each with --sparkplug-devices M devices (default 4) and its own MQTT 5 connection: Will NDEATH\n"
        "with bdSeq, NBIRTH/DBIRTH (name, alias, datatype), alias-only NDATA/DDATA every --sparkplug-interval-ms,\n"
        "NCMD Node Control/Rebirth and NCMD/DCMD writes (setpoint, report_interval_ms). Without --devices, no\n"
        "protocol v1 devices run alongside. --sparkplug-fault KIND[:node=N;start=S;period=S;down=S;duration=S]\n"
        "injects: seq_gap (one seq skipped), stale_ndeath (an NDEATH with the previous bdSeq while alive),\n"
        "data_before_birth (DATA for duration s before the first BIRTH), alias_only (with --sparkplug-primary-host:\n"
        "a host restart brings no BIRTH until an NCMD rebirth), die_rebirth (the connection drops so the broker\n"
        "publishes the NDEATH Will; back after down s with bdSeq + 1); \"demo\" is the set demo mode uses.\n\n"
        "Firmware updates (docs/protocol.md, \"Firmware updates (OTA)\"): every protocol v1 device runs an OTA\n"
        "agent on {prefix}/{id}/ota/job: it checks the signed manifest against the public key of --ota-trust\n"
        "(without it every job is REJECTED \"no trusted release key configured\"), downloads the firmware in\n"
        "chunks over {prefix}/{id}/ota/chunk/request and .../ota/chunk at --ota-bandwidth bytes/s, checks size and\n"
        "SHA-256, installs for --ota-install-ms, reboots (its Last Will fires) for --ota-reboot-ms and comes back\n"
        "with the new fw_version; statuses QUEUED..UPDATED (or FAILED/REJECTED/ROLLED_BACK with a reason) go to\n"
        "{prefix}/{id}/ota/status. --ota-failures download=R,signature=R,boot=R,silent=R simulates failures\n"
        "(reproducible from --seed). --ota-report FILE writes at exit, per device, {\"fw_version\",\"jobs\":\n"
        "{job id: times received},\"installs\"}. --ota-state FILE keeps each device's firmware and finished jobs\n"
        "across runs (the device side's flash).\n\n"
        "Certificates (docs/security.md): --cert-dir DIR gives every device its own client certificate,\n"
        "DIR/<id>.crt (certificate, then chain) and DIR/<id>.key; Sparkplug edge nodes use DIR/<node id>.*. A device\n"
        "without both files stays offline and says so. The command pki.rekey makes a device generate a new key and\n"
        "CSR, sent on {prefix}/{id}/pki/csr; the answer on {prefix}/{id}/pki/cert replaces its files and it reconnects\n"
        "with the new certificate (its status carries \"cert_serial\").\n"
        "--factory N runs N devices in factory state (serials SN-<seed>-0001.., model --factory-model, claim codes\n"
        "derived from --seed): each connects with the shared bootstrap identity (--bootstrap-cert/--bootstrap-key,\n"
        "client id = serial), makes its own P-256 key and CSR and asks on {root}/{serial}/request to be enrolled;\n"
        "once accepted it keeps its certificate in --cert-dir and runs as a protocol v1 device over mTLS.\n"
        "--factory-list FILE writes their expected-devices CSV (serial,model,claim_code). --factory-fault injects\n"
        "wrong-claim, bad-csr, wrong-subject, weak-key, replay or expired."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption broker(QStringLiteral("broker"),
                                    QStringLiteral("Broker address: mqtt://host[:port] or mqtts://host[:port]."),
                                    QStringLiteral("URL"));
    const QCommandLineOption devices(QStringLiteral("devices"), QStringLiteral("Number of devices (default 10)."),
                                     QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("Telemetry messages per device per second (default 1)."),
                                  QStringLiteral("HZ"), QStringLiteral("1"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."),
                                  QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption prefix(QStringLiteral("prefix"), QStringLiteral("Topic prefix (default fleetdeck/v1)."),
                                    QStringLiteral("PREFIX"), QStringLiteral("fleetdeck/v1"));
    const QCommandLineOption qos(QStringLiteral("qos"), QStringLiteral("Telemetry QoS, 0 or 1 (default 0)."),
                                 QStringLiteral("0|1"), QStringLiteral("0"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop after this many seconds (default: run until signalled)."),
                                      QStringLiteral("SECONDS"), QStringLiteral("0"));
    const QCommandLineOption clientIdPrefix(QStringLiteral("client-id-prefix"),
                                            QStringLiteral("Client id prefix (default fdsim-<pid>-); the device id "
                                                           "is appended."),
                                            QStringLiteral("P"));
    const QCommandLineOption manifest(QStringLiteral("manifest"),
                                      QStringLiteral("On exit, write a JSON manifest of what was published "
                                                     "(confirmed deliveries only) to FILE."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption faults(QStringLiteral("faults"),
                                    QStringLiteral("Fraction 0..1 of telemetry messages replaced by faults."),
                                    QStringLiteral("RATE"), QStringLiteral("0"));
    const QCommandLineOption muteCommands(QStringLiteral("mute-commands"),
                                          QStringLiteral("Fraction 0..1 of devices that never answer commands."),
                                          QStringLiteral("RATE"), QStringLiteral("0"));
    const QCommandLineOption offline(QStringLiteral("offline-on-exit"),
                                     QStringLiteral("Publish a retained {\"online\":false} per device before "
                                                    "disconnecting."));
    const QCommandLineOption concurrency(QStringLiteral("connect-concurrency"),
                                         QStringLiteral("Connection attempts in flight at once (default 100)."),
                                         QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption caFile(QStringLiteral("cafile"),
                                    QStringLiteral("CA certificate for mqtts:// brokers (default: system)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption username(QStringLiteral("username"),
                                      QStringLiteral("User name of every device; the password is read from the "
                                                     "environment variable FLEETDECK_PASSWORD."),
                                      QStringLiteral("USER"));
    const QCommandLineOption allowPlaintext(QStringLiteral("allow-plaintext-password"),
                                            QStringLiteral("Send the password over mqtt:// (unencrypted) too."));
    const QCommandLineOption firstDevice(QStringLiteral("first-device"),
                                         QStringLiteral("Index of the first device (default 0: dev-00001). Lets "
                                                        "several simulators share one broker without id clashes."),
                                         QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption perProcess(QStringLiteral("devices-per-process"),
                                        QStringLiteral("Split larger fleets over several fleetdeck-sim processes "
                                                       "(default 2000; 0: never). Paho's client bookkeeping grows "
                                                       "quadratically with the clients of one process."),
                                        QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption history(QStringLiteral("history"),
                                     QStringLiteral("After connecting, each device first publishes the past HOURS "
                                                    "of telemetry (timestamps in the past), so long chart windows "
                                                    "have data at once (default 0: none)."),
                                     QStringLiteral("HOURS"), QStringLiteral("0"));
    const QCommandLineOption historyInterval(QStringLiteral("history-interval"),
                                             QStringLiteral("Seconds between two backfilled samples (default 60)."),
                                             QStringLiteral("SECONDS"), QStringLiteral("60"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
                                      QStringLiteral("Fault scenario kind[:key=value;...] (repeatable, or comma "
                                                     "separated), or the set \"demo\"; see above."),
                                      QStringLiteral("SPEC"));
    const QCommandLineOption scenarioFile(QStringLiteral("scenario-file"),
                                          QStringLiteral("Fault scenarios from a JSON file {\"scenarios\":[...]} "
                                                         "(applied before those of --scenario)."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption printScenarios(QStringLiteral("print-scenarios"),
                                            QStringLiteral("Print which device runs which scenario, when, as JSON, "
                                                           "and exit (no broker needed)."));
    QCommandLineOption shardLabel(QStringLiteral("shard-label"), QStringLiteral("Internal."), QStringLiteral("LABEL"));
    shardLabel.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption scenarioFleet(QStringLiteral("scenario-fleet"), QStringLiteral("Internal."),
                                     QStringLiteral("FIRST,COUNT"));
    scenarioFleet.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption seqMetric(
        QStringLiteral("seq-metric"),
        QStringLiteral("Also report each message's seq as the metric \"seq\" (audits of what a consumer stored)."));
    const QCommandLineOption certDir(QStringLiteral("cert-dir"),
                                     QStringLiteral("Per-device client certificates: DIR/<id>.crt and DIR/<id>.key."),
                                     QStringLiteral("DIR"));
    SparkplugOptions::addTo(parser);
    OtaOptions::addTo(parser);
    FactoryOptions::addTo(parser);
    parser.addOptions({broker, devices, rate, seed, prefix, qos, duration, clientIdPrefix, manifest, faults, offline,
                       concurrency, caFile, firstDevice, perProcess, shardLabel, history, historyInterval,
                       muteCommands, username, allowPlaintext, scenario, scenarioFile, printScenarios,
                       scenarioFleet, certDir, seqMetric});

    if (!parser.parse(arguments))
        return fail(parser.errorText(), exitCode);
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        *exitCode = 0;
        return false;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("fleetdeck-sim %s\n", qPrintable(QCoreApplication::applicationVersion()));
        *exitCode = 0;
        return false;
    }
    SimOptions o;
    o.printScenarios = parser.isSet(printScenarios);
    QString error;
    bool ok = false;
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed must be a non-negative integer"), exitCode);
    if (!FactoryOptions::read(parser, o.seed, &o.factory, &error))
        return fail(error, exitCode);
    // --factory-list without a broker: write the list and exit (main does).
    o.factoryListOnly = !parser.isSet(broker) && !o.factory.listPath.isEmpty();
    if (!parser.isSet(broker) && !o.printScenarios && !o.factoryListOnly)
        return fail(QStringLiteral("--broker URL is required"), exitCode);
    if (parser.isSet(broker)) {
        const std::optional<BrokerUrl> url = BrokerUrl::parse(parser.value(broker), &error);
        if (!url)
            return fail(QStringLiteral("--broker: %1").arg(error), exitCode);
        o.broker = *url;
    }

    if (!OtaOptions::read(parser, &o.ota, &error))
        return fail(error, exitCode);
    if (!SparkplugOptions::read(parser, &o.sparkplug, &error))
        return fail(error, exitCode);
    o.devices = parser.value(devices).toInt(&ok);
    const bool otherParts = o.sparkplug.enabled() || o.factory.enabled();
    if (otherParts && !parser.isSet(devices))
        o.devices = 0;  // Sparkplug edge nodes / factory devices only
    const int minDevices = otherParts ? 0 : 1;
    if (!ok || o.devices < minDevices || o.devices > 99999)
        return fail(QStringLiteral("--devices must be between %1 and 99999").arg(minDevices), exitCode);
    o.rateHz = parser.value(rate).toDouble(&ok);
    if (!ok || o.rateHz < 0 || o.rateHz > 1000)
        return fail(QStringLiteral("--rate must be between 0 and 1000"), exitCode);
    o.prefix = parser.value(prefix);
    while (o.prefix.endsWith(u'/'))
        o.prefix.chop(1);
    if (o.prefix.isEmpty() || o.prefix.contains(u'+') || o.prefix.contains(u'#'))
        return fail(QStringLiteral("--prefix must be a non-empty topic without wildcards"), exitCode);
    o.qos = parser.value(qos).toInt(&ok);
    if (!ok || (o.qos != 0 && o.qos != 1))
        return fail(QStringLiteral("--qos must be 0 or 1"), exitCode);
    o.durationSeconds = parser.value(duration).toDouble(&ok);
    if (!ok || o.durationSeconds < 0)
        return fail(QStringLiteral("--duration must be a number of seconds >= 0"), exitCode);
    o.clientIdPrefix = parser.isSet(clientIdPrefix)
        ? parser.value(clientIdPrefix)
        : QStringLiteral("fdsim-%1-").arg(QCoreApplication::applicationPid());
    o.manifestPath = parser.value(manifest);
    o.faultRate = parser.value(faults).toDouble(&ok);
    if (!ok || o.faultRate < 0 || o.faultRate > 1)
        return fail(QStringLiteral("--faults must be a fraction between 0 and 1"), exitCode);
    o.muteCommandsRate = parser.value(muteCommands).toDouble(&ok);
    if (!ok || o.muteCommandsRate < 0 || o.muteCommandsRate > 1)
        return fail(QStringLiteral("--mute-commands must be a fraction between 0 and 1"), exitCode);
    o.offlineOnExit = parser.isSet(offline);
    o.seqMetric = parser.isSet(seqMetric);
    o.connectConcurrency = parser.value(concurrency).toInt(&ok);
    if (!ok || o.connectConcurrency < 1)
        return fail(QStringLiteral("--connect-concurrency must be a positive number"), exitCode);
    o.caFile = parser.value(caFile);
    o.certDir = parser.value(certDir);
    o.username = parser.value(username);
    o.password = qEnvironmentVariable("FLEETDECK_PASSWORD");
    o.allowPlaintextPassword = parser.isSet(allowPlaintext);
    if (!o.password.isEmpty() && o.username.isEmpty())
        return fail(QStringLiteral("FLEETDECK_PASSWORD is set: give the user name with --username"), exitCode);
    if (!o.password.isEmpty() && !o.broker.tls && !o.allowPlaintextPassword) {
        return fail(QStringLiteral("the password would cross the network unencrypted (%1 is plain TCP): use "
                                   "mqtts://, or add --allow-plaintext-password")
                        .arg(o.broker.toString()),
                    exitCode);
    }
    o.firstDevice = parser.value(firstDevice).toInt(&ok);
    if (!ok || o.firstDevice < 0 || o.firstDevice + o.devices > 99999)
        return fail(QStringLiteral("--first-device must be >= 0, with first + devices <= 99999"), exitCode);
    o.devicesPerProcess = parser.value(perProcess).toInt(&ok);
    if (!ok || o.devicesPerProcess < 0)
        return fail(QStringLiteral("--devices-per-process must be >= 0"), exitCode);
    o.shardLabel = parser.value(shardLabel);
    o.historyHours = parser.value(history).toDouble(&ok);
    if (!ok || o.historyHours < 0 || o.historyHours > 24 * 366)
        return fail(QStringLiteral("--history must be a number of hours between 0 and 8784"), exitCode);
    o.historyIntervalSeconds = parser.value(historyInterval).toDouble(&ok);
    if (!ok || o.historyIntervalSeconds < 0.1)
        return fail(QStringLiteral("--history-interval must be at least 0.1 seconds"), exitCode);

    const QStringList files = parser.values(scenarioFile);
    if (files.size() > 1)
        return fail(QStringLiteral("--scenario-file can be given once"), exitCode);
    if (!files.isEmpty()) {
        const std::optional<QList<ScenarioSpec>> specs = ScenarioFile::load(files.constFirst(), &error);
        if (!specs)
            return fail(QStringLiteral("--scenario-file %1").arg(error), exitCode);
        o.scenarios = *specs;
    }
    for (const QString &text : parser.values(scenario)) {
        if (!ScenarioSpecParser::parse(text, &o.scenarios, &error))
            return fail(QStringLiteral("--scenario %1").arg(error), exitCode);
    }
    if (parser.isSet(scenarioFleet)) {
        const QStringList range = parser.value(scenarioFleet).split(u',');
        bool firstOk = false;
        bool countOk = false;
        o.scenarioFleetFirst = range.value(0).toInt(&firstOk);
        o.scenarioFleetCount = range.value(1).toInt(&countOk);
        if (range.size() != 2 || !firstOk || !countOk || o.scenarioFleetFirst < 0 || o.scenarioFleetCount < 1
            || o.scenarioFleetFirst + o.scenarioFleetCount > 99999 || o.firstDevice < o.scenarioFleetFirst
            || o.firstDevice + o.devices > o.scenarioFleetFirst + o.scenarioFleetCount)
            return fail(QStringLiteral("--scenario-fleet must be FIRST,COUNT around this process's devices"), exitCode);
    }
    *out = o;
    return true;
}

QStringList SimOptions::shardArguments(int first, int count, const QString &manifest, const QString &label,
                                       const QString &otaReport, const QString &otaStatePart) const
{
    QStringList args{QStringLiteral("--broker"), broker.toString(),
                     QStringLiteral("--devices"), QString::number(count),
                     QStringLiteral("--first-device"), QString::number(first),
                     QStringLiteral("--rate"), QString::number(rateHz, 'g', 17),
                     QStringLiteral("--seed"), QString::number(seed),
                     QStringLiteral("--prefix"), prefix,
                     QStringLiteral("--qos"), QString::number(qos),
                     QStringLiteral("--duration"), QString::number(durationSeconds, 'g', 17),
                     QStringLiteral("--client-id-prefix"), clientIdPrefix,
                     QStringLiteral("--faults"), QString::number(faultRate, 'g', 17),
                     QStringLiteral("--mute-commands"), QString::number(muteCommandsRate, 'g', 17),
                     QStringLiteral("--connect-concurrency"), QString::number(connectConcurrency),
                     QStringLiteral("--devices-per-process"), QStringLiteral("0"),
                     QStringLiteral("--shard-label"), label};
    if (!manifest.isEmpty())
        args << QStringLiteral("--manifest") << manifest;
    args << ota.shardArguments(otaReport, otaStatePart);
    if (offlineOnExit)
        args << QStringLiteral("--offline-on-exit");
    if (seqMetric)
        args << QStringLiteral("--seq-metric");
    if (!caFile.isEmpty())
        args << QStringLiteral("--cafile") << caFile;
    if (!certDir.isEmpty())
        args << QStringLiteral("--cert-dir") << certDir;
    if (!username.isEmpty())
        args << QStringLiteral("--username") << username;  // the password: inherited environment
    if (allowPlaintextPassword)
        args << QStringLiteral("--allow-plaintext-password");
    if (historyHours > 0)
        args << QStringLiteral("--history") << QString::number(historyHours, 'g', 17)
             << QStringLiteral("--history-interval") << QString::number(historyIntervalSeconds, 'g', 17);
    if (!scenarios.isEmpty()) {
        // The same scenarios in their canonical form (a file is read once, here), planned
        // over our whole fleet: every shard computes the same plan and keeps its slice.
        for (const ScenarioSpec &spec : scenarios)
            args << QStringLiteral("--scenario") << spec.toString();
        args << QStringLiteral("--scenario-fleet") << QStringLiteral("%1,%2").arg(planFirst()).arg(planCount());
    }
    return args;
}

QString SimOptions::tag() const
{
    return shardLabel.isEmpty() ? QStringLiteral("fleetdeck-sim") : QStringLiteral("fleetdeck-sim[%1]").arg(shardLabel);
}

} // namespace fd::sim
