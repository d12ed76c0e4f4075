#pragma once

#include <QIcon>
#include <QListView>

class QStandardItemModel;

namespace fd {

// The navigation column at the left of the main window: one entry per page.
class PageSidebar : public QListView
{
    Q_OBJECT
public:
    explicit PageSidebar(QWidget *parent = nullptr);

    int addPage(const QIcon &icon, const QString &title, const QString &toolTip);
    void setCurrentPage(int page);
    int currentPage() const;
    // A small count shown after the title, e.g. the number of rejected sources; 0 hides it.
    void setBadge(int page, const QString &text);

    QSize sizeHint() const override;

signals:
    void currentPageChanged(int page);

private:
    QStandardItemModel *m_pages;
    QStringList m_tooltips;
};

} // namespace fd
