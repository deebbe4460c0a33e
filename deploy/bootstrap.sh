#!/usr/bin/env bash
# Installs what CaptureActors needs on Debian and builds it in Release. Idempotent and quick when
# nothing is missing: packages are checked with dpkg, the build runs only when a source file is newer
# than the last build.
#   deploy/bootstrap.sh                native packages for running (libpcap0.8) + build
#   deploy/bootstrap.sh --for-tests    also what the tests, benchmarks and the lab need (./test.sh)
#   deploy/bootstrap.sh --force        rebuild even if nothing changed (combines with --for-tests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$root/.build/stamp"
force=0
for_tests=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --for-tests) for_tests=1 ;;
    *) printf 'bootstrap: unknown option %s (allowed: --for-tests, --force)\n' "$arg" >&2; exit 2 ;;
  esac
done

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# Running (capturectl, capture-agent): libpcap0.8 only (SharpPcap loads libpcap.so.0.8); iproute2 and util-linux are
# part of every Debian base system. A user capturing on an appliance gets nothing else.
packages=(libpcap0.8)
if ((for_tests)); then
  # Tests: tcpdump, tshark (and capinfos), iproute2 for network namespaces, util-linux for setpriv. dnsmasq-base: the
  # dnsmasq binary alone (no system service, nothing bound to port 53) for the tests' own DNS server on a random
  # loopback port (smtpping's MX lookups). tmux: the tests drive `capturectl shell` in a pseudo-terminal. openssl: the
  # dev certificates (deploy/tls/make-dev-certs.sh). nftables: partitions in the tests.
  packages+=(tcpdump tshark iproute2 util-linux dnsmasq-base tmux openssl nftables)
  # iputils-ping: the test comparing capturectl ping's round trips with iputils' on loopback.
  packages+=(iputils-ping)
  # The web page's browser tests (capturectl serve) drive headless Chromium through chromedriver.
  packages+=(chromium chromium-driver)
fi
# bench/capture-perf.sh also needs /usr/bin/time (dumpcap and capinfos come with tshark).
[[ "${BENCH_EXTRAS:-0}" == 1 ]] && packages+=(time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]} — run as root (or: sudo apt-get install ${missing[*]})"
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  log "the .NET 10 SDK is required (dotnet not on PATH)"
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

needs_build=$force
if [[ ! -f "$stamp" ]]; then
  needs_build=1
elif [[ -n "$(find "$root/src" "$root/tests" "$root/hocon" "$root"/Directory.*.props "$root/CaptureActors.sln" \
          -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.sln' -o -name '*.hocon' \) \
          -not -path '*/obj/*' -not -path '*/bin/*' -print -quit 2>/dev/null)" ]]; then
  needs_build=1
fi

if ((needs_build)); then
  log "building (Release)"
  mkdir -p "$root/.build"
  dotnet build "$root/CaptureActors.sln" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
  touch "$stamp"
fi
