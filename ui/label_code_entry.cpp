#include "ui/label_code_entry.h"

#include "models/label_scan.h"

#include <QEvent>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLineEdit>

namespace fd {

LabelCodeEntry::LabelCodeEntry(QWidget *parent)
    : QWidget(parent)
    , m_serial(new QLineEdit(this))
    , m_claim(new QLineEdit(this))
{
    m_serial->setObjectName(QStringLiteral("serialEdit"));
    m_claim->setObjectName(QStringLiteral("claimEdit"));
    // Generous limits: a whole scan ("SERIAL;CLAIM") lands in one field before it is split.
    m_serial->setMaxLength(int(LabelScan::kMaxSerialLength + LabelScan::kMaxClaimLength + 2));
    m_claim->setMaxLength(int(LabelScan::kMaxSerialLength + LabelScan::kMaxClaimLength + 2));
    m_serial->setPlaceholderText(tr("e.g. SN-42-0001 — or scan the label"));
    m_claim->setPlaceholderText(tr("the claim code printed on the label"));
    m_serial->setClearButtonEnabled(true);
    m_claim->setClearButtonEnabled(true);
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Serial number:"), m_serial);
    form->addRow(tr("C&laim code:"), m_claim);
    setTabOrder(m_serial, m_claim);
    setFocusProxy(m_serial);
    m_serial->installEventFilter(this);
    m_claim->installEventFilter(this);
    connect(m_serial, &QLineEdit::textEdited, this, [this] { onEdited(m_serial); });
    connect(m_claim, &QLineEdit::textEdited, this, [this] { onEdited(m_claim); });
    connect(m_serial, &QLineEdit::textChanged, this, &LabelCodeEntry::changed);
    connect(m_claim, &QLineEdit::textChanged, this, &LabelCodeEntry::changed);
}

QString LabelCodeEntry::serial() const
{
    return m_serial->text().trimmed();
}

QString LabelCodeEntry::claim() const
{
    return m_claim->text().trimmed();
}

void LabelCodeEntry::setValues(const QString &serial, const QString &claim)
{
    m_serial->setText(serial);
    m_claim->setText(claim);
}

void LabelCodeEntry::clear()
{
    m_serial->clear();
    m_claim->clear();
    m_serial->setFocus(Qt::OtherFocusReason);
}

void LabelCodeEntry::onEdited(QLineEdit *edit)
{
    if (m_splitting || !LabelScan::containsSeparator(edit->text()))
        return;
    const LabelScan scan = LabelScan::parse(edit->text());
    m_splitting = true;
    if (edit == m_claim && scan.serial.isEmpty()) {
        // ";CLAIM" in the claim field: the serial typed before stays.
        m_claim->setText(scan.claim);
    } else {
        m_serial->setText(scan.serial);
        m_claim->setText(scan.claim);
    }
    m_splitting = false;
    m_claim->setFocus(Qt::TabFocusReason);
    m_claim->end(false);
}

bool LabelCodeEntry::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress && (watched == m_serial || watched == m_claim)) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (watched == m_serial) {
                m_claim->setFocus(Qt::TabFocusReason);
                m_claim->selectAll();  // the next scan replaces a claim code typed before
            } else {
                emit submitted();
            }
            return true;  // never the dialog's default button
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace fd
