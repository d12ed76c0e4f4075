#pragma once

#include <QMetaType>

#include "core/domain/device_key.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace fd {

// Identifies a command within one CommandService (> 0; 0 means "refused").
using CommandId = quint64;

// What the operator asks a device to do.
//
// Protocol v1 (the default): published as {"id","name","params","ts"} on
// {prefix}/{target.path}/cmd, answered on {prefix}/{target.path}/cmd/response.
// Protocols with their own command messages (Sparkplug NCMD/DCMD, ...) set rawTopic and
// rawPayload, which are published as they are; such a command cannot expect a v1 answer.
struct DeviceCommand
{
    DeviceKey target;
    QString name;              // [A-Za-z0-9._-]{1,64}
    QJsonObject params;
    int qos = 1;               // 0..2
    int timeoutMs = 10000;     // the whole life: queued + sent + waiting for the answer
    bool expectsAnswer = true; // false: finished once the broker acknowledged it
    QString rawTopic;          // set: publish rawPayload on rawTopic instead of the v1 request
    QByteArray rawPayload;
    bool retain = false;       // raw commands only: the broker keeps the message (OTA job documents;
                               // an empty retained payload clears the topic's retained message)
    qint64 actionId = 0;       // the operator action (operations store) it carries out; not sent

    bool isRaw() const { return !rawTopic.isEmpty(); }
};

} // namespace fd

Q_DECLARE_METATYPE(fd::DeviceCommand)
