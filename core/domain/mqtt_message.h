#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace fd {

// A message as received from the broker, before any decoding. Copied out of the Paho
// callback thread and handed to consumers in batches.
struct MqttMessage
{
    QByteArray topic;
    QByteArray payload;
    qint64 receivedMs = 0;  // local receive time, ms since epoch
    int qos = 0;
    bool retained = false;
};

using MqttMessageBatch = QList<MqttMessage>;

} // namespace fd

Q_DECLARE_METATYPE(fd::MqttMessage)
Q_DECLARE_METATYPE(fd::MqttMessageBatch)
