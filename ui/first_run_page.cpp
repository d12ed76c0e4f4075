#include "ui/first_run_page.h"

#include "core/ingest/fleet_session.h"
#include "models/device_inventory_model.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace fd {

FirstRunPage::FirstRunPage(DeviceInventoryModel *inventory, FleetSession *session, QWidget *content,
                           QWidget *parent)
    : QStackedWidget(parent)
    , m_inventory(inventory)
    , m_session(session)
    , m_content(content)
    , m_welcome(new QWidget(this))
    , m_connect(new QPushButton(tr("&Connect to a Broker…"), m_welcome))
    , m_demo(new QPushButton(tr("Try the &Demo Fleet"), m_welcome))
{
    setObjectName(QStringLiteral("FirstRunPage"));
    m_welcome->setObjectName(QStringLiteral("firstRunWelcome"));
    m_welcome->setAutoFillBackground(true);
    m_welcome->setBackgroundRole(QPalette::Base);

    auto *outer = new QVBoxLayout(m_welcome);
    outer->addStretch(2);
    auto *column = new QVBoxLayout;
    column->setSpacing(14);

    auto *icon = new QLabel(m_welcome);
    icon->setPixmap(QApplication::windowIcon().isNull()
                        ? style()->standardIcon(QStyle::SP_DriveNetIcon).pixmap(64, 64)
                        : QApplication::windowIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignCenter);
    column->addWidget(icon);

    auto *title = new QLabel(tr("Welcome to FleetDeck"), m_welcome);
    title->setTextFormat(Qt::PlainText);
    title->setAlignment(Qt::AlignCenter);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    column->addWidget(title);

    auto *text = new QLabel(tr("There are no devices yet. Connect to the MQTT broker your devices publish to, "
                               "or try FleetDeck with a simulated fleet of 200 devices on a private broker on "
                               "this computer."),
                            m_welcome);
    text->setObjectName(QStringLiteral("firstRunText"));
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    // A fixed width and the height it needs: a word-wrapped label centred in a box layout
    // otherwise gets a single line's height.
    text->setFixedWidth(560);
    text->setMinimumHeight(text->heightForWidth(560));
    column->addWidget(text, 0, Qt::AlignHCenter);

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(12);
    buttons->addStretch(1);
    m_connect->setObjectName(QStringLiteral("firstRunConnect"));
    m_connect->setToolTip(tr("Broker address, credentials and TLS; saving it as a profile is optional"));
    m_connect->setDefault(true);
    m_demo->setObjectName(QStringLiteral("firstRunDemo"));
    m_demo->setToolTip(tr("Starts a private mosquitto broker and the simulator (fleetdeck-sim), as fleetdeck --demo "
                          "does"));
    for (QPushButton *button : {m_connect, m_demo}) {
        button->setMinimumHeight(button->sizeHint().height() + 8);
        button->setMinimumWidth(200);
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    column->addLayout(buttons);

    auto *hint = new QLabel(tr("Later: File > Connections… (Ctrl+K) lists saved connections; File > Try Demo Fleet "
                               "starts the demo."),
                            m_welcome);
    hint->setTextFormat(Qt::PlainText);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignCenter);
    hint->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(hint);

    outer->addLayout(column);
    outer->addStretch(3);

    addWidget(m_welcome);
    addWidget(m_content);

    connect(m_connect, &QPushButton::clicked, this, &FirstRunPage::connectRequested);
    connect(m_demo, &QPushButton::clicked, this, &FirstRunPage::demoRequested);
    connect(m_inventory, &QAbstractItemModel::rowsInserted, this, &FirstRunPage::update);
    connect(m_inventory, &QAbstractItemModel::rowsRemoved, this, &FirstRunPage::update);
    connect(m_inventory, &QAbstractItemModel::modelReset, this, &FirstRunPage::update);
    connect(m_session, &FleetSession::sourceStateChanged, this, &FirstRunPage::update);
    update();
}

bool FirstRunPage::isWelcomeShown() const
{
    return currentWidget() == m_welcome;
}

void FirstRunPage::setDemoStarting(bool starting)
{
    m_demo->setEnabled(!starting);
    m_demo->setText(starting ? tr("Starting the Demo Fleet…") : tr("Try the &Demo Fleet"));
}

void FirstRunPage::update()
{
    const bool empty = m_inventory->rowCount() == 0 && m_session->sources().isEmpty();
    QWidget *shown = empty ? m_welcome : m_content;
    if (currentWidget() == shown)
        return;
    const bool hadFocus = currentWidget() && currentWidget()->isAncestorOf(QApplication::focusWidget());
    setCurrentWidget(shown);
    if (hadFocus)
        shown->setFocus();
}

} // namespace fd
