#include "core/settings/operator_settings.h"

#include "core/settings/settings_keys.h"

#include <QSettings>

namespace fd {
namespace {

bool isValidName(const QString &name)
{
    if (name.size() > OperatorSettings::kMaxLength)
        return false;
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

} // namespace

OperatorSettings::OperatorSettings(QSettings &settings)
    : m_settings(settings)
{
}

QString OperatorSettings::osUserName()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME")).trimmed();
    return user.isEmpty() || !isValidName(user) ? QStringLiteral("operator") : user;
}

QString OperatorSettings::name() const
{
    const QString saved = m_settings.value(SettingsKeys::kOperatorName).toString().trimmed();
    return saved.isEmpty() || !isValidName(saved) ? osUserName() : saved;
}

bool OperatorSettings::setName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (!isValidName(trimmed))
        return false;
    if (trimmed.isEmpty())
        m_settings.remove(SettingsKeys::kOperatorName);
    else
        m_settings.setValue(SettingsKeys::kOperatorName, trimmed);
    return true;
}

} // namespace fd
