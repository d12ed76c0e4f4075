#pragma once

#include "bench/loadgen/load_message_source.h"

#include <QString>
#include <QtGlobal>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace fd::bench {

// One MQTT 3.1.1 connection of the load generator and the thread that publishes on it: the
// messages of its LoadMessageSource (a share of the devices) at a fixed rate, with at most
// `window` QoS 1 publishes not yet acknowledged (PUBACK), and the source's Will if any. Falling behind the schedule is measured
// (maxLagMs), never hidden.
//
// It speaks the few packets it needs (CONNECT/CONNACK, PUBLISH, PUBACK, DISCONNECT) on a
// plain loopback socket and writes all messages due in one tick with one send(): Paho C
// costs about 20 µs per publish on these machines (a mutex pair per traced function), which
// made the load generator the biggest CPU user of a 2-core benchmark. Here a publish costs
// about 1 µs, so the CPU goes to the broker and the subscribers under test.
class LoadConnection
{
public:
    struct Config
    {
        std::string host = "127.0.0.1";
        int port = 1883;
        std::string clientId;
        double rate = 1000;              // messages per second on this connection
        quint64 total = 0;               // messages to publish
        int qos = 0;
        int window = 1000;
    };

    struct Result
    {
        quint64 attempted = 0;
        quint64 confirmed = 0;    // QoS 1: PUBACKs; QoS 0: written to the socket
        quint64 failed = 0;
        quint64 windowWaits = 0;  // ticks in which the window was full (broker backpressure)
        double maxLagMs = 0;      // furthest behind the schedule
    };

    LoadConnection(Config config, std::unique_ptr<LoadMessageSource> source);
    ~LoadConnection();
    LoadConnection(const LoadConnection &) = delete;
    LoadConnection &operator=(const LoadConnection &) = delete;

    bool connect(QString *error);  // blocking, 10 s at most
    void start(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point hardStop);
    void join();
    // After join(): waits (bounded) for outstanding PUBACKs, then disconnects.
    void finish(std::chrono::milliseconds timeout);
    Result result() const { return m_result; }

private:
    void run(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point hardStop);
    void appendPublish();
    bool flushOut();
    bool readAcks(bool block, int timeoutMs);

    Config m_config;
    std::unique_ptr<LoadMessageSource> m_source;
    int m_fd = -1;
    std::string m_out;
    std::vector<char> m_in;
    quint16 m_nextId = 1;
    std::thread m_thread;
    Result m_result;
};

} // namespace fd::bench
