#!/usr/bin/env bash
# Capture performance (issue 7): the agent against tcpdump -w and dumpcap on identical UDP floods, on a veth pair
# from a network namespace and on lo. One command, as root, on a fresh Debian machine:
#   sudo bench/capture-perf.sh
# Phases: (1) the generator alone, for the ceiling; (2) per link and payload, the send rate stepped up to the unpaced
# maximum, the three tools in rotating order (A/B/C, B/C/A, ...) REPS times per step, each run counting packets sent,
# packets in the file, kernel drops (pcap_stats), CPU seconds and peak RSS of the capturing process; (3) the writer
# alone: a 1M-packet pcap replayed into the agent's writer vs tcpdump -r -w; (4) the idle agent over IDLE_SECONDS.
# Prints a Markdown section and puts it at the top of docs/benchmarks.md (DOCS=0: print only); raw TSVs stay in OUT.
#
# Knobs (environment): REPS=3  STEP_SECONDS=2  STEPS="0.3 0.5 0.7 0.85" (fractions of the generator ceiling; the
#   unpaced step always follows)  LINKS="veth lo"  PAYLOADS="64 1400"  WRITER_PACKETS=1000000  IDLE_SECONDS=60
#   PHASES="gen steps writer idle"  SETTLE=5 (s from a tool's start to the flood)  DOCS=1  OUT=/tmp/capture-perf-<date>  NOTE="" (a line for the docs, e.g. load).
#
# Safety: traffic only to 127.0.0.1 or to a /30 of 198.19.128.0/17 (benchmark range) on a veth whose peer sits in a
# namespace this script creates (random names, no default route); the generator runs inside that namespace. Every
# flood is bounded in count and in time (the generator stops after 60 s), every wait is bounded, and the namespace,
# veth and every process started here are removed on exit, also on failure or Ctrl-C.
set -euo pipefail
set -m # background jobs keep default signal handling: dumpcap stops (and prints its statistics) on SIGINT.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "capture-perf: run as root (capturing and network namespaces need it)" >&2; exit 1; }

reps=${REPS:-3}
step_seconds=${STEP_SECONDS:-2}
read -r -a steps <<< "${STEPS:-0.3 0.5 0.7 0.85}"
read -r -a links <<< "${LINKS:-veth lo}"
read -r -a payloads <<< "${PAYLOADS:-64 1400}"
read -r -a phases <<< "${PHASES:-gen steps writer idle}"
writer_packets=${WRITER_PACKETS:-1000000}
idle_seconds=${IDLE_SECONDS:-60}
today=$(date -u +%F)
out=${OUT:-/tmp/capture-perf-$(date -u +%Y%m%dT%H%M%SZ)}
port=40999
filter="udp dst port $port"
snap=262144
buffer_mib=32 # the agent's LibPcapCaptureEngine.KernelBufferBytes; tcpdump -B takes KiB, dumpcap -B MiB
drain=1.5
settle=${SETTLE:-5} # seconds between a tool's start and the flood: the agent's one-off tier-1 JIT after a capture starts
                    # (~0.4 s CPU, measured per thread) is start-up, not a per-packet cost; it is reported on its own

BENCH_EXTRAS=1 "$root/deploy/bootstrap.sh" --for-tests >&2
dotnet build "$root/bench/CaptureActors.Bench" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
ctl="$root/src/CaptureActors.Console/bin/Release/net10.0/capturectl"
agent_bin="$root/src/CaptureActors.Agent/bin/Release/net10.0/capture-agent"
gen="$root/bench/CaptureActors.Bench/bin/Release/net10.0/capture-bench"
clk_tck=$(getconf CLK_TCK)

mkdir -p "$out"
work=$(mktemp -d /tmp/ca-perf-XXXXXX)
suffix=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
ns="ca-perf-$suffix"
veth_host="cph$suffix"
veth_peer="cpp$suffix"
live=""        # the one capturing process running now (agent, tcpdump or dumpcap), stopped by cleanup on failure
shopt -s nullglob

log() { printf 'capture-perf: %s\n' "$*" >&2; }

stop_pid() { # pid [signal] [seconds]: signal, wait up to seconds, then SIGKILL (only our own child, $live)
  local pid=$1 sig=${2:-TERM} secs=${3:-20} i
  live=""
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "pid $pid did not stop on SIG$sig, killing"; kill -KILL "$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  [[ -n "$live" ]] && stop_pid "$live" TERM 10
  ip link del "$veth_host" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the veth pair: host end in the root namespace (captured), peer end in our namespace (the generator's side) ---
setup_veth() {
  local i block
  for i in $(seq 20); do
    block=$(( $(od -An -N2 -tu2 /dev/urandom) % 8192 )) # a /30 of 198.19.128.0/17
    host_ip="198.19.$((128 + block / 64)).$(( (block % 64) * 4 + 1 ))"
    peer_ip="198.19.$((128 + block / 64)).$(( (block % 64) * 4 + 2 ))"
    ip -o addr show | grep -q "inet ${host_ip%.*}\.$(( (block % 64) * 4 ))[0-9]*/" || break
  done
  ip netns add "$ns"
  ip link add "$veth_host" type veth peer name "$veth_peer"
  ip link set "$veth_peer" netns "$ns"
  sysctl -qw "net.ipv6.conf.$veth_host.disable_ipv6=1" || true
  ip addr add "$host_ip/30" dev "$veth_host"
  ip link set "$veth_host" up
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$veth_peer.disable_ipv6=1" || true
  ip -n "$ns" addr add "$peer_ip/30" dev "$veth_peer"
  ip -n "$ns" link set "$veth_peer" up
  log "namespace $ns, $veth_peer $peer_ip -> $veth_host $host_ip (no default route)"
}

# --- measurements ---
cpu_s() { sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$clk_tck" '{printf "%.3f", ($12 + $13) / t}'; }
# The agent's capture thread alone (named "capture IFACE"): the hot path without the actor system around it.
thread_cpu_s() {
  local f s=0 found=0
  for f in /proc/"$1"/task/*/stat; do
    if grep -q '^[0-9]* (capture ' "$f" 2>/dev/null; then
      found=1; s=$(sed 's/^.*) //' "$f" | awk -v t="$clk_tck" -v s="$s" '{printf "%.3f", s + ($12 + $13) / t}')
    fi
  done
  ((found)) && echo "$s" || echo -
}
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
softnet_drops() { local s=0 d; while read -r _ d _; do s=$((s + 16#$d)); done < /proc/net/softnet_stat; echo "$s"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
in_file() { capinfos -c -M "$1" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}'; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a - b}'; }

iface_of() { [[ $1 == lo ]] && echo lo || echo "$veth_host"; }

flood() { # link payload count pps(0 = unpaced) -> "sent send_pps"
  local line
  if [[ $1 == lo ]]; then
    line=$("$gen" flood 127.0.0.1 $port "$3" "$2" "$4" || true)
  else
    line=$(ip netns exec "$ns" "$gen" flood "$host_ip" $port "$3" "$2" "$4" || true)
  fi
  # "sent N in S s = R pps (retries K)"
  awk '{print $2, $(NF-3)}' <<< "$line"
}

wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  log "timed out waiting for '$2' in $1"; return 1
}

# Each run_<tool> LINK PAYLOAD COUNT PPS (called in this shell, output to a file, so that cleanup knows $live) prints
# "sent send_pps in_file kdrops cpu_s rss_kb alloc gc0 gc1 gc2 softnet thread_cpu_s startup_cpu_s" (start-up = process
# start, capture start and $settle s, all CPU before the flood).
# CPU is counted from just before the flood to $drain s after it (start-up and shutdown excluded for every tool).
measure_flood() { # pid link payload count pps -> "sent send_pps cpu_s rss_kb softnet thread_cpu_s startup_cpu_s"
  local c0 t0 t1 s0 sent pps
  sleep "$settle"
  c0=$(cpu_s "$1"); t0=$(thread_cpu_s "$1"); s0=$(softnet_drops)
  read -r sent pps < <(flood "$2" "$3" "$4" "$5")
  sleep "$drain"
  t1=$(thread_cpu_s "$1")
  [[ $t0 == - || $t1 == - ]] && t1=- || t1=$(sub "$t1" "$t0")
  echo "$sent $pps $(sub "$(cpu_s "$1")" "$c0") $(hwm_kb "$1") $(( $(softnet_drops) - s0 )) $t1 $c0"
}

halve_on_lo() { [[ $1 == lo ]] && echo $(( $2 / 2 )) || echo "$2"; } # lo: pcap_stats counts every packet twice

run_agent() {
  local dir="$work/agent" apid aport sent pps cpu rss sn status drops file n alloc="-" g0="-" g1="-" g2="-"
  rm -rf "$dir"; mkdir -p "$dir"
  "$agent_bin" --name bench --listen 127.0.0.1:0 --data-dir "$dir/data" > "$dir/out" 2> "$dir/err" &
  apid=$!; live=$apid
  wait_for "$dir/out" "listening on" 30
  aport=$(grep -o '127\.0\.0\.1:[0-9]*' "$dir/out" | head -1 | cut -d: -f2)
  "$ctl" --node "bench=127.0.0.1:$aport" packetcapture start -i "$(iface_of "$1")" -f "$filter" --snaplen $snap \
    --max-size 16GB --detach > /dev/null
  read -r sent pps cpu rss sn tcpu scpu < <(measure_flood "$apid" "$@")
  status=$("$ctl" --node "bench=127.0.0.1:$aport" packetcapture stop --json)
  drops=$(grep -o '"kernelDropped": *[0-9]*' <<< "$status" | head -1 | grep -o '[0-9]*$')
  stop_pid "$apid" TERM 20
  n=0; for file in "$dir"/data/captures/*.pcap; do n=$(( n + $(in_file "$file") )); done
  # "capture thread allocated B bytes for N packets; process GCs during the capture gen0 a gen1 b gen2 c"
  read -r alloc g0 g1 g2 < <(sed -n 's/.*capture thread allocated \([0-9]*\) bytes.*gen0 \([0-9]*\) gen1 \([0-9]*\) gen2 \([0-9]*\).*/\1 \2 \3 \4/p' "$dir/err" | head -1) || true
  rm -rf "$dir"
  echo "$sent $pps $n $(halve_on_lo "$1" "${drops:-0}") $cpu $rss ${alloc:--} ${g0:--} ${g1:--} ${g2:--} $sn $tcpu $scpu"
}

run_tcpdump() {
  local pid sent pps cpu rss sn drops n
  rm -f "$work/t.pcap"
  tcpdump -i "$(iface_of "$1")" -Z root -w "$work/t.pcap" -s $snap -B $((buffer_mib * 1024)) "$filter" 2> "$work/t.log" &
  pid=$!; live=$pid
  wait_for "$work/t.log" "listening on" 10
  read -r sent pps cpu rss sn _ scpu < <(measure_flood "$pid" "$@")
  stop_pid "$pid" TERM 20
  drops=$(grep -o '[0-9]* packets dropped by kernel' "$work/t.log" | grep -o '^[0-9]*')
  n=$(in_file "$work/t.pcap"); rm -f "$work/t.pcap"
  echo "$sent $pps $n $(halve_on_lo "$1" "${drops:-0}") $cpu $rss - - - - $sn - $scpu"
}

run_dumpcap() {
  local pid sent pps cpu rss sn drops n
  rm -f "$work/d.pcap"
  dumpcap -i "$(iface_of "$1")" -f "$filter" -s $snap -B $buffer_mib -P -q -w "$work/d.pcap" 2> "$work/d.log" &
  pid=$!; live=$pid
  wait_for "$work/d.log" "Capturing on" 10
  read -r sent pps cpu rss sn _ scpu < <(measure_flood "$pid" "$@")
  stop_pid "$pid" INT 20
  drops=$(grep -o '(pcap:[0-9]*' "$work/d.log" | grep -o '[0-9]*$')
  n=$(in_file "$work/d.pcap"); rm -f "$work/d.pcap"
  echo "$sent $pps $n $(halve_on_lo "$1" "${drops:-0}") $cpu $rss - - - - $sn - $scpu"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

has_phase() { [[ " ${phases[*]} " == *" $1 "* ]]; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
[[ " ${links[*]} " == *" veth "* ]] && setup_veth
declare -A ceiling

# --- 1. the generator alone ---
printf 'iface\tpayload\trep\tsent\tsend_pps\tsoftnet_drops\n' > "$out/gen.tsv"
gen_links=("${links[@]}")
has_phase gen || has_phase steps || gen_links=()
for link in "${gen_links[@]}"; do
  for payload in "${payloads[@]}"; do
    rates=()
    for rep in $(seq "$reps"); do
      s0=$(softnet_drops)
      read -r sent pps < <(flood "$link" "$payload" 400000 0)
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$link" "$payload" "$rep" "$sent" "$pps" $(( $(softnet_drops) - s0 )) >> "$out/gen.tsv"
      rates+=("$pps")
    done
    ceiling[$link/$payload]=$(printf '%s\n' "${rates[@]}" | median)
    log "generator alone on $link, $payload B: ${ceiling[$link/$payload]} pps (median of ${rates[*]})"
  done
done

# --- 2. stepped rates, tools in rotating order ---
tools=(agent tcpdump dumpcap)
printf 'iface\tpayload\tstep\ttarget_pps\ttool\trep\tsent\tsend_pps\tin_file\tkdrops\tcpu_s\trss_kb\talloc_bytes\tgc0\tgc1\tgc2\tsoftnet_drops\tload1\tthread_cpu_s\tstartup_cpu_s\n' > "$out/runs.tsv"
if has_phase steps; then
  for link in "${links[@]}"; do
    for payload in "${payloads[@]}"; do
      top=${ceiling[$link/$payload]}
      for ((step = 0; step <= ${#steps[@]}; step++)); do
        if ((step < ${#steps[@]})); then
          target=$(awk -v c="$top" -v f="${steps[$step]}" 'BEGIN {printf "%d", c * f}')
        else
          target=0
        fi
        rate=$target; ((target > 0)) || rate=$top
        count=$(awk -v r="$rate" -v s="$step_seconds" 'BEGIN {n = int(r * s); print n < 10000 ? 10000 : n}')
        for rep in $(seq "$reps"); do
          for k in 0 1 2; do
            tool=${tools[$(( (rep - 1 + k) % 3 ))]}
            "run_$tool" "$link" "$payload" "$count" "$target" > "$work/run"
            read -r sent pps n drops cpu rss alloc g0 g1 g2 sn tcpu scpu < "$work/run"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$link" "$payload" "$step" \
              "$target" "$tool" "$rep" "$sent" "$pps" "$n" "$drops" "$cpu" "$rss" "$alloc" "$g0" "$g1" "$g2" "$sn" "$(load1)" "$tcpu" "$scpu" >> "$out/runs.tsv"
            log "$link ${payload}B step $step (target $( ((target > 0)) && echo "$target pps" || echo unpaced)) $tool rep $rep: sent $sent at $pps pps, in file $n, kernel drops $drops, CPU ${cpu}s (capture thread $tcpu, start-up $scpu), HWM ${rss} kB, alloc $alloc, load $(load1)"
          done
        done
      done
    done
  done
fi

# --- 3. the writer alone ---
printf 'frame\ttool\trep\tpackets\twall_s\tcpu_s\trss_kb\n' > "$out/writer.tsv"
if has_phase writer; then
  for payload in "${payloads[@]}"; do
    frame=$((payload + 42)) # Ethernet + IPv4 + UDP headers
    "$gen" make-pcap "$work/in.pcap" $((24 + writer_packets * (16 + frame))) "$frame" > /dev/null
    cat "$work/in.pcap" > /dev/null # in the page cache for both
    for rep in $(seq "$reps"); do
      for k in 0 1; do
        if (( (rep + k) % 2 )); then
          tool=agent-writer; /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$gen" replay "$work/in.pcap" "$work/out.pcap" > /dev/null
        else
          tool=tcpdump; /usr/bin/time -f '%e %U %S %M' -o "$work/time" tcpdump -r "$work/in.pcap" -w "$work/out.pcap" 2> /dev/null
        fi
        read -r wall user sys maxrss < <(tail -1 "$work/time")
        n=$(in_file "$work/out.pcap"); rm -f "$work/out.pcap"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$frame" "$tool" "$rep" "$n" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$maxrss" >> "$out/writer.tsv"
        log "writer alone, $frame-byte frames, $tool rep $rep: $n packets, wall $wall s, CPU $user+$sys s, max RSS $maxrss kB"
      done
    done
    rm -f "$work/in.pcap"
  done
fi

# --- 4. the idle agent ---
printf 'state\tseconds\tcpu_s\trss_kb\n' > "$out/idle.tsv"
if has_phase idle; then
  dir="$work/idle"; mkdir -p "$dir"
  "$agent_bin" --name bench --listen 127.0.0.1:0 --data-dir "$dir/data" > "$dir/out" 2> "$dir/err" &
  apid=$!; live=$apid
  wait_for "$dir/out" "listening on" 30
  aport=$(grep -o '127\.0\.0\.1:[0-9]*' "$dir/out" | head -1 | cut -d: -f2)
  sleep 5 # past start-up
  c0=$(cpu_s "$apid"); sleep "$idle_seconds"
  printf 'no capture\t%s\t%s\t%s\n' "$idle_seconds" "$(sub "$(cpu_s "$apid")" "$c0")" "$(rss_kb "$apid")" >> "$out/idle.tsv"
  "$ctl" --node "bench=127.0.0.1:$aport" packetcapture start -i "$(iface_of "${links[0]}")" -f "$filter" --detach > /dev/null
  sleep 5
  c0=$(cpu_s "$apid"); sleep "$idle_seconds"
  printf 'capturing, no traffic\t%s\t%s\t%s\n' "$idle_seconds" "$(sub "$(cpu_s "$apid")" "$c0")" "$(rss_kb "$apid")" >> "$out/idle.tsv"
  "$ctl" --node "bench=127.0.0.1:$aport" packetcapture stop > /dev/null
  stop_pid "$apid" TERM 20
  log "idle: $(tail -2 "$out/idle.tsv" | tr '\t\n' ' ;')"
fi

# --- the report ---
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
loads=$(awk -F'\t' 'NR > 1 {print $18}' "$out/runs.tsv" | sort -g | awk '{v[NR] = $1} END {if (NR) printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR]}')
{
  echo "## $today — capture performance: agent vs tcpdump and dumpcap (issue 7)"
  echo
  echo "Machine: $(nproc) × $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB," \
    "$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), libpcap $(dpkg-query -W -f='${Version}' libpcap0.8)," \
    "tcpdump $(dpkg-query -W -f='${Version}' tcpdump), dumpcap $(dpkg-query -W -f='${Version}' wireshark-common), .NET $(dotnet --version)."
  echo "Load average (1/5/15 min) at start $load_start, at end $load_end; 1-min load during the runs min / median / max" \
    "${loads:-–} (this includes the benchmark's own generator and capture, about 2)."
  [[ -n "${NOTE:-}" ]] && echo "$NOTE"
  echo
  echo "Method: \`sudo bench/capture-perf.sh\` (REPS=$reps, STEP_SECONDS=$step_seconds, steps ${steps[*]} of the ceiling, then unpaced)." \
    "Generator: \`capture-bench flood\` (one UDP socket, bounded in count and 60 s), on \`veth\` from inside a network namespace" \
    "the script creates (198.19.128.0/17, no default route) to the root-namespace end, on \`lo\` to 127.0.0.1." \
    "Agent: a \`capture-agent\` process per run, the capture started with \`capturectl --node … packetcapture start --detach\`" \
    "(the product's path: actors, the libpcap thread, the managed pcap writer with SHA-256); tcpdump: \`tcpdump -w -s $snap -B $((buffer_mib * 1024))\`;" \
    "dumpcap: \`dumpcap -P -s $snap -B $buffer_mib\`; all with the filter \`$filter\`, the agent's snap length and its ${buffer_mib} MiB kernel buffer." \
    "Tools alternate in rotating order on identical traffic; each flood starts ${settle} s after its tool (SETTLE). In file: \`capinfos\`. Kernel drops: pcap_stats ps_drop (halved on lo)." \
    "Raw per-run figures: \`$out/*.tsv\`."
  "$gen" summarize "$out"
} > "$out/section.md"
cat "$out/section.md"

if [[ "${DOCS:-1}" == 1 ]]; then
  docs="$root/docs/benchmarks.md"
  # Newest first: insert before the first earlier result.
  awk -v section="$out/section.md" '
    !done && /^## / { while ((getline line < section) > 0) print line; print ""; done = 1 }
    { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }' "$docs" > "$work/docs.md"
  cat "$work/docs.md" > "$docs"
  log "section added to $docs"
fi
