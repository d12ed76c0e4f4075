#pragma once

#include <QJsonObject>
#include <QString>

namespace fd {

// Protocol v1 command request, {prefix}/{device_id}/cmd:
// {"id":"<command id>","name":"<command>","params":{...},"ts":<ms>}
struct CommandRequest
{
    QString id;
    QString name;
    QJsonObject params;
    qint64 tsMs = 0;
};

} // namespace fd
