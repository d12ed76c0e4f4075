#pragma once

#include <QBasicTimer>
#include <QIcon>
#include <QKeySequence>
#include <QListView>

class QStandardItemModel;

namespace fd {

// The navigation column at the left of the main window: one entry per page.
//
// With setChangeCurrentOnDrag(true), hovering a drag over an entry for a moment
// (SH_TabBar_ChangeCurrentDelay, as tab bars do) switches to that page, so something
// dragged on one page can be dropped on another. The sidebar itself takes no drop.
class PageSidebar : public QListView
{
    Q_OBJECT
public:
    explicit PageSidebar(QWidget *parent = nullptr);

    int addPage(const QIcon &icon, const QString &title, const QString &toolTip);
    int pageCount() const;
    QString pageTitle(int page) const;
    // The key that shows the page (View > Go to page): in the entry's tooltip,
    // "Inventory (Ctrl+1)", so that it can be discovered from the sidebar.
    void setPageShortcut(int page, const QKeySequence &keys);
    QString pageToolTip(int page) const;
    // Sets the style sheet again: its palette(...) colours are resolved when it is set.
    // Called when the application's theme changes (View > Theme).
    void refreshStyle();
    void setCurrentPage(int page);
    int currentPage() const;
    // A small count shown after the title, e.g. the number of rejected sources; 0 hides it.
    void setBadge(int page, const QString &text);

    QSize sizeHint() const override;

    void setChangeCurrentOnDrag(bool change);
    bool changeCurrentOnDrag() const { return m_changeOnDrag; }

signals:
    void currentPageChanged(int page);

protected:
    bool event(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    QStandardItemModel *m_pages;
    QBasicTimer m_dragSwitch;
    int m_dragSwitchPage = -1;
    bool m_changeOnDrag = false;
    void updateToolTip(int page);
    void applyStyleSheet();

    QStringList m_tooltips;
    QList<QKeySequence> m_shortcuts;
    bool m_applyingStyleSheet = false;
};

} // namespace fd
