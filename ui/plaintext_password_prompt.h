#pragma once

#include "core/transport/connection_profile.h"

#include <QCoreApplication>

class QWidget;

namespace fd {

// Asks the user whether a connection's password may be sent unencrypted (plain TCP,
// mqtt://). Asked when a profile with a password and an mqtt:// address is saved, and when
// one is connected without the answer on record; "yes" is stored with the profile for its
// broker (ProfileStore::confirmPlaintextPassword), so it is asked once. The default asks
// with a message box whose default button is "No"; tests override confirm().
class PlaintextPasswordPrompt
{
    Q_DECLARE_TR_FUNCTIONS(fd::PlaintextPasswordPrompt)

public:
    virtual ~PlaintextPasswordPrompt() = default;
    virtual bool confirm(QWidget *parent, const ConnectionProfile &profile);
};

} // namespace fd
