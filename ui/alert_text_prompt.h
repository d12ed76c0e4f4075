#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

namespace fd {

// The triage page's small questions: who to assign (a line with suggestions: the
// operator and the assignees in use), a note (several lines), a reason to resolve (a line
// with common reasons). OK stays disabled while the text is empty unless empty is allowed
// (assign: empty unassigns). Opened window-modal with open(); the caller reads text() on
// accepted(). What the user types is never taken for markup.
class AlertTextPrompt : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Line, MultiLine };

    AlertTextPrompt(Kind kind, const QString &title, const QString &label, QWidget *parent = nullptr);

    void setSuggestions(const QStringList &suggestions);
    void setText(const QString &text);
    QString text() const;  // trimmed
    void setAllowEmpty(bool allow);
    bool isAcceptable() const;
    QPushButton *okButton() const;
    QWidget *editor() const;

private:
    void updateOk();

    Kind m_kind;
    QLabel *m_label;
    QComboBox *m_line = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QDialogButtonBox *m_buttons;
    bool m_allowEmpty = false;
};

} // namespace fd
