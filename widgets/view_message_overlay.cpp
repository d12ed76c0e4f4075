#include "widgets/view_message_overlay.h"

#include <QAbstractScrollArea>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fd {

ViewMessageOverlay::ViewMessageOverlay(QAbstractScrollArea *view)
    : QWidget(view->viewport())
    , m_viewport(view->viewport())
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_buttons(new QWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->setSpacing(8);
    layout->addStretch(1);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setAlignment(Qt::AlignCenter);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.25);
    font.setBold(true);
    m_title->setFont(font);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    auto *buttons = new QHBoxLayout(m_buttons);
    buttons->setContentsMargins(0, 8, 0, 0);
    buttons->addStretch(1);
    buttons->addStretch(1);
    layout->addWidget(m_buttons);
    layout->addStretch(2);
    m_viewport->installEventFilter(this);
    place();
    hide();
}

void ViewMessageOverlay::setTitle(const QString &title)
{
    m_title->setText(title);
    setAccessibleName(title);
}

void ViewMessageOverlay::setText(const QString &text)
{
    m_text->setText(text);
    m_text->setVisible(!text.isEmpty());
}

QString ViewMessageOverlay::title() const
{
    return m_title->text();
}

QString ViewMessageOverlay::text() const
{
    return m_text->text();
}

QPushButton *ViewMessageOverlay::addButton(const QString &text)
{
    auto *layout = static_cast<QHBoxLayout *>(m_buttons->layout());
    auto *button = new QPushButton(text, m_buttons);
    button->setAutoDefault(false);
    layout->insertWidget(layout->count() - 1, button);
    return button;
}

bool ViewMessageOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_viewport && event->type() == QEvent::Resize)
        place();
    return QWidget::eventFilter(watched, event);
}

void ViewMessageOverlay::place()
{
    setGeometry(m_viewport->rect());
}

} // namespace fd
