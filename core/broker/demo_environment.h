#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace fd {

// Demo mode: one or more simulated sites, each a private mosquitto (own free loopback port)
// plus fleetdeck-sim with N devices publishing to it. Every site uses the same device ids
// (dev-00001..) with its own seed, so several sites show the multi-broker inventory.
// All are child processes that end with this object (and with us, should we crash).
class DemoEnvironment : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString simulatorPath;  // fleetdeck-sim executable
        int devices = 200;
        double rateHz = 1.0;    // telemetry per device per second
        quint32 seed = 42;
        double faultRate = 0.0; // fraction of telemetry replaced by malformed messages (diagnostics demo)
        double historyHours = 0;  // > 0: the simulator backfills this much past telemetry (charts)
        int brokers = 1;        // sites: one broker + one simulator each (site i uses seed + i)
    };

    explicit DemoEnvironment(QObject *parent = nullptr);
    ~DemoEnvironment() override;

    bool start(const Options &options, QString *error = nullptr);
    void stop();
    QString brokerUrl() const;          // the first site's broker (empty when stopped)
    QStringList brokerUrls() const;     // every site's broker, in site order
    int siteCount() const;              // running sites
    // Source name of site index (0-based): "demo-site-1", "demo-site-2", ...
    static QString siteName(int index);

signals:
    void failed(const QString &message);  // broker or simulator died

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
