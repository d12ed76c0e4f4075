"""The benchmark scenarios (issue 3, docs/performance.md). Each returns a dict that becomes
one section of build/bench/report.json."""

import json
import os
import re
import shutil
import signal
import subprocess
import time

import sparkplug_stream
from procs import Broker, Child, wait_idle

PREFIX = "fleetdeck/v1"
SEQ_RE = re.compile(rb'"seq":(\d+)')
# The FleetDeck processes among the consumers (per-thread CPU, CPU without the storage writer).
FLEETDECK_KINDS = ("fleetdeck_record", "fleetdeck_gui", "sparkplug_record")


class Env:
    """Where things are: binaries, node, the work directory."""

    def __init__(self, root, bin_dir, out_dir, quick, gui):
        self.root = root
        self.bin = bin_dir
        self.out = out_dir
        self.work = os.path.join(out_dir, "work")
        self.quick = quick
        self.gui = gui  # run the GUI consumer (needs `fleetdeck --perf-report`)
        os.makedirs(self.work, exist_ok=True)

    def exe(self, name):
        return os.path.join(self.bin, name)

    def scratch(self, name):
        d = os.path.join(self.work, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d


def log(msg):
    print(f"[bench] {msg}", flush=True)


# --- consumers ---------------------------------------------------------------------------

def start_consumer(env, kind, broker, workdir, qos):
    if kind in sparkplug_stream.KINDS:
        return sparkplug_stream.start_consumer(env, kind, broker, workdir, qos)
    filt = f"{PREFIX}/#"
    if kind == "mosquitto_sub":
        # -v prints "topic payload" so the runner can count per-device seq afterwards; the
        # file is read after the run, so counting costs mosquitto_sub nothing extra.
        return Child(kind, ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-t", filt,
                            "-q", str(qos), "-v", "-i", f"fdbench-sub-{os.getpid()}"],
                     workdir, stdout=os.path.join(workdir, "mosquitto_sub.out"))
    if kind == "mqttjs":
        return Child(kind, ["node", os.path.join(env.root, "bench", "mqttjs", "subscriber.js"), broker.url, filt,
                            str(qos), os.path.join(workdir, "mqttjs.json")], workdir)
    if kind == "fleetdeck_record":
        return Child(kind, [env.exe("fleetdeckctl"), "record", "--broker", broker.url, "--qos", str(qos),
                            "--client-id", f"fdbench-record-{os.getpid()}",
                            "--db", os.path.join(workdir, "record.sqlite"),
                            "--stats-json", os.path.join(workdir, "record.json")], workdir)
    if kind == "fleetdeck_gui":
        e = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        return Child(kind, [env.exe("fleetdeck"), "--broker", broker.url,
                            "--db", os.path.join(workdir, "gui.sqlite"),
                            "--perf-report", os.path.join(workdir, "gui.json")], workdir, env=e)
    raise ValueError(kind)


def count_mosquitto_sub(path):
    received = gaps = 0
    last = {}
    with open(path, "rb") as f:
        for line in f:
            received += 1
            topic, _, payload = line.partition(b" ")
            m = SEQ_RE.search(payload)
            if not m:
                continue
            seq = int(m.group(1))
            dev = topic.rsplit(b"/", 2)[-2]
            prev = last.get(dev)
            if prev is not None and seq > prev + 1:
                gaps += seq - prev - 1
            last[dev] = seq
    return {"received": received, "gaps": gaps}


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def consumer_counts(kind, workdir):
    if kind == "mosquitto_sub":
        return count_mosquitto_sub(os.path.join(workdir, "mosquitto_sub.out"))
    if kind == "mqttjs":
        return read_json(os.path.join(workdir, "mqttjs.json")) or {}
    if kind == "fleetdeck_record":
        return read_json(os.path.join(workdir, "record.json")) or {}
    if kind == "fleetdeck_gui":
        d = read_json(os.path.join(workdir, "gui.json")) or {}
        return dict(d.get("ingest", {}), perf=d)
    if kind == "sparkplug_mosquitto_sub":
        return sparkplug_stream.count_mosquitto_sub(os.path.join(workdir, f"{kind}.out"))
    if kind in ("sparkplug_mqttjs", "sparkplug_record"):
        return read_json(os.path.join(workdir, f"{kind}.json")) or {}
    return {}


def ensure_sparkplug_decoder(env, broker, children, workdir, qos):
    """For a sparkplug_record consumer: True if fleetdeckctl subscribed to spBv1.0/# (it has
    the Sparkplug decoder). If it did not, it is restarted in the fallback mode
    (sparkplug_stream.start_consumer) and False is returned; None without such a consumer."""
    for i, c in enumerate(children):
        if c.name != "sparkplug_record":
            continue
        if sparkplug_stream.decoder_subscribed(broker, c):
            return True
        log("fleetdeckctl record did not subscribe to spBv1.0/# (no Sparkplug decoder in this build): "
            "measuring it with --prefix spBv1.0 --no-sparkplug (receive + unknown_topic reject only)")
        c.finish(signal.SIGTERM, timeout=60)
        # Its retained STATE (it announced itself as host) would reach the next one.
        sparkplug_stream.clear_host_state(broker)
        children[i] = sparkplug_stream.start_consumer(env, c.name, broker, workdir, qos, fallback=True)
        # With --prefix spBv1.0 its protocol v1 decoder subscribes to spBv1.0/#.
        if not sparkplug_stream.decoder_subscribed(broker, children[i], timeout_s=60, grace_s=60):
            raise RuntimeError(f"fleetdeckctl record --prefix spBv1.0 did not subscribe: {children[i].log_text()[-300:]}")
        return False
    return None


# --- one stream, several consumers --------------------------------------------------------

def run_stream(env, name, consumers, rate, duration, qos, devices=10000, connections=4, loadgen_procs=1,
               loadgen_args=()):
    """Starts a broker and the consumers, runs the load generator (loadgen_args: e.g. its
    Sparkplug mode), waits until the consumers have drained, stops them and returns what each
    received and what it cost."""
    workdir = env.scratch(name)
    broker = Broker(workdir)
    children = []
    try:
        for kind in consumers:
            children.append(start_consumer(env, kind, broker, workdir, qos))
        if not broker.wait_subscribers(len(children), 60):
            raise RuntimeError(f"{name}: not every consumer subscribed: "
                               + "; ".join(f"{c.name}: {c.log_text()[-300:]}" for c in children))
        sparkplug_decoder = ensure_sparkplug_decoder(env, broker, children, workdir, qos)
        time.sleep(1.0)  # settle: GUI first paint, node JIT of the handlers
        for c in children:
            c.cpu_mark()
        broker.child.cpu_mark()
        gens = []
        per = devices // loadgen_procs
        for p in range(loadgen_procs):
            n = per if p < loadgen_procs - 1 else devices - per * (loadgen_procs - 1)
            stats = os.path.join(workdir, f"loadgen-{p}.json")
            gens.append((Child(f"loadgen-{p}", [env.exe("fleetdeck-loadgen"), "--port", str(broker.port),
                                                "--devices", str(n), "--first-device", str(1 + p * per),
                                                "--rate", str(rate * n / devices), "--duration", str(duration),
                                                "--connections", str(max(1, connections // loadgen_procs)),
                                                "--qos", str(qos), "--client-id-prefix", f"fdload-{p}-",
                                                "--stats-json", stats] + list(loadgen_args), workdir), stats))
        t0 = time.monotonic()
        for g, _ in gens:
            g.cpu_mark()
        for g, _ in gens:
            g.finish(sig=None, timeout=duration * 2 + 60)
        gen_stats = [read_json(s) or {} for _, s in gens]
        drained = wait_idle(children, quiet_s=1.5, timeout_s=120)
        wall = time.monotonic() - t0
        broker_cpu = broker.child.cpu_now() - broker.child.cpu_base
        threads = {c.name: c.threads_used() for c in children}
        for c in children:
            c.finish(signal.SIGTERM, timeout=120)
    finally:
        for c in children:
            if c.returncode is None:
                c.finish(signal.SIGKILL, timeout=10)
        broker.stop()

    published = sum(s.get("confirmed", 0) for s in gen_stats)
    result = {
        "rate_target": rate, "duration_s": duration, "qos": qos, "devices": devices,
        "published": published,
        "loadgen": {
            "achieved_rate": sum(s.get("achieved_rate", 0) for s in gen_stats),
            "max_lag_ms": max([s.get("max_lag_ms", 0) for s in gen_stats] or [0]),
            "window_waits": sum(s.get("window_waits", 0) for s in gen_stats),
            "cpu_s": sum(g.cpu_used() for g, _ in gens),
        },
        "broker_cpu_s": broker_cpu, "wall_s": wall, "drained": drained,
    }
    if sparkplug_decoder is not None:
        result["sparkplug_decoder"] = sparkplug_decoder
        result["loadgen"]["sparkplug"] = next((s["sparkplug"] for s in gen_stats if "sparkplug" in s), {})
    for c in children:
        counts = consumer_counts(c.name, workdir)
        received = int(counts.get("received", 0))
        cpu = c.cpu_used()
        result[c.name] = {
            "received": received,
            "gaps": int(counts.get("gaps", 0)),
            "missing": max(0, published - received),
            "cpu_s": round(cpu, 3),
            "cpu_us_per_msg": round(cpu / received * 1e6, 3) if received else None,
            "cpu_util": round(cpu / wall, 3) if wall > 0 else None,
            "peak_rss_kb": c.max_rss_kb,
            "exit_code": c.returncode,
        }
        if c.name in sparkplug_stream.KINDS:
            # More than published: for record, its own host STATE birth (it subscribes to
            # spBv1.0/#); the references count the edge nodes' messages only, and apart the
            # host's STATE and commands (NCMD/DCMD: rebirth requests).
            result[c.name]["unexpected"] = max(0, received - published)
            for k in ("state_messages", "commands", "parse_errors", "rejected"):
                if k in counts:
                    result[c.name][k] = int(counts[k])
        if c.name in FLEETDECK_KINDS:
            # Per thread (sampled before SIGTERM), so the storage writer ("fleetdeck-stora...")
            # and the receive path can be told apart; the figure without the writer is the
            # transport + decode + state part of the pipeline.
            t = threads.get(c.name, {})
            result[c.name]["threads_cpu_s"] = t
            storage = sum(v for k, v in t.items() if k.startswith("fleetdeck-stor"))
            if received:
                result[c.name]["cpu_us_per_msg_without_storage"] = round((cpu - storage) / received * 1e6, 3)
        if "perf" in counts:
            result[c.name]["perf"] = counts["perf"]
    return result


def scenario_ingest(env):
    consumers = ["mosquitto_sub", "mqttjs", "fleetdeck_record"] + (["fleetdeck_gui"] if env.gui else [])
    rate, duration = (4000, 20) if env.quick else (8000, 60)
    log(f"ingest cost: {', '.join(consumers)} on one stream, {rate} msg/s for {duration} s, QoS 1")
    r = run_stream(env, "ingest", consumers, rate, duration, qos=1)
    return r


def scenario_sparkplug(env):
    """Sparkplug B ingest (issue 12): fleetdeckctl record decoding a Sparkplug stream of the
    ingest scenario's size and rate (10,000 devices behind 100 edge nodes, births included),
    with mosquitto_sub and mqtt.js receiving the same stream as references."""
    consumers = list(sparkplug_stream.KINDS)
    rate, duration = (4000, 20) if env.quick else (8000, 60)
    log(f"sparkplug ingest: {', '.join(consumers)} on one Sparkplug B stream ({sparkplug_stream.NODES} edge nodes, "
        f"10,000 devices), {rate} msg/s for {duration} s, QoS 1")
    return run_stream(env, "sparkplug", consumers, rate, duration, qos=1, loadgen_args=sparkplug_stream.loadgen_args())


def lossless_ok(r, kind):
    c = r[kind]
    return (c["gaps"] == 0 and c["missing"] == 0 and r["published"] > 0
            and r["loadgen"]["achieved_rate"] >= 0.97 * r["rate_target"])


def saturated_first(step):
    """Of a failed lossless step: "fleetdeck" when FleetDeck used at least as much CPU as the
    broker and the load generator, else the one of those two that used the most (mosquitto is
    single-threaded, and on 2 cores the publish side and the broker share what is left)."""
    others = {"broker": step["broker_cores"], "load generator": step["loadgen_cores"]}
    busiest = max(others, key=others.get)
    return busiest if (step["fleetdeck_cores"] or 0) < others[busiest] else "fleetdeck"


def bottleneck(r, kind):
    """Which process was the limit in a failed step, by CPU utilisation (one core = 1.0)."""
    lg = r["loadgen"]
    wall = r["wall_s"] or 1
    utils = {"broker": r["broker_cpu_s"] / wall, "load generator": lg["cpu_s"] / wall,
             "fleetdeck": (r[kind]["cpu_util"] or 0)}
    if lg["achieved_rate"] < 0.97 * r["rate_target"]:
        side = f"at {r['rate_target']} msg/s the publish side could not reach the rate"
    else:
        side = f"at {r['rate_target']} msg/s {kind} lost {r[kind]['missing']} messages ({r[kind]['gaps']} seq gaps)"
    busiest = max(utils, key=utils.get)
    return f"{side}; busiest: {busiest} (" + ", ".join(f"{k} {v:.2f} cores" for k, v in utils.items()) + ")"


def scenario_lossless(env, kind):
    rates = [10000, 20000, 30000, 40000, 50000] if env.quick else [5000, 10000, 15000, 20000, 25000, 30000, 40000, 50000]
    duration = 8 if env.quick else 60
    best = 0
    steps = []
    limit = None
    for rate in rates:
        log(f"lossless rate ({kind}): {rate} msg/s for {duration} s at QoS 1")
        r = run_stream(env, f"lossless-{kind}-{rate}", [kind], rate, duration, qos=1)
        ok = lossless_ok(r, kind)
        steps.append({"rate": rate, "ok": ok, "received": r[kind]["received"], "published": r["published"],
                      "gaps": r[kind]["gaps"], "achieved_rate": round(r["loadgen"]["achieved_rate"]),
                      "fleetdeck_cores": r[kind]["cpu_util"],
                      "broker_cores": round(r["broker_cpu_s"] / (r["wall_s"] or 1), 3),
                      "loadgen_cores": round(r["loadgen"]["cpu_s"] / (r["wall_s"] or 1), 3)})
        if not ok:
            limit = bottleneck(r, kind)
            steps[-1]["limit"] = limit
            steps[-1]["saturated_first"] = saturated_first(steps[-1])
            break
        best = rate
    if limit is None:
        limit = f"not reached: every step up to {best} msg/s was lossless"
    out = {"msgs_per_s": best, "duration_s": duration, "steps": steps, "limit": limit}
    if not env.quick and best >= 20000:
        log(f"lossless rate ({kind}): confirming 20000 msg/s for 600 s")
        r = run_stream(env, f"lossless-{kind}-confirm", [kind], 20000, 600, qos=1)
        out["confirm_20k_600s"] = {"ok": lossless_ok(r, kind), "received": r[kind]["received"],
                                   "published": r["published"], "gaps": r[kind]["gaps"]}
    return out


def run_json(argv, timeout):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    lines = [l for l in p.stdout.decode(errors="replace").splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError(f"{os.path.basename(argv[0])} failed ({p.returncode}): "
                           f"{p.stderr.decode(errors='replace')[-1500:]}")
    return json.loads(lines[-1])


def scenario_storage(env):
    """Points/s through the writer (staged + packed) with a concurrent reader, bytes per point
    after 1,000,000 points of simulator-like data, and a 24 h raw read (under "history")."""
    rows = 2000000
    log(f"storage: {rows} telemetry points through StorageWriter with a concurrent reader; "
        "1,000,000 simulator-like points for the size; a 24 h raw read")
    return run_json([env.exe("fleetdeck-storagebench"), "--dir", env.scratch("storage"), "--rows", str(rows),
                     "--size-points", "1000000"], 900)


def scenario_alerts(env):
    """Rule evaluation per sample (AlertEvaluator, as on the ingest thread): 10,000 devices,
    1,000 rules of mixed scopes and kinds (fleetdeck-alertbench)."""
    samples = 1000000 if env.quick else 5000000
    log(f"alerts: {samples} samples of 10,000 devices against 1,000 rules of mixed scopes")
    return run_json([env.exe("fleetdeck-alertbench"), "--devices", "10000", "--rules", "1000",
                     "--samples", str(samples)], 600)


def inventory_cache(env):
    return os.path.join(env.out, "cache-100k.sqlite")


def scenario_inventory(env):
    log("inventory: 100,000 devices (the cache is built once and kept in build/bench/)")
    return run_json([env.exe("fleetdeck-inventorybench"), "--db", inventory_cache(env), "--devices", "100000"], 900)


def scenario_inventory_1m(env):
    """The same at 1,000,000 devices (quick too: the cache is built once, ~25 s, and kept)."""
    log("inventory: 1,000,000 devices (the cache is built once and kept in build/bench/)")
    return run_json([env.exe("fleetdeck-inventorybench"), "--db", os.path.join(env.out, "cache-1m.sqlite"),
                     "--devices", "1000000", "--changes-per-second", "10000"], 1800)


def scenario_startup(env):
    """Time to first paint of the GUI on the 100k cache (median of runs), no broker."""
    runs = []
    for i in range(3 if env.quick else 5):
        workdir = env.scratch(f"startup-{i}")
        db = os.path.join(workdir, "cache.sqlite")
        shutil.copy(inventory_cache(env), db)
        report = os.path.join(workdir, "gui.json")
        e = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        c = Child("fleetdeck", [env.exe("fleetdeck"), "--db", db, "--perf-report", report,
                                "--perf-quit-after-paint"], workdir, env=e)
        c.finish(sig=None, timeout=120)
        d = read_json(report)
        if not d or d.get("first_paint_ms") is None:
            raise RuntimeError(f"fleetdeck wrote no perf report: {c.log_text()[-1500:]}")
        runs.append(d["first_paint_ms"])
    runs.sort()
    return {"first_paint_ms": runs[len(runs) // 2], "runs_ms": runs}


def scenario_charts(env):
    """Issue 4's chart benchmark (bench/charts/, fleetdeck-chartbench), offscreen."""
    exe = env.exe("fleetdeck-chartbench")
    if not os.path.exists(exe):
        raise RuntimeError("fleetdeck-chartbench was not built")
    log("charts: 16 series x 1,000,000 points, pan/zoom redraw and live update (offscreen)")
    args = ["--iterations", "40", "--live-seconds", "5"] if env.quick else []
    p = subprocess.run([exe] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    out = p.stdout.decode(errors="replace")
    if p.returncode != 0 or "{" not in out:
        raise RuntimeError(f"fleetdeck-chartbench failed ({p.returncode}): {p.stderr.decode(errors='replace')[-1500:]}")
    return json.loads(out[out.index("{"):])  # one (indented) JSON object


def scenario_micro(env):
    log("micro-benchmarks (Google Benchmark)")
    min_time = "0.1" if env.quick else "1"
    p = subprocess.run([env.exe("fleetdeck-microbench"), "--benchmark_format=json",
                        f"--benchmark_min_time={min_time}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace")[-1500:])
    data = json.loads(p.stdout)
    out = {}
    for b in data["benchmarks"]:
        ns = b["cpu_time"]
        name = b["name"].replace("BM_", "")
        if name.startswith("PipelineDecodeApply"):
            ns /= 1000  # per message of the 1000-message batch
            name = "PipelineDecodeApply_per_msg"
        out[name + "_ns"] = round(ns, 1)
    return out
