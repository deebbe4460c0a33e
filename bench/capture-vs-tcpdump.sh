#!/usr/bin/env bash
# Capture rate on lo: capturectl (the embedded agent, through its actors) against tcpdump -w, alternating runs
# A/B/A/B on identical bursts. Same filter, snap length (262144) and kernel buffer (32 MiB) for both.
#   sudo bench/capture-vs-tcpdump.sh [COUNT] [RUNS] [PAYLOADS...]     defaults: 200000 2 64 1000
#   SENDERS=2 ... runs that many generators at once (COUNT split between them) to go past one sender's ceiling.
# Prints one line per run and a summary; appends nothing by itself (copy the table into docs/benchmarks.md).
# Traffic goes only to 127.0.0.1; every loop is bounded in count (COUNT) and time (the generator stops after 60 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count=${1:-200000}
runs=${2:-2}
shift $(( $# > 2 ? 2 : $# )) || true
payloads=("${@:-64 1000}")
[[ ${#payloads[@]} -eq 1 ]] && read -r -a payloads <<< "${payloads[0]}"
port=40999
senders=${SENDERS:-1}

"$root/deploy/bootstrap.sh" --for-tests >&2
dotnet build "$root/bench/CaptureActors.Bench" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
ctl="$root/src/CaptureActors.Console/bin/Release/net10.0/capturectl"
gen="$root/bench/CaptureActors.Bench/bin/Release/net10.0/capture-bench"
work=$(mktemp -d /tmp/ca-bench-XXXXXX)
tcpdump_pid=""
cleanup() {
  [[ -n "$tcpdump_pid" ]] && kill "$tcpdump_pid" 2>/dev/null || true
  "$ctl" packetcapture stop --data-dir "$work/agent" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

flood() { # payload -> total send rate (pps) of $senders parallel generators, COUNT datagrams in all
  local pids=() i
  for i in $(seq "$senders"); do "$gen" flood 127.0.0.1 $port $(( count / senders )) "$1" > "$work/gen$i" & pids+=($!); done
  wait "${pids[@]}"
  cat "$work"/gen* | awk '{s+=$(NF-3)} END {print s}'
}

json_number() { grep -o "\"$1\": *[0-9]*" | head -1 | grep -o '[0-9]*$'; }

run_agent() { # payload -> "in_file drops send_pps"
  rm -rf "$work/agent"
  "$ctl" packetcapture start -i lo -f "udp port $port" --snaplen 262144 --max-size 4GB --detach --data-dir "$work/agent" --node-name bench >/dev/null
  local pps; pps=$(flood "$1")
  sleep 1.5
  local status; status=$("$ctl" packetcapture stop --json --data-dir "$work/agent")
  local file; file=$(ls "$work"/agent/captures/*.pcap)
  local in_file; in_file=$(tcpdump -r "$file" 2>/dev/null | wc -l)
  # pcap_stats on lo counts each packet twice (see docs/pitfalls): halve to compare with packets sent.
  local drops; drops=$(( $(echo "$status" | json_number kernelDropped) / 2 ))
  echo "$in_file $drops $pps"
}

run_tcpdump() { # payload -> "in_file drops send_pps"
  rm -f "$work/t.pcap"
  tcpdump -i lo -w "$work/t.pcap" -s 262144 -B 32768 "udp port $port" 2> "$work/t.log" &
  tcpdump_pid=$!
  for _ in $(seq 50); do grep -q "listening on" "$work/t.log" && break; sleep 0.1; done
  local pps; pps=$(flood "$1")
  sleep 1.5
  kill -TERM "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true; tcpdump_pid=""
  local in_file; in_file=$(tcpdump -r "$work/t.pcap" 2>/dev/null | wc -l)
  local drops; drops=$(grep -o '[0-9]* packets dropped by kernel' "$work/t.log" | grep -o '^[0-9]*')
  echo "$in_file $(( drops / 2 )) $pps"
}

printf '%-9s %-8s %-4s %10s %10s %12s %10s\n' tool payload run sent in_file kernel_drop send_pps
for payload in "${payloads[@]}"; do
  for run in $(seq "$runs"); do
    for tool in agent tcpdump; do
      read -r in_file drops pps < <("run_$tool" "$payload")
      printf '%-9s %-8s %-4s %10s %10s %12s %10s\n' "$tool" "${payload}B" "$run" "$count" "$in_file" "$drops" "$pps"
    done
  done
done
