// The node + mqtt.js reference subscriber of the FleetDeck benchmarks (docs/performance.md):
// the core an Electron MQTT client is built on. It parses every payload with JSON.parse,
// as such a client must, and counts what arrived: per device the last seq (a Map lookup,
// the cheapest bookkeeping that can find gaps). On SIGTERM/SIGINT it writes
// {"received","parsed","parse_errors","gaps","devices"} to the stats file and exits.
//
// Mode "sparkplug" (the Sparkplug B stream): no decoding; it reads only the payload's
// top-level seq (protobuf field 3, skipping the others by their lengths) to count gaps per
// edge node (0-255 with wrap, reset by NBIRTH). "received" counts the edge nodes' messages
// (BIRTH, DATA, DEATH); host STATE and commands (NCMD/DCMD: rebirth requests) are counted
// apart as "state_messages" and "commands".
//
//   node subscriber.js mqtt://127.0.0.1:PORT 'fleetdeck/v1/#' QOS STATS.json [v1|sparkplug]
'use strict';
const fs = require('fs');
const mqtt = require('mqtt');

const [url, filter, qosArg, statsPath, mode = 'v1'] = process.argv.slice(2);
if (!url || !filter || !statsPath || (mode !== 'v1' && mode !== 'sparkplug')) {
  console.error('usage: subscriber.js URL FILTER QOS STATS.json [v1|sparkplug]');
  process.exit(2);
}
const qos = Number(qosArg) || 0;
let received = 0, parsed = 0, parseErrors = 0, gaps = 0, stateMessages = 0, commands = 0;
const lastSeq = new Map();

// A protobuf varint at buf[pos.i] (advances pos.i); -1 if truncated.
function varint(buf, pos) {
  let v = 0, mul = 1;
  while (pos.i < buf.length) {
    const b = buf[pos.i++];
    v += (b & 0x7f) * mul;
    if (!(b & 0x80)) return v;
    mul *= 128;
  }
  return -1;
}

// The Sparkplug payload's seq (field 3), or -1.
function sparkplugSeq(buf) {
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const tag = varint(buf, pos);
    if (tag < 0) return -1;
    const wire = tag % 8, field = Math.floor(tag / 8);
    if (wire === 0) {
      const v = varint(buf, pos);
      if (field === 3) return v;
    } else if (wire === 2) {
      const len = varint(buf, pos);
      if (len < 0) return -1;
      pos.i += len;
    } else if (wire === 1) {
      pos.i += 8;
    } else if (wire === 5) {
      pos.i += 4;
    } else {
      return -1;
    }
  }
  return -1;
}

function onV1(topic, payload) {
  ++received;
  let msg;
  try { msg = JSON.parse(payload); } catch (e) { ++parseErrors; return; }
  ++parsed;
  if (typeof msg.seq !== 'number') return;
  // {prefix}/{id}/telemetry: the id is the second-to-last level.
  const end = topic.lastIndexOf('/');
  const id = topic.substring(topic.lastIndexOf('/', end - 1) + 1, end);
  const prev = lastSeq.get(id);
  if (prev !== undefined && msg.seq > prev + 1) gaps += msg.seq - prev - 1;
  lastSeq.set(id, msg.seq);
}

// spBv1.0/{group}/{type}/{node}[/{device}], spBv1.0/STATE/{host}
function onSparkplug(topic, payload) {
  const l = topic.split('/');
  if (l[1] === 'STATE') { ++stateMessages; return; }
  const type = l[2];
  if (type === 'NCMD' || type === 'DCMD') { ++commands; return; }
  ++received;
  const node = l[1] + '/' + l[3];
  if (type === 'NDEATH') { lastSeq.delete(node); return; }
  const seq = sparkplugSeq(payload);
  if (seq < 0 || seq > 255) { ++parseErrors; return; }
  ++parsed;
  const prev = lastSeq.get(node);
  if (type !== 'NBIRTH' && prev !== undefined && seq !== ((prev + 1) & 0xff)) gaps += (seq - prev - 1 + 256) & 0xff;
  lastSeq.set(node, seq);
}

const onMessage = mode === 'sparkplug' ? onSparkplug : onV1;
const client = mqtt.connect(url, { clientId: `fdbench-mqttjs-${process.pid}`, clean: true, reconnectPeriod: 1000 });
client.on('connect', () => {
  client.subscribe(filter, { qos }, (err) => {
    if (err) { console.error('subscribe failed:', err.message); process.exit(3); }
    console.error('mqttjs: subscribed');
  });
});
client.on('error', (err) => console.error('mqttjs error:', err.message));
client.on('message', onMessage);

function finish() {
  const stats = { received, parsed, parse_errors: parseErrors, gaps, devices: lastSeq.size };
  if (mode === 'sparkplug') Object.assign(stats, { state_messages: stateMessages, commands, nodes: lastSeq.size });
  fs.writeFileSync(statsPath, JSON.stringify(stats) + '\n');
  process.exit(0);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
