#pragma once

#include <QWidget>

class QLineEdit;

namespace fd {

// The serial number and claim code from a device's label, typed or scanned. A barcode
// scanner is a keyboard that types the code and ends with Enter, so:
// - Enter in the serial moves to the claim code (selected: a new scan replaces it); Enter in
//   the claim code submits.
// - A label code holding both, "SERIAL;CLAIM" or "SERIAL<Tab>CLAIM", fills both: a ';'
//   (or a pasted Tab) typed into either field moves what precedes it into the serial and
//   continues in the claim code; a Tab typed by the scanner moves the focus there by itself.
// Enter never reaches the dialog's default button from here (a wizard's Next is for the page
// to decide, after submitted()).
class LabelCodeEntry : public QWidget
{
    Q_OBJECT
public:
    explicit LabelCodeEntry(QWidget *parent = nullptr);

    QLineEdit *serialEdit() const { return m_serial; }
    QLineEdit *claimEdit() const { return m_claim; }
    QString serial() const;  // trimmed
    QString claim() const;
    void setValues(const QString &serial, const QString &claim);
    void clear();  // both, focus back to the serial

signals:
    void submitted();
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onEdited(QLineEdit *edit);

    QLineEdit *m_serial;
    QLineEdit *m_claim;
    bool m_splitting = false;
};

} // namespace fd
