#pragma once

// Written first by the engine helper (H3) with the struct only, as the shared design allows;
// the runner helper (H4) owns this file and adds the parser's implementation
// (ota_status_message.cpp).

#include "core/ota/ota_device_state.h"

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace fd {

// A device's OTA status message ({prefix}/{d}/ota/status), see docs/protocol.md.
struct OtaStatus
{
    QString jobId;
    OtaDeviceState state = OtaDeviceState::Queued;  // a wire state: queued .. rolled_back
    int progress = 0;                               // 0..100
    QString reason;
    QString fwVersion;                              // the running version
    qint64 tsMs = 0;

    static std::optional<OtaStatus> parse(QByteArrayView json, QString *error);
};

} // namespace fd
