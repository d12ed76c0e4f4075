#include <QTest>
class TestSparkplugDecoder : public QObject { Q_OBJECT };
QTEST_APPLESS_MAIN(TestSparkplugDecoder)
#include "test_sparkplug_decoder.moc"
