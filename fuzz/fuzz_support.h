#pragma once

// Shared by the libFuzzer targets in this folder (one target per .cpp file).

#include <QByteArrayView>
#include <QLoggingCategory>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

// A property every input must keep. A failure says what broke and aborts: libFuzzer treats
// the abort like a crash, stops, and keeps the input (crash-<sha1>) to reproduce it with
// `build-fuzz/bin/<target> crash-<sha1>`. A macro, for the failing line in the message.
#define FD_FUZZ_CHECK(condition, what)                                                             \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n  (%s)\n", __FILE__, __LINE__,   \
                         what, #condition);                                                        \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace fd::fuzz {

inline QByteArrayView inputBytes(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Targets that take two strings (a topic and a payload; a prefix and a topic) read them as
// "first\nsecond": everything before the first newline, and everything after it (which
// may hold more newlines). Without a newline the second part is empty. Seed files stay
// readable and editable in a text editor this way.
inline std::pair<QByteArrayView, QByteArrayView> splitAtNewline(QByteArrayView input)
{
    const qsizetype nl = input.indexOf('\n');
    if (nl < 0)
        return {input, QByteArrayView()};
    return {input.first(nl), input.sliced(nl + 1)};
}

// The decoders log every reject at debug level (fleetdeck.*); millions of lines would only
// slow the fuzzer down. Called from LLVMFuzzerInitialize.
inline void quietLogging()
{
    QLoggingCategory::setFilterRules(QStringLiteral("fleetdeck.*.debug=false"));
}

} // namespace fd::fuzz
