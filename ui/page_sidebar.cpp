#include "ui/page_sidebar.h"

#include "widgets/badge_item_delegate.h"

#include <QStandardItemModel>

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
    setStyleSheet(QStringLiteral(
        "fd--PageSidebar { background: palette(window); padding-top: 8px; }"
        "fd--PageSidebar::item { padding: 8px 10px; border-radius: 4px; margin: 0 6px; }"
        "fd--PageSidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
        "fd--PageSidebar::item:hover:!selected { background: palette(midlight); }"));
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    emit currentPageChanged(current.row());
            });
}

int PageSidebar::addPage(const QIcon &icon, const QString &title, const QString &toolTip)
{
    auto *item = new QStandardItem(icon, title);
    item->setToolTip(toolTip);
    item->setEditable(false);
    m_pages->appendRow(item);
    m_tooltips.append(toolTip);
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

void PageSidebar::setBadge(int page, const QString &text)
{
    QStandardItem *item = m_pages->item(page);
    if (!item)
        return;
    item->setData(text, BadgeItemDelegate::BadgeRole);
    item->setToolTip(text.isEmpty() ? m_tooltips.value(page) : tr("%1 (%2)").arg(m_tooltips.value(page), text));
}

QSize PageSidebar::sizeHint() const
{
    return {176, QListView::sizeHint().height()};
}

} // namespace fd
