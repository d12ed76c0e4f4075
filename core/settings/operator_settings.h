#pragma once

#include <QString>

class QSettings;

namespace fd {

// Who the operator is, for the audit log and alert actions: the name saved under
// SettingsKeys::kOperatorName, else the OS user name (USER / USERNAME), else "operator".
// A saved name is trimmed and bounded (kMaxLength); control characters are refused.
class OperatorSettings
{
public:
    static constexpr int kMaxLength = 64;

    explicit OperatorSettings(QSettings &settings);

    QString name() const;
    // False (nothing saved) for an invalid name; an empty name goes back to the OS user.
    bool setName(const QString &name);
    static QString osUserName();

private:
    QSettings &m_settings;
};

} // namespace fd
