#pragma once

#include "ui/plaintext_password_prompt.h"

#include <QList>

namespace fd::test {

// Answers "send the password unencrypted?" without a dialog, and counts the questions.
class FakePlaintextPrompt : public PlaintextPasswordPrompt
{
public:
    bool answer = true;
    QList<ConnectionProfile> asked;

    bool confirm(QWidget *, const ConnectionProfile &profile) override
    {
        asked.append(profile);
        return answer;
    }
};

} // namespace fd::test
