#pragma once

#include <QStackedWidget>

class QPushButton;
class QLabel;

namespace fd {

class DeviceInventoryModel;
class FleetSession;

// The inventory area on a first run: while there is no device (cached or live) and no
// source is connected or connecting, a short welcome with "Connect to a Broker…" and "Try
// the Demo Fleet" stands in for the (empty) inventory page; as soon as a device appears or a
// source connects, the inventory page is shown. It comes back only if both are gone again
// (the last source disconnected and there is still no device).
class FirstRunPage : public QStackedWidget
{
    Q_OBJECT
public:
    FirstRunPage(DeviceInventoryModel *inventory, FleetSession *session, QWidget *content,
                 QWidget *parent = nullptr);

    bool isWelcomeShown() const;
    QWidget *welcome() const { return m_welcome; }
    QPushButton *connectButton() const { return m_connect; }
    QPushButton *demoButton() const { return m_demo; }
    // The demo is starting (the button says so and is disabled) or is not (again).
    void setDemoStarting(bool starting);

signals:
    void connectRequested();
    void demoRequested();

private:
    void update();

    DeviceInventoryModel *m_inventory;
    FleetSession *m_session;
    QWidget *m_content;
    QWidget *m_welcome;
    QPushButton *m_connect;
    QPushButton *m_demo;
};

} // namespace fd
