#!/usr/bin/env node
// One Sparkplug B edge node with N devices, built on Eclipse Tahu's JavaScript client
// (npm `sparkplug-client`, pinned in package-lock.json): an implementation independent of
// FleetDeck, for the interoperability test (tests/integration/test_sparkplug_tahu_interop.cpp,
// docs/protocol.md "Interoperability").
//
//   node tahu_edge_node.js --broker mqtt://127.0.0.1:1883 --group G --node N [--devices 2]
//                          [--interval-ms 500] [--bdseq N] [--client-id ID]
//
// On connect: NBIRTH (with a template definition), a DBIRTH per device (dev-1 … dev-N), then
// NDATA and DDATA (alias only, as Sparkplug 3.0 suggests) every --interval-ms.
// NCMD `Node Control/Rebirth` = true: NBIRTH and DBIRTHs again. NCMD / DCMD writes of a
// writable metric: applied and published back (NDATA / DDATA).
//
// Commands on stdin, one a line:
//   stop            NDEATH with the current bdSeq, MQTT DISCONNECT, exit 0 (also SIGTERM, SIGINT)
//   crash           SIGKILL to itself: no NDEATH, no DISCONNECT; the broker publishes the Will
//   data            one NDATA and one DDATA per device now
//   ddeath DEVICE   DDEATH of that device
//
// stdout, one event a line (for the test to wait on):
//   connected
//   birth bdSeq=B devices=N             NBIRTH and the DBIRTHs were published
//   data ticks=T                         a round of NDATA + DDATA was published
//   rebirth-requested                    an NCMD Node Control/Rebirth = true arrived
//   ncmd name=NAME type=TYPE value=V     an NCMD write was applied
//   dcmd device=D name=NAME type=TYPE value=V   a DCMD write was applied
//   cmd-ignored WHAT                     a command for an unknown or read-only metric
//   ddeath device=D
//   stopped bdSeq=B                      the NDEATH was published and the connection closed
//   error TEXT
'use strict';

const path = require('path');

// The same mqtt and sparkplug-payload modules sparkplug-client loads (package.json lists them
// with sparkplug-client's own ranges, so npm installs one copy of each).
function sameAsClient(name) {
    const clientDir = path.dirname(require.resolve('sparkplug-client'));
    if (require.resolve(name, { paths: [clientDir] }) !== require.resolve(name)) {
        process.stderr.write(`tahu_edge_node.js: sparkplug-client loads another copy of ${name}; run npm ci\n`);
        process.exit(2);
    }
    return require(name);
}
const mqtt = sameAsClient('mqtt');
const sparkplugPayload = sameAsClient('sparkplug-payload').get('spBv1.0');

function usage(problem) {
    process.stderr.write(`tahu_edge_node.js: ${problem}\n`
        + 'usage: node tahu_edge_node.js --broker URL --group G --node N [--devices 2] [--interval-ms 500] '
        + '[--bdseq N] [--client-id ID]\n');
    process.exit(2);
}

function parseArgs(argv) {
    const options = { devices: 2, intervalMs: 500, bdSeq: null, clientId: null };
    for (let i = 0; i < argv.length; ++i) {
        const arg = argv[i];
        const next = () => {
            if (i + 1 >= argv.length)
                usage(`${arg} needs a value`);
            return argv[++i];
        };
        const integer = (text, min) => {
            if (!/^\d+$/.test(text) || Number(text) < min)
                usage(`${arg}: "${text}" is not an integer >= ${min}`);
            return Number(text);
        };
        switch (arg) {
        case '--broker': options.broker = next(); break;
        case '--group': options.group = next(); break;
        case '--node': options.node = next(); break;
        case '--devices': options.devices = integer(next(), 0); break;
        case '--interval-ms': options.intervalMs = integer(next(), 10); break;
        case '--bdseq': options.bdSeq = integer(next(), 0); break;
        case '--client-id': options.clientId = next(); break;
        default: usage(`unknown argument ${arg}`);
        }
    }
    for (const required of ['broker', 'group', 'node']) {
        if (!options[required])
            usage(`--${required} is required`);
    }
    return options;
}

const options = parseArgs(process.argv.slice(2));

function say(line) {
    process.stdout.write(line + '\n');  // pipes are written synchronously on Linux
}

// --- bdSeq --------------------------------------------------------------------------------
// sparkplug-client 3.2.x always uses bdSeq 0 (it never increments it, there is no option)
// and builds the Will in its constructor. Sparkplug wants a new bdSeq per session, kept by
// the application across restarts: with --bdseq the Will, the NBIRTH and the NDEATH carry
// that value instead. The Will is set where the client hands its options to mqtt.connect.
if (options.bdSeq !== null) {
    const connect = mqtt.connect;
    mqtt.connect = function (url, mqttOptions) {
        if (mqttOptions && mqttOptions.will) {
            mqttOptions.will.payload = Buffer.from(sparkplugPayload.encodePayload({
                timestamp: Date.now(),
                metrics: [{ name: 'bdSeq', type: 'UInt64', value: options.bdSeq }],
            }));
        }
        return connect.call(this, url, mqttOptions);
    };
}
const sparkplugClient = require('sparkplug-client');

// --- the metrics ----------------------------------------------------------------------------

// A metric the node or a device declares in its BIRTH and reports by alias in DATA.
// readOnly ones carry the property readOnly = true (FleetDeck then does not offer a write).
function metric(name, alias, type, value, readOnly) {
    return { name, alias, type, value, readOnly: !!readOnly };
}

const node = {
    metrics: [
        metric('Node Info/Uptime Ticks', 1, 'Int64', 0, true),
        metric('Node Config/Poll Interval', 2, 'Int32', options.intervalMs),
        metric('Node Config/Label', 3, 'String', `Tahu node ${options.node}`),
    ],
};

function deviceMetrics(index) {
    return [
        metric('Sensor/Level', 10, 'Int32', -42 - index, true),
        metric('Sensor/Offset', 11, 'Int8', -5, true),
        metric('Sensor/Total', 12, 'Int64', -1234567890123 - index, true),
        metric('Sensor/Count', 13, 'UInt32', 4000000000 + index, true),
        metric('Sensor/Temperature', 14, 'Float', 21.5 + index, true),
        metric('Sensor/Pressure', 15, 'Double', 1013.25 + index, true),
        metric('Status/Running', 16, 'Boolean', true, true),
        metric('Status/Mode', 17, 'String', 'auto', true),
        metric('Status/Since', 18, 'DateTime', 1700000000000 + index, true),
        metric('Sensor/Ticks', 19, 'Int64', 0, true),
        metric('Config/Setpoint', 20, 'Double', 20.5),
        metric('Config/Limit', 21, 'Int32', 100),
        metric('Config/Gain', 22, 'Float', 1.5),
        metric('Config/Enabled', 23, 'Boolean', false),
        metric('Config/Name', 24, 'String', `device ${index}`),
        metric('Config/Budget', 25, 'Int64', 5000000000),
        metric('Config/Cycles', 26, 'UInt32', 7),
    ];
}

const devices = [];
for (let i = 1; i <= options.devices; ++i)
    devices.push({ id: `dev-${i}`, metrics: deviceMetrics(i), alive: true });

let ticks = 0;

function wire(m, withName) {
    const out = { alias: m.alias, type: m.type, value: m.value };
    if (withName) {
        out.name = m.name;
        if (m.readOnly)
            out.properties = { readOnly: { type: 'Boolean', value: true } };
    }
    return out;
}

// Only in BIRTHs: a DataSet, a Bytes value, a template definition (NBIRTH) and a template
// instance (DBIRTH); Tahu's JavaScript library has no array datatypes.
function nodeBirthPayload() {
    return {
        timestamp: Date.now(),
        metrics: [
            { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
            { name: 'Properties/Model', type: 'String', value: 'Eclipse Tahu JS edge node' },
            ...node.metrics.map((m) => wire(m, true)),
            {
                name: '_types_/Motor', type: 'Template',
                value: {
                    isDefinition: true, version: '1.0',
                    metrics: [{ name: 'RPM', type: 'Int32', value: 0 }, { name: 'Amps', type: 'Float', value: 0 }],
                    parameters: [{ name: 'Rated RPM', type: 'Int32', value: 3000 }],
                },
            },
        ],
    };
}

function deviceBirthPayload(device, index) {
    return {
        timestamp: Date.now(),
        metrics: [
            ...device.metrics.map((m) => wire(m, true)),
            {
                name: 'Recipe', type: 'DataSet',
                value: {
                    numOfColumns: 3, columns: ['Step', 'Temperature', 'Label'], types: ['Int32', 'Double', 'String'],
                    rows: [[1, 80.5, 'heat'], [2, 60.25, 'hold'], [3, 20, 'cool']],
                },
            },
            { name: 'Firmware Blob', type: 'Bytes', value: Buffer.from([0x01, 0x02, 0xab]) },
            {
                name: 'Motor 1', type: 'Template',
                value: {
                    isDefinition: false, templateRef: 'Motor',
                    metrics: [{ name: 'RPM', type: 'Int32', value: 1500 + index },
                              { name: 'Amps', type: 'Float', value: 3.25 }],
                },
            },
        ],
    };
}

// --- the client ----------------------------------------------------------------------------

const client = sparkplugClient.newClient({
    serverUrl: options.broker,
    groupId: options.group,
    edgeNode: options.node,
    clientId: options.clientId || `tahu-${options.group}-${options.node}-${process.pid}`,
    username: null,
    password: null,
    publishDeath: true,  // stop() publishes the NDEATH before it disconnects
    version: 'spBv1.0',
});
if (options.bdSeq !== null)
    client.bdSeq = options.bdSeq;

function publishBirths() {
    client.publishNodeBirth(nodeBirthPayload());
    devices.forEach((device, i) => {
        device.alive = true;
        client.publishDeviceBirth(device.id, deviceBirthPayload(device, i + 1));
    });
    say(`birth bdSeq=${client.bdSeq} devices=${devices.length}`);
}

function publishData() {
    ++ticks;
    node.metrics[0].value = ticks;
    client.publishNodeData({ timestamp: Date.now(), metrics: [wire(node.metrics[0], false)] });
    for (const device of devices) {
        if (!device.alive)
            continue;
        device.metrics.find((m) => m.name === 'Sensor/Ticks').value = ticks;
        // Every scalar metric by alias alone (with its datatype: Tahu's encoder needs one).
        client.publishDeviceData(device.id, { timestamp: Date.now(), metrics: device.metrics.map((m) => wire(m, false)) });
    }
    say(`data ticks=${ticks}`);
}

// A value as Tahu's decoder hands it over, in the metric's own terms. Tahu 3.2.x reads
// Int64 as a Long, UInt32 as Long.toInt() (signed 32 bits: 4000000000 comes out negative)
// and ignores a UInt32 sent in int_value (what the specification says) altogether.
function isLong(value) {
    return value !== null && typeof value === 'object' && typeof value.toNumber === 'function';
}

function normalized(type, value) {
    if (isLong(value))
        return (type === 'UInt32' || type === 'UInt64' ? value.toUnsigned() : value.toSigned()).toNumber();
    if (type === 'UInt32' && typeof value === 'number')
        return value >>> 0;
    return value;
}

function printable(value) {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// Applies a command's writes to metrics; returns the metrics that changed.
function applyWrites(payload, metrics, what) {
    const changed = [];
    for (const incoming of payload.metrics || []) {
        const target = metrics.find((m) => (incoming.name !== undefined && m.name === incoming.name)
            || (incoming.name === undefined && incoming.alias !== undefined && Number(incoming.alias) === m.alias));
        const label = incoming.name !== undefined ? incoming.name : `alias ${incoming.alias}`;
        if (!target || target.readOnly) {
            say(`cmd-ignored ${what} ${label}${target ? ' (read-only)' : ' (unknown)'}`);
            continue;
        }
        if (incoming.type !== target.type) {
            say(`cmd-ignored ${what} ${label} (type ${incoming.type}, declared ${target.type})`);
            continue;
        }
        target.value = normalized(target.type, incoming.value);
        changed.push(target);
        say(`${what} name=${target.name} type=${target.type} value=${printable(target.value)}`);
    }
    return changed;
}

client.on('connect', () => say('connected'));
client.on('birth', publishBirths);
client.on('error', (error) => say(`error ${error && error.message ? error.message : error}`));

client.on('ncmd', (payload) => {
    const metrics = payload.metrics || [];
    const rebirth = metrics.find((m) => m.name === 'Node Control/Rebirth');
    if (rebirth) {
        if (rebirth.value === true) {
            say('rebirth-requested');
            publishBirths();
        } else {
            say(`cmd-ignored ncmd Node Control/Rebirth (value ${rebirth.value})`);
        }
        return;
    }
    const changed = applyWrites(payload, node.metrics, 'ncmd');
    if (changed.length > 0)
        client.publishNodeData({ timestamp: Date.now(), metrics: changed.map((m) => wire(m, false)) });
});

client.on('dcmd', (deviceId, payload) => {
    const device = devices.find((d) => d.id === deviceId);
    if (!device) {
        say(`cmd-ignored dcmd device ${deviceId} (unknown)`);
        return;
    }
    const changed = applyWrites(payload, device.metrics, `dcmd device=${deviceId}`);
    if (changed.length > 0 && device.alive)
        client.publishDeviceData(device.id, { timestamp: Date.now(), metrics: changed.map((m) => wire(m, false)) });
});

const timer = setInterval(() => {
    if (client.connected)
        publishData();
}, options.intervalMs);

let stopping = false;
function stop() {
    if (stopping)
        return;
    stopping = true;
    clearInterval(timer);
    const bdSeq = client.bdSeq;
    client.client.once('end', () => {
        say(`stopped bdSeq=${bdSeq}`);
        process.exit(0);
    });
    client.stop();  // NDEATH (publishDeath), then a clean MQTT disconnect: the broker drops the Will
    setTimeout(() => {
        say('error no clean disconnect within 5 s');
        process.exit(1);
    }, 5000).unref();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
    input += chunk;
    let newline;
    while ((newline = input.indexOf('\n')) >= 0) {
        const line = input.slice(0, newline).trim();
        input = input.slice(newline + 1);
        const [command, argument] = line.split(/\s+/, 2);
        if (command === 'stop') {
            stop();
        } else if (command === 'crash') {
            process.kill(process.pid, 'SIGKILL');
        } else if (command === 'data') {
            if (client.connected)
                publishData();
        } else if (command === 'ddeath') {
            const device = devices.find((d) => d.id === argument);
            if (!device || !device.alive) {
                say(`error no live device ${argument}`);
                continue;
            }
            device.alive = false;
            client.publishDeviceDeath(device.id, { timestamp: Date.now() });
            say(`ddeath device=${device.id}`);
        } else if (command !== '') {
            say(`error unknown command ${command}`);
        }
    }
});
// The test closing our stdin (or dying) is a clean stop.
process.stdin.on('end', stop);
