#include "app/gui/demo_controller.h"

#include "ui/main_window.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace fd {

DemoController::DemoController(QObject *parent)
    : QObject(parent)
{
}

DemoController::~DemoController()
{
    stop();
}

DemoEnvironment::Options DemoController::defaultOptions()
{
    DemoEnvironment::Options options;
    options.simulatorPath = QCoreApplication::applicationDirPath() + QStringLiteral("/fleetdeck-sim");
    // A trickle of malformed messages (about one every few seconds with 200 devices) so the
    // Diagnostics page has something to show.
    options.faultRate = 0.002;
    return options;
}

bool DemoController::start(const DemoEnvironment::Options &options, MainWindow *window)
{
    if (m_demo)
        return true;
    window->setDemoState(true, false);
    m_demo = std::make_unique<DemoEnvironment>();
    QString error;
    if (!m_demo->start(options, &error)) {
        qCWarning(lcApp).noquote() << "demo mode failed:" << error;
        m_demo.reset();
        window->setDemoState(false, false);
        QMessageBox box(QMessageBox::Warning, tr("Demo mode is not available"),
                        tr("FleetDeck could not start the demo fleet. The cached inventory is still shown."),
                        QMessageBox::Ok, window);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(error);
        box.exec();
        return false;
    }
    window->setDemoState(false, true);
    QPointer<MainWindow> w(window);
    connect(m_demo.get(), &DemoEnvironment::failed, this, [w](const QString &message) {
        qCWarning(lcApp).noquote() << "demo environment failed:" << message;
        if (!w)
            return;
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Demo fleet stopped"),
                                    tr("The demo broker or simulator stopped unexpectedly."), QMessageBox::Ok, w);
        box->setTextFormat(Qt::PlainText);
        box->setDetailedText(message);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    // One source per site: "demo-site-1", "demo-site-2", ... (same device ids, distinct rows),
    // each with the account generated for its broker (in-process, never on a command line).
    for (int i = 0; i < m_demo->siteCount(); ++i) {
        const ConnectionProfile profile = m_demo->siteProfile(i);
        if (profile.broker.host.isEmpty()) {
            qCWarning(lcApp).noquote() << "demo site" << DemoEnvironment::siteName(i) << "has no broker";
            continue;
        }
        qCInfo(lcApp).noquote() << "demo site" << DemoEnvironment::siteName(i) << "at" << profile.broker.toString()
                                << (profile.clientCertFile.isEmpty() ? QStringLiteral("user %1").arg(profile.username)
                                                                     : QStringLiteral("with the operator certificate %1")
                                                                           .arg(profile.clientCertFile));
        window->connectWithSecrets(profile, m_demo->siteSecrets(i));
    }
    return true;
}

void DemoController::stop()
{
    if (m_demo)
        m_demo->stop();
}

} // namespace fd
