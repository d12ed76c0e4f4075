#include "ui/plaintext_password_prompt.h"

#include <QAbstractButton>
#include <QMessageBox>

namespace fd {

bool PlaintextPasswordPrompt::confirm(QWidget *parent, const ConnectionProfile &profile)
{
    QMessageBox box(QMessageBox::Warning, tr("Send the password unencrypted?"),
                    tr("The connection \"%1\" uses plain TCP (%2). Its password would cross the network in "
                       "clear text, readable by anyone on the way.")
                        .arg(profile.name, profile.broker.toString()),
                    QMessageBox::Yes | QMessageBox::No, parent);
    box.setTextFormat(Qt::PlainText);  // the name is the user's text
    box.setInformativeText(tr("Use an mqtts:// address if the broker offers TLS. Send the password unencrypted "
                              "to this broker anyway? You will not be asked again for this connection."));
    box.setDefaultButton(QMessageBox::No);
    box.button(QMessageBox::Yes)->setText(tr("Send &Unencrypted"));
    box.button(QMessageBox::No)->setText(tr("&Don't Send"));
    return box.exec() == QMessageBox::Yes;
}

} // namespace fd
