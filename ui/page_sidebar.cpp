#include "ui/page_sidebar.h"

#include "widgets/badge_item_delegate.h"

#include <QDragEnterEvent>
#include <QDragLeaveEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFontMetrics>
#include <QScopedValueRollback>
#include <QStandardItemModel>
#include <QStyle>
#include <QTimerEvent>

namespace fd {

PageSidebar::PageSidebar(QWidget *parent)
    : QListView(parent)
    , m_pages(new QStandardItemModel(this))
{
    setModel(m_pages);
    setItemDelegate(new BadgeItemDelegate(this));
    setEditTriggers(NoEditTriggers);
    setSelectionMode(SingleSelection);
    setUniformItemSizes(true);
    setIconSize(QSize(20, 20));
    setSpacing(2);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Pages"));
    setAccessibleDescription(tr("The pages of the window; Ctrl+1, Ctrl+2, … show them"));
    applyStyleSheet();
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    emit currentPageChanged(current.row());
            });
}

void PageSidebar::refreshStyle()
{
    applyStyleSheet();
}

void PageSidebar::applyStyleSheet()
{
    // palette(...) is resolved when the sheet is set: set again when the palette changes
    // (View > Theme).
    const QScopedValueRollback guard(m_applyingStyleSheet, true);
    setStyleSheet(QString());  // the same text again would be ignored
    setStyleSheet(QStringLiteral(
        "fd--PageSidebar { background: palette(window); padding-top: 8px; }"
        "fd--PageSidebar::item { padding: 8px 10px; border-radius: 4px; margin: 0 6px; }"
        "fd--PageSidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
        "fd--PageSidebar::item:hover:!selected { background: palette(midlight); }"));
}

bool PageSidebar::event(QEvent *event)
{
    const bool result = QListView::event(event);
    if ((event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::StyleChange)
        && !m_applyingStyleSheet)
        applyStyleSheet();
    return result;
}

int PageSidebar::addPage(const QIcon &icon, const QString &title, const QString &toolTip)
{
    auto *item = new QStandardItem(icon, title);
    item->setToolTip(toolTip);
    item->setData(toolTip, Qt::AccessibleDescriptionRole);
    item->setEditable(false);
    m_pages->appendRow(item);
    m_tooltips.append(toolTip);
    m_shortcuts.append(QKeySequence());
    if (m_pages->rowCount() == 1)
        setCurrentPage(0);
    return m_pages->rowCount() - 1;
}

void PageSidebar::setCurrentPage(int page)
{
    const QModelIndex index = m_pages->index(page, 0);
    if (index.isValid())
        selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
}

int PageSidebar::currentPage() const
{
    return currentIndex().row();
}

int PageSidebar::pageCount() const
{
    return m_pages->rowCount();
}

QString PageSidebar::pageTitle(int page) const
{
    const QStandardItem *item = m_pages->item(page);
    return item ? item->text() : QString();
}

void PageSidebar::setPageShortcut(int page, const QKeySequence &keys)
{
    if (page < 0 || page >= m_shortcuts.size())
        return;
    m_shortcuts[page] = keys;
    updateToolTip(page);
}

QString PageSidebar::pageToolTip(int page) const
{
    const QStandardItem *item = m_pages->item(page);
    return item ? item->toolTip() : QString();
}

void PageSidebar::setBadge(int page, const QString &text)
{
    QStandardItem *item = m_pages->item(page);
    if (!item)
        return;
    item->setData(text, BadgeItemDelegate::BadgeRole);
    updateToolTip(page);
}

void PageSidebar::updateToolTip(int page)
{
    QStandardItem *item = m_pages->item(page);
    if (!item)
        return;
    const QKeySequence keys = m_shortcuts.value(page);
    const QString title = keys.isEmpty()
                              ? item->text()
                              : tr("%1 (%2)").arg(item->text(), keys.toString(QKeySequence::NativeText));
    const QString badge = item->data(BadgeItemDelegate::BadgeRole).toString();
    const QString description = m_tooltips.value(page);
    item->setToolTip(tr("%1\n%2").arg(title, badge.isEmpty() ? description : tr("%1 (%2)").arg(description, badge)));
    item->setData(badge.isEmpty() ? item->text() : tr("%1 (%2)").arg(item->text(), badge), Qt::AccessibleTextRole);
}

void PageSidebar::setChangeCurrentOnDrag(bool change)
{
    m_changeOnDrag = change;
    setAcceptDrops(change);
    viewport()->setAcceptDrops(change);
    setDragDropMode(change ? DropOnly : NoDragDrop);
    setDropIndicatorShown(false);
}

void PageSidebar::dragEnterEvent(QDragEnterEvent *event)
{
    if (!m_changeOnDrag) {
        event->ignore();
        return;
    }
    // Accepted so that the moves come here; each move is ignored (no drop on the sidebar).
    event->accept();
}

void PageSidebar::dragMoveEvent(QDragMoveEvent *event)
{
    event->ignore();
    if (!m_changeOnDrag)
        return;
    const int page = indexAt(event->position().toPoint()).row();
    if (page == m_dragSwitchPage)
        return;
    m_dragSwitchPage = page;
    m_dragSwitch.stop();
    if (page >= 0 && page != currentPage())
        m_dragSwitch.start(style()->styleHint(QStyle::SH_TabBar_ChangeCurrentDelay, nullptr, this), this);
}

void PageSidebar::dragLeaveEvent(QDragLeaveEvent *event)
{
    m_dragSwitch.stop();
    m_dragSwitchPage = -1;
    event->accept();
}

void PageSidebar::dropEvent(QDropEvent *event)
{
    m_dragSwitch.stop();
    m_dragSwitchPage = -1;
    event->ignore();
}

void PageSidebar::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_dragSwitch.timerId()) {
        QListView::timerEvent(event);
        return;
    }
    m_dragSwitch.stop();
    if (m_dragSwitchPage >= 0)
        setCurrentPage(m_dragSwitchPage);
}

QSize PageSidebar::sizeHint() const
{
    // Wide enough for the longest page name and a "999+" badge beside it (at least 150): no
    // wider, the inventory needs the room at 1280x720.
    QFont badgeFont = font();
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
    badgeFont.setBold(true);
    const int badge = QFontMetrics(badgeFont).horizontalAdvance(QStringLiteral("999+")) + 12 + 8 + 4;
    int text = 0;
    for (int row = 0; row < model()->rowCount(); ++row)
        text = std::max(text, fontMetrics().horizontalAdvance(model()->index(row, 0).data().toString()));
    const int icon = iconSize().isValid() ? iconSize().width() : 16;
    return {std::max(150, text + icon + badge + 36), QListView::sizeHint().height()};
}

} // namespace fd
