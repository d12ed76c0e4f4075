#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace fd {

// A search field followed by labelled choice combos ("Site: [All sites v]"), and an
// optional summary text at the right ("120 of 5,000 devices"). Generic: the caller adds
// combos, fills their choices and reads the selection. changed() is emitted once typing
// pauses (debounced) or at once when a combo changes.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit FilterBar(QWidget *parent = nullptr);

    void setSearchPlaceholder(const QString &text);
    QString searchText() const;
    void setSearchText(const QString &text);
    QLineEdit *searchField() const { return m_search; }

    // Adds a combo whose first entry (data: empty) means "no restriction". Returns its id.
    int addChoice(const QString &label, const QString &anyText);
    // Replaces the value entries of a combo, keeping the current selection if still offered.
    void setChoiceValues(int id, const QStringList &values);
    // Adds a value entry with a display text different from its value.
    void setChoiceItems(int id, const QList<std::pair<QString, QString>> &textAndValue);
    QString choiceValue(int id) const;  // empty: any
    void setChoiceValue(int id, const QString &value);

    // The active restrictions in words, for a "no match" message: “rotterdam 2.4” ·
    // Status: Offline · Site: Lyon-Nord (choices at their "any" entry are left out).
    QString activeFiltersText() const;
    bool hasActiveFilters() const;

    void setSummary(const QString &text);
    void setDebounceMs(int ms);
    // Empties the search and resets every choice; changed() once, at once.
    void clear();

signals:
    void changed();

private:
    QLineEdit *m_search;
    QLabel *m_summary;
    QList<QComboBox *> m_combos;
    QStringList m_captions;
    QTimer m_debounce;
};

} // namespace fd
