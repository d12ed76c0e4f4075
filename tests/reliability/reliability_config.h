#pragma once

#include <QString>

namespace fd::test {

// The size of a reliability test: its short form (CI, every `./run.sh test`) or, with
// FLEETDECK_TORTURE=1 (`./run.sh torture`), its long form. A test asks for a figure with
// both values; FLEETDECK_TORTURE_SCALE (a factor, default 1) stretches the long form.
class ReliabilityConfig
{
public:
    static bool torture();
    // shortValue in CI, longValue * scale under torture.
    static int pick(int shortValue, int longValue);
    // The seed of this run: FLEETDECK_RELIABILITY_SEED, else the clock; printed by the tests
    // so a failure can be replayed.
    static quint64 seed();
    // Built with AddressSanitizer (the asan preset; the product executables are built alike):
    // a crash signal is reported by ASan (exit code 1), and resident sizes include its shadow
    // memory and quarantine, so memory bounds are measured but not checked.
    static bool sanitized();
};

} // namespace fd::test
