#include "ui/shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

namespace {

QString cleanText(QString text)
{
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    text.replace(QLatin1String("&&"), QLatin1String("&"));
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    else if (text.endsWith(QLatin1String("...")))
        text.chop(3);
    return text.trimmed();
}

// "View menu", "View > Theme menu", or the accessible name of the widget the action is on.
QString placeOf(const QAction *action)
{
    for (QObject *object : action->associatedObjects()) {
        if (auto *menu = qobject_cast<QMenu *>(object)) {
            QStringList path{cleanText(menu->title())};
            const QMenu *parentMenu = qobject_cast<const QMenu *>(menu->parentWidget());
            while (parentMenu) {
                path.prepend(cleanText(parentMenu->title()));
                parentMenu = qobject_cast<const QMenu *>(parentMenu->parentWidget());
            }
            return ShortcutsDialog::tr("%1 menu").arg(path.join(QLatin1String(" > ")));
        }
    }
    for (QObject *object : action->associatedObjects()) {
        if (auto *widget = qobject_cast<QWidget *>(object); widget && !widget->accessibleName().isEmpty())
            return widget->accessibleName();
    }
    return ShortcutsDialog::tr("Window");
}

void collect(const QList<QAction *> &actions, QList<QAction *> &out, QSet<const QAction *> &seen)
{
    for (QAction *action : actions) {
        if (QMenu *sub = action->menu()) {
            collect(sub->actions(), out, seen);
            continue;
        }
        if (action->isSeparator() || action->shortcuts().isEmpty() || seen.contains(action))
            continue;
        seen.insert(action);
        out.append(action);
    }
}

} // namespace

QList<QAction *> ShortcutsDialog::shortcutActions(const QWidget *window)
{
    QList<QAction *> out;
    QSet<const QAction *> seen;
    // Menu order first (what the user sees), then actions elsewhere (views, toolbars).
    if (const auto *mainWindow = window->findChild<QMenuBar *>(QString(), Qt::FindDirectChildrenOnly))
        collect(mainWindow->actions(), out, seen);
    collect(window->findChildren<QAction *>(), out, seen);
    return out;
}

QList<ShortcutsDialog::Entry> ShortcutsDialog::actionEntries(const QWidget *window)
{
    QList<Entry> entries;
    for (const QAction *action : shortcutActions(window)) {
        for (const QKeySequence &keys : action->shortcuts())
            entries.append({cleanText(action->text()), keys, placeOf(action)});
    }
    return entries;
}

QList<ShortcutsDialog::Entry> ShortcutsDialog::viewKeyEntries()
{
    const QString search = tr("Device search");
    const QString chart = tr("Telemetry chart");
    return {
        {tr("Go to the first result"), QKeySequence(Qt::Key_Down), search},
        {tr("Next field (leaves tables too)"), QKeySequence(Qt::Key_Tab), tr("Everywhere")},
        {tr("Previous field"), QKeySequence(Qt::SHIFT | Qt::Key_Tab), tr("Everywhere")},
        {tr("Pan back"), QKeySequence(Qt::Key_Left), chart},
        {tr("Pan forward"), QKeySequence(Qt::Key_Right), chart},
        {tr("Zoom in"), QKeySequence(Qt::Key_Plus), chart},
        {tr("Zoom out"), QKeySequence(Qt::Key_Minus), chart},
        {tr("Reset zoom, follow live"), QKeySequence(Qt::Key_Home), chart},
        {tr("Reset zoom, follow live"), QKeySequence(Qt::Key_Escape), chart},
        {tr("Pause / resume"), QKeySequence(Qt::Key_Space), chart},
    };
}

ShortcutsDialog::ShortcutsDialog(const QList<Entry> &entries, QWidget *parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_model(new QStandardItemModel(0, 3, this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_model->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut"), tr("Where")});
    for (const Entry &entry : entries) {
        QList<QStandardItem *> row{new QStandardItem(entry.action),
                                   new QStandardItem(entry.keys.toString(QKeySequence::NativeText)),
                                   new QStandardItem(entry.where)};
        for (QStandardItem *item : row)
            item->setEditable(false);
        m_model->appendRow(row);
    }
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);

    m_search->setPlaceholderText(tr("Search actions and keys"));
    m_search->setAccessibleName(tr("Search shortcuts"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table->setModel(m_proxy);
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setTabKeyNavigation(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->resizeColumnsToContents();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(560, 480);
    m_search->setFocus();
}

int ShortcutsDialog::visibleCount() const
{
    return m_proxy->rowCount();
}

QStringList ShortcutsDialog::visibleActions() const
{
    QStringList names;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        names.append(m_proxy->index(row, 0).data().toString());
    return names;
}

} // namespace fd
