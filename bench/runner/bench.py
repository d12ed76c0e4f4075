#!/usr/bin/env python3
"""FleetDeck benchmark runner (issue 3; docs/performance.md). Called by `./run.sh bench`.

    bench.py --bin BUILD/bin --out build/bench [--quick] [--only ingest,lossless,...] [--no-gui]

Writes OUT/report.json (stable keys, other tools read them) and OUT/report.md. A scenario
that fails is reported under "errors" and the others still run. Python 3 stdlib only."""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402
import scenarios  # noqa: E402
from scenarios import Env, log  # noqa: E402

ALL = ["micro", "storage", "alerts", "inventory", "startup", "charts", "ingest", "sparkplug", "lossless"]


def gui_supports_perf_report(env):
    exe = env.exe("fleetdeck")
    if not os.path.exists(exe):
        return False
    try:
        p = subprocess.run([exe, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                           env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        return b"--perf-report" in p.stdout
    except (OSError, subprocess.TimeoutExpired):
        return False


def meta(env, root):
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL).stdout.decode().strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
        commit += "+dirty" if dirty else ""
    except OSError:
        commit = "?"
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit, "quick": env.quick, "cpus": os.cpu_count(),
            "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="directory with fleetdeckctl, fleetdeck, fleetdeck-loadgen, ...")
    ap.add_argument("--out", required=True, help="report directory (build/bench)")
    ap.add_argument("--quick", action="store_true", help="short version of every scenario (< 5 minutes)")
    ap.add_argument("--only", default=",".join(ALL), help="comma-separated scenarios: " + ",".join(ALL))
    ap.add_argument("--no-gui", action="store_true", help="skip the GUI consumer and GUI scenarios")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = Env(root, os.path.abspath(args.bin), os.path.abspath(args.out), args.quick, gui=False)
    env.gui = not args.no_gui and gui_supports_perf_report(env)
    if not env.gui:
        log("GUI scenarios skipped (no `fleetdeck --perf-report`, or --no-gui)")
    only = [s.strip() for s in args.only.split(",") if s.strip()]

    path = os.path.join(env.out, "report.json")
    r = {"meta": meta(env, root), "errors": {}, "skipped": {}}
    if not env.gui:
        r["skipped"]["gui"] = ("--no-gui" if args.no_gui else "no fleetdeck binary with --perf-report") + \
            ": ingest.fleetdeck_gui, lossless_rate.gui_msgs_per_s, gui_lateness_ms, startup_100k not measured"
    started = time.monotonic()

    def attempt(name, fn):
        t = time.monotonic()
        try:
            fn()
        except Exception as e:  # a broken scenario is reported, the others still run
            r["errors"][name] = f"{type(e).__name__}: {e}"
            log(f"{name} FAILED: {e}")
            traceback.print_exc()
        log(f"{name}: {time.monotonic() - t:.0f} s")

    if "micro" in only:
        attempt("micro", lambda: r.__setitem__("micro", scenarios.scenario_micro(env)))
    if "storage" in only:
        def storage():
            res = scenarios.scenario_storage(env)
            r["history"] = res.pop("history", {})
            r["storage"] = res
        attempt("storage", storage)
    if "alerts" in only:
        attempt("alerts", lambda: r.__setitem__("alerts", scenarios.scenario_alerts(env)))
    if "inventory" in only:
        attempt("inventory", lambda: r.__setitem__("inventory_100k", scenarios.scenario_inventory(env)))
        attempt("inventory_1m", lambda: r.__setitem__("inventory_1m", scenarios.scenario_inventory_1m(env)))
    if "startup" in only and env.gui:
        attempt("startup", lambda: r.__setitem__("startup_100k", scenarios.scenario_startup(env)))
    if "charts" in only:
        attempt("charts", lambda: r.__setitem__("charts", scenarios.scenario_charts(env)))
    if "ingest" in only:
        def ingest():
            res = scenarios.scenario_ingest(env)
            r.setdefault("ingest", {}).update(res)
            gui = res.get("fleetdeck_gui", {}).get("perf", {})
            if gui.get("lateness_ms"):
                r["gui_lateness_ms"] = gui["lateness_ms"]
        attempt("ingest", ingest)
    if "sparkplug" in only:
        def sparkplug():
            # Into the ingest section: ingest.sparkplug_record (the figure, beside the
            # protocol v1 fleetdeck_record), ingest.sparkplug_{mosquitto_sub,mqttjs}, and the
            # stream itself under ingest.sparkplug.
            res = scenarios.scenario_sparkplug(env)
            section = r.setdefault("ingest", {})
            for kind in scenarios.sparkplug_stream.KINDS:
                if kind in res:
                    section[kind] = res.pop(kind)
            section["sparkplug"] = res
        attempt("sparkplug", sparkplug)
    if "lossless" in only:
        r["lossless_rate"] = {}

        def lossless(kind, key):
            res = scenarios.scenario_lossless(env, kind)
            r["lossless_rate"][kind] = res
            r["lossless_rate"][key] = res["msgs_per_s"]
        attempt("lossless_record", lambda: lossless("fleetdeck_record", "record_msgs_per_s"))
        if env.gui:
            attempt("lossless_gui", lambda: lossless("fleetdeck_gui", "gui_msgs_per_s"))

    r["meta"]["total_s"] = round(time.monotonic() - started)
    with open(path, "w") as f:
        json.dump(r, f, indent=2)
    md = report.markdown(r)
    with open(os.path.join(env.out, "report.md"), "w") as f:
        f.write(md)
    print(md)
    log(f"wrote {path} and report.md in {r['meta']['total_s']} s")
    return 1 if r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
