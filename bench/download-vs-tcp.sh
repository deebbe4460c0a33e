#!/usr/bin/env bash
# Download throughput: a finished capture file fetched from a capture-agent with the real `capturectl packetcapture
# download` (ticket over Akka.Remote, bytes over the agent's download channel, SHA-256 checked) against the same bytes
# over one raw TCP socket on 127.0.0.1 (`capture-bench tcp-copy`, also once hashing what it receives, as capturectl
# must to verify), in alternating runs, with medians; the control round
# trip (IdentifyAgent asked every 20 ms) idle and while a download runs; and, for reference, one download
# over the chunk protocol (a second agent with capture-agent.download.enabled = off). The channel is also measured with
# mutual TLS (a third agent and the console with certificates from deploy/tls/make-dev-certs.sh: SslStream both ends,
# no sendfile), in the same alternating runs.
#   sudo bench/download-vs-tcp.sh [BYTES] [RUNS]        defaults: 1073741824 (1 GiB) 5
# Loopback only; every process it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=${1:-1073741824}
runs=${2:-5}
port=4790
chunk_port=4791
tls_port=4792

"$root/deploy/bootstrap.sh" --for-tests >&2
dotnet build "$root/bench/CaptureActors.Bench" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
ctl="$root/src/CaptureActors.Console/bin/Release/net10.0/capturectl"
agent="$root/src/CaptureActors.Agent/bin/Release/net10.0/capture-agent"
gen="$root/bench/CaptureActors.Bench/bin/Release/net10.0/capture-bench"
work=$(mktemp -d /tmp/ca-dl-bench-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

mkdir -p "$work/agent/captures" "$work/chunks/captures" "$work/tls-agent/captures"
name="bench_lo_20260101T000000Z_001.pcap"
"$gen" make-pcap "$work/agent/captures/$name" "$bytes" >&2
ln "$work/agent/captures/$name" "$work/chunks/captures/$name"
ln "$work/agent/captures/$name" "$work/tls-agent/captures/$name"
"$root/deploy/tls/make-dev-certs.sh" "$work/tls" >&2
sync
echo 'capture-agent.download.enabled = off' > "$work/chunks.hocon"

start_agent() { # name port data-dir [extra args]
  "$agent" --name "$1" --listen "127.0.0.1:$2" --data-dir "$3" "${@:4}" > "$3.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$3.log" && break; sleep 0.1; done
  # Never measure somebody else's agent (a stale one on the same port would serve another file of the same name).
  grep -q "listening on" "$3.log" || { echo "capture-agent did not start:" >&2; cat "$3.log" >&2; exit 1; }
}
start_agent bench "$port" "$work/agent"
start_agent chunks "$chunk_port" "$work/chunks" --config "$work/chunks.hocon"
start_agent tls "$tls_port" "$work/tls-agent" --tls-cert "$work/tls/agent.pem" --tls-key "$work/tls/agent.key" --tls-ca "$work/tls/ca.pem"
node=(--node "bench=127.0.0.1:$port")
tls_node=(--node "tls=127.0.0.1:$tls_port" --tls-cert "$work/tls/console.pem" --tls-key "$work/tls/console.key" --tls-ca "$work/tls/ca.pem")

rtt() { "$ctl" nodes "${node[@]}" --json | grep -o '"roundTripMilliseconds": *[0-9.]*' | grep -o '[0-9.]*$'; }
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mbs() { echo "$bytes / $1 / 1000000" | bc -l; }

echo "file: $bytes bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "control round trip, idle: $(rtt) ms"
# Console start-up and shut-down, to subtract from the download's wall time (median of 3).
overhead=$(for _ in 1 2 3; do t0=$(now); "$ctl" packetcapture files "${node[@]}" > /dev/null; t1=$(now); echo "$t1 - $t0" | bc; done | median)
echo "capturectl start-up + one request: $overhead s"
tls_overhead=$(for _ in 1 2 3; do t0=$(now); "$ctl" packetcapture files "${tls_node[@]}" > /dev/null; t1=$(now); echo "$t1 - $t0" | bc; done | median)
echo "capturectl start-up + one request, mutual TLS: $tls_overhead s"

# Each timed run starts with no dirty pages (sync) and leaves none behind (its copy is deleted), so the writeback of the
# previous run's 1 GiB cannot slow whichever runs next (one series without this had every channel run that followed two
# raw copies at about half speed; with it, that pattern went away but load from other processes still varies the runs).
channel_run() { # [tls]
  rm -rf "$work/out"; mkdir -p "$work/out"; sync
  local t0 t1 args=("${node[@]}") less=$overhead
  [[ "${1:-}" == tls ]] && args=("${tls_node[@]}") less=$tls_overhead
  t0=$(now); "$ctl" --json packetcapture download "$name" -o "$work/out" "${args[@]}" > "$work/out.json"; t1=$(now)
  grep -q '"transport": "channel"' "$work/out.json" || { echo "the download did not use the channel:" >&2; cat "$work/out.json" >&2; exit 1; }
  cmp "$work/agent/captures/$name" "$work/out/$name" >&2 || { echo "downloaded file differs" >&2; exit 1; }
  rm -rf "$work/out"
  echo "$t1 - $t0 - $less" | bc
}
tcp_run() { # [--sha256]
  rm -f "$work/tcp"; sync
  "$gen" tcp-copy "$work/agent/captures/$name" "$work/tcp" "$@" | awk '{print $5}'
  rm -f "$work/tcp"
}

: > "$work/channel.times"; : > "$work/tcp.times"; : > "$work/tcp-sha.times"; : > "$work/tls.times"
for run in $(seq "$runs"); do
  # Alternate which goes first, so neither always runs on a warmer page cache or a quieter moment.
  if (( run % 2 )); then c=$(channel_run); s=$(channel_run tls); t=$(tcp_run); h=$(tcp_run --sha256); else h=$(tcp_run --sha256); t=$(tcp_run); s=$(channel_run tls); c=$(channel_run); fi
  echo "$c" >> "$work/channel.times"; echo "$t" >> "$work/tcp.times"; echo "$h" >> "$work/tcp-sha.times"; echo "$s" >> "$work/tls.times"
  tls_wire=$(grep -o 'sent [^ ]* from offset 0 ([0-9]* bytes) to [^ ]* in [0-9.]* s' "$work/tls-agent.log" | tail -1 | grep -o '[0-9.]* s$' | cut -d' ' -f1)
  printf 'run %s: channel over mutual TLS %.3f s = %.1f MB/s (socket alone %.3f s), TLS / plain channel time %.2f\n' \
    "$run" "$s" "$(mbs "$s")" "$tls_wire" "$(echo "$s / $c" | bc -l)"
  # The agent logs how long the socket transfer itself took (no console start-up, ticket, hashing or rename).
  wire=$(grep -o 'sent [^ ]* from offset 0 ([0-9]* bytes) to [^ ]* in [0-9.]* s' "$work/agent.log" | tail -1 | grep -o '[0-9.]* s$' | cut -d' ' -f1)
  printf 'run %s: channel %.3f s = %.1f MB/s (socket alone %.3f s); raw tcp %.3f s = %.1f MB/s, ratio %.2f; raw tcp + sha256 %.3f s, ratio %.2f; load %s\n' \
    "$run" "$c" "$(mbs "$c")" "$wire" "$t" "$(mbs "$t")" "$(echo "$t / $c" | bc -l)" "$h" "$(echo "$h / $c" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
done
c=$(median < "$work/channel.times"); t=$(median < "$work/tcp.times"); h=$(median < "$work/tcp-sha.times"); s=$(median < "$work/tls.times")
printf 'median: channel over mutual TLS %.3f s = %.1f MB/s, %.2f x the plain channel time\n' "$s" "$(mbs "$s")" "$(echo "$s / $c" | bc -l)"
printf 'median: channel %.3f s = %.1f MB/s; raw tcp %.3f s = %.1f MB/s, ratio %.2f; raw tcp + sha256 %.3f s = %.1f MB/s, ratio %.2f\n' \
  "$c" "$(mbs "$c")" "$t" "$(mbs "$t")" "$(echo "$t / $c" | bc -l)" "$h" "$(mbs "$h")" "$(echo "$h / $c" | bc -l)"

rm -rf "$work/out"; mkdir -p "$work/out"; sync
t0=$(now); "$ctl" packetcapture download "$name" -o "$work/out" --node "chunks=127.0.0.1:$chunk_port" > /dev/null 2>&1; t1=$(now)
k=$(echo "$t1 - $t0 - $overhead" | bc)
cmp "$work/agent/captures/$name" "$work/out/$name" >&2
printf 'reference: chunk protocol over Akka.Remote %.3f s = %.1f MB/s\n' "$k" "$(mbs "$k")"

# Control while a download runs: `capture-bench rtt-probe` asks IdentifyAgent every 20 ms over one association; samples
# asked before the download started are "idle", those asked while it ran (after capturectl's start-up) are "during".
stats() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "no samples"; exit} printf "median %.3f ms, max %.3f ms (%d samples)", (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2, a[NR], NR}'; }
for target in "bench:$port" "chunks:$chunk_port"; do
  rm -rf "$work/out"; mkdir -p "$work/out"; sync
  "$gen" rtt-probe 127.0.0.1 "${target#*:}" 15 > "$work/rtt.txt" &
  probe=$!
  sleep 3
  ms0=$(date +%s%3N)
  "$ctl" packetcapture download "$name" -o "$work/out" --node "${target%%:*}=127.0.0.1:${target#*:}" > /dev/null 2>&1
  ms1=$(date +%s%3N)
  wait "$probe"
  from=$(echo "$ms0 + $overhead * 1000" | bc | cut -d. -f1)
  echo "control round trip, ${target%%:*} download ($(( ms1 - ms0 )) ms): idle $(awk -v t="$ms0" '$1 < t {print $2}' "$work/rtt.txt" | stats); during $(awk -v a="$from" -v b="$ms1" '$1 >= a && $1 <= b {print $2}' "$work/rtt.txt" | stats)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
