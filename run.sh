#!/usr/bin/env bash
# FleetDeck: set up, build, run, test. Idempotent: installs only what is missing.
#
#   ./run.sh demo [ARGS...]   install deps, build, start the console in demo mode
#   ./run.sh test             install deps, build, run every test (CI: + ASan/UBSan build)
#   ./run.sh build            install deps, build only
#   ./run.sh package          build a Release .deb with CPack (build-release/)
#   ./run.sh deps             install dependencies only
#   ./run.sh bench [--quick]  Release build + benchmark suite -> build/bench/report.{json,md}
#                             (--quick: < 5 minutes; --only ingest,lossless,...; --no-gui)
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

log() { printf '\033[1m[run.sh]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[run.sh] %s\033[0m\n' "$*" >&2; exit 1; }

jobs() { local n; n=$(nproc 2>/dev/null || echo 2); echo "$n"; }

install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian/Ubuntu system: install Qt 6.4+ (Base, Charts, Tools), Paho MQTT C/C++, SQLite 3,"
    log "OpenSSL 3, QtKeychain (Qt 6), protobuf, mosquitto, CMake and Ninja, then run again."
    return 0
  fi
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Benchmarks only (issue #3): Google Benchmark, node + npm for the mqtt.js reference
# subscriber, python3 for the runner; then the npm packages pinned by bench/package-lock.json.
install_bench_deps() {
  local missing=()
  if command -v dpkg-query >/dev/null 2>&1; then
    for p in libbenchmark-dev python3; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing (benchmarks): ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
      sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
    log "npm ci (bench/: mqtt.js reference subscriber)"
    (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  fi
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
    preset=$(dev_preset)
    configure_and_build "$preset"
    run_tests "$preset"
    if [ "${CI:-}" = "true" ] || [ "${FLEETDECK_ASAN:-}" = "1" ]; then
      configure_and_build asan
      run_tests asan
    fi ;;
  package)
    install_deps
    configure_and_build release
    (cd build-release && cpack -G DEB)
    ls -1 build-release/*.deb ;;
  bench)
    install_deps
    install_bench_deps
    log "configure + build (release: the benchmark targets, then the GUI)"
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(jobs)" --target fleetdeckctl fleetdeck-loadgen fleetdeck-microbench \
      fleetdeck-storagebench fleetdeck-inventorybench
    cmake --build --preset release -j "$(jobs)" --target fleetdeck-chartbench \
      || log "fleetdeck-chartbench did not build: the charts scenario is reported as not run"
    gui_flag=()
    if ! cmake --build --preset release -j "$(jobs)" --target fleetdeck; then
      log "the GUI did not build: GUI scenarios are skipped (the report says so)"
      gui_flag=(--no-gui)
    fi
    log "benchmarks (docs/performance.md)"
    python3 bench/runner/bench.py --bin build-release/bin --out build/bench "${gui_flag[@]}" "$@" ;;
  *)
    die "unknown command '$cmd' (demo | test | build | package | deps | bench)" ;;
esac
