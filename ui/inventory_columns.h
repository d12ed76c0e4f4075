#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QMenu;
class QSettings;
class QTableView;

namespace fd {

class InventoryTrendColumn;

// The columns of the inventory table: the default order (Source before the id, Trend after
// the metrics), default widths from the header text and the first rows' content, each
// capped (never ResizeToContents: it measures every row), which columns are shown, and the
// header's context menu: show/hide each column (the id always stays), "Reset columns", and
// the Trend column's metric (InventoryTrendColumn). The hidden columns are saved in
// QSettings (SettingsKeys::kInventoryHiddenColumns) as they change; the header state with
// widths and order is saved with the page (InventoryPage::saveState).
class InventoryColumns : public QObject
{
    Q_OBJECT
public:
    InventoryColumns(QTableView *table, InventoryTrendColumn *trend, QObject *parent = nullptr);

    // Columns hidden until the user shows them (they fit a 1280 px window without them).
    static QList<int> defaultHiddenColumns();
    // The cap of a column's default width, in average character widths.
    static int maxWidthChars(int column);

    // Reads the hidden columns (and later writes them there). May be null.
    void setSettings(QSettings *settings);

    void setColumnShown(int column, bool shown);
    // Shows the Source column once the fleet has several sources, unless the user chose.
    void showSourceIfSeveral(int sources);
    // Once the fleet has a Sparkplug B device: shows the Session column (unless the user
    // chose) and widens the status for "Offline · stale".
    void showSessionIfSparkplug(bool sparkplug);
    bool isColumnShown(int column) const;
    // Default order, widths and shown columns; forgets the saved choice.
    void resetColumns();
    // Widths from the content of the first rows of the table's model (called once the
    // first devices arrive, unless the user already sized the columns).
    void fitWidthsToContent();
    int defaultWidth(int column) const;

    // The header's context menu (also used by tests); the caller owns it.
    QMenu *createMenu(QWidget *parent);

private:
    void applyDefaultOrder();
    void saveHidden();
    void showHeaderMenu(const QPoint &pos);

    QTableView *m_table;
    InventoryTrendColumn *m_trend;
    QPointer<QSettings> m_settings;
    bool m_sourceChosen = false;
    bool m_sessionChosen = false;
    bool m_sparkplugSeen = false;  // showSessionIfSparkplug() did its part once
};

} // namespace fd
