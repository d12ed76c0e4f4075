#include "ui/drop_highlight.h"

#include <QPainter>
#include <QPainterPath>

namespace fd {

DropHighlight::DropHighlight(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("dropHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    hide();
}

void DropHighlight::showOver(QWidget *target, const QString &text)
{
    if (!target || !parentWidget()) {
        clear();
        return;
    }
    m_target = target;
    m_text = text;
    const QPoint topLeft = target->mapTo(parentWidget(), QPoint(0, 0));
    setGeometry(QRect(topLeft, target->size()));
    raise();
    show();
    update();
}

void DropHighlight::clear()
{
    m_target = nullptr;
    m_text.clear();
    hide();
}

void DropHighlight::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    QColor accent = palette().color(QPalette::Highlight);
    QColor fill = accent;
    fill.setAlpha(28);
    const QRectF box = QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5);
    p.setPen(QPen(accent, 2.0, Qt::DashLine));
    p.setBrush(fill);
    p.drawRoundedRect(box, 6, 6);
    if (m_text.isEmpty())
        return;
    // The text on a solid pill in the middle, readable over any chart.
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QString text = fm.elidedText(m_text, Qt::ElideMiddle, qMax(40, width() - 40));
    const QSize textSize(fm.horizontalAdvance(text), fm.height());
    QRectF pill(QPointF(0, 0), QSizeF(textSize.width() + 24, textSize.height() + 12));
    pill.moveCenter(QRectF(rect()).center());
    p.setPen(Qt::NoPen);
    p.setBrush(accent);
    p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    p.setPen(palette().color(QPalette::HighlightedText));
    p.drawText(pill, Qt::AlignCenter, text);
}

} // namespace fd
