#pragma once

#include "core/broker/demo_environment.h"

#include <QObject>

#include <memory>

namespace fd {

class MainWindow;

// Demo mode for the GUI, from the command line (--demo) or at runtime (the first-run page's
// "Try the Demo Fleet", File > Try Demo Fleet): starts the DemoEnvironment (private
// mosquitto + fleetdeck-sim per site) and connects every site's source in the window with
// the site's generated account. Tells the user when it cannot start or stops unexpectedly.
class DemoController : public QObject
{
    Q_OBJECT
public:
    explicit DemoController(QObject *parent = nullptr);
    ~DemoController() override;

    // The default options of `fleetdeck --demo` (200 devices, a trickle of malformed
    // messages for Diagnostics); fleetdeck-sim beside this executable.
    static DemoEnvironment::Options defaultOptions();

    // Starts the demo and connects its sites in window; false (the user was told why) if it
    // could not start. Once running, a second call does nothing and returns true.
    bool start(const DemoEnvironment::Options &options, MainWindow *window);
    bool isRunning() const { return m_demo != nullptr; }
    DemoEnvironment *environment() const { return m_demo.get(); }  // null when not running
    void stop();

private:
    std::unique_ptr<DemoEnvironment> m_demo;
};

} // namespace fd
