#include "ui/table_order_hold.h"

#include "models/device_filter_proxy_model.h"
#include "widgets/order_changed_bar.h"

#include <QAbstractItemView>
#include <QCoreApplication>
#include <QCursor>
#include <QEvent>
#include <QItemSelectionModel>

namespace fd {

TableOrderHold::TableOrderHold(QAbstractItemView *view, DeviceFilterProxyModel *proxy, OrderChangedBar *bar,
                               QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_proxy(proxy)
    , m_bar(bar)
{
    view->installEventFilter(this);
    view->viewport()->installEventFilter(this);
    // The pointer counts once it moves over the rows (an Enter alone comes also when the
    // window appears under a pointer that is not being used).
    view->viewport()->setMouseTracking(true);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_ignoreSelection = false;
        update();
    });
    connect(proxy, &DeviceFilterProxyModel::orderStaleChanged, bar, &QWidget::setVisible);
    connect(bar, &OrderChangedBar::resortRequested, this, &TableOrderHold::resort);
    bar->setVisible(proxy->isOrderStale());
}

void TableOrderHold::ignoreSelectionUntilChanged()
{
    m_ignoreSelection = true;
    update();
}

void TableOrderHold::resort()
{
    m_proxy->resort();
    if (m_view && m_view->currentIndex().isValid())
        m_view->scrollTo(m_view->currentIndex());
}

void TableOrderHold::update()
{
    if (!m_view)
        return;
    const bool selected = !m_ignoreSelection && m_view->selectionModel()->hasSelection();
    m_proxy->setOrderHeld(m_pointerInside || m_menuOpen || selected);
}

bool TableOrderHold::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseMove:
    case QEvent::MouseButtonPress:
        if (watched != m_view && !m_pointerInside) {
            m_pointerInside = true;
            update();
        }
        break;
    case QEvent::Leave:
        if (watched == m_view && !m_menuOpen) {
            m_pointerInside = false;
            update();
        }
        break;
    case QEvent::ContextMenu:
        if (!m_menuOpen) {
            // The menu runs its own loop inside this event (QMenu::exec): hold meanwhile,
            // then look where the pointer went.
            m_menuOpen = true;
            update();
            QCoreApplication::sendEvent(watched, event);
            m_menuOpen = false;
            if (m_view)
                m_pointerInside = m_view->rect().contains(m_view->mapFromGlobal(QCursor::pos()));
            update();
            return true;
        }
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace fd
