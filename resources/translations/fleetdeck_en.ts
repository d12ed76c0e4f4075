<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>fd::AlertDetailPanel</name>
    <message numerus="yes">
        <location filename="../../ui/alert_detail_panel.cpp" line="171"/>
        <source>%n alerts selected: the actions act on all of them.</source>
        <translation>
            <numerusform>%n alert selected.</numerusform>
            <numerusform>%n alerts selected: the actions act on all of them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_detail_panel.cpp" line="195"/>
        <source>%n device alert(s) grouped under this one</source>
        <translation>
            <numerusform>%n device alert grouped under this one</numerusform>
            <numerusform>%n device alerts grouped under this one</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertExportController</name>
    <message numerus="yes">
        <location filename="../../ui/alert_export_controller.cpp" line="137"/>
        <source>%n audit entries</source>
        <translation>
            <numerusform>%n audit entry</numerusform>
            <numerusform>%n audit entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_export_controller.cpp" line="138"/>
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n alert</numerusform>
            <numerusform>%n alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertRulePreviewPanel</name>
    <message numerus="yes">
        <location filename="../../ui/alert_rule_preview_panel.cpp" line="124"/>
        <source>Matches %Ln device(s) of the %1 in the inventory.</source>
        <translation>
            <numerusform>Matches %Ln device of the %1 in the inventory.</numerusform>
            <numerusform>Matches %Ln devices of the %1 in the inventory.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_rule_preview_panel.cpp" line="145"/>
        <source>Would have fired %Ln time(s)</source>
        <translation>
            <numerusform>Would have fired %Ln time</numerusform>
            <numerusform>Would have fired %Ln times</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_rule_preview_panel.cpp" line="146"/>
        <source> on %Ln device(s) over the last 24 h of cached history</source>
        <translation>
            <numerusform> on %Ln device over the last 24 h of cached history</numerusform>
            <numerusform> on %Ln devices over the last 24 h of cached history</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertRulesDialog</name>
    <message numerus="yes">
        <location filename="../../ui/alert_rules_dialog.cpp" line="300"/>
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_rules_dialog.cpp" line="305"/>
        <source>Imported %n rule(s) from %1.</source>
        <translation>
            <numerusform>Imported %n rule from %1.</numerusform>
            <numerusform>Imported %n rules from %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_rules_dialog.cpp" line="318"/>
        <source>Exported %n rule(s) to %1.</source>
        <translation>
            <numerusform>Exported %n rule to %1.</numerusform>
            <numerusform>Exported %n rules to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertStyle</name>
    <message numerus="yes">
        <location filename="../../models/alert_style.cpp" line="87"/>
        <source>%1 (%n device(s))</source>
        <translation>
            <numerusform>%1 (%n device)</numerusform>
            <numerusform>%1 (%n devices)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertTriageController</name>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="177"/>
        <source>Acknowledging %n alert(s)…</source>
        <translation>
            <numerusform>Acknowledging %n alert…</numerusform>
            <numerusform>Acknowledging %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="178"/>
        <source>Acknowledged %n alert(s).</source>
        <translation>
            <numerusform>Acknowledged %n alert.</numerusform>
            <numerusform>Acknowledged %n alerts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="187"/>
        <source>Unsnoozing %n alert(s)…</source>
        <translation>
            <numerusform>Unsnoozing %n alert…</numerusform>
            <numerusform>Unsnoozing %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="188"/>
        <source>Unsnoozed %n alert(s).</source>
        <translation>
            <numerusform>Unsnoozed %n alert.</numerusform>
            <numerusform>Unsnoozed %n alerts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="190"/>
        <source>Snoozing %n alert(s)…</source>
        <translation>
            <numerusform>Snoozing %n alert…</numerusform>
            <numerusform>Snoozing %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="191"/>
        <source>Snoozed %n alert(s) until %1.</source>
        <translation>
            <numerusform>Snoozed %n alert until %1.</numerusform>
            <numerusform>Snoozed %n alerts until %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="200"/>
        <source>Unassigning %n alert(s)…</source>
        <translation>
            <numerusform>Unassigning %n alert…</numerusform>
            <numerusform>Unassigning %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="201"/>
        <source>Unassigned %n alert(s).</source>
        <translation>
            <numerusform>Unassigned %n alert.</numerusform>
            <numerusform>Unassigned %n alerts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="202"/>
        <source>Assigning %n alert(s)…</source>
        <translation>
            <numerusform>Assigning %n alert…</numerusform>
            <numerusform>Assigning %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="203"/>
        <source>Assigned %n alert(s) to %1.</source>
        <translation>
            <numerusform>Assigned %n alert to %1.</numerusform>
            <numerusform>Assigned %n alerts to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="214"/>
        <source>Adding the note to %n alert(s)…</source>
        <translation>
            <numerusform>Adding the note to %n alert…</numerusform>
            <numerusform>Adding the note to %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="215"/>
        <source>Note added to %n alert(s).</source>
        <translation>
            <numerusform>Note added to %n alert.</numerusform>
            <numerusform>Note added to %n alerts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="223"/>
        <source>Resolving %n alert(s)…</source>
        <translation>
            <numerusform>Resolving %n alert…</numerusform>
            <numerusform>Resolving %n alerts…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="224"/>
        <source>Resolved %n alert(s).</source>
        <translation>
            <numerusform>Resolved %n alert.</numerusform>
            <numerusform>Resolved %n alerts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="245"/>
        <source>Assign %n alert(s) to (empty: unassign):</source>
        <translation>
            <numerusform>Assign %n alert to (empty: unassign):</numerusform>
            <numerusform>Assign %n alerts to (empty: unassign):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="265"/>
        <source>Note for the timeline of %n alert(s):</source>
        <translation>
            <numerusform>Note for the timeline of %n alert:</numerusform>
            <numerusform>Note for the timeline of %n alerts:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alert_triage_controller.cpp" line="281"/>
        <source>Why are these %n alert(s) resolved? The reason goes to the audit log.</source>
        <translation>
            <numerusform>Why is this alert resolved? The reason goes to the audit log.</numerusform>
            <numerusform>Why are these %n alerts resolved? The reason goes to the audit log.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::AlertsPage</name>
    <message numerus="yes">
        <location filename="../../ui/alerts_page.cpp" line="397"/>
        <source>%1 of %Ln alert(s)</source>
        <translation>
            <numerusform>%1 of %Ln alert</numerusform>
            <numerusform>%1 of %Ln alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/alerts_page.cpp" line="409"/>
        <source>%Ln open alert(s) are acknowledged and cleared, snoozed or grouped: choose &quot;All open alerts&quot; to see them.</source>
        <translation>
            <numerusform>%Ln open alert is acknowledged and cleared, snoozed or grouped: choose &quot;All open alerts&quot; to see it.</numerusform>
            <numerusform>%Ln open alerts are acknowledged and cleared, snoozed or grouped: choose &quot;All open alerts&quot; to see them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::ConnectionDialog</name>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="31"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="32"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="40"/>
        <source>Verify the broker&apos;s host name against its certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="45"/>
        <source>Broker connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="50"/>
        <source>&amp;Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="58"/>
        <source>Broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="60"/>
        <source>e.g. Production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="61"/>
        <source>&amp;Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="62"/>
        <source>mqtts://broker.example.com:8883</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="63"/>
        <source>mqtt://host[:port] for plain TCP (1883), mqtts://host[:port] for TLS (8883)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="64"/>
        <source>Broker &amp;URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="65"/>
        <source>MQTT 5.0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="66"/>
        <source>MQTT 3.1.1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="67"/>
        <source>Protocol &amp;version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="68"/>
        <source>User&amp;name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="70"/>
        <source>Stored in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="71"/>
        <source>Pass&amp;word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="72"/>
        <source>Automatic (unique for every start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="73"/>
        <source>&amp;Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="75"/>
        <source>&amp;Topic prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="78"/>
        <source>TLS (mqtts:// URLs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="80"/>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="81"/>
        <source>System trust store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="81"/>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="82"/>
        <location filename="../../ui/connection_dialog.cpp" line="83"/>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="82"/>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="83"/>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="86"/>
        <source>Only for an encrypted key; stored in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="87"/>
        <source>Key passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="92"/>
        <source>Warning: without host name verification any server with a certificate from your CA can impersonate this broker. Turn it off only for test brokers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="104"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="105"/>
        <source>C&amp;onnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="112"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="137"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="138"/>
        <source>Browse for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="204"/>
        <source>Could not read from the system keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="246"/>
        <source>The profile was deleted, but its secret could not be removed from the keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="253"/>
        <source>Deleted profile &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="261"/>
        <source>Give the profile a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="267"/>
        <source>The broker URL is not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="280"/>
        <source>A client certificate needs its key, and a key its certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="296"/>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="298"/>
        <source>key passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_dialog.cpp" line="320"/>
        <source>The profile was saved, but the %1 could not be stored in the system keychain (it was not stored anywhere else): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::ConnectionState</name>
    <message>
        <location filename="../../ui/connection_state_style.cpp" line="10"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_state_style.cpp" line="11"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_state_style.cpp" line="12"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_state_style.cpp" line="13"/>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/connection_state_style.cpp" line="14"/>
        <source>Connection failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::CriticalAlertNotifier</name>
    <message numerus="yes">
        <location filename="../../ui/critical_alert_notifier.cpp" line="52"/>
        <source>%n unacknowledged critical alert(s)</source>
        <translation>
            <numerusform>%n unacknowledged critical alert</numerusform>
            <numerusform>%n unacknowledged critical alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/critical_alert_notifier.cpp" line="84"/>
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/critical_alert_notifier.cpp" line="85"/>
        <source>%n new critical alert(s)</source>
        <translation>
            <numerusform>%n new critical alert</numerusform>
            <numerusform>%n new critical alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::DatabaseProblemDialog</name>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="31"/>
        <source>FleetDeck cannot open its cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="44"/>
        <source>The cache was written by a newer version of FleetDeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="47"/>
        <source>The cache could not be upgraded to this version of FleetDeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="51"/>
        <source>The cache file cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="59"/>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="61"/>
        <source>Details: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="63"/>
        <source>FleetDeck has not changed the file. You can move it aside and start with an empty cache (the file is kept next to the original, renamed), open another cache file, or quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="70"/>
        <source>Move the file aside and start fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="71"/>
        <source>Open another file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="72"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="90"/>
        <source>Open or create a cache file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/database_problem_dialog.cpp" line="91"/>
        <source>FleetDeck cache (*.sqlite *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::DeviceDetailPanel</name>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="62"/>
        <source>Select a device to see its attributes, latest metrics and message counts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="92"/>
        <source>Chart…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="94"/>
        <source>Open a live chart of a metric of this device on the Telemetry page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="101"/>
        <source>Attributes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="102"/>
        <source>Latest metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="103"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="104"/>
        <source>Rejected messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="244"/>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="268"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="274"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="274"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="277"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="278"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="279"/>
        <source>Firmware</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="281"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="177"/>
        <source>%1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="179"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="283"/>
        <source>Last telemetry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="285"/>
        <source>Sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="289"/>
        <source>No telemetry received yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="299"/>
        <source>%1: drag onto a chart of the Telemetry page to plot it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="308"/>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="309"/>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/device_detail_panel.cpp" line="313"/>
        <source>None: every message from this device was valid.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::DeviceInventoryModel</name>
    <message numerus="yes">
        <location filename="../../models/device_inventory_model.cpp" line="42"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../models/device_inventory_model.cpp" line="43"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="184"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="184"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="302"/>
        <source>Online: the device&apos;s last status said it is connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="303"/>
        <source>Offline: the device said goodbye or its connection was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="305"/>
        <source>Last accepted message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="308"/>
        <source>Last %1 of %2 (live data since FleetDeck started)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="310"/>
        <source>%1
Latest: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="314"/>
        <source>No rejected messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="319"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="337"/>
        <source>Time since the last accepted message from the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="339"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="341"/>
        <source>Received signal strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="343"/>
        <source>The last %1 of %2 per device, and its latest value. Right-click the header to choose the metric.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="348"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="349"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="350"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="351"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="352"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="353"/>
        <source>Firmware</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="354"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="355"/>
        <source>Temp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="356"/>
        <source>Battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="357"/>
        <source>RSSI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="358"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="359"/>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/device_inventory_model.cpp" line="360"/>
        <source>Trend: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::DiagnosticsPage</name>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="29"/>
        <source>Ingest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="40"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="41"/>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="42"/>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="43"/>
        <source>Messages per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="44"/>
        <source>Last message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="48"/>
        <location filename="../../ui/diagnostics_page.cpp" line="66"/>
        <source>Rejected messages by source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="76"/>
        <source>No rejected messages.

Messages that fail validation (bad JSON, wrong types, missing fields, bad device ids, oversize payloads, unknown topics) are counted here, by device and reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="122"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="132"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/diagnostics_page.cpp" line="137"/>
        <source>%1 rejected messages from %2 sources. %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::FleetDeckGui</name>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="74"/>
        <source>Demo fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="113"/>
        <source>Could not move the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="114"/>
        <source>%1 could not be moved aside: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="116"/>
        <source>Cache moved aside</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="117"/>
        <source>The old cache was kept as %1. FleetDeck starts with an empty cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="140"/>
        <source>Demo mode is not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="141"/>
        <source>FleetDeck could not start the demo fleet. The cached inventory is still shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="152"/>
        <source>Demo fleet stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="153"/>
        <source>The demo broker or simulator stopped unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="167"/>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="179"/>
        <source>Unknown connection profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="180"/>
        <source>There is no connection profile called &quot;%1&quot;. Use File &gt; Connect to Broker to create one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="191"/>
        <source>Invalid broker URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/fleetdeck_gui.cpp" line="192"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::FleetStatusBar</name>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="53"/>
        <source>Last known state as of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="54"/>
        <source>Showing the inventory from the local cache. Live data replaces it as soon as a broker delivers updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="71"/>
        <source>%1 online · %2 offline · %3 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="77"/>
        <source>%1 msg/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="87"/>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="89"/>
        <source>Broker connection: %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/fleet_status_bar.cpp" line="94"/>
        <source>Cache error: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::GuiOptions</name>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="12"/>
        <source>FleetDeck: desktop operations console for IoT device fleets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="16"/>
        <source>Start a private broker and a simulated fleet, and connect to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="18"/>
        <source>Connect to this broker (mqtt://host:port or mqtts://host:port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="19"/>
        <source>url</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="20"/>
        <source>Cache database file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="20"/>
        <location filename="../../app/gui/gui_options.cpp" line="33"/>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="21"/>
        <source>Connect with this saved connection profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="22"/>
        <location filename="../../app/gui/gui_options.cpp" line="42"/>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="23"/>
        <source>Window size, e.g. 1400x860.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="23"/>
        <source>WxH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="25"/>
        <source>Number of simulated devices (demo mode).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="26"/>
        <source>n</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="27"/>
        <source>Topic prefix (default fleetdeck/v1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="28"/>
        <source>prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="31"/>
        <source>At exit, write a responsiveness report (time to first paint, GUI event-loop lateness, ingest counters) as JSON to this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="35"/>
        <source>Quit as soon as the first frame is painted (start-up measurement).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="37"/>
        <source>Demo mode: the simulated devices first publish this many hours of past telemetry, one sample a minute (e.g. 24).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="39"/>
        <source>hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="41"/>
        <source>Open this dialog at start (retention).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="58"/>
        <source>--show-dialog expects: retention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="62"/>
        <source>--perf-quit-after-paint needs --perf-report FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="69"/>
        <source>--geometry expects WIDTHxHEIGHT, e.g. 1400x860.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="77"/>
        <source>--devices expects a number from 1 to 100000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/gui_options.cpp" line="81"/>
        <source>--demo cannot be combined with --broker or --profile.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::InventoryPage</name>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="46"/>
        <source>Search id, name, site, model, firmware</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="47"/>
        <source>Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="48"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="48"/>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="49"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="49"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="50"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="50"/>
        <source>All sites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="51"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="51"/>
        <source>All models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="69"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="188"/>
        <source>%1 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_page.cpp" line="190"/>
        <source>%1 of %2 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/inventory_page.cpp" line="242"/>
        <source>%Ln device(s)</source>
        <translation>
            <numerusform>%Ln device</numerusform>
            <numerusform>%Ln devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/inventory_page.cpp" line="244"/>
        <source>%1 of %Ln device(s)</source>
        <translation>
            <numerusform>%1 of %Ln device</numerusform>
            <numerusform>%1 of %Ln devices</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::InventoryTrendColumn</name>
    <message>
        <location filename="../../ui/inventory_trend_column.cpp" line="82"/>
        <source>Trend column metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/inventory_trend_column.cpp" line="88"/>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::KeychainSecretStore</name>
    <message>
        <location filename="../../core/settings/keychain_secret_store.cpp" line="59"/>
        <source>No secret stored for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../core/settings/keychain_secret_store.cpp" line="63"/>
        <source>Keychain error for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::MainWindow</name>
    <message>
        <location filename="../../ui/main_window.cpp" line="79"/>
        <source>Inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="80"/>
        <source>Every device: status, attributes, latest metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="81"/>
        <source>Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="82"/>
        <source>Ingest counters and rejected messages by device and reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="83"/>
        <source>Telemetry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="84"/>
        <source>Live and historical charts of device metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.cpp" line="112"/>
        <source>Retention: %n raw telemetry row(s) deleted from the cache.</source>
        <translation>
            <numerusform>Retention: %n raw telemetry row deleted from the cache.</numerusform>
            <numerusform>Retention: %n raw telemetry rows deleted from the cache.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="124"/>
        <source>&amp;Chart Selected Devices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="156"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="157"/>
        <source>&amp;Connect to Broker…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="160"/>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="162"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="166"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="167"/>
        <source>&amp;Inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="169"/>
        <source>&amp;Diagnostics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="171"/>
        <source>&amp;Telemetry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="174"/>
        <source>&amp;Find Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="180"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="181"/>
        <source>Cache and &amp;Retention…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="184"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="185"/>
        <source>&amp;About FleetDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="186"/>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="197"/>
        <source>FleetDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="197"/>
        <source>%1 — FleetDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="220"/>
        <source>Select one or more devices in the inventory to chart them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="235"/>
        <source>The selected devices have not reported any metric yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="240"/>
        <source>Chart devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.cpp" line="241"/>
        <source>Metric to chart for %n device(s):</source>
        <translation>
            <numerusform>Metric to chart for %n device:</numerusform>
            <numerusform>Metric to chart for %n devices:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="279"/>
        <source>Cache error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="280"/>
        <source>FleetDeck could not write to its local cache. Live data is still shown, but it may be missing from the cache after a restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="314"/>
        <source>Keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="357"/>
        <source>Deleting telemetry older than the new retention limits…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="364"/>
        <source>About FleetDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="367"/>
        <source>FleetDeck %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="368"/>
        <source>A desktop operations console for fleets of connected devices: inventory, diagnostics and a demo fleet, over MQTT 3.1.1/5 with TLS, with a local cache that works offline.

Built with Qt %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::Metric</name>
    <message>
        <location filename="../../models/metric_display.cpp" line="11"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="13"/>
        <source>Humidity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="15"/>
        <source>Battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="17"/>
        <source>Signal (RSSI)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="19"/>
        <source>CPU load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="27"/>
        <source>%1 °C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="29"/>
        <location filename="../../models/metric_display.cpp" line="31"/>
        <location filename="../../models/metric_display.cpp" line="35"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/metric_display.cpp" line="33"/>
        <source>%1 dBm</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::OverviewPage</name>
    <message numerus="yes">
        <location filename="../../ui/overview_page.cpp" line="302"/>
        <source>%1 % of %Ln device(s)</source>
        <translation>
            <numerusform>%1 % of %Ln device</numerusform>
            <numerusform>%1 % of %Ln devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/overview_page.cpp" line="308"/>
        <source>%Ln device(s)</source>
        <translation>
            <numerusform>%Ln device</numerusform>
            <numerusform>%Ln devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/overview_page.cpp" line="309"/>
        <source>%Ln source(s)</source>
        <translation>
            <numerusform>%Ln source</numerusform>
            <numerusform>%Ln sources</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/overview_page.cpp" line="310"/>
        <source>%Ln site(s)</source>
        <translation>
            <numerusform>%Ln site</numerusform>
            <numerusform>%Ln sites</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/overview_page.cpp" line="322"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::PageSidebar</name>
    <message>
        <location filename="../../ui/page_sidebar.cpp" line="29"/>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/page_sidebar.cpp" line="72"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::ProfileStore</name>
    <message>
        <location filename="../../core/settings/profile_store.cpp" line="70"/>
        <source>A connection profile needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../core/settings/profile_store.cpp" line="75"/>
        <source>The profile &quot;%1&quot; has no broker host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../core/settings/profile_store.cpp" line="94"/>
        <source>Could not write the settings file %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::RejectReason</name>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="10"/>
        <source>Bad JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="11"/>
        <source>Wrong type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="12"/>
        <source>Missing field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="13"/>
        <source>Bad device id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="14"/>
        <source>Oversize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="15"/>
        <source>Unknown topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="23"/>
        <source>The payload is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="24"/>
        <source>A known field has the wrong JSON type, e.g. &quot;seq&quot; sent as a string.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="25"/>
        <source>A required field is missing, e.g. telemetry without &quot;metrics&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="26"/>
        <source>The device id in the topic is not 1-64 characters of A-Z, a-z, 0-9, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="27"/>
        <source>The payload is larger than the configured limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/reject_reason_labels.cpp" line="28"/>
        <source>The topic is under the fleet prefix but is not a topic of protocol v1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::RejectionModel</name>
    <message>
        <location filename="../../models/rejection_model.cpp" line="44"/>
        <source>(invalid device id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/rejection_model.cpp" line="46"/>
        <source>(unknown topic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/rejection_model.cpp" line="47"/>
        <source>(other unattributed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/rejection_model.cpp" line="72"/>
        <source>Messages that could not be attributed to a valid device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/rejection_model.cpp" line="101"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/rejection_model.cpp" line="103"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::RelativeTime</name>
    <message>
        <location filename="../../models/relative_time.cpp" line="11"/>
        <location filename="../../models/relative_time.cpp" line="27"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/relative_time.cpp" line="14"/>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/relative_time.cpp" line="16"/>
        <source>%1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/relative_time.cpp" line="18"/>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/relative_time.cpp" line="20"/>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../models/relative_time.cpp" line="21"/>
        <source>%1 d ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::RetentionDialog</name>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="38"/>
        <source>Cache and Retention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="42"/>
        <source>FleetDeck keeps the telemetry it receives in a local cache, so charts can show the past. Raw samples take the most space and are kept for a short time; per-minute and per-hour summaries (rollups) are small and are kept longer: long time ranges are drawn from them once the raw samples are gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="48"/>
        <source>Keep telemetry for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="50"/>
        <source>&amp;Raw samples:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="50"/>
        <source>Every value as the device sent it (charts of up to 3 hours).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="51"/>
        <source>Per-&amp;minute rollups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="52"/>
        <source>Minimum, maximum and average per minute (charts of up to 10 days).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="53"/>
        <source>Per-&amp;hour rollups:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="53"/>
        <source>Minimum, maximum and average per hour (longer charts).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="54"/>
        <source>A coarser level never expires before a finer one: per-minute rollups are kept at least as long as raw samples, per-hour rollups at least as long as per-minute rollups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="65"/>
        <source>Shorter limits delete the older data from the cache as soon as you press OK.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="73"/>
        <source>Cache file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="80"/>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="83"/>
        <source>Size on disk:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="86"/>
        <source>Raw rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="89"/>
        <source>Per-minute rollup rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="92"/>
        <source>Per-hour rollup rows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="93"/>
        <source>These limits apply to every cache FleetDeck opens, the demo cache included, and to fleetdeckctl record unless its command line says otherwise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="122"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="125"/>
        <source>Keep forever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="205"/>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/retention_dialog.cpp" line="235"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::TelemetryChart</name>
    <message>
        <location filename="../../widgets/telemetry_chart.cpp" line="332"/>
        <source>Cannot write the image %1. Check that the folder exists and is writable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::TelemetryChartLegend</name>
    <message>
        <location filename="../../widgets/telemetry_chart_legend.cpp" line="32"/>
        <source>Show or hide %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::SelectionSummaryView</name>
    <message numerus="yes">
        <location filename="../../ui/selection_summary_view.cpp" line="84"/>
        <source>%n device(s) selected</source>
        <translation>
            <numerusform>%n device selected</numerusform>
            <numerusform>%n devices selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/selection_summary_view.cpp" line="53"/>
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::TelemetryDropController</name>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="25"/>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="175"/>
        <source>%1 is already on this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="176"/>
        <source>Already on this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="178"/>
        <source>The device does not report %1</source>
        <translation>
            <numerusform>The device does not report %1</numerusform>
            <numerusform>The devices do not report %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="179"/>
        <source>No metric to chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="181"/>
        <source>%n series</source>
        <translation>
            <numerusform>%n series</numerusform>
            <numerusform>%n series</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="182"/>
        <source>Add %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_drop_controller.cpp" line="182"/>
        <source>New chart: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="198"/>
        <source>Added %n series to chart %1.</source>
        <translation>
            <numerusform>Added %n series to chart %1.</numerusform>
            <numerusform>Added %n series to chart %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="200"/>
        <source>%n series already shown.</source>
        <translation>
            <numerusform>%n series already shown.</numerusform>
            <numerusform>%n series already shown.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="203"/>
        <source>%n device(s) without metrics skipped.</source>
        <translation>
            <numerusform>%n device without metrics skipped.</numerusform>
            <numerusform>%n devices without metrics skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_drop_controller.cpp" line="204"/>
        <source>%n device(s) without %1 skipped.</source>
        <translation>
            <numerusform>%n device without %1 skipped.</numerusform>
            <numerusform>%n devices without %1 skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::TelemetryPage</name>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="48"/>
        <source>Last 1 minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="49"/>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="50"/>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="51"/>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="52"/>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="53"/>
        <source>Custom range…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="68"/>
        <source>Time window of all charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="69"/>
        <location filename="../../ui/telemetry_page.cpp" line="448"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="69"/>
        <source>Stop following live data (Space on a chart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="72"/>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="72"/>
        <source>All visible series in the visible range, ISO 8601 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="73"/>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="73"/>
        <source>The charts as an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="74"/>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="74"/>
        <source>Remove every chart from the page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="77"/>
        <source>Saved chart layouts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="79"/>
        <source>Save view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="79"/>
        <source>Save these charts and the time window under a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="83"/>
        <source>Window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="88"/>
        <source>View:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="99"/>
        <source>No charts yet. In the Inventory, select one or more devices and choose “Chart selected devices” (Ctrl+T or the context menu), or drag devices or a metric of the detail panel onto “Telemetry” in the sidebar and then here, to compare a metric live and over its history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="108"/>
        <source>Drop here to open a new chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="197"/>
        <source>Remove this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/telemetry_page.cpp" line="254"/>
        <source>%1 — %n series</source>
        <translation>
            <numerusform>%1 — %n series</numerusform>
            <numerusform>%1 — %n series</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="416"/>
        <source>Loading history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="434"/>
        <source>raw samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="435"/>
        <source>1-minute rollups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="436"/>
        <source>1-hour rollups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="438"/>
        <source>History: %1 rows of %2 (%3 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="448"/>
        <source>Resume live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="538"/>
        <source>Save view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="538"/>
        <source>Name of this chart layout:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page.cpp" line="551"/>
        <source>(saved views)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="37"/>
        <location filename="../../ui/telemetry_page_export.cpp" line="39"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="55"/>
        <source>Cannot write the image %1. Check that the folder exists and is writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="65"/>
        <source>Export telemetry as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="67"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="70"/>
        <location filename="../../ui/telemetry_page_export.cpp" line="82"/>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="77"/>
        <source>Export charts as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/telemetry_page_export.cpp" line="79"/>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::TimeRangeDialog</name>
    <message>
        <location filename="../../widgets/time_range_dialog.cpp" line="18"/>
        <location filename="../../widgets/time_range_dialog.cpp" line="45"/>
        <source>Custom time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/time_range_dialog.cpp" line="24"/>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/time_range_dialog.cpp" line="25"/>
        <source>To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/time_range_dialog.cpp" line="45"/>
        <source>The start must be before the end.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>fd::FleetStatusBar</name>
    <message numerus="yes">
        <location filename="../../ui/fleet_status_bar.cpp" line="88"/>
        <source>%n source(s) not connected</source>
        <translation>
            <numerusform>%n source not connected</numerusform>
            <numerusform>%n sources not connected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::SourceBanner</name>
    <message numerus="yes">
        <location filename="../../ui/source_banner.cpp" line="136"/>
        <source>%1 — retrying in %n s</source>
        <translation>
            <numerusform>%1 — retrying in %n s</numerusform>
            <numerusform>%1 — retrying in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/source_banner.cpp" line="163"/>
        <source>…and %n more source(s) not connected: %1 (File &gt; Connections…)</source>
        <translation>
            <numerusform>…and %n more source not connected: %1 (File &gt; Connections…)</numerusform>
            <numerusform>…and %n more sources not connected: %1 (File &gt; Connections…)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutBuilder</name>
    <message numerus="yes">
        <location filename="../../core/ota/rollout_builder.cpp" line="31"/>
        <source>%1 to %n devices</source>
        <translation>
            <numerusform>%1 to %n device</numerusform>
            <numerusform>%1 to %n devices</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutPlanPage</name>
    <message numerus="yes">
        <location filename="../../ui/rollout_plan_page.cpp" line="250"/>
        <source>For %n device(s): </source>
        <translation>
            <numerusform>For %n device: </numerusform>
            <numerusform>For %n devices: </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutReviewPage</name>
    <message numerus="yes">
        <location filename="../../ui/rollout_review_page.cpp" line="55"/>
        <source>%1 to %n device(s)</source>
        <translation>
            <numerusform>%1 to %n device</numerusform>
            <numerusform>%1 to %n devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/rollout_review_page.cpp" line="62"/>
        <source>This rollout updates %n device(s). Type the number of devices to confirm:</source>
        <translation>
            <numerusform>This rollout updates %n device. Type the number of devices to confirm:</numerusform>
            <numerusform>This rollout updates %n devices. Type the number of devices to confirm:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/rollout_review_page.cpp" line="122"/>
        <source>%n device(s) will be updated</source>
        <translation>
            <numerusform>%n device will be updated</numerusform>
            <numerusform>%n devices will be updated</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/rollout_review_page.cpp" line="125"/>
        <source>%n matching device(s) are left out (see the Targets page).</source>
        <translation>
            <numerusform>%n matching device is left out (see the Targets page).</numerusform>
            <numerusform>%n matching devices are left out (see the Targets page).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutTable</name>
    <message numerus="yes">
        <location filename="../../core/ota/rollout_table.cpp" line="233"/>
        <source>%n devices, artifact %1</source>
        <translation>
            <numerusform>%n device, artifact %1</numerusform>
            <numerusform>%n devices, artifact %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutTargetsPage</name>
    <message numerus="yes">
        <location filename="../../ui/rollout_targets_page.cpp" line="144"/>
        <source>%n device(s) will be updated to %1.</source>
        <translation>
            <numerusform>%n device will be updated to %1.</numerusform>
            <numerusform>%n devices will be updated to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/rollout_targets_page.cpp" line="148"/>
        <source>%n matching device(s) left out:</source>
        <translation>
            <numerusform>%n matching device left out:</numerusform>
            <numerusform>%n matching devices left out:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::RolloutsPage</name>
    <message numerus="yes">
        <location filename="../../ui/rollouts_page.cpp" line="213"/>
        <source>Abort "%1"? Devices not started never start; %n device(s) updating now may finish.

Reason:</source>
        <translation>
            <numerusform>Abort "%1"? Devices not started never start; %n device updating now may finish.

Reason:</numerusform>
            <numerusform>Abort "%1"? Devices not started never start; %n devices updating now may finish.

Reason:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/rollouts_page.cpp" line="225"/>
        <source>Every job not finished is withdrawn from the broker (%n device(s) in progress). A device already installing may still finish.</source>
        <translation>
            <numerusform>Every job not finished is withdrawn from the broker (%n device in progress). A device already installing may still finish.</numerusform>
            <numerusform>Every job not finished is withdrawn from the broker (%n devices in progress). A device already installing may still finish.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fd::CertificateExpiryEvaluator</name>
    <message numerus="yes">
        <location filename="../../core/alerts/certificate_expiry_evaluator.cpp" line="36"/>
        <source>certificate %1 expires in %n day(s), on %2</source>
        <translation>
            <numerusform>certificate %1 expires in %n day, on %2</numerusform>
            <numerusform>certificate %1 expires in %n days, on %2</numerusform>
        </translation>
    </message>
</context>
</TS>
