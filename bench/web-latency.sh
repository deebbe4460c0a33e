#!/usr/bin/env bash
# Web page latency (issue 8): the JSON API behind `capturectl serve` against two real capture-agent processes on
# loopback, as the page calls it. Reports median, p95 and max per call, from curl's total time (loopback connect
# included). Everything runs on 127.0.0.1 with ephemeral ports; agents, server and temp directories are removed on exit.
#   bench/web-latency.sh              # N=200 requests per read call, 5 start/stop rounds
#   N=50 ROUNDS=2 bench/web-latency.sh
# Needs root for the start/stop rounds (a capture on lo); without it they are left out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=${N:-200}
rounds=${ROUNDS:-5}
((n >= 1 && n <= 5000)) || { echo "web-latency: N must be 1..5000" >&2; exit 2; }
((rounds >= 0 && rounds <= 50)) || { echo "web-latency: ROUNDS must be 0..50" >&2; exit 2; }

"$root/deploy/bootstrap.sh" --for-tests >&2
agent="$root/src/CaptureActors.Agent/bin/Release/net10.0/capture-agent"
ctl="$root/src/CaptureActors.Console/bin/Release/net10.0/capturectl"
unset CAPTURE_TLS_DIR CAPTURE_TLS_CERT CAPTURE_TLS_KEY CAPTURE_TLS_CA
work="$(mktemp -d /tmp/web-latency-XXXXXX)"
chmod 0750 "$work"
pids=()
log() { printf 'web-latency: %s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (at most 30 s) until FILE has a line matching REGEX and prints the first match.
wait_line() {
  local file=$1 regex=$2 i line
  for ((i = 0; i < 300; i++)); do
    line="$(grep -m1 -oE "$regex" "$file" || true)"
    [[ -n "$line" ]] && { echo "$line"; return 0; }
    sleep 0.1
  done
  log "no '$regex' in $file after 30 s:"; tail -n 20 "$file" >&2; return 1
}

nodes=()
for i in 1 2; do
  mkdir -m 0750 "$work/node$i"
  "$agent" --name "node$i" --listen 127.0.0.1:0 --data-dir "$work/node$i" >"$work/agent$i.out" 2>"$work/agent$i.log" &
  pids+=($!)
  address="$(wait_line "$work/agent$i.out" '127\.0\.0\.1:[0-9]+')"
  nodes+=(--node "node$i=$address")
done

port=$(( 20000 + RANDOM % 20000 ))
"$ctl" serve --listen "127.0.0.1:$port" "${nodes[@]}" >"$work/serve.out" 2>"$work/serve.log" &
pids+=($!)
base="http://127.0.0.1:$port"
for ((i = 0; i < 300; i++)); do curl -fs -o "$work/page.html" "$base/" && break; sleep 0.1; done
token="$(grep -oE 'name="csrf-token" content="[0-9a-f]+"' "$work/page.html" | grep -oE '[0-9a-f]{64}')"
[[ -n "$token" ]] || { log "the page carries no anti-forgery token"; exit 1; }

# call NAME METHOD PATH [JSON]: N timed requests; one line "NAME median p95 max (ms)".
call() {
  local name=$1 method=$2 path=$3 body=${4:-} k
  local times="$work/$name.times"
  : >"$times"
  for ((k = 0; k < n; k++)); do
    if [[ "$method" == GET ]]; then
      curl -fs -o /dev/null -w '%{time_total}\n' "$base$path" >>"$times"
    else
      curl -fs -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
        -H "X-Capture-Csrf: $token" -H "Origin: $base" --data "$body" "$base$path" >>"$times"
    fi
  done
  sort -g "$times" | awk -v name="$name" '{ t[NR] = $1 * 1000 } END {
    printf "%-24s n=%-4d median %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", name, NR, t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.999)], t[NR] }'
}

# Warm-up, not timed: the first requests JIT the server's and the agents' code paths and open the associations.
for ((k = 0; k < 5; k++)); do curl -fs -o /dev/null "$base/api/overview"; curl -fs -o /dev/null "$base/api/files"; done

call overview GET /api/overview
call files GET /api/files
call filter-check-valid POST /api/filter/check '{"nodes":["node1","node2"],"filter":"tcp port 25 and host 192.0.2.1"}'
call filter-check-invalid POST /api/filter/check '{"nodes":["node1","node2"],"filter":"udp port banana"}'

if ((EUID == 0 && rounds > 0)); then
  start='{"nodes":["node1","node2"],"interfaces":{"node1":["lo"],"node2":["lo"]},"settings":{"interfaces":null,"filter":"udp port 9","maxSize":"","duration":"","ring":""}}'
  : >"$work/start.times"; : >"$work/stop.times"
  for ((k = 0; k < rounds; k++)); do
    curl -fs -o "$work/start.json" -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -H "X-Capture-Csrf: $token" \
      -H "Origin: $base" --data "$start" "$base/api/captures/start" >>"$work/start.times"
    grep -q '"ok":true' "$work/start.json" || { log "start refused: $(cat "$work/start.json")"; exit 1; }
    curl -fs -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -H "X-Capture-Csrf: $token" \
      -H "Origin: $base" --data '{"nodes":["node1","node2"]}' "$base/api/captures/stop" >>"$work/stop.times"
  done
  for name in start stop; do
    sort -g "$work/$name.times" | awk -v name="capture-$name (2 nodes)" '{ t[NR] = $1 * 1000 } END {
      printf "%-24s n=%-4d median %7.1f ms  p95 %7.1f ms  max %7.1f ms\n", name, NR, t[int((NR + 1) / 2)], t[int(NR * 0.95 + 0.999)], t[NR] }'
  done
else
  log "start/stop rounds left out (need root and ROUNDS > 0)"
fi
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
