#!/usr/bin/env bash
# A lab of N agents on this machine, each capturing on its own veth into its own network namespace (design.md §9).
#   deploy/lab/lab.sh up N [--plain]
#                               create ca-lab-1..N (veth calab<i>h <-> calab<i>p, 198.18.<i>.1/30 <-> .2/30) and start
#                               agent lab<i> on 127.0.0.1:<4710+i>, data in $LAB_DIR/lab<i>; writes $LAB_DIR/nodes.
#                               Mutual TLS is ON: deploy/tls/make-dev-certs.sh makes a CA and certificates in
#                               $LAB_DIR/tls (agent, console, and a `viewer` client; kept across runs), every agent
#                               requires them; point capturectl at them with CAPTURE_TLS_DIR=$LAB_DIR/tls.
#                               --plain: no TLS (plain Akka.Remote and download channel).
#   deploy/lab/lab.sh down      stop the agents (SIGTERM, then SIGKILL after 20 s), delete namespaces and veths
#   deploy/lab/lab.sh status    agents (pid, port, alive) and namespaces
# Root only. 198.18.0.0/15 is the benchmark range: nothing routes there, and the namespaces have no default route.
# Environment: LAB_DIR (default /tmp/capture-actors-lab), CAPTURE_AGENT (an agent executable; default ./capture-agent of
# this checkout, which installs dependencies and builds first).
set -Eeuo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lab_dir="${LAB_DIR:-/tmp/capture-actors-lab}"
agent="${CAPTURE_AGENT:-$root/capture-agent}"
base_port=4710
max_nodes=50
start_timeout=30   # seconds for every agent's port to accept TCP
stop_timeout=20    # seconds between SIGTERM and SIGKILL

tls_dir="$lab_dir/tls"
tls_clients=(viewer)   # client certificates besides console's (role tests use viewer)

log() { printf 'lab: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Agents, namespaces and veths of the lab, whatever state they are in (also after a failed `up`).
lab_indices() {
  {
    ip netns list 2>/dev/null | awk '{print $1}' | sed -n 's/^ca-lab-\([0-9]\+\)$/\1/p' || true
    ip -o link show 2>/dev/null | sed -n 's/^[0-9]\+: calab\([0-9]\+\)h[@:].*/\1/p' || true
    if [[ -d "$lab_dir" ]]; then
      find "$lab_dir" -maxdepth 1 -name 'lab*.pid' -printf '%f\n' | sed -n 's/^lab\([0-9]\+\)\.pid$/\1/p' || true
    fi
  } | sort -un
}

# The pid in a pid file, if that process is still the agent we started.
agent_pid() {
  local file="$lab_dir/lab$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -qF -- "--name lab$1 " <(tr '\0' ' ' <"/proc/$pid/cmdline") || return 1
  echo "$pid"
}

down() {
  local i pid pids=() deadline
  for i in $(lab_indices); do
    if pid="$(agent_pid "$i")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  deadline=$((SECONDS + stop_timeout))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "agent pid $pid did not stop within ${stop_timeout}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for i in $(lab_indices); do
    ip link del "calab${i}h" 2>/dev/null || true   # deletes the peer too
    ip netns del "ca-lab-$i" 2>/dev/null || true
    rm -f "$lab_dir/lab$i.pid"
  done
  rm -f "$lab_dir/nodes" "$lab_dir/mode"
  log "down"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The lab's CA and certificates: made once, reused by later `up`s (so a shell's CAPTURE_TLS_DIR stays valid).
make_certs() {
  local name missing=0
  for name in ca agent console "${tls_clients[@]}"; do
    [[ -s "$tls_dir/$name.pem" ]] || missing=1
  done
  ((missing)) || return 0
  "$root/deploy/tls/make-dev-certs.sh" "$tls_dir" "${tls_clients[@]}" >&2
}

up() {
  local n="$1" mode="${2:-tls}" i port deadline tls_args=()
  [[ "$n" =~ ^[0-9]+$ ]] && ((n >= 1 && n <= max_nodes)) || die "N must be a number from 1 to $max_nodes, not '$n'"
  [[ "$mode" == tls || "$mode" == --plain ]] || die "unknown option '$mode' (only --plain)"
  [[ -n "$(lab_indices)" ]] && die "a lab is already up (see: $0 status); run: $0 down"
  for ((i = 1; i <= n; i++)); do
    port=$((base_port + i))
    port_open "$port" && die "port $port is already in use"
  done
  # Build once (and install native dependencies) before starting agents in parallel; a given CAPTURE_AGENT is used as is.
  [[ -n "${CAPTURE_AGENT:-}" ]] || "$root/deploy/bootstrap.sh" --for-tests >&2
  trap 'trap - ERR INT TERM; log "up failed: cleaning up"; down; exit 1' ERR INT TERM
  mkdir -p "$lab_dir"
  if [[ "$mode" == tls ]]; then
    make_certs
    tls_args=(--tls-cert "$tls_dir/agent.pem" --tls-key "$tls_dir/agent.key" --tls-ca "$tls_dir/ca.pem")
  fi
  {
    echo "# CaptureActors lab: NAME=HOST:PORT, one agent per line (deploy/lab/lab.sh)"
  } >"$lab_dir/nodes.tmp"
  for ((i = 1; i <= n; i++)); do
    port=$((base_port + i))
    ip netns add "ca-lab-$i"
    ip link add "calab${i}h" type veth peer name "calab${i}p" netns "ca-lab-$i"
    ip addr add "198.18.$i.1/30" dev "calab${i}h"
    ip link set "calab${i}h" up
    ip -n "ca-lab-$i" addr add "198.18.$i.2/30" dev "calab${i}p"
    ip -n "ca-lab-$i" link set "calab${i}p" up
    ip -n "ca-lab-$i" link set lo up
    mkdir -p "$lab_dir/lab$i"
    # The node's stored setup captures on its own veth, so `packetcapture start --all` needs no -i.
    printf '{"interfaces":["calab%sh"],"filter":"","snapLength":262144,"maxFileSizeBytes":209715200,"maxDuration":null,"ringFiles":null,"promiscuous":true}\n' \
      "$i" >"$lab_dir/lab$i/setup.json"
    setsid nohup "$agent" --name "lab$i" --listen "127.0.0.1:$port" --data-dir "$lab_dir/lab$i" "${tls_args[@]}" \
      >"$lab_dir/lab$i.log" 2>&1 </dev/null &
    echo $! >"$lab_dir/lab$i.pid"
    echo "lab$i=127.0.0.1:$port" >>"$lab_dir/nodes.tmp"
  done
  deadline=$((SECONDS + start_timeout))
  for ((i = 1; i <= n; i++)); do
    port=$((base_port + i))
    until port_open "$port"; do
      # Alive is enough here: just after the fork the child may still be the shell (or setsid/nohup) about to exec
      # the agent, whose command line agent_pid would not recognise yet.
      kill -0 "$(<"$lab_dir/lab$i.pid")" 2>/dev/null || { log "agent lab$i exited; its log:"; tail -n 20 "$lab_dir/lab$i.log" >&2; false; }
      ((SECONDS < deadline)) || { log "agent lab$i does not accept TCP on port $port after ${start_timeout}s"; false; }
      sleep 0.2
    done
  done
  mv "$lab_dir/nodes.tmp" "$lab_dir/nodes"
  echo "${mode#--}" >"$lab_dir/mode"
  trap - ERR INT TERM
  local scheme=akka.ssl.tcp
  [[ "$mode" == tls ]] || scheme=akka.tcp
  echo "lab up: $n agent(s); nodes file $lab_dir/nodes; $([[ "$mode" == tls ]] && echo "mutual TLS, certificates in $tls_dir" || echo "plain TCP (--plain)")"
  for ((i = 1; i <= n; i++)); do
    echo "  lab$i  $scheme://capture-agent@127.0.0.1:$((base_port + i))/user/agent  captures on calab${i}h (198.18.$i.1)"
  done
  if [[ "$mode" == tls ]]; then
    cat <<MSG
the agents require mutual TLS: point capturectl at the lab's certificates (console.pem/.key, ca.pem) once per shell:
  export CAPTURE_TLS_DIR=$tls_dir
  ./capturectl --nodes $lab_dir/nodes packetcapture status
as the read-only client 'viewer' (CN=viewer): add --tls-cert $tls_dir/viewer.pem --tls-key $tls_dir/viewer.key
MSG
  fi
  cat <<MSG
each node's setup captures on its own veth; capture on all of them for 10 s:
  ./capturectl --nodes $lab_dir/nodes packetcapture start --all --duration 10s
send traffic from namespace 1 to its host side (agent lab1 captures it on calab1h), e.g. 100 UDP datagrams:
  ip netns exec ca-lab-1 bash -c 'for k in \$(seq 100); do echo probe\$k >/dev/udp/198.18.1.1/40000; done'
then fetch and merge every node's files:
  ./capturectl --nodes $lab_dir/nodes packetcapture download --all -o /tmp/lab --merge /tmp/lab/all.pcapng
stop: $0 down
MSG
}

status() {
  local i pid any=0
  for i in $(lab_indices); do
    any=1
    if pid="$(agent_pid "$i")"; then state="running pid $pid"; else state="not running"; fi
    ns="$(ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "ca-lab-$i" && echo "ns ca-lab-$i" || echo "no namespace")"
    printf 'lab%s  127.0.0.1:%s  %s  %s  log %s\n' "$i" "$((base_port + i))" "$state" "$ns" "$lab_dir/lab$i.log"
  done
  ((any)) || { echo "no lab"; return 0; }
  [[ "$(cat "$lab_dir/mode" 2>/dev/null)" == plain ]] && echo "plain TCP" || echo "mutual TLS: export CAPTURE_TLS_DIR=$tls_dir"
}

[[ $(id -u) -eq 0 ]] || die "run as root (network namespaces)"
case "${1:-}" in
  up) up "${2:-}" "${3:-tls}" ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up N [--plain] | down | status" >&2; exit 2 ;;
esac
