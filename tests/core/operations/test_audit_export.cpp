// The audit log's export forms (the triage page's Export > Audit Log, fleetdeckctl audit
// --json): AuditCsv quotes per RFC 4180 and defuses spreadsheet formulas; AuditJson keeps
// the stored JSON as JSON.
#include "core/operations/audit_csv.h"
#include "core/operations/audit_json.h"

#include <QJsonObject>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestAuditExport : public QObject
{
    Q_OBJECT
private slots:
    void csvQuotesAndDefusesFormulas()
    {
        AuditEntry e;
        e.tsMs = 1'700'000'000'123;
        e.actor = u"alice"_s;
        e.action = u"alert.noted"_s;
        e.objectKind = u"alert"_s;
        e.objectId = u"7"_s;
        e.afterJson = u"{\"note\":\"a, \\\"b\\\"\"}"_s;
        e.detail = u"=HYPERLINK(\"x\")"_s;
        const QByteArray csv = AuditCsv::toCsv({e});
        const QList<QByteArray> lines = csv.split('\n');
        QCOMPARE(lines.at(0), QByteArray("ts,actor,action,source,device_path,object_kind,object_id,before,after,detail\r"));
        // (Escaped rather than a raw string literal: moc does not parse those.)
        QCOMPARE(lines.at(1), QByteArray("2023-11-14T22:13:20.123Z,alice,alert.noted,,,alert,7,,"
                                         "\"{\"\"note\"\":\"\"a, \\\"\"b\\\"\"\"\"}\","
                                         "\"'=HYPERLINK(\"\"x\"\")\"\r"));
        QCOMPARE(AuditCsv::field(u"-1"_s), QByteArray("'-1"));
        QCOMPARE(AuditCsv::field(u"two\nlines"_s), QByteArray("\"two\nlines\""));
    }

    void jsonKeepsStoredJson()
    {
        AuditEntry e;
        e.tsMs = 1'700'000'000'123;
        e.actor = u"alice"_s;
        e.action = u"alert.acknowledged"_s;
        e.afterJson = u"{\"status\":\"ACTIVE_ACK\"}"_s;
        const QJsonObject o = AuditJson::toJson(e);
        QCOMPARE(o.value(u"after"_s).toObject().value(u"status"_s).toString(), u"ACTIVE_ACK"_s);
        QVERIFY(o.value(u"before"_s).isNull());
    }
};

QTEST_GUILESS_MAIN(TestAuditExport)
#include "test_audit_export.moc"
