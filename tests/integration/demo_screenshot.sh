#!/usr/bin/env bash
# Smoke test of demo mode on a real X server (Xvfb), as a person would see it:
# starts `fleetdeck --demo` with a private cache, waits until the demo fleet is in the cache
# (polled with fleetdeckctl, no fixed wait), takes a screenshot of the screen and checks it
# is not blank. Usage: demo_screenshot.sh BIN_DIR OUT.png
set -euo pipefail
bin_dir=$1
out=$2
for tool in xvfb-run import convert; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (apt-get install xvfb xauth imagemagick)"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

export FD_BIN="$bin_dir" FD_WORK="$work" FD_OUT="$out"
QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1600x1000x24' bash -c '
  set -u
  "$FD_BIN/fleetdeck" --demo --devices 200 --db "$FD_WORK/demo.sqlite" --geometry 1400x860 >"$FD_WORK/app.log" 2>&1 &
  app=$!
  count=0
  for _ in $(seq 1 120); do
    sleep 0.5
    kill -0 $app 2>/dev/null || { echo "fleetdeck exited early:"; cat "$FD_WORK/app.log"; exit 1; }
    [ -f "$FD_WORK/demo.sqlite" ] || continue
    count=$("$FD_BIN/fleetdeckctl" devices --db "$FD_WORK/demo.sqlite" --json 2>/dev/null | grep -c "\"id\"" || true)
    [ "$count" -ge 200 ] && break
  done
  echo "devices in cache: $count"
  sleep 1.5   # let the table show the last 10 Hz update
  import -window root "$FD_OUT"
  kill -TERM $app; wait $app || true
  [ "$count" -ge 200 ] || { echo "demo fleet did not appear"; cat "$FD_WORK/app.log"; exit 1; }
'
# A blank or single-colour screen has (almost) no variance.
sd=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "screenshot $out (grey standard deviation $sd)"
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.05) }' || { echo "screenshot looks blank"; exit 1; }
