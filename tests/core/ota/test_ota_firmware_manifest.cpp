// FirmwareVersion (the order devices and the console agree on, validity) and
// FirmwareManifest (the exact signed bytes, their round trip and every limit).
#include "core/ota/firmware_manifest.h"
#include "core/ota/firmware_version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;

namespace {

FirmwareManifest sample()
{
    FirmwareManifest m;
    m.version = u"2.4.0"_s;
    m.models = {u"TH-100"_s, u"TH-200"_s};
    m.notes = u"Fixes \"the\" bug; ünïcode"_s;
    m.sha256 = QString(64, u'a');
    m.size = 1048576;
    return m;
}

QByteArray withField(const char *key, const QJsonValue &value)
{
    QJsonObject o = QJsonDocument::fromJson(sample().toBytes()).object();
    if (value.isUndefined())
        o.remove(QString::fromLatin1(key));
    else
        o.insert(QString::fromLatin1(key), value);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestOtaFirmwareManifest : public QObject
{
    Q_OBJECT

private slots:
    void compare_data();
    void compare();
    void compareGarbageNeverCrashes();
    void validity_data();
    void validity();
    void manifestBytesExact();
    void manifestRoundTrip();
    void manifestRefusals_data();
    void manifestRefusals();
    void manifestLimits();
    void leadingByteOrderMarkReadsTheSameHoweverWritten();
    void reasonsAreOneLine();
};

void TestOtaFirmwareManifest::compare_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");
    QTest::newRow("equal") << u"2.4.0"_s << u"2.4.0"_s << 0;
    QTest::newRow("patch") << u"2.4.1"_s << u"2.4.0"_s << 1;
    QTest::newRow("minor") << u"2.3.9"_s << u"2.4.0"_s << -1;
    QTest::newRow("numeric not text") << u"2.10.0"_s << u"2.9.0"_s << 1;
    QTest::newRow("missing part is 0") << u"2.4"_s << u"2.4.0"_s << 0;
    QTest::newRow("missing part lower") << u"2.4"_s << u"2.4.1"_s << -1;
    QTest::newRow("leading zeros") << u"2.04.0"_s << u"2.4"_s << 0;
    QTest::newRow("huge numbers") << u"99999999999999999999999.1"_s << u"99999999999999999999998.9"_s << 1;
    QTest::newRow("pre-release lower") << u"2.4.0-rc1"_s << u"2.4.0"_s << -1;
    QTest::newRow("pre-release above older") << u"2.4.0-rc1"_s << u"2.3.9"_s << 1;
    QTest::newRow("pre-release order") << u"2.4.0-rc.2"_s << u"2.4.0-rc.10"_s << -1;
    QTest::newRow("pre-release text") << u"2.4.0-alpha"_s << u"2.4.0-beta"_s << -1;
    QTest::newRow("pre-release number before text") << u"2.4.0-1"_s << u"2.4.0-alpha"_s << -1;
    QTest::newRow("pre-release prefix shorter") << u"2.4.0-rc"_s << u"2.4.0-rc.1"_s << -1;
    QTest::newRow("build ignored") << u"2.4.0+b1"_s << u"2.4.0+b2"_s << 0;
    QTest::newRow("build with pre") << u"2.4.0-rc1+b7"_s << u"2.4.0"_s << -1;
    QTest::newRow("text part after number") << u"2.x"_s << u"2.9"_s << 1;
    QTest::newRow("text parts") << u"2.a"_s << u"2.b"_s << -1;
    QTest::newRow("empty both") << QString() << QString() << 0;
    QTest::newRow("empty vs 0") << QString() << u"0"_s << 0;
}

void TestOtaFirmwareManifest::compare()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(FirmwareVersion::compare(a, b), expected);
    QCOMPARE(FirmwareVersion::compare(b, a), -expected);  // antisymmetric
}

void TestOtaFirmwareManifest::compareGarbageNeverCrashes()
{
    const QStringList garbage{u"..."_s, u"-"_s, u"+"_s, u"-+-"_s, u"1..2"_s, u"1.-"_s, u"\u0000\uFFFF"_s,
                              u"🙂.1"_s, u"1-"_s, u"1-."_s, QString(5000, u'9'), u"v1.0"_s};
    for (const QString &a : garbage) {
        for (const QString &b : garbage) {
            const int c = FirmwareVersion::compare(a, b);
            QVERIFY(c >= -1 && c <= 1);
            QCOMPARE(FirmwareVersion::compare(b, a), -c);
        }
        QCOMPARE(FirmwareVersion::compare(a, a), 0);
    }
}

void TestOtaFirmwareManifest::validity_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << u"2.4.0"_s << true;
    QTest::newRow("pre+build") << u"2.4.0-rc.1+build.7"_s << true;
    QTest::newRow("one digit") << u"1"_s << true;
    QTest::newRow("64 chars") << (u"1"_s + QString(63, u'a')) << true;
    QTest::newRow("65 chars") << (u"1"_s + QString(64, u'a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("leading v") << u"v2.4.0"_s << false;
    QTest::newRow("space") << u"2.4 .0"_s << false;
    QTest::newRow("slash") << u"2/4"_s << false;
    QTest::newRow("non-ascii") << u"2.4é"_s << false;
}

void TestOtaFirmwareManifest::validity()
{
    QFETCH(QString, version);
    QFETCH(bool, valid);
    QString why;
    QCOMPARE(FirmwareVersion::isValid(version, &why), valid);
    QCOMPARE(why.isEmpty(), valid);
}

void TestOtaFirmwareManifest::manifestBytesExact()
{
    FirmwareManifest m;
    m.version = u"2.4.0"_s;
    m.models = {u"TH-100"_s};
    m.notes = u"n"_s;
    m.sha256 = QString(64, u'0');
    m.size = 4294967296;  // 4 GiB, printed as an integer
    QCOMPARE(m.toBytes(), QByteArray("{\"models\":[\"TH-100\"],\"notes\":\"n\",\"sha256\":\"") + QByteArray(64, '0')
                              + "\",\"size\":4294967296,\"version\":\"2.4.0\"}");
    QVERIFY(m.isValid());
}

void TestOtaFirmwareManifest::manifestRoundTrip()
{
    const FirmwareManifest m = sample();
    QString error;
    QVERIFY2(m.isValid(&error), qPrintable(error));
    const std::optional<FirmwareManifest> back = FirmwareManifest::fromBytes(m.toBytes(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, m);
    QCOMPARE(back->toBytes(), m.toBytes());
    // Notes may be left out by another producer (empty), unknown keys are ignored.
    QJsonObject o = QJsonDocument::fromJson(m.toBytes()).object();
    o.remove(u"notes"_s);
    o.insert(u"future"_s, 1);
    const std::optional<FirmwareManifest> lenient =
        FirmwareManifest::fromBytes(QJsonDocument(o).toJson(QJsonDocument::Compact), &error);
    QVERIFY2(lenient, qPrintable(error));
    QVERIFY(lenient->notes.isEmpty());
}

void TestOtaFirmwareManifest::manifestRefusals_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not json") << QByteArray("{") << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("empty") << QByteArray() << u"not JSON"_s;
    QTest::newRow("no version") << withField("version", QJsonValue::Undefined) << u"version"_s;
    QTest::newRow("bad version") << withField("version", u"v1"_s) << u"start with a digit"_s;
    QTest::newRow("version number") << withField("version", 2) << u"version"_s;
    QTest::newRow("no models") << withField("models", QJsonValue::Undefined) << u"models"_s;
    QTest::newRow("empty models") << withField("models", QJsonArray()) << u"at least one"_s;
    QTest::newRow("model not string") << withField("models", QJsonArray{1}) << u"not a string"_s;
    QTest::newRow("model empty") << withField("models", QJsonArray{u""_s}) << u"empty"_s;
    QTest::newRow("model too long") << withField("models", QJsonArray{QString(65, u'm')}) << u"longer than 64"_s;
    QTest::newRow("model twice") << withField("models", QJsonArray{u"A"_s, u"A"_s}) << u"twice"_s;
    QTest::newRow("model control") << withField("models", QJsonArray{u"A\nB"_s}) << u"control"_s;
    QTest::newRow("notes number") << withField("notes", 3) << u"notes"_s;
    QTest::newRow("notes too long") << withField("notes", QString(2 * 1024 + 1, u'n')) << u"release notes"_s;
    QTest::newRow("sha upper") << withField("sha256", QString(64, u'A')) << u"lowercase hex"_s;
    QTest::newRow("sha short") << withField("sha256", QString(63, u'a')) << u"lowercase hex"_s;
    QTest::newRow("sha missing") << withField("sha256", QJsonValue::Undefined) << u"sha256"_s;
    QTest::newRow("size 0") << withField("size", 0) << u"size"_s;
    QTest::newRow("size negative") << withField("size", -5) << u"size"_s;
    QTest::newRow("size fraction") << withField("size", 1.5) << u"whole number"_s;
    QTest::newRow("size > 4 GiB") << withField("size", 4294967297.0) << u"4 GiB"_s;
    QTest::newRow("size string") << withField("size", u"12"_s) << u"size"_s;
    QTest::newRow("size huge") << QByteArray("{\"models\":[\"A\"],\"sha256\":\"") + QByteArray(64, 'a')
                                         + "\",\"size\":1e300,\"version\":\"1\"}"
                               << u"size"_s;
}

void TestOtaFirmwareManifest::manifestRefusals()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QString error;
    QVERIFY(!FirmwareManifest::fromBytes(bytes, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestOtaFirmwareManifest::manifestLimits()
{
    QString error;
    // 64 models of 64 chars fit with 2 KiB of notes (within the 8 KiB a job document carries);
    // 65 do not.
    FirmwareManifest m = sample();
    m.models.clear();
    for (int i = 0; i < 64; ++i)
        m.models.append(QStringLiteral("%1").arg(i, 64, 10, QChar(u'M')));
    m.notes = QString(2 * 1024, u'n');
    QVERIFY2(m.isValid(&error), qPrintable(error));
    QVERIFY2(FirmwareManifest::fromBytes(m.toBytes(), &error), qPrintable(error));
    m.models.append(u"one more"_s);
    QVERIFY(!m.isValid(&error));
    QVERIFY(!FirmwareManifest::fromBytes(m.toBytes(), &error));
    QVERIFY2(error.contains(u"64"_s), qPrintable(error));
    // Notes count in UTF-8 bytes.
    m = sample();
    m.notes = QString(1024 + 1, u'é');
    QVERIFY(!m.isValid(&error));
    // More than 8 KiB of input is refused before parsing.
    QVERIFY(!FirmwareManifest::fromBytes(QByteArray(8 * 1024 + 1, ' '), &error));
    QVERIFY2(error.contains(u"8 KiB"_s), qPrintable(error));
    // Deeply nested garbage: refused, no crash.
    QVERIFY(!FirmwareManifest::fromBytes(QByteArray(QByteArray(10000, '[') + QByteArray(10000, ']')), &error));
}

// Found by fuzz_ota_job (fuzz/): QJsonDocument drops a U+FEFF at the start of a string
// written plainly and keeps an escaped one (core/domain/json_names.h). A manifest with a model
// "\ufeffTH-100" did not read back from its own toBytes() (two models "A" and "\ufeffA"
// even became "A" twice, refused), so an artifact made from it failed its own checks. Both
// spellings now read the same, and FleetDeck does not make such a manifest.
void TestOtaFirmwareManifest::leadingByteOrderMarkReadsTheSameHoweverWritten()
{
    QString error;
    const QByteArray escaped = "{\"models\":[\"\\ufeffTH-100\"],\"notes\":\"\\ufeffn\",\"sha256\":\""
                               + QByteArray(64, 'a') + "\",\"size\":1,\"version\":\"\\ufeff2.4.0\"}";
    const QByteArray plain = QByteArray(escaped).replace("\\ufeff", "\xEF\xBB\xBF");
    const std::optional<FirmwareManifest> a = FirmwareManifest::fromBytes(escaped, &error);
    QVERIFY2(a, qPrintable(error));
    const std::optional<FirmwareManifest> b = FirmwareManifest::fromBytes(plain, &error);
    QVERIFY2(b, qPrintable(error));
    QCOMPARE(a->models, QStringList{u"TH-100"_s});
    QCOMPARE(a->notes, u"n"_s);
    QCOMPARE(a->version, u"2.4.0"_s);
    QCOMPARE(*a, *b);
    const std::optional<FirmwareManifest> back = FirmwareManifest::fromBytes(a->toBytes(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, *a);

    FirmwareManifest m = sample();
    m.models = {u"\uFEFFTH-100"_s};
    QVERIFY(!m.isValid(&error));
    QVERIFY2(error.contains(u"U+FEFF"_s), qPrintable(error));
    m = sample();
    m.notes = u"\uFEFFnotes"_s;
    QVERIFY(!m.isValid(&error));
    QVERIFY2(error.contains(u"U+FEFF"_s), qPrintable(error));
}

// Found by fuzz_ota_job: a reason quoted the version as it was, line breaks included
// ("invalid version "2.4\n0": ..."); values in reasons now show control characters and line
// separators as '?'.
void TestOtaFirmwareManifest::reasonsAreOneLine()
{
    QString error;
    QVERIFY(!FirmwareManifest::fromBytes(withField("version", u"2.4\n0"_s), &error));
    QVERIFY2(!error.contains(u'\n') && error.contains(u"2.4?0"_s), qPrintable(error));
    QVERIFY(!FirmwareVersion::isValid(u"2.4\u20280"_s, &error));
    QVERIFY2(!error.contains(QChar(0x2028)) && error.contains(u"'?'"_s), qPrintable(error));
    QVERIFY(!FirmwareManifest::fromBytes(withField("models", QJsonArray{QString(70, u'\r')}), &error));
    QVERIFY2(!error.contains(u'\r'), qPrintable(error));
    QVERIFY(!FirmwareManifest::fromBytes(withField("models", QJsonArray{u"a\u2029b"_s, u"a\u2029b"_s}), &error));
    QVERIFY2(error.contains(u"twice"_s) && !error.contains(QChar(0x2029)), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestOtaFirmwareManifest)
#include "test_ota_firmware_manifest.moc"
