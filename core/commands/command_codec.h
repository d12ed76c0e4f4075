#pragma once

#include "core/commands/command_request.h"
#include "core/commands/command_response.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fd {

// JSON of protocol v1 commands (docs/protocol.md, "Commands"). The parsers treat their
// input as untrusted: size limit before parsing, strict types, bounded strings; unknown
// fields are ignored. On failure they return false and say why (for logs).
class CommandCodec
{
public:
    static constexpr qsizetype kMaxPayloadBytes = 64 * 1024;  // request or response
    static constexpr qsizetype kMaxTokenChars = 64;           // id, name
    static constexpr qsizetype kMaxErrorChars = 1024;

    // [A-Za-z0-9._-]{1,64}: command ids and names.
    static bool isValidToken(QStringView token);

    static QByteArray encodeRequest(const CommandRequest &request);
    static bool parseRequest(QByteArrayView payload, CommandRequest *out, QString *why = nullptr);
    static QByteArray encodeResponse(const CommandResponse &response);
    static bool parseResponse(QByteArrayView payload, CommandResponse *out, QString *why = nullptr);
};

} // namespace fd
