#include "models/connection_list_model.h"
#include "models/message_rate.h"

#include "models/connection_state_style.h"

#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace fd {

namespace {
QIcon stateIcon(ConnectionState state)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = connectionStateColor(state);
    p.setPen(QPen(color.darker(130), 1));
    p.setBrush(color);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pixmap);
}
} // namespace

void ConnectionListModel::setRows(const QList<Row> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int ConnectionListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {  // a handful of connections
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

const ConnectionListModel::Row *ConnectionListModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

QStringList ConnectionListModel::names() const
{
    QStringList out;
    for (const Row &r : m_rows)
        out.append(r.name);
    return out;
}

void ConnectionListModel::rowChanged(int row)
{
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool ConnectionListModel::setState(const QString &name, ConnectionState state, const QString &detail)
{
    const int row = rowOf(name);
    if (row < 0)
        return false;
    m_rows[row].state = state;
    m_rows[row].detail = detail;
    rowChanged(row);
    return true;
}

bool ConnectionListModel::setRate(const QString &name, double rate)
{
    const int row = rowOf(name);
    if (row < 0)
        return false;
    if (m_rows[row].rate != rate) {
        m_rows[row].rate = rate;
        rowChanged(row);
    }
    return true;
}

bool ConnectionListModel::setBroker(const QString &name, const QString &broker)
{
    const int row = rowOf(name);
    if (row < 0)
        return false;
    m_rows[row].broker = broker;
    rowChanged(row);
    return true;
}

int ConnectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ConnectionListModel::toolTip(const Row &r) const
{
    QString tip = tr("%1: %2").arg(r.name, connectionStateLabel(r.state));
    if (!r.detail.isEmpty())
        tip += u'\n' + r.detail;
    if (!r.saved)
        tip += u'\n' + tr("Not a saved connection (demo or command line): it can be disconnected, not edited.");
    return plainTextToolTip(tip);
}

QVariant ConnectionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return r.name;
        case BrokerColumn: return r.broker.isEmpty() && !r.saved ? r.detail : r.broker;
        case StateColumn: return connectionStateLabel(r.state);
        case RateColumn:
            return r.state == ConnectionState::Connected ? formatMessageRate(r.rate) : QString();
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == StateColumn ? QVariant(stateIcon(r.state)) : QVariant();
    case Qt::ToolTipRole:
        return toolTip(r);
    case Qt::FontRole:
        if (index.column() == NameColumn && !r.saved) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == RateColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case NameRole: return r.name;
    case SavedRole: return r.saved;
    case StateRole: return QVariant::fromValue(r.state);
    }
    return {};
}

QVariant ConnectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case BrokerColumn: return tr("Broker");
    case StateColumn: return tr("State");
    case RateColumn: return tr("Rate");
    }
    return {};
}

} // namespace fd
