// Sparkplug B writes from the detail panel, without a broker: SparkplugWriteDialog offers the
// writable metrics of the last BIRTH with their datatype and current value, checks the typed
// value with the command that would be sent (SparkplugCommandBuilder::write: its reason
// shown inline, Write disabled until it fits), builds NCMD for a node and DCMD for a device;
// SparkplugActions says when writes and rebirth requests are possible and why not.
#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "tests/models/device_factory.h"
#include "ui/sparkplug_actions.h"
#include "ui/sparkplug_write_dialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;
using fd::test::makeSparkplugDevice;

namespace {
constexpr qint64 kNow = 1'700'000'100'000;

// A device whose BIRTH declared many kinds of metric.
Device richDevice(const QString &path)
{
    Device d = makeSparkplugDevice(u"lyon"_s, path);
    auto metrics = std::make_shared<SparkplugMetricDefinitions>(*d.sparkplug.metrics);
    metrics->insert(u"level"_s, SparkplugMetricDefinition{3, true, 5, true});    // UInt8
    metrics->insert(u"enabled"_s, SparkplugMetricDefinition{4, true, 11, true});  // Boolean
    metrics->insert(u"<b>bold</b>"_s, SparkplugMetricDefinition{5, true, 3, true});  // Int32, a hostile name
    metrics->insert(u"serial"_s, SparkplugMetricDefinition{6, true, 12, false});  // read-only String
    d.sparkplug.metrics = metrics;
    setMetric(d.metrics, u"level"_s, 42);
    d.metrics.append(MetricValue::ofBool(u"enabled"_s, true));
    return d;
}
} // namespace

class TestSparkplugWriteDialog : public QObject
{
    Q_OBJECT
private slots:
    void offersTheWritableMetricsWithTheirDatatype();
    void validatesTheTypedValueInline();
    void buildsDcmdForADeviceAndNcmdForANode();
    void actionsSayWhyNot();
};

void TestSparkplugWriteDialog::offersTheWritableMetricsWithTheirDatatype()
{
    SparkplugWriteDialog dialog(richDevice(u"plant-a/gw-1/pump"_s));
    dialog.setClock([] { return kNow; });
    // Sorted, without read-only ones (temperature, serial).
    QCOMPARE(dialog.writableMetrics(), (QStringList{u"<b>bold</b>"_s, u"enabled"_s, u"level"_s, u"mode"_s, u"setpoint"_s}));
    QVERIFY(dialog.selectMetric(u"setpoint"_s));
    QVERIFY(!dialog.selectMetric(u"temperature"_s));
    QCOMPARE(dialog.datatypeName(), u"Double"_s);
    QCOMPARE(dialog.findChild<QLabel *>(u"writeDatatype"_s)->text(), u"Double"_s);
    QCOMPARE(dialog.currentValueText(), u"20"_s);
    QVERIFY(!dialog.valueField()->placeholderText().isEmpty());
    QVERIFY(dialog.selectMetric(u"level"_s));
    QCOMPARE(dialog.datatypeName(), u"UInt8"_s);
    QCOMPARE(dialog.currentValueText(), u"42"_s);
    QVERIFY(dialog.valueField()->placeholderText().contains(u"255"_s));
    // A Boolean is offered toggled.
    QVERIFY(dialog.selectMetric(u"enabled"_s));
    QCOMPARE(dialog.datatypeName(), u"Boolean"_s);
    QCOMPARE(dialog.valueText(), u"false"_s);
    QVERIFY(dialog.isValueAcceptable());
    // Device-supplied text is never markup.
    QVERIFY(dialog.selectMetric(u"<b>bold</b>"_s));
    QCOMPARE(dialog.metricChooser()->currentText(), u"<b>bold</b>"_s);
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        if (!label->buddy())
            QCOMPARE(label->textFormat(), Qt::PlainText);
}

void TestSparkplugWriteDialog::validatesTheTypedValueInline()
{
    SparkplugWriteDialog dialog(richDevice(u"plant-a/gw-1/pump"_s));
    dialog.setClock([] { return kNow; });
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.selectMetric(u"level"_s));
    QLineEdit *value = dialog.valueField();
    QPushButton *write = dialog.writeButton();
    QVERIFY(write);
    // Nothing typed: nothing to complain about, nothing to send.
    QVERIFY(!write->isEnabled());
    QVERIFY(dialog.errorText().isEmpty());
    QTest::keyClicks(value, u"300"_s);
    QCOMPARE(dialog.errorText(), u"300 is out of range for UInt8"_s);
    QCOMPARE(dialog.findChild<QLabel *>(u"writeError"_s)->text(), u"300 is out of range for UInt8"_s);
    QVERIFY(!write->isEnabled());
    QVERIFY(!dialog.command());
    value->clear();
    QTest::keyClicks(value, u"-1"_s);
    QVERIFY(dialog.errorText().contains(u"out of range"_s));
    value->clear();
    QTest::keyClicks(value, u"12x"_s);
    QVERIFY2(dialog.errorText().contains(u"not an integer"_s), qPrintable(dialog.errorText()));
    value->clear();
    QTest::keyClicks(value, u"200"_s);
    QVERIFY(dialog.errorText().isEmpty());
    QVERIFY(dialog.findChild<QLabel *>(u"writeError"_s)->text().isEmpty());
    QVERIFY(write->isEnabled());

    // Another metric re-checks the same text against its own datatype.
    QVERIFY(dialog.selectMetric(u"setpoint"_s));
    QVERIFY(write->isEnabled());  // 200 is a Double as well
    value->setText(u"nan"_s);
    QVERIFY(dialog.errorText().contains(u"finite number"_s));
    QVERIFY(!write->isEnabled());
    // Return on an unacceptable value does not accept the dialog.
    QTest::keyClick(value, Qt::Key_Return);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    value->setText(u"21.5"_s);
    QTest::keyClick(value, Qt::Key_Return);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestSparkplugWriteDialog::buildsDcmdForADeviceAndNcmdForANode()
{
    {
        SparkplugWriteDialog dialog(richDevice(u"plant-a/gw-1/pump"_s));
        dialog.setClock([] { return kNow; });
        QVERIFY(dialog.selectMetric(u"setpoint"_s));
        dialog.valueField()->setText(u"22.5"_s);
        const auto command = dialog.command();
        QVERIFY(command);
        QCOMPARE(command->name, u"write"_s);
        QCOMPARE(command->topic, u"spBv1.0/plant-a/DCMD/gw-1/pump"_s);
        // The very message the builder makes for that metric, datatype and value.
        const auto expected = SparkplugCommandBuilder::write(u"plant-a/gw-1/pump"_s, u"setpoint"_s,
                                                             SparkplugMetricDefinition{1, true, 10, true}, u"22.5"_s, kNow);
        QVERIFY(expected);
        QCOMPARE(command->payload, expected->payload);
        // Text metrics accept any text, also none.
        QVERIFY(dialog.selectMetric(u"mode"_s));
        dialog.valueField()->clear();
        QVERIFY(dialog.isValueAcceptable());
    }
    {
        SparkplugWriteDialog dialog(richDevice(u"plant-a/gw-1"_s));
        dialog.setClock([] { return kNow; });
        QVERIFY(dialog.selectMetric(u"mode"_s));
        dialog.valueField()->setText(u"manual"_s);
        QCOMPARE(dialog.command()->topic, u"spBv1.0/plant-a/NCMD/gw-1"_s);
    }
}

void TestSparkplugWriteDialog::actionsSayWhyNot()
{
    const Device live = makeSparkplugDevice(u"lyon"_s, u"plant-a/gw-1/pump"_s);
    SparkplugActions a = SparkplugActions::of(live, ConnectionState::Connected);
    QVERIFY(a.applies);
    QVERIFY(a.canWrite);
    QVERIFY(a.canRebirth);

    a = SparkplugActions::of(live, ConnectionState::Reconnecting);
    QVERIFY(!a.canWrite);
    QVERIFY(!a.canRebirth);
    QVERIFY(a.writeReason.contains(u"lyon is not connected"_s));
    QCOMPARE(a.rebirthReason, a.writeReason);

    Device unborn = live;  // heard of, but no DBIRTH since FleetDeck started
    unborn.sparkplug.metrics.reset();
    a = SparkplugActions::of(unborn, ConnectionState::Connected);
    QVERIFY(!a.canWrite);
    QVERIFY(a.writeReason.contains(u"No DBIRTH"_s));
    QVERIFY(a.canRebirth);  // the remedy
    Device unbornNode = makeSparkplugDevice(u"lyon"_s, u"plant-a/gw-1"_s);
    unbornNode.sparkplug.metrics.reset();
    QVERIFY(SparkplugActions::of(unbornNode, ConnectionState::Connected).writeReason.contains(u"No NBIRTH"_s));

    a = SparkplugActions::of(fd::test::died(live, kNow), ConnectionState::Connected);
    QVERIFY(!a.canWrite);
    QVERIFY(a.writeReason.contains(u"offline"_s));
    QVERIFY(a.canRebirth);

    Device readOnly = live;
    auto metrics = std::make_shared<SparkplugMetricDefinitions>();
    metrics->insert(u"temperature"_s, SparkplugMetricDefinition{0, false, 9, false});
    readOnly.sparkplug.metrics = metrics;
    a = SparkplugActions::of(readOnly, ConnectionState::Connected);
    QVERIFY(!a.canWrite);
    QVERIFY(a.writeReason.contains(u"no writable metric"_s));

    a = SparkplugActions::of(fd::test::makeDevice(1), ConnectionState::Connected);
    QVERIFY(!a.applies);
    QVERIFY(!a.canWrite);
    QVERIFY(!a.canRebirth);
}

QTEST_MAIN(TestSparkplugWriteDialog)
#include "test_sparkplug_write_dialog.moc"
