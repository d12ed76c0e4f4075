// The inventory page as an operator uses it, offscreen, without a session: the row order
// holds still while the pointer is over the table or rows are selected ("Order changed"
// bar, Re-sort), filter feedback (no-match message with Clear Filters, AND of search words),
// the detail panel never describing a hidden device and showing tags as plain text, a
// summary of several selected devices, and the column chooser of the header menu.
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "tests/models/device_factory.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_columns.h"
#include "ui/inventory_page.h"
#include "ui/selection_summary_view.h"
#include "ui/table_order_hold.h"
#include "widgets/filter_bar.h"
#include "widgets/order_changed_bar.h"
#include "widgets/view_message_overlay.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QEnterEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fd;
using fd::test::makeDevice;
using namespace Qt::StringLiterals;

namespace {

// Sites and firmware for the search tests: every 3rd device in Rotterdam, every 2nd on 2.4.2.
Device fleetDevice(int i)
{
    Device d = makeDevice(i);
    d.site = i % 3 == 0 ? u"Rotterdam-Port"_s : u"Lyon-Nord"_s;
    d.fwVersion = i % 2 == 0 ? u"2.4.2"_s : u"1.1.0"_s;
    d.messageCount = quint64(100 + i);
    return d;
}

QList<Device> fleet(int count)
{
    QList<Device> devices;
    for (int i = 0; i < count; ++i)
        devices.append(fleetDevice(i));
    return devices;
}

QStringList shownIds(const DeviceFilterProxyModel *proxy)
{
    QStringList ids;
    for (int row = 0; row < proxy->rowCount(); ++row)
        ids.append(proxy->deviceIdAt(row));
    return ids;
}

struct Fixture
{
    explicit Fixture(int devices)
    {
        inventory.setLastSeenRefreshIntervalMs(0);
        inventory.setUpdateIntervalMs(1);
        inventory.resetDevices(fleet(devices));
        page = std::make_unique<InventoryPage>(&inventory);
        tester = std::make_unique<QAbstractItemModelTester>(page->proxy(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        page->filterBar()->setDebounceMs(0);
        page->resize(1280, 700);
        page->show();
    }
    void update(const Device &d)
    {
        inventory.applyUpdates({d});
        inventory.flushPendingUpdates();
    }
    void pointerEnters()  // the pointer moves over the rows
    {
        QWidget *viewport = page->table()->viewport();
        const QPointF local(20, 40);
        QEnterEvent enter(local, local, viewport->mapToGlobal(local));
        QApplication::sendEvent(page->table(), &enter);
        QMouseEvent move(QEvent::MouseMove, local, viewport->mapToGlobal(local), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
    }
    void pointerLeaves()
    {
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(page->table(), &leave);
    }
    void search(const QString &text)
    {
        page->filterBar()->setSearchText(text);
        emit page->filterBar()->searchField()->returnPressed();
    }

    DeviceInventoryModel inventory;
    std::unique_ptr<InventoryPage> page;
    std::unique_ptr<QAbstractItemModelTester> tester;
};

} // namespace

class TestInventoryPage : public QObject
{
    Q_OBJECT
private slots:
    void orderHoldsUnderThePointer();
    void orderHoldsWhileRowsAreSelected();
    void noMatchMessageAndClearFilters();
    void searchWordsCombineWithAnd();
    void detailPanelNeverShowsAHiddenDevice();
    void detailPanelShowsTagsAsPlainText();
    void severalSelectedDevicesAreSummarised();
    void columnChooserHidesAndRemembers();
};

void TestInventoryPage::orderHoldsUnderThePointer()
{
    Fixture f(30);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    QTableView *table = f.page->table();
    DeviceFilterProxyModel *proxy = f.page->proxy();
    table->sortByColumn(DeviceInventoryModel::MessagesColumn, Qt::DescendingOrder);
    table->selectionModel()->clear();
    QCOMPARE(proxy->deviceIdAt(0), u"dev-00029"_s);
    QVERIFY(!proxy->isOrderHeld());

    // The window appearing under the pointer holds nothing; the pointer moving over the rows does.
    QEnterEvent enter(QPointF(20, 40), QPointF(20, 40), table->mapToGlobal(QPointF(20, 40)));
    QApplication::sendEvent(table, &enter);
    QVERIFY(!proxy->isOrderHeld());
    f.pointerEnters();
    QTest::mouseMove(table->viewport(), QPoint(20, 40));
    QVERIFY(proxy->isOrderHeld());
    const QStringList before = shownIds(proxy);

    // The last row's device jumps to the top of the sort column: its row stays where it is
    // (the pointer may be on it), its data updates.
    Device busy = fleetDevice(0);
    busy.messageCount = 1'000'000;
    f.update(busy);
    QCOMPARE(shownIds(proxy), before);
    const int busyRow = proxy->proxyRowOf(busy.key());
    QCOMPARE(busyRow, 29);
    QCOMPARE(proxy->index(busyRow, DeviceInventoryModel::MessagesColumn).data(DeviceInventoryModel::SortRole).toULongLong(),
             1'000'000ULL);
    QVERIFY(proxy->isOrderStale());
    QTRY_VERIFY(f.page->orderChangedBar()->isVisible());

    // A new device is appended at the end while held.
    const Device newcomer = fleetDevice(30);
    f.update(newcomer);
    QCOMPARE(proxy->rowCount(), 31);
    QCOMPARE(proxy->deviceIdAt(30), newcomer.id);
    QCOMPARE(shownIds(proxy).mid(0, 30), before);

    // Re-sort: sorted now, the bar goes; the pointer holds the new order.
    QTest::mouseClick(f.page->orderChangedBar()->resortButton(), Qt::LeftButton);
    QCOMPARE(proxy->deviceIdAt(0), busy.id);
    QCOMPARE(proxy->deviceIdAt(1), newcomer.id);
    QVERIFY(!proxy->isOrderStale());
    QVERIFY(f.page->orderChangedBar()->isHidden());
    f.pointerEnters();  // (the click may have moved the pointer)
    QVERIFY(proxy->isOrderHeld());

    // Changed again while held, then the pointer leaves with nothing selected: re-sorted at once.
    Device other = fleetDevice(5);
    other.messageCount = 2'000'000;
    f.update(other);
    QCOMPARE(proxy->deviceIdAt(0), busy.id);
    QVERIFY(f.page->orderChangedBar()->isVisible());
    f.pointerLeaves();
    QVERIFY(!proxy->isOrderHeld());
    QCOMPARE(proxy->deviceIdAt(0), other.id);
    QVERIFY(f.page->orderChangedBar()->isHidden());

    // Not held: the table follows the sort live.
    Device third = fleetDevice(7);
    third.messageCount = 3'000'000;
    f.update(third);
    QCOMPARE(proxy->deviceIdAt(0), third.id);
}

void TestInventoryPage::orderHoldsWhileRowsAreSelected()
{
    Fixture f(30);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    QTableView *table = f.page->table();
    DeviceFilterProxyModel *proxy = f.page->proxy();
    // The first row the page selected by itself holds nothing.
    f.pointerLeaves();  // (the previous test left the pointer where this window is)
    QVERIFY(table->selectionModel()->hasSelection());
    QVERIFY(!proxy->isOrderHeld());
    table->sortByColumn(DeviceInventoryModel::MessagesColumn, Qt::AscendingOrder);

    table->selectRow(3);
    QVERIFY(proxy->isOrderHeld());
    const DeviceKey selected = proxy->deviceKeyAt(3);
    const QStringList before = shownIds(proxy);
    Device moved = fleetDevice(selected.path.mid(4).toInt());
    moved.messageCount = 5'000'000;  // would go last
    f.update(moved);
    QCOMPARE(shownIds(proxy), before);
    QCOMPARE(proxy->deviceKeyAt(3), selected);
    QCOMPARE(f.page->detailPanel()->deviceKey(), selected);
    QVERIFY(f.page->orderChangedBar()->isVisible());

    // The selection cleared with the pointer outside: sorted at once.
    table->selectionModel()->clear();
    QVERIFY(!proxy->isOrderHeld());
    QCOMPARE(proxy->deviceKeyAt(proxy->rowCount() - 1), selected);
    QVERIFY(f.page->orderChangedBar()->isHidden());
}

void TestInventoryPage::noMatchMessageAndClearFilters()
{
    Fixture f(30);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    ViewMessageOverlay *message = f.page->noMatchMessage();
    QVERIFY(message->isHidden());
    f.search(u"zzz-nothing"_s);
    QCOMPARE(f.page->proxy()->rowCount(), 0);
    QVERIFY(message->isVisible());
    QCOMPARE(message->title(), u"No devices match"_s);
    QVERIFY2(message->text().contains(u"zzz-nothing"_s), qPrintable(message->text()));
    QVERIFY(f.page->detailPanel()->deviceKey().isNull());
    QVERIFY(f.page->detailPanel()->isPlaceholderShown());

    auto *clear = message->findChild<QPushButton *>(u"clearFilters"_s);
    QVERIFY(clear);
    QVERIFY(clear->isVisible());
    QTest::mouseClick(clear, Qt::LeftButton);
    QCOMPARE(f.page->proxy()->rowCount(), 30);
    QVERIFY(f.page->filterBar()->searchText().isEmpty());
    QVERIFY(message->isHidden());
}

void TestInventoryPage::searchWordsCombineWithAnd()
{
    Fixture f(60);
    DeviceFilterProxyModel *proxy = f.page->proxy();
    f.search(u"rotterdam"_s);
    QCOMPARE(proxy->rowCount(), 20);  // i % 3 == 0
    f.search(u"2.4"_s);
    QCOMPARE(proxy->rowCount(), 30);  // i % 2 == 0
    f.search(u"rotterdam 2.4"_s);
    QCOMPARE(proxy->rowCount(), 10);  // i % 6 == 0: both words, each in another field
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const Device d = f.inventory.device(f.inventory.rowOf(proxy->deviceKeyAt(row)));
        QCOMPARE(d.site, u"Rotterdam-Port"_s);
        QCOMPARE(d.fwVersion, u"2.4.2"_s);
    }
    f.search(u"  2.4   ROTTERDAM "_s);  // any order, any case, any spacing
    QCOMPARE(proxy->rowCount(), 10);
    f.search(u"rotterdam \"sensor 12\""_s);  // a quoted phrase is one word
    QCOMPARE(shownIds(proxy), QStringList{u"dev-00012"_s});
    // The reference answer agrees.
    DeviceFilter filter;
    filter.text = u"rotterdam 2.4"_s;
    QVERIFY(filter.matches(fleetDevice(6)));
    QVERIFY(!filter.matches(fleetDevice(3)));
    QVERIFY(!filter.matches(fleetDevice(2)));
}

void TestInventoryPage::detailPanelNeverShowsAHiddenDevice()
{
    Fixture f(60);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    QTableView *table = f.page->table();
    DeviceFilterProxyModel *proxy = f.page->proxy();
    DeviceDetailPanel *detail = f.page->detailPanel();
    const DeviceKey lyon = fleetDevice(4).key();  // Lyon-Nord, 2.4.2
    table->selectRow(proxy->proxyRowOf(lyon));
    QCOMPARE(detail->deviceKey(), lyon);

    f.search(u"rotterdam"_s);  // hides it
    QCOMPARE(proxy->proxyRowOf(lyon), -1);
    QVERIFY(detail->deviceKey() != lyon);
    QVERIFY(detail->isPlaceholderShown() || proxy->proxyRowOf(detail->deviceKey()) >= 0);

    // A narrower filter that hides the device shown now (whatever it is).
    table->selectRow(0);
    const DeviceKey shown = detail->deviceKey();
    QVERIFY(!shown.isNull());
    f.search(u"rotterdam \"sensor 3\""_s);  // dev-00003, 00030..00039 in Rotterdam: 3, 30, 33, 36, 39
    if (proxy->proxyRowOf(shown) < 0)
        QVERIFY(detail->deviceKey() != shown);
    QVERIFY(detail->isPlaceholderShown() || proxy->proxyRowOf(detail->deviceKey()) >= 0);

    // Live: the shown device stops matching the status filter: the panel lets go of it.
    f.search(QString());
    table->selectRow(proxy->proxyRowOf(lyon));
    QCOMPARE(detail->deviceKey(), lyon);
    f.search(u"2.4.2"_s);
    QCOMPARE(detail->deviceKey(), lyon);
    Device downgraded = fleetDevice(4);
    downgraded.fwVersion = u"1.0.0"_s;
    f.update(downgraded);
    QCOMPARE(proxy->proxyRowOf(lyon), -1);
    QVERIFY(detail->deviceKey() != lyon);
    QVERIFY(detail->isPlaceholderShown() || proxy->proxyRowOf(detail->deviceKey()) >= 0);
}

// The detail panel lists the shown device's tags as plain text (a tag is the device's text,
// never markup), follows changes, and the search finds devices by tag.
void TestInventoryPage::detailPanelShowsTagsAsPlainText()
{
    Fixture f(10);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    Device tagged = fleetDevice(4);
    tagged.tags = QStringList{u"<b>freezer</b>"_s, u"pilot"_s};
    f.update(tagged);
    DeviceFilterProxyModel *proxy = f.page->proxy();
    DeviceDetailPanel *detail = f.page->detailPanel();
    f.page->table()->selectRow(proxy->proxyRowOf(tagged.key()));
    QCOMPARE(detail->deviceKey(), tagged.key());
    auto tagsLabel = [&] { return detail->findChild<QLabel *>(u"detailTags"_s); };
    QVERIFY(tagsLabel());
    QCOMPARE(tagsLabel()->text(), u"<b>freezer</b>, pilot"_s);
    QCOMPARE(tagsLabel()->textFormat(), Qt::PlainText);

    f.search(u"pilot"_s);
    QCOMPARE(shownIds(proxy), QStringList{tagged.id});
    QCOMPARE(detail->deviceKey(), tagged.key());

    tagged.tags = QStringList();  // "tags": []
    f.update(tagged);
    QCOMPARE(proxy->rowCount(), 0);
    f.search(QString());
    f.page->table()->selectRow(proxy->proxyRowOf(tagged.key()));
    QCOMPARE(detail->deviceKey(), tagged.key());
    QVERIFY(tagsLabel());
    QCOMPARE(tagsLabel()->text(), u"—"_s);
}

void TestInventoryPage::severalSelectedDevicesAreSummarised()
{
    Fixture f(30);
    QVERIFY(QTest::qWaitForWindowExposed(f.page.get()));
    QTableView *table = f.page->table();
    DeviceFilterProxyModel *proxy = f.page->proxy();
    DeviceDetailPanel *detail = f.page->detailPanel();
    // dev-00000 (offline, Rotterdam, 2.4.2), dev-00001 (online, Lyon, 1.1.0), dev-00002 (online, Lyon, 2.4.2)
    QItemSelection selection;
    for (int i = 0; i < 3; ++i) {
        const int row = proxy->proxyRowOf(fleetDevice(i).key());
        selection.select(proxy->index(row, 0), proxy->index(row, proxy->columnCount() - 1));
    }
    table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    QCOMPARE(detail->selectionSize(), 3);
    QVERIFY(!detail->isPlaceholderShown());
    SelectionSummaryView *summary = detail->summaryView();
    QVERIFY(summary->isVisible());
    QVERIFY2(summary->titleText().startsWith(u"3 device"_s) && summary->titleText().endsWith(u" selected"_s),
             qPrintable(summary->titleText()));  // "3 devices" with the translations loaded
    QVERIFY2(summary->statusText().contains(u"2 online"_s), qPrintable(summary->statusText()));
    QVERIFY2(summary->statusText().contains(u"1 offline"_s), qPrintable(summary->statusText()));
    const QString text = [&] {
        QStringList labels;
        for (const QLabel *label : summary->findChildren<QLabel *>())
            labels.append(label->text());
        return labels.join(u'|');
    }();
    QVERIFY2(text.contains(u"2.4.2"_s) && text.contains(u"1.1.0"_s), qPrintable(text));
    QVERIFY2(text.contains(u"TH-200"_s) && text.contains(u"GW-10"_s), qPrintable(text));

    // Back to one: that device.
    table->selectRow(proxy->proxyRowOf(fleetDevice(1).key()));
    QCOMPARE(detail->selectionSize(), 0);
    QCOMPARE(detail->deviceKey(), fleetDevice(1).key());
}

void TestInventoryPage::columnChooserHidesAndRemembers()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    {
        Fixture f(10);
        f.page->setSettings(&settings);
        QHeaderView *header = f.page->table()->horizontalHeader();
        for (int column : InventoryColumns::defaultHiddenColumns())
            QVERIFY(header->isSectionHidden(column));
        QVERIFY(!header->isSectionHidden(DeviceInventoryModel::MessagesColumn));
        std::unique_ptr<QMenu> menu(f.page->columns()->createMenu(nullptr));
        auto *messages = menu->findChild<QAction *>(u"column_MessagesColumn"_s);
        QVERIFY(messages);
        QVERIFY(messages->isChecked());
        messages->toggle();
        QVERIFY(header->isSectionHidden(DeviceInventoryModel::MessagesColumn));
        auto *id = menu->findChild<QAction *>(u"column_IdColumn"_s);
        QVERIFY(id && !id->isEnabled());
        QVERIFY(menu->findChild<QAction *>(u"resetColumns"_s));
    }
    {
        Fixture f(10);
        f.page->setSettings(&settings);
        QHeaderView *header = f.page->table()->horizontalHeader();
        QVERIFY(header->isSectionHidden(DeviceInventoryModel::MessagesColumn));
        f.page->columns()->resetColumns();
        QVERIFY(!header->isSectionHidden(DeviceInventoryModel::MessagesColumn));
        QVERIFY(!settings.contains(u"inventory/hiddenColumns"_s));
        // Default widths are capped: none wider than its cap.
        for (int column = 0; column < DeviceInventoryModel::ColumnCount; ++column)
            QVERIFY(header->sectionSize(column)
                    <= f.page->table()->fontMetrics().averageCharWidth() * InventoryColumns::maxWidthChars(column) + 16);
    }
}

QTEST_MAIN(TestInventoryPage)
#include "test_inventory_page.moc"
