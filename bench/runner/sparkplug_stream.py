"""The Sparkplug B stream of the benchmark (issue 12, docs/performance.md "Sparkplug B
ingest"): its consumers, counting what mosquitto_sub received, and the check that
fleetdeckctl decodes Sparkplug at all. fleetdeck-loadgen --sparkplug publishes it."""

import os
import re
import subprocess
import time

from procs import Child

FILTER = "spBv1.0/#"
GROUP = "bench"
HOST_ID = "bench-host"
NODES = 100
KINDS = ("sparkplug_mosquitto_sub", "sparkplug_mqttjs", "sparkplug_record")


def loadgen_args():
    return ["--sparkplug", "--sparkplug-nodes", str(NODES), "--sparkplug-group", GROUP]


def start_consumer(env, kind, broker, workdir, qos, fallback=False):
    """fallback: fleetdeckctl has no Sparkplug decoder (see decoder_subscribed): record the
    stream as topics of a protocol v1 prefix instead, so every message is received and
    rejected (unknown_topic): the receive path only, and the report says so."""
    if kind == "sparkplug_mosquitto_sub":
        # "topic length payload" per message, the payload raw (binary, so framed by its
        # length); the file is read after the run (count_mosquitto_sub).
        return Child(kind, ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-t", FILTER,
                            "-q", str(qos), "-F", "%t %l %p", "-i", f"fdbench-spsub-{os.getpid()}"],
                     workdir, stdout=os.path.join(workdir, f"{kind}.out"))
    if kind == "sparkplug_mqttjs":
        return Child(kind, ["node", os.path.join(env.root, "bench", "mqttjs", "subscriber.js"), broker.url, FILTER,
                            str(qos), os.path.join(workdir, f"{kind}.json"), "sparkplug"], workdir)
    if kind == "sparkplug_record":
        client_id = f"fdbench-sprecord-{os.getpid()}"
        mode = ["--prefix", "spBv1.0", "--no-sparkplug"] if fallback else ["--sparkplug-host-id", HOST_ID]
        c = Child(kind, [env.exe("fleetdeckctl"), "record", "--broker", broker.url, "--qos", str(qos),
                         "--client-id", client_id] + mode +
                  ["--db", os.path.join(workdir, f"{kind}{'-fallback' if fallback else ''}.sqlite"),
                   "--stats-json", os.path.join(workdir, f"{kind}.json")], workdir)
        c.client_id = client_id
        return c
    raise ValueError(kind)


def client_filters(broker, client_id):
    """The filters the broker logged a SUBSCRIBE of client_id for."""
    pattern = re.compile(r"^\d+: " + re.escape(client_id) + r" \d (\S+)$", re.M)
    return pattern.findall(broker.child.log_text())


def decoder_subscribed(broker, child, timeout_s=20, grace_s=3):
    """True once fleetdeckctl record (child) has subscribed to spBv1.0/#, as its Sparkplug
    decoder does; False when it subscribed to something else but not that within grace_s
    (a build without the decoder) or to nothing within timeout_s."""
    deadline = time.monotonic() + timeout_s
    first_seen = None
    while time.monotonic() < deadline:
        filters = client_filters(broker, child.client_id)
        if FILTER in filters:
            return True
        if filters and first_seen is None:
            first_seen = time.monotonic()
        if first_seen is not None and time.monotonic() - first_seen > grace_s:
            return False
        time.sleep(0.1)
    return False


def clear_host_state(broker):
    """Deletes the retained spBv1.0/STATE/HOST_ID message (an empty retained publish)."""
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-q", "1", "-r", "-n",
                    "-t", f"spBv1.0/STATE/{HOST_ID}", "-i", f"fdbench-clear-{os.getpid()}"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30, check=False)


def payload_seq(payload):
    """The top-level seq (field 3) of a Sparkplug payload, other fields skipped by their
    wire type; None if there is none or the bytes are not protobuf."""
    i, n = 0, len(payload)

    def varint():
        nonlocal i
        v = shift = 0
        while i < n:
            b = payload[i]
            i += 1
            v |= (b & 0x7f) << shift
            if not b & 0x80:
                return v
            shift += 7
        return None

    while i < n:
        tag = varint()
        if tag is None:
            return None
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            v = varint()
            if field == 3:
                return v
        elif wire == 2:
            length = varint()
            if length is None:
                return None
            i += length
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            return None
    return None


class SeqCounter:
    """Sparkplug seq gaps per edge node: 0-255 with wrap, NBIRTH starts over, NDEATH ends."""

    def __init__(self):
        self.last = {}
        self.gaps = 0

    def add(self, node, kind, seq):
        if kind == "NDEATH":
            self.last.pop(node, None)
            return
        prev = self.last.get(node)
        if kind != "NBIRTH" and prev is not None and seq != (prev + 1) & 0xff:
            self.gaps += (seq - prev - 1) & 0xff
        self.last[node] = seq


def mosquitto_sub_messages(data):
    """(topic, payload) of mosquitto_sub -F '%t %l %p' output: the payload is framed by its
    length; the end-of-line mosquitto_sub adds after each message is skipped."""
    i, n = 0, len(data)
    while i < n:
        sp1 = data.find(b" ", i)
        sp2 = data.find(b" ", sp1 + 1) if sp1 >= 0 else -1
        if sp2 < 0:
            return
        topic, length = data[i:sp1], int(data[sp1 + 1:sp2])
        payload = data[sp2 + 1:sp2 + 1 + length]
        i = sp2 + 1 + length
        while i < n and data[i] == 0x0a:
            i += 1
        yield topic, payload


def count_mosquitto_sub(path):
    """received (edge node messages), gaps, and apart: host STATE and commands (NCMD/DCMD)."""
    received = state = commands = errors = 0
    seqs = SeqCounter()
    with open(path, "rb") as f:
        data = f.read()
    for topic, payload in mosquitto_sub_messages(data):
        levels = topic.split(b"/")
        if len(levels) < 3:
            continue
        if levels[1] == b"STATE":
            state += 1
            continue
        kind = levels[2].decode(errors="replace")
        if kind in ("NCMD", "DCMD"):
            commands += 1
            continue
        received += 1
        node = levels[1] + b"/" + (levels[3] if len(levels) > 3 else b"")
        if kind == "NDEATH":
            seqs.add(node, kind, None)
            continue
        seq = payload_seq(payload)
        if seq is None or seq > 255:
            errors += 1
            continue
        seqs.add(node, kind, seq)
    return {"received": received, "gaps": seqs.gaps, "state_messages": state, "commands": commands,
            "parse_errors": errors}
