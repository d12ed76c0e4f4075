#include "models/metric_catalogue_model.h"

#include "core/domain/metric_catalogue.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

QString optionalNumber(const std::optional<double> &v)
{
    return v ? QLocale().toString(*v, 'g', 12) : QString();
}

// Parses a number in the current locale or in C notation ("0.5" in a German locale too).
std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    double v = QLocale().toDouble(text, &ok);
    if (!ok)
        v = QLocale::c().toDouble(text, &ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

} // namespace

MetricCatalogueModel::MetricCatalogueModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MetricCatalogueModel::setEntries(const QList<MetricInfo> &entries)
{
    beginResetModel();
    m_entries = entries;
    std::sort(m_entries.begin(), m_entries.end(), [](const MetricInfo &a, const MetricInfo &b) { return a.name < b.name; });
    endResetModel();
}

int MetricCatalogueModel::addMetric()
{
    QString name = QStringLiteral("metric");
    for (int n = 2; std::any_of(m_entries.cbegin(), m_entries.cend(), [&](const MetricInfo &m) { return m.name == name; }); ++n)
        name = QStringLiteral("metric_%1").arg(n);
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    MetricInfo m;
    m.name = name;
    m_entries.append(m);
    endInsertRows();
    return row;
}

void MetricCatalogueModel::removeMetrics(QList<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : rows) {
        if (row < 0 || row >= m_entries.size())
            continue;
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
    }
}

int MetricCatalogueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int MetricCatalogueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MetricCatalogueModel::exampleText(const MetricInfo &m) const
{
    MetricCatalogue one;
    one.setEntries({m});
    double sample = 21.4567;
    if (m.expectedMin && m.expectedMax)
        sample = (*m.expectedMin + *m.expectedMax) / 2 / m.scale + 0.01234;
    return one.formatValue(m.name, sample);
}

QVariant MetricCatalogueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MetricInfo &m = m_entries.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case NameColumn: return m.name;
        case DisplayNameColumn: return m.displayName;
        case UnitColumn: return m.unit;
        case PrecisionColumn:
            return m.precision < 0 ? tr("Auto") : QString::number(m.precision);
        case ScaleColumn: return QLocale().toString(m.scale, 'g', 12);
        case MinColumn: return role == Qt::DisplayRole && !m.expectedMin ? QStringLiteral("\u2014") : QVariant(optionalNumber(m.expectedMin));
        case MaxColumn: return role == Qt::DisplayRole && !m.expectedMax ? QStringLiteral("\u2014") : QVariant(optionalNumber(m.expectedMax));
        case ExampleColumn: return role == Qt::DisplayRole ? QVariant(exampleText(m)) : QVariant();
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ExampleColumn)
        return tr("How a value of this metric is shown.");
    if (role == Qt::TextAlignmentRole && index.column() >= PrecisionColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QString MetricCatalogueModel::validate(int row, int column, const QString &input, MetricInfo *m) const
{
    const QString text = input.trimmed();
    switch (column) {
    case NameColumn:
        if (text.isEmpty())
            return tr("A metric needs its name as devices send it.");
        if (text.size() > MetricInfo::kMaxNameLength)
            return tr("The name is longer than %1 characters.").arg(MetricInfo::kMaxNameLength);
        for (int i = 0; i < m_entries.size(); ++i) {
            if (i != row && m_entries.at(i).name == text)
                return tr("\"%1\" is already in the catalogue.").arg(text);
        }
        m->name = text;
        return {};
    case DisplayNameColumn:
        if (text.size() > MetricInfo::kMaxNameLength)
            return tr("The display name is longer than %1 characters.").arg(MetricInfo::kMaxNameLength);
        m->displayName = text;
        return {};
    case UnitColumn:
        if (text.size() > MetricInfo::kMaxUnitLength)
            return tr("The unit is longer than %1 characters.").arg(MetricInfo::kMaxUnitLength);
        m->unit = text;
        return {};
    case PrecisionColumn: {
        if (text.isEmpty() || text.compare(tr("Auto"), Qt::CaseInsensitive) == 0 || text == u"-1") {
            m->precision = -1;
            return {};
        }
        bool ok = false;
        const int p = text.toInt(&ok);
        if (!ok || p < 0 || p > MetricInfo::kMaxPrecision)
            return tr("Precision is a number of decimals from 0 to %1, or Auto.").arg(MetricInfo::kMaxPrecision);
        m->precision = p;
        return {};
    }
    case ScaleColumn: {
        const std::optional<double> v = parseNumber(text);
        if (!v || *v == 0.0)
            return tr("The scale is a number other than 0 (the shown value is the sent value times the scale).");
        m->scale = *v;
        return {};
    }
    case MinColumn:
    case MaxColumn: {
        std::optional<double> v;
        if (!text.isEmpty() && text != u"\u2014") {
            v = parseNumber(text);
            if (!v)
                return tr("\"%1\" is not a number.").arg(text);
        }
        (column == MinColumn ? m->expectedMin : m->expectedMax) = v;
        if (m->expectedMin && m->expectedMax && !(*m->expectedMin < *m->expectedMax))
            return tr("The expected minimum must be below the maximum.");
        return {};
    }
    default:
        return tr("This column cannot be edited.");
    }
}

bool MetricCatalogueModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    MetricInfo changed = m_entries.at(index.row());
    const QString error = validate(index.row(), index.column(), value.toString(), &changed);
    if (!error.isEmpty()) {
        emit editRejected(error);
        return false;
    }
    if (changed == m_entries.at(index.row()))
        return true;
    m_entries[index.row()] = changed;
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    return true;
}

Qt::ItemFlags MetricCatalogueModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() != ExampleColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant MetricCatalogueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn: return tr("Metric");
        case DisplayNameColumn: return tr("Display Name");
        case UnitColumn: return tr("Unit");
        case PrecisionColumn: return tr("Decimals");
        case ScaleColumn: return tr("Scale");
        case MinColumn: return tr("Expected Min");
        case MaxColumn: return tr("Expected Max");
        case ExampleColumn: return tr("Example");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NameColumn: return tr("The metric's name as devices send it (case matters).");
        case PrecisionColumn: return tr("Decimals shown; Auto shows up to 6 significant digits.");
        case ScaleColumn: return tr("The shown value is the sent value times the scale (100 shows 0.42 as 42).");
        case MinColumn:
        case MaxColumn: return tr("The normal range of the shown value: a chart's value axis starts with it.");
        default: return {};
        }
    }
    return {};
}

} // namespace fd
