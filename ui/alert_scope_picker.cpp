#include "ui/alert_scope_picker.h"

#include "models/device_inventory_model.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace fd {

AlertScopePicker::AlertScopePicker(DeviceInventoryModel *inventory, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_kind(new QComboBox(this))
    , m_value(new QComboBox(this))
    , m_sourceLabel(new QLabel(tr("in"), this))
    , m_source(new QComboBox(this))
{
    const std::pair<AlertScope::Kind, QString> kinds[] = {
        {AlertScope::Kind::All, tr("All devices")}, {AlertScope::Kind::Source, tr("Source")},
        {AlertScope::Kind::Site, tr("Site")},       {AlertScope::Kind::Model, tr("Model")},
        {AlertScope::Kind::Tag, tr("Tag")},         {AlertScope::Kind::Device, tr("Device")},
    };
    for (const auto &[kind, label] : kinds)
        m_kind->addItem(label, AlertScope::kindKey(kind));
    m_kind->setAccessibleName(tr("Scope"));
    m_value->setEditable(true);
    m_value->setInsertPolicy(QComboBox::NoInsert);
    m_value->setAccessibleName(tr("Scope value"));
    m_value->setMinimumContentsLength(16);
    m_value->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->setEditable(true);
    m_source->setInsertPolicy(QComboBox::NoInsert);
    m_source->setAccessibleName(tr("Device's source"));
    m_source->setToolTip(tr("The device's source (connection); empty: that device id in any source"));
    m_sourceLabel->setTextFormat(Qt::PlainText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_kind);
    layout->addWidget(m_value, 1);
    layout->addWidget(m_sourceLabel);
    layout->addWidget(m_source);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        updateSuggestions();
        emit changed();
    });
    connect(m_value, &QComboBox::editTextChanged, this, &AlertScopePicker::changed);
    connect(m_source, &QComboBox::editTextChanged, this, &AlertScopePicker::changed);
    updateSuggestions();
}

void AlertScopePicker::updateSuggestions()
{
    const auto kind = AlertScope::kindFromKey(m_kind->currentData().toString()).value_or(AlertScope::Kind::All);
    const QString text = m_value->currentText();
    const QSignalBlocker block(m_value);
    m_value->clear();
    m_value->setCompleter(nullptr);
    m_value->setEditable(true);
    switch (kind) {
    case AlertScope::Kind::Source: m_value->addItems(m_inventory->sources()); break;
    case AlertScope::Kind::Site: m_value->addItems(m_inventory->sites()); break;
    case AlertScope::Kind::Model: m_value->addItems(m_inventory->models()); break;
    case AlertScope::Kind::Device: {
        // Completed from the inventory's own rows (no copy of 100k ids).
        auto *completer = new QCompleter(m_inventory, m_value);
        completer->setCompletionColumn(DeviceInventoryModel::IdColumn);
        completer->setCaseSensitivity(Qt::CaseInsensitive);
        completer->setFilterMode(Qt::MatchContains);
        m_value->setCompleter(completer);
        break;
    }
    case AlertScope::Kind::Tag: m_value->addItems(m_inventory->store().distinctTags()); break;
    case AlertScope::Kind::All: break;
    }
    m_value->setEditText(text);
    m_value->setEnabled(kind != AlertScope::Kind::All);
    const bool device = kind == AlertScope::Kind::Device;
    m_sourceLabel->setVisible(device);
    m_source->setVisible(device);
    if (device && m_source->count() == 0) {
        const QSignalBlocker blockSource(m_source);
        m_source->addItem(QString());
        m_source->addItems(m_inventory->sources());
        m_source->setEditText(QString());
    }
}

void AlertScopePicker::setScope(const AlertScope &scope)
{
    {
        const QSignalBlocker blockKind(m_kind);
        m_kind->setCurrentIndex(qMax(0, m_kind->findData(AlertScope::kindKey(scope.kind))));
    }
    updateSuggestions();
    const QSignalBlocker blockValue(m_value);
    const QSignalBlocker blockSource(m_source);
    m_value->setEditText(scope.value);
    m_source->setEditText(scope.source);
    emit changed();
}

AlertScope AlertScopePicker::scope() const
{
    const auto kind = AlertScope::kindFromKey(m_kind->currentData().toString()).value_or(AlertScope::Kind::All);
    if (kind == AlertScope::Kind::All)
        return AlertScope::all();
    return AlertScope::of(kind, m_value->currentText().trimmed(),
                          kind == AlertScope::Kind::Device ? m_source->currentText().trimmed() : QString());
}

} // namespace fd
