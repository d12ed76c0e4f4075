#!/usr/bin/env python3
"""Turns what `./run.sh torture` collected into build/torture/report.{json,md}.

Inputs in OUT: runs.jsonl (one line per reliability test: exit code, seconds),
figures.jsonl (one line per figure set a test wrote, ReliabilityReport), fuzz-summary.txt
(run_fuzzers' per-target line: runs, exec/s and libFuzzer's last status: cov, ft, corp).
"""
import json
import re
import sys
from pathlib import Path


def read_jsonl(path):
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append({"unreadable": line})
    return out


def read_fuzz(path):
    targets, failed = [], []
    if not path.exists():
        return targets, failed
    for line in path.read_text().splitlines():
        if line.startswith("FAILED "):
            failed.append(line.split(" ", 1)[1])
            continue
        m = re.match(r"(\S+)\s+(\d*)\s+runs\s+(\d*)\s+exec/s\s*(.*)", line)
        if not m:
            continue
        status = m.group(4)
        entry = {"target": m.group(1), "executions": int(m.group(2) or 0), "exec_per_s": int(m.group(3) or 0)}
        for key in ("cov", "ft", "corp"):
            k = re.search(key + r": (\S+)", status)
            if k:
                entry[key] = k.group(1)
        targets.append(entry)
    for t in targets:
        t["failed"] = t["target"] in failed
    return targets, failed


def main():
    out = Path(sys.argv[1])
    scale = sys.argv[2] if len(sys.argv) > 2 else "1"
    fuzz_seconds = sys.argv[3] if len(sys.argv) > 3 else "?"
    runs = read_jsonl(out / "runs.jsonl")
    figures = read_jsonl(out / "figures.jsonl")
    fuzz, fuzz_failed = read_fuzz(out / "fuzz-summary.txt")
    report = {"scale": scale, "tests": runs, "figures": figures, "fuzz_seconds": fuzz_seconds, "fuzz": fuzz,
              "ok": all(r.get("exit") == 0 for r in runs) and not fuzz_failed}
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")

    md = ["# FleetDeck torture report", "",
          f"Long forms of tests/reliability/ (scale {scale}), then every fuzz target {fuzz_seconds} s. "
          f"Result: {'**all passed**' if report['ok'] else '**FAILURES**'}.", "",
          "## Reliability tests", "", "| test | result | seconds |", "|---|---|---:|"]
    for r in runs:
        md.append(f"| `{r.get('test')}` | {'ok' if r.get('exit') == 0 else 'FAILED (exit %s)' % r.get('exit')} "
                  f"| {r.get('seconds')} |")
    md += ["", "## Figures", ""]
    for f in figures:
        if "unreadable" in f:
            md.append(f"- unreadable line: `{f['unreadable']}`")
            continue
        pairs = ", ".join(f"{k} {v}" for k, v in f.get("figures", {}).items())
        md.append(f"- **{f.get('test')}** (seed {f.get('seed')}): {pairs}")
    if fuzz:
        md += ["", f"## Fuzzing ({fuzz_seconds} s per target)", "",
               "| target | executions | exec/s | cov | ft | corpus | result |", "|---|---:|---:|---:|---:|---|---|"]
        for t in fuzz:
            md.append(f"| `{t['target']}` | {t['executions']:,} | {t['exec_per_s']:,} | {t.get('cov', '')} "
                      f"| {t.get('ft', '')} | {t.get('corp', '')} | {'FAILED' if t['failed'] else 'ok'} |")
    (out / "report.md").write_text("\n".join(md) + "\n")
    print(out / "report.md")


if __name__ == "__main__":
    main()
