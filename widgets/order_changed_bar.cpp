#include "widgets/order_changed_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace fd {

OrderChangedBar::OrderChangedBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_button(new QPushButton(this))
{
    setObjectName(QStringLiteral("orderChangedBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 4, 2);
    layout->setSpacing(8);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setText(tr("Order changed — rows keep their places while you work in the table"));
    m_text->setForegroundRole(QPalette::ToolTipText);
    layout->addWidget(m_text, 1);
    m_button->setText(tr("Re-sort"));
    m_button->setObjectName(QStringLiteral("resortButton"));
    m_button->setToolTip(tr("Put the rows in sorted order now"));
    m_button->setAutoDefault(false);
    m_button->setFlat(false);
    layout->addWidget(m_button);
    setAccessibleName(tr("Order changed"));
    connect(m_button, &QPushButton::clicked, this, &OrderChangedBar::resortRequested);
    hide();
}

} // namespace fd
