#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>

class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace fd {

// Help > Keyboard Shortcuts…: every shortcut of a window in a searchable table (what it does,
// the keys, where it is: a menu or a view). Generated from the window's QActions, so the
// list cannot drift from the menus; keys handled by widgets themselves (chart navigation,
// Down from the search field) are passed in as extra rows.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    struct Entry
    {
        QString action;     // "Find Device"
        QKeySequence keys;  // as shown, in the platform's native text
        QString where;      // "View menu", "Charts"
    };

    // The window's actions that have a shortcut (each once), in menu order where they are in
    // menus. Mnemonics (&) and a trailing ellipsis are left out of the names.
    [[nodiscard]] static QList<Entry> actionEntries(const QWidget *window);
    [[nodiscard]] static QList<QAction *> shortcutActions(const QWidget *window);
    // Keys that views handle themselves (no QAction): Down from the device search, Tab,
    // the chart's navigation keys.
    [[nodiscard]] static QList<Entry> viewKeyEntries();

    ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);

    QLineEdit *searchField() const { return m_search; }
    QTableView *table() const { return m_table; }
    // Rows shown (after the search).
    [[nodiscard]] int visibleCount() const;
    // The action names shown, in order.
    [[nodiscard]] QStringList visibleActions() const;

private:
    QLineEdit *m_search;
    QTableView *m_table;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_proxy;
};

} // namespace fd
