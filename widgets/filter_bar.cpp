#include "widgets/filter_bar.h"

#include <QAction>
#include <QAbstractItemView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>

namespace fd {

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_summary(new QLabel(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);

    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(200);
    m_search->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView), QLineEdit::LeadingPosition);
    layout->addWidget(m_search, 1);
    layout->addStretch(0);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(120);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::changed);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_debounce.stop();
        emit changed();
    });
}

void FilterBar::setSearchPlaceholder(const QString &text)
{
    m_search->setPlaceholderText(text);
}

QString FilterBar::searchText() const
{
    return m_search->text();
}

void FilterBar::setSearchText(const QString &text)
{
    m_search->setText(text);
}

int FilterBar::addChoice(const QString &label, const QString &anyText)
{
    auto *layout = static_cast<QHBoxLayout *>(this->layout());
    auto *caption = new QLabel(label, this);
    caption->setTextFormat(Qt::PlainText);
    auto *combo = new QComboBox(this);
    // A fixed width (long site names do not widen the bar); the list shows them whole.
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(9);
    combo->addItem(anyText, QString());
    caption->setBuddy(combo);
    // Before the stretch and summary.
    const int insertAt = layout->count() - 2;
    layout->insertWidget(insertAt, caption);
    layout->insertWidget(insertAt + 1, combo);
    connect(combo, &QComboBox::currentIndexChanged, this, [this] {
        m_debounce.stop();
        emit changed();
    });
    m_combos.append(combo);
    m_captions.append(label);
    return int(m_combos.size()) - 1;
}

void FilterBar::setChoiceValues(int id, const QStringList &values)
{
    QList<std::pair<QString, QString>> items;
    items.reserve(values.size());
    for (const QString &v : values)
        items.append({v, v});
    setChoiceItems(id, items);
}

void FilterBar::setChoiceItems(int id, const QList<std::pair<QString, QString>> &textAndValue)
{
    QComboBox *combo = m_combos.value(id);
    if (!combo)
        return;
    const QString current = combo->currentData().toString();
    {
        const QSignalBlocker blocker(combo);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const auto &[text, value] : textAndValue)
            combo->addItem(text, value);
        const int index = combo->findData(current);
        combo->setCurrentIndex(index >= 0 ? index : 0);
        combo->view()->setMinimumWidth(combo->view()->sizeHintForColumn(0) + 24);
    }
    if (combo->currentData().toString() != current)
        emit changed();
}

QString FilterBar::choiceValue(int id) const
{
    const QComboBox *combo = m_combos.value(id);
    return combo ? combo->currentData().toString() : QString();
}

void FilterBar::setChoiceValue(int id, const QString &value)
{
    QComboBox *combo = m_combos.value(id);
    if (!combo)
        return;
    const int index = combo->findData(value);
    combo->setCurrentIndex(index >= 0 ? index : 0);
}

void FilterBar::setSummary(const QString &text)
{
    m_summary->setText(text);
}

void FilterBar::setDebounceMs(int ms)
{
    m_debounce.setInterval(ms);
}

void FilterBar::clear()
{
    {
        const QSignalBlocker blockSearch(m_search);
        m_search->clear();
        for (QComboBox *combo : std::as_const(m_combos)) {
            const QSignalBlocker blocker(combo);
            combo->setCurrentIndex(0);
        }
    }
    m_debounce.stop();
    emit changed();
}

bool FilterBar::hasActiveFilters() const
{
    if (!m_search->text().trimmed().isEmpty())
        return true;
    for (const QComboBox *combo : m_combos) {
        if (combo->currentIndex() > 0)
            return true;
    }
    return false;
}

QString FilterBar::activeFiltersText() const
{
    QStringList parts;
    const QString text = m_search->text().trimmed();
    if (!text.isEmpty())
        parts.append(tr("“%1”").arg(text));
    for (qsizetype i = 0; i < m_combos.size(); ++i) {
        if (m_combos[i]->currentIndex() > 0)
            parts.append(tr("%1: %2").arg(m_captions.value(i), m_combos[i]->currentText()));
    }
    return parts.join(tr(" · "));
}

} // namespace fd
