#pragma once

#include "core/protocol/sparkplug/sparkplug_types.h"

#include <QByteArray>

namespace fd {

// Writes Sparkplug B payloads (what a host sends: NCMD/DCMD writes and rebirth requests;
// the simulator's and the tests' edge nodes). SparkplugCodec reads them, bounded.
class SparkplugEncoder
{
public:
    // The payload as protobuf bytes. Each value is written to the field its datatype calls
    // for (Int8..Int32 and UInt8..UInt32 in int_value, two's complement for the signed ones;
    // Int64, UInt64 and DateTime in long_value; arrays packed in bytes_value); a value of
    // another numeric alternative is converted, a value that does not fit the datatype at
    // all is left out; isNull leaves the value out. datatype 0 is left out. A metric with
    // integerInLongValue has its Int8 … UInt32 in long_value (two's complement in 64 bits).
    static QByteArray encode(const SparkplugPayload &payload);
};

} // namespace fd
