#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace fd {

// Demo mode: a private mosquitto plus fleetdeck-sim with N devices publishing to it.
// Both are child processes that end with this object (and with us, should we crash).
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
    };

    explicit DemoEnvironment(QObject *parent = nullptr);
    ~DemoEnvironment() override;

    bool start(const Options &options, QString *error = nullptr);
    void stop();
    QString brokerUrl() const;

signals:
    void failed(const QString &message);  // broker or simulator died

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
