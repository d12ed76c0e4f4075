// The node + mqtt.js reference subscriber of the FleetDeck benchmarks (docs/performance.md):
// the core an Electron MQTT client is built on. It parses every payload with JSON.parse,
// as such a client must, and counts what arrived: per device the last seq (a Map lookup,
// the cheapest bookkeeping that can find gaps). On SIGTERM/SIGINT it writes
// {"received","parsed","parse_errors","gaps","devices"} to the stats file and exits.
//
//   node subscriber.js mqtt://127.0.0.1:PORT 'fleetdeck/v1/#' QOS STATS.json
'use strict';
const fs = require('fs');
const mqtt = require('mqtt');

const [url, filter, qosArg, statsPath] = process.argv.slice(2);
if (!url || !filter || !statsPath) {
  console.error('usage: subscriber.js URL FILTER QOS STATS.json');
  process.exit(2);
}
const qos = Number(qosArg) || 0;
let received = 0, parsed = 0, parseErrors = 0, gaps = 0;
const lastSeq = new Map();

const client = mqtt.connect(url, { clientId: `fdbench-mqttjs-${process.pid}`, clean: true, reconnectPeriod: 1000 });
client.on('connect', () => {
  client.subscribe(filter, { qos }, (err) => {
    if (err) { console.error('subscribe failed:', err.message); process.exit(3); }
    console.error('mqttjs: subscribed');
  });
});
client.on('error', (err) => console.error('mqttjs error:', err.message));
client.on('message', (topic, payload) => {
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
});

function finish() {
  const stats = { received, parsed, parse_errors: parseErrors, gaps, devices: lastSeq.size };
  fs.writeFileSync(statsPath, JSON.stringify(stats) + '\n');
  process.exit(0);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
