#include "ui/search_key_navigator.h"

#include <QAbstractItemView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>

namespace fd {

SearchKeyNavigator::SearchKeyNavigator(QLineEdit *field, ViewProvider view)
    : QObject(field)
    , m_view(std::move(view))
{
    field->installEventFilter(this);
}

bool SearchKeyNavigator::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if ((key->key() != Qt::Key_Down && key->key() != Qt::Key_PageDown) || key->modifiers() != Qt::NoModifier)
        return false;
    QAbstractItemView *view = m_view ? m_view() : nullptr;
    if (!view || !view->model() || !view->isVisible())
        return false;
    QItemSelectionModel *selection = view->selectionModel();
    const QModelIndex first = view->model()->index(0, 0);
    if (!first.isValid())
        return false;
    // With the search just typed, the first match is what the user wants.
    selection->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view->scrollTo(first);
    view->setFocus(Qt::TabFocusReason);
    return true;
}

} // namespace fd
