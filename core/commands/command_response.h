#pragma once

#include <QJsonObject>
#include <QString>

namespace fd {

// Protocol v1 command response, {prefix}/{device_id}/cmd/response:
// {"id":"<same id>","ok":true|false,"result":{...},"error":"<text>"}
struct CommandResponse
{
    QString id;
    bool ok = false;
    QJsonObject result;
    QString error;
};

} // namespace fd
