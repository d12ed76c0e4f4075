#pragma once

#include <QObject>
#include <QPointer>

class QAbstractItemView;

namespace fd {

class DeviceFilterProxyModel;
class OrderChangedBar;

// Holds the row order of a live-sorted device table while the user works in it
// (DeviceFilterProxyModel::setOrderHeld): from when the pointer moves over the rows until it
// leaves the table (header and scroll bars are part of it), a context menu of it is open, or rows are selected. Meanwhile the
// rows' data keeps updating and new devices are appended at the end; when the sorted order
// differs, the OrderChangedBar shows, and its Re-sort applies it (the current row is scrolled
// into view). When the pointer leaves and nothing is selected, the order is re-sorted at once.
// A selection the program made (the first row at start) holds nothing until the user
// changes the selection (ignoreSelectionUntilChanged()).
class TableOrderHold : public QObject
{
    Q_OBJECT
public:
    TableOrderHold(QAbstractItemView *view, DeviceFilterProxyModel *proxy, OrderChangedBar *bar,
                   QObject *parent = nullptr);

    void ignoreSelectionUntilChanged();
    bool pointerInside() const { return m_pointerInside; }
    // Re-sorts now (the bar's button).
    void resort();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();

    QPointer<QAbstractItemView> m_view;
    DeviceFilterProxyModel *m_proxy;
    OrderChangedBar *m_bar;
    bool m_pointerInside = false;
    bool m_menuOpen = false;
    bool m_ignoreSelection = false;
};

} // namespace fd
