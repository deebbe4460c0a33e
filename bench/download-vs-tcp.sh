#!/usr/bin/env bash
# Download throughput: a capture file fetched from a capture-agent over Akka.Remote (capturectl packetcapture download,
# 64 KiB chunks, 8 in flight, SHA-256 checked) against the same bytes over one raw TCP socket on 127.0.0.1; and the
# control round trip (capturectl nodes: best of 5 IdentifyAgent asks) idle and while a download runs.
#   sudo bench/download-vs-tcp.sh [BYTES] [RUNS]        defaults: 1073741824 (1 GiB) 3
# Loopback only; every process it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=${1:-1073741824}
runs=${2:-3}
port=4790

"$root/deploy/bootstrap.sh" >&2
dotnet build "$root/bench/CaptureActors.Bench" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
ctl="$root/src/CaptureActors.Console/bin/Release/net10.0/capturectl"
agent="$root/src/CaptureActors.Agent/bin/Release/net10.0/capture-agent"
gen="$root/bench/CaptureActors.Bench/bin/Release/net10.0/capture-bench"
work=$(mktemp -d /tmp/ca-dl-bench-XXXXXX)
agent_pid=""
cleanup() { [[ -n "$agent_pid" ]] && kill "$agent_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

mkdir -p "$work/agent/captures"
name="bench_lo_20260101T000000Z_001.pcap"
"$gen" make-pcap "$work/agent/captures/$name" "$bytes" >&2
"$agent" --name bench --listen "127.0.0.1:$port" --data-dir "$work/agent" > "$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/agent.log" && break; sleep 0.1; done
# Never measure somebody else's agent (a stale one on the same port would serve another file of the same name).
grep -q "listening on" "$work/agent.log" || { echo "capture-agent did not start:" >&2; cat "$work/agent.log" >&2; exit 1; }
node=(--node "bench=127.0.0.1:$port")

rtt() { "$ctl" nodes "${node[@]}" --json | grep -o '"roundTripMilliseconds": *[0-9.]*' | grep -o '[0-9.]*$'; }
now() { date +%s.%N; }

echo "file: $bytes bytes"
echo "control round trip, idle: $(rtt) ms"
# Console start-up and shut-down, to subtract from the download's wall time.
t0=$(now); "$ctl" packetcapture files "${node[@]}" > /dev/null; t1=$(now)
overhead=$(echo "$t1 - $t0" | bc)
echo "capturectl start-up + one request: $overhead s"

for run in $(seq "$runs"); do
  rm -rf "$work/out"; mkdir -p "$work/out"
  t0=$(now); "$ctl" packetcapture download "$name" -o "$work/out" "${node[@]}" > /dev/null; t1=$(now)
  akka=$(echo "$t1 - $t0 - $overhead" | bc)
  cmp "$work/agent/captures/$name" "$work/out/$name" >&2 || { echo "run $run: downloaded file differs" >&2; ls -l "$work/agent/captures" "$work/out" >&2; exit 1; }
  rm -f "$work/out/tcp"
  tcp=$("$gen" tcp-copy "$work/agent/captures/$name" "$work/out/tcp" | awk '{print $5}')
  printf 'run %s: akka.remote %.3f s = %.1f MB/s; raw tcp %.3f s = %.1f MB/s; ratio %.2f\n' "$run" "$akka" \
    "$(echo "$bytes / $akka / 1000000" | bc -l)" "$tcp" "$(echo "$bytes / $tcp / 1000000" | bc -l)" "$(echo "$tcp / $akka" | bc -l)"
done

rm -rf "$work/out"; mkdir -p "$work/out"
"$ctl" packetcapture download "$name" -o "$work/out" "${node[@]}" > /dev/null &
sleep 1
echo "control round trip, during a download: $(rtt) ms"
wait %1 2>/dev/null || true
