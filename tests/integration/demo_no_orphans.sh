#!/usr/bin/env bash
# A crash of FleetDeck in demo mode must not leave its private mosquitto or fleetdeck-sim
# running. Starts `fleetdeck --demo` (offscreen), waits for both children, SIGKILLs
# FleetDeck (no chance to clean up) and checks that the children are gone.
# Usage: demo_no_orphans.sh BIN_DIR [SITES]   (SITES: --demo-brokers, default 1; a broker
# and a simulator each)
set -euo pipefail
bin_dir=$1
sites=${2:-1}
expected=$((2 * sites))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

QT_QPA_PLATFORM=offscreen "$bin_dir/fleetdeck" --demo --demo-brokers "$sites" --devices 5 --db "$work/demo.sqlite" >"$work/app.log" 2>&1 &
app=$!
children=""
for _ in $(seq 1 100); do
  children=$(pgrep -P "$app" || true)
  [ "$(echo "$children" | grep -c .)" -ge "$expected" ] && break
  sleep 0.1
done
[ "$(echo "$children" | grep -c .)" -ge "$expected" ] || { echo "demo children did not start:"; cat "$work/app.log"; kill -9 $app; exit 1; }
echo "fleetdeck $app, children: $(echo $children)"
kill -9 "$app"
wait "$app" 2>/dev/null || true
for _ in $(seq 1 50); do
  alive=""
  for c in $children; do kill -0 "$c" 2>/dev/null && alive="$alive $c"; done
  [ -z "$alive" ] && { echo "no orphans left"; exit 0; }
  sleep 0.1
done
echo "orphans still running:$alive"; ps -o pid,cmd -p "$(echo $alive | tr ' ' ',')" || true
kill -9 $alive 2>/dev/null || true
exit 1
