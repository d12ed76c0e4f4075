// DeviceStateCoalescer: which device states a commit writes. New devices and identity
// changes at once, other updates held back (newest only) until the interval or a flush;
// a segment before a deletion holds nothing back; a deletion drops what was held back.
#include "core/storage/device_state_coalescer.h"
#include "storage_test_data.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::storagetest;

class TestDeviceStateCoalescer : public QObject
{
    Q_OBJECT
private slots:
    void newDevicesAndIdentityChangesAreWrittenAtOnce();
    void tagChangesAreWrittenAtOnce();
    void writeAllAndBeforeDelete();
    void forgetDropsHeldBackStates();
};

namespace {
QList<const Device *> pointers(const QList<Device> &devices)
{
    QList<const Device *> out;
    for (const Device &d : devices)
        out.append(&d);
    return out;
}
} // namespace

void TestDeviceStateCoalescer::newDevicesAndIdentityChangesAreWrittenAtOnce()
{
    DeviceStateCoalescer c;
    using Mode = DeviceStateCoalescer::Mode;
    const QList<Device> first{makeDevice(u"a"_s, 1), makeDevice(u"b"_s, 2)};
    QList<const Device *> write = c.select(pointers(first), Mode::Coalesce);
    QCOMPARE(write.size(), 2);  // new to this writer
    c.written(write);
    QCOMPARE(c.msUntilDue(), -1);

    QList<Device> update{makeDevice(u"a"_s, 1), makeDevice(u"b"_s, 2)};
    update[0].messageCount = 7;         // counters only: held back
    update[1].name = u"Renamed"_s;      // identity: at once
    write = c.select(pointers(update), Mode::Coalesce);
    QCOMPARE(write.size(), 1);
    QCOMPARE(write.first()->id, u"b"_s);
    c.written(write);
    QCOMPARE(c.pending(), 1);
    QVERIFY(c.msUntilDue() > 0 && c.msUntilDue() <= DeviceStateCoalescer::kIntervalMs);

    // A newer held-back state replaces the older one.
    QList<Device> newer{makeDevice(u"a"_s, 1)};
    newer[0].messageCount = 8;
    QVERIFY(c.select(pointers(newer), Mode::Coalesce).isEmpty());
    QCOMPARE(c.pending(), 1);
    write = c.select({}, Mode::WriteAll);
    QCOMPARE(write.size(), 1);
    QCOMPARE(write.first()->messageCount, quint64(8));
    c.written(write);
    QCOMPARE(c.pending(), 0);
}

// Tags are identity: a device whose tags change is written at once, also when they are
// cleared; the same tags again (another list, equal) are no change.
void TestDeviceStateCoalescer::tagChangesAreWrittenAtOnce()
{
    DeviceStateCoalescer c;
    using Mode = DeviceStateCoalescer::Mode;
    QList<Device> states{makeDevice(u"a"_s, 1)};
    states[0].tags = QStringList{u"freezer"_s};
    c.written(c.select(pointers(states), Mode::Coalesce));

    states[0].tags = QStringList{u"freezer"_s, u"pilot"_s};
    QCOMPARE(c.select(pointers(states), Mode::Coalesce).size(), 1);
    c.written(pointers(states));

    states[0].tags = QStringList{u"freezer"_s} << u"pilot"_s;  // equal: held back
    ++states[0].messageCount;
    QVERIFY(c.select(pointers(states), Mode::Coalesce).isEmpty());
    QCOMPARE(c.pending(), 1);

    states[0].tags = QStringList();  // cleared: at once, superseding the held-back state
    QCOMPARE(c.select(pointers(states), Mode::Coalesce).size(), 1);
    QCOMPARE(c.pending(), 0);
}

void TestDeviceStateCoalescer::writeAllAndBeforeDelete()
{
    DeviceStateCoalescer c;
    using Mode = DeviceStateCoalescer::Mode;
    const QList<Device> first{makeDevice(u"a"_s, 1)};
    c.written(c.select(pointers(first), Mode::Coalesce));
    QList<Device> held{makeDevice(u"a"_s, 1)};
    held[0].messageCount = 2;
    QVERIFY(c.select(pointers(held), Mode::Coalesce).isEmpty());
    // Before a deletion: the segment's own states, never the held-back ones.
    const QList<Device> other{makeDevice(u"b"_s, 1)};
    const QList<const Device *> write = c.select(pointers(other), Mode::BeforeDelete);
    QCOMPARE(write.size(), 1);
    QCOMPARE(write.first()->id, u"b"_s);
    QCOMPARE(c.pending(), 1);
}

void TestDeviceStateCoalescer::forgetDropsHeldBackStates()
{
    DeviceStateCoalescer c;
    using Mode = DeviceStateCoalescer::Mode;
    const QList<Device> first{makeDevice(u"a"_s, 1)};
    c.written(c.select(pointers(first), Mode::Coalesce));
    QList<Device> held{makeDevice(u"a"_s, 1)};
    held[0].messageCount = 2;
    QVERIFY(c.select(pointers(held), Mode::Coalesce).isEmpty());
    c.forget({v1(u"a"_s)});
    QCOMPARE(c.pending(), 0);
    QVERIFY(c.select({}, Mode::WriteAll).isEmpty());
    // Forgotten entirely: the device's next state counts as new, written at once.
    QCOMPARE(c.select(pointers(held), Mode::Coalesce).size(), 1);
}

QTEST_GUILESS_MAIN(TestDeviceStateCoalescer)
#include "test_device_state_coalescer.moc"
