#include "ui/alert_text_prompt.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fd {

AlertTextPrompt::AlertTextPrompt(Kind kind, const QString &title, const QString &label, QWidget *parent)
    : QDialog(parent)
    , m_kind(kind)
    , m_label(new QLabel(label, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(title);
    setWindowModality(Qt::WindowModal);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_label);
    if (kind == Kind::Line) {
        m_line = new QComboBox(this);
        m_line->setEditable(true);
        m_line->setInsertPolicy(QComboBox::NoInsert);
        m_line->completer()->setCaseSensitivity(Qt::CaseInsensitive);
        m_line->completer()->setCompletionMode(QCompleter::PopupCompletion);
        m_line->setMinimumContentsLength(32);
        m_line->setAccessibleName(label);
        m_label->setBuddy(m_line);
        connect(m_line, &QComboBox::editTextChanged, this, &AlertTextPrompt::updateOk);
        layout->addWidget(m_line);
    } else {
        m_text = new QPlainTextEdit(this);
        m_text->setTabChangesFocus(true);
        m_text->setAccessibleName(label);
        m_text->setMinimumSize(380, 110);
        m_label->setBuddy(m_text);
        connect(m_text, &QPlainTextEdit::textChanged, this, &AlertTextPrompt::updateOk);
        layout->addWidget(m_text);
    }
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isAcceptable())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateOk();
    editor()->setFocus();
}

void AlertTextPrompt::setSuggestions(const QStringList &suggestions)
{
    if (!m_line)
        return;
    const QString current = m_line->currentText();
    m_line->clear();
    m_line->addItems(suggestions);
    m_line->setEditText(current);
}

void AlertTextPrompt::setText(const QString &text)
{
    if (m_line) {
        m_line->setEditText(text);
        m_line->lineEdit()->selectAll();
    } else {
        m_text->setPlainText(text);
    }
}

QString AlertTextPrompt::text() const
{
    return (m_line ? m_line->currentText() : m_text->toPlainText()).trimmed();
}

void AlertTextPrompt::setAllowEmpty(bool allow)
{
    m_allowEmpty = allow;
    updateOk();
}

bool AlertTextPrompt::isAcceptable() const
{
    return m_allowEmpty || !text().isEmpty();
}

QPushButton *AlertTextPrompt::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QWidget *AlertTextPrompt::editor() const
{
    return m_line ? static_cast<QWidget *>(m_line) : m_text;
}

void AlertTextPrompt::updateOk()
{
    okButton()->setEnabled(isAcceptable());
}

} // namespace fd
