#!/usr/bin/env bash
# FleetDeck: set up, build, run, test. Idempotent: installs only what is missing.
#
#   ./run.sh demo [ARGS...]   install deps, build, start the console in demo mode
#   ./run.sh test             install deps (+ node, npm and tests/interop's npm packages),
#                             build, run every test (CI: + ASan/UBSan build,
#                             + a few seconds of each fuzz target; FLEETDECK_FUZZ=1 adds those too)
#   ./run.sh build            install deps, build only
#   ./run.sh package          build a Release .deb with CPack (build-release/)
#   ./run.sh deps             install dependencies only
#   ./run.sh bench [--quick]  Release build + benchmark suite -> build/bench/report.{json,md}
#                             (--quick: < 5 minutes; --only ingest,sparkplug,lossless,...; --no-gui;
#                             with --only, only the targets those scenarios need are built)
#   ./run.sh fuzz [SECONDS] [TARGET...]
#                             clang build of the libFuzzer targets (fuzz/), each run SECONDS
#                             (default 60); the corpus grows in build-fuzz/corpus/
#   ./run.sh torture [--scale F] [--fuzz-seconds N] [--no-fuzz] [--only TEST,...] [--out DIR]
#                             the long forms of tests/reliability/ (hundreds of kill -9 cycles,
#                             100,000 topics, ...) one at a time, then every fuzz target N s
#                             (default 300); report in build/torture/report.{md,json} (or DIR)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

# Debian 12 / Ubuntu 24.04 package names.
APT_PACKAGES=(
  cmake g++ ninja-build pkg-config ccache
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools libgl-dev libxkbcommon-dev
  libpaho-mqttpp-dev libpaho-mqtt-dev libsqlite3-dev libssl-dev openssl qtkeychain-qt6-dev
  libprotobuf-dev protobuf-compiler
  mosquitto mosquitto-clients
  xvfb xauth imagemagick fonts-dejavu-core dbus dbus-x11 gnome-keyring
)

# Fuzzing (fuzz/, `./run.sh fuzz`, and CI through `test`): clang brings libFuzzer, ASan and
# UBSan in its runtime package, which Debian only recommends; install_fuzz_deps adds it.
FUZZ_APT_PACKAGES=(clang)
FUZZ_TARGETS=(fuzz_payload_parsers fuzz_v1_decoder fuzz_sparkplug_decoder fuzz_topic_scheme fuzz_series_mime fuzz_series_block fuzz_staging_record
  fuzz_provisioning_request fuzz_csr_check fuzz_expected_devices_csv
  fuzz_ota_job fuzz_alert_rules fuzz_connection_profiles fuzz_metric_catalogue)

log() { printf '\033[1m[run.sh]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[run.sh] %s\033[0m\n' "$*" >&2; exit 1; }

jobs() { local n; n=$(nproc 2>/dev/null || echo 2); echo "$n"; }

# apt_install_missing WHAT PACKAGE...: installs those of the Debian packages that are missing.
apt_install_missing() {
  local what=$1 missing=() p
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ($what): ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian/Ubuntu system: install Qt 6.4+ (Base, Charts, Tools), Paho MQTT C/C++, SQLite 3,"
    log "OpenSSL 3, QtKeychain (Qt 6), protobuf, mosquitto, CMake and Ninja, then run again."
    return 0
  fi
  apt_install_missing dependencies "${APT_PACKAGES[@]}"
}

# clang, then the runtime of that clang's version (libclang-rt-14-dev on Debian 12,
# libclang-rt-18-dev on Ubuntu 24.04): without it -fsanitize=fuzzer does not link.
install_fuzz_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    command -v clang++ >/dev/null 2>&1 || die "fuzzing needs clang (with libFuzzer): install it, then run again"
    return 0
  fi
  apt_install_missing fuzzing "${FUZZ_APT_PACKAGES[@]}"
  local version
  version=$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
  [ -n "$version" ] || die "cannot tell the version of clang"
  apt_install_missing fuzzing "libclang-rt-$version-dev"
}

# Node.js and npm, for the npm packages of the benchmarks (bench/) and of the Sparkplug
# interoperability test (tests/interop/): Debian packages nodejs and npm when missing.
install_node() {
  local what=$1 missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v dpkg-query >/dev/null 2>&1 \
    || die "$what needs Node.js and npm (node, npm on PATH): install them (https://nodejs.org), then run again"
  apt_install_missing "$what" "${missing[@]}"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
    || die "$what needs Node.js and npm, and they are still not on PATH after installing ${missing[*]}"
}

# npm_ci DIR WHAT: installs the npm packages pinned by DIR/package-lock.json, unless they are
# installed already from that lock file.
npm_ci() {
  local dir=$1 what=$2
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci ($dir/: $what)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Tests: Eclipse Tahu's Sparkplug B edge node (npm sparkplug-client) for test_sparkplug_tahu_interop.
# Without it that test fails and says why; the other tests still run.
install_test_node_deps() {
  install_node "the Sparkplug interoperability test"
  npm_ci tests/interop "Eclipse Tahu sparkplug-client, the independent Sparkplug B edge node" \
    || log "npm ci in tests/interop failed (is the npm registry reachable?): test_sparkplug_tahu_interop will fail"
}

# Benchmarks only (issue #3): Google Benchmark, node + npm for the mqtt.js reference
# subscriber, python3 for the runner; then the npm packages pinned by bench/package-lock.json.
install_bench_deps() {
  if command -v dpkg-query >/dev/null 2>&1; then
    apt_install_missing benchmarks libbenchmark-dev python3
  fi
  install_node benchmarks
  npm_ci bench "mqtt.js reference subscriber"
}

configure_and_build() {
  local preset=$1
  log "configure + build ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$(jobs)"
}

dev_preset() { if [ "${CI:-}" = "true" ]; then echo ci; else echo dev; fi; }

# Runs a command inside a private D-Bus session with a fresh, unlocked keyring in a temp
# folder (never the user's own), so the keychain tests (QtKeychain -> Secret Service) run
# headless. Without dbus/gnome-keyring the command runs plainly (keychain tests then skip).
with_keyring() {
  if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
    local home rc=0
    home=$(mktemp -d)
    XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
      dbus-run-session -- bash -c 'echo -n fleetdeck-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$@"' _ "$@" \
      2> >(grep -v "Failed to set fd limit" >&2) || rc=$?
    rm -rf "$home"
    return $rc
  else
    "$@"
  fi
}

run_tests() {
  local preset=$1
  log "tests ($preset)"
  with_keyring ctest --preset "$preset" -j "$(jobs)"
}

# run_fuzzers SECONDS CORPUS_DIR [TARGET...]: builds the fuzz preset and runs each target
# (default: all) for SECONDS. libFuzzer writes new inputs only to the first corpus folder it
# is given, CORPUS_DIR/<target>; the seeds in fuzz/corpus/ are read, never changed. A crash,
# a sanitizer report, a failed check or a 10-s input stops that target and fails the run; the
# input is kept in build-fuzz/artifacts/ with the command that replays it.
run_fuzzers() {
  local seconds=$1 corpus=$2 failed=() summary=() target rc output
  shift 2
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=("${FUZZ_TARGETS[@]}")
  configure_and_build fuzz
  mkdir -p build-fuzz/artifacts
  output=$(mktemp)
  for target in "${targets[@]}"; do
    [ -x "build-fuzz/bin/$target" ] || die "no fuzz target '$target' (${FUZZ_TARGETS[*]})"
    mkdir -p "$corpus/$target"
    log "fuzz: $target, ${seconds} s (corpus $corpus/$target + fuzz/corpus/$target)"
    # The lines for every new input and the recommended dictionary are left out; libFuzzer's
    # start, pulses, final figures and any report stay.
    set +e
    UBSAN_OPTIONS=print_stacktrace=1 "build-fuzz/bin/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -dict="fuzz/$target.dict" \
      -artifact_prefix="build-fuzz/artifacts/$target-" "$corpus/$target" "fuzz/corpus/$target" 2>&1 \
      | tee "$output" | grep --line-buffered -v -E \
        '^#[0-9]+[[:space:]]+(NEW|REDUCE) |NEW_FUNC|# Uses: [0-9]+$|^###### (Recommended|End of recommended) dictionary'
    rc=${PIPESTATUS[0]}
    set -e
    # One line per target for the end: executions, speed, coverage (libFuzzer's last status line).
    summary+=("$(awk -v t="$target" '
      /^stat::number_of_executed_units:/ { runs = $2 }
      /^stat::average_exec_per_sec:/ { speed = $2 }
      /^#[0-9]+[[:space:]]+(DONE|pulse|INITED)/ { status = $0; sub(/^#[0-9]+[[:space:]]+[A-Za-z]+[[:space:]]+/, "", status) }
      END { printf "%-22s %10s runs %7s exec/s  %s", t, runs, speed, status }' "$output")")
    if [ "$rc" -ne 0 ]; then
      failed+=("$target")
      local kept
      kept=$(ls -t "build-fuzz/artifacts/$target-"* 2>/dev/null | head -n 1 || true)
      log "fuzz: $target FAILED (exit $rc); replay: build-fuzz/bin/$target ${kept:-build-fuzz/artifacts/$target-<file>}"
    fi
  done
  rm -f "$output"
  log "fuzz summary (${seconds} s each):"
  printf '  %s\n' "${summary[@]}" >&2
  # FUZZ_SUMMARY=FILE: the same lines, for the torture report.
  [ -z "${FUZZ_SUMMARY:-}" ] || printf '%s\n' "${summary[@]}" > "$FUZZ_SUMMARY"
  [ -z "${FUZZ_SUMMARY:-}" ] || [ ${#failed[@]} -eq 0 ] || printf 'FAILED %s\n' "${failed[@]}" >> "$FUZZ_SUMMARY"
  [ ${#failed[@]} -eq 0 ] || die "fuzz targets failed: ${failed[*]}"
}

# run_torture [--scale F] [--fuzz-seconds N] [--no-fuzz] [--only TEST,...] [--out DIR]: the long forms
# of the reliability tests (FLEETDECK_TORTURE=1), run directly, one at a time (they kill
# and time processes: running two at once would measure each other), each test's figures
# appended to build/torture/figures.jsonl; then every fuzz target; then the report.
run_torture() {
  local scale=1 fuzz_seconds=300 fuzz=1 only="" out=build/torture
  while [ $# -gt 0 ]; do
    case "$1" in
      --scale) scale=$2; shift 2 ;;
      --fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
      --no-fuzz) fuzz=0; shift ;;
      --only) only=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      *) die "torture: unknown option '$1' (--scale F, --fuzz-seconds N, --no-fuzz, --only TEST,..., --out DIR)" ;;
    esac
  done
  configure_and_build "$(dev_preset)"
  case "$out" in /*) ;; *) out="$ROOT/$out" ;; esac
  rm -rf "$out" && mkdir -p "$out"
  local tests=() t failed=() started rc
  mapfile -t tests < <(ctest --test-dir build -L reliability -N | sed -n 's/^ *Test *#[0-9]*: *//p')
  [ ${#tests[@]} -gt 0 ] || die "torture: no reliability tests in build/ (tests/reliability)"
  for t in "${tests[@]}"; do
    [ -z "$only" ] || [[ ",$only," == *",$t,"* ]] || continue
    log "torture: $t (long form, scale $scale)"
    started=$(date +%s)
    set +e
    FLEETDECK_TORTURE=1 FLEETDECK_TORTURE_SCALE=$scale FLEETDECK_RELIABILITY_REPORT="$out/figures.jsonl" \
      QTEST_FUNCTION_TIMEOUT=14400000 \
      QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='fleetdeck.*.debug=false' \
      with_keyring "build/bin/$t" > "$out/$t.log" 2>&1
    rc=$?
    set -e
    echo "{\"test\":\"$t\",\"exit\":$rc,\"seconds\":$(( $(date +%s) - started ))}" >> "$out/runs.jsonl"
    if [ $rc -ne 0 ]; then failed+=("$t"); log "torture: $t FAILED (exit $rc), see $out/$t.log"; fi
  done
  if [ "$fuzz" = 1 ]; then
    install_fuzz_deps
    set +e
    (FUZZ_SUMMARY="$out/fuzz-summary.txt" run_fuzzers "$fuzz_seconds" build-fuzz/corpus) 2> "$out/fuzz.log"
    rc=$?
    set -e
    [ $rc -eq 0 ] || failed+=("fuzzing")
  fi
  python3 tests/reliability/torture_report.py "$out" "$scale" "$fuzz_seconds"
  log "torture report: $out/report.md"
  [ ${#failed[@]} -eq 0 ] || die "torture: failed: ${failed[*]}"
}

cmd=${1:-demo}
shift || true
case "$cmd" in
  deps)
    install_deps ;;
  build)
    install_deps
    configure_and_build "$(dev_preset)" ;;
  demo)
    install_deps
    configure_and_build "$(dev_preset)"
    log "starting FleetDeck in demo mode (private mosquitto + 200 simulated devices)"
    exec ./build/bin/fleetdeck --demo "$@" ;;
  test)
    install_deps
    install_test_node_deps
    preset=$(dev_preset)
    configure_and_build "$preset"
    run_tests "$preset"
    if [ "${CI:-}" = "true" ] || [ "${FLEETDECK_ASAN:-}" = "1" ]; then
      configure_and_build asan
      run_tests asan
    fi
    if [ "${CI:-}" = "true" ] || [ "${FLEETDECK_FUZZ:-}" = "1" ]; then
      install_fuzz_deps
      corpus=$(mktemp -d)  # what the fuzzers find in CI is thrown away; a crash is kept
      trap 'rm -rf "$corpus"' EXIT
      run_fuzzers "${FLEETDECK_FUZZ_SECONDS:-5}" "$corpus"
    fi ;;
  fuzz)
    install_fuzz_deps
    seconds=60
    if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
    run_fuzzers "$seconds" build-fuzz/corpus "$@" ;;
  torture)
    install_deps
    install_test_node_deps
    run_torture "$@" ;;
  package)
    install_deps
    configure_and_build release
    (cd build-release && cpack -G DEB)
    ls -1 build-release/*.deb ;;
  bench)
    install_deps
    install_bench_deps
    # Only what the chosen scenarios (--only) need: the GUI and the chart benchmark are the
    # long builds.
    only=micro,storage,alerts,inventory,startup,charts,ingest,sparkplug,lossless no_gui=0 prev=
    for a in "$@"; do
      case "$a" in --only=*) only=${a#--only=} ;; --no-gui) no_gui=1 ;; esac
      [ "$prev" = "--only" ] && only=$a
      prev=$a
    done
    wants() { [[ ",$only," == *",$1,"* ]]; }
    targets=(fleetdeckctl fleetdeck-loadgen)
    wants micro && targets+=(fleetdeck-microbench)
    wants storage && targets+=(fleetdeck-storagebench)
    wants inventory && targets+=(fleetdeck-inventorybench)
    wants alerts && targets+=(fleetdeck-alertbench)
    log "configure + build (release: ${targets[*]}, then what else the scenarios need)"
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(jobs)" --target "${targets[@]}"
    if wants charts; then
      cmake --build --preset release -j "$(jobs)" --target fleetdeck-chartbench \
        || log "fleetdeck-chartbench did not build: the charts scenario is reported as not run"
    fi
    gui_flag=()
    if [ "$no_gui" = 0 ] && { wants startup || wants ingest || wants lossless; }; then
      if ! cmake --build --preset release -j "$(jobs)" --target fleetdeck; then
        log "the GUI did not build: GUI scenarios are skipped (the report says so)"
        gui_flag=(--no-gui)
      fi
    elif [ "$no_gui" = 0 ]; then
      gui_flag=(--no-gui)  # no scenario of this run has a GUI part
    fi
    log "benchmarks (docs/performance.md)"
    python3 bench/runner/bench.py --bin build-release/bin --out build/bench "${gui_flag[@]}" "$@" ;;
  *)
    die "unknown command '$cmd' (demo | test | build | package | deps | bench | fuzz | torture)" ;;
esac
