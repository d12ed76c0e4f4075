// fleetdeck: the GUI. Parses the command line and hands over to the composition root.
#include "app/gui/fleetdeck_gui.h"
#include "app/gui/gui_options.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QMessageBox>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("fleetdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("FleetDeck"));
    QApplication::setApplicationVersion(QStringLiteral(FLEETDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("fleetdeck"));
    QIcon icon;
    for (int size : {32, 64, 128, 256})
        icon.addFile(QStringLiteral(":/fleetdeck/icons/fleetdeck-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    QTranslator translator;
    // English (the source language) as the fallback: its plural forms ("1 device", "2 devices")
    // come from the translation too, also in the C locale.
    if (translator.load(QLocale(), QStringLiteral("fleetdeck"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral("fleetdeck_en"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    fd::GuiOptions options;
    QString error;
    if (!fd::GuiOptions::parse(QApplication::arguments(), &options, &error)) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "FleetDeck"), error);
        return 2;
    }
    fd::FleetDeckGui gui(options);
    if (!gui.start())
        return 1;
    return QApplication::exec();
}
