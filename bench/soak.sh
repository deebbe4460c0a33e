#!/usr/bin/env bash
# Soak (issue 5): one agent captures a steady UDP stream for a long time with rotation and a ring, and we watch that
# nothing grows or goes missing. One command, as root, on a fresh Debian machine:
#   sudo bench/soak.sh                      # 30 min at 20k packets/s, 10 MB files, ring of 5
#   DURATION=180 DOCS=0 sudo bench/soak.sh  # a 3-minute check run, printed only
# Every SAMPLE s it records the agent's RSS and CPU seconds (/proc), the packets the captured interface received
# (/sys/class/net/X/statistics/rx_packets, so sampling costs the agent nothing), the pcap files in the capture
# directory and the load. At the end it asks the agent for the capture's status (packets written, kernel drops),
# stops the capture and checks the ring: exactly RING files, their sequence numbers contiguous and ending at the last
# segment, every file readable (capinfos) and its packet count equal to the sidecar's.
# Prints a Markdown section and puts it at the top of docs/benchmarks.md (DOCS=0: print only); raw samples stay in OUT.
#
# Knobs (environment): DURATION=1800 (s)  PPS=20000  PAYLOAD=200 (UDP payload bytes)  MAX_SIZE=10MB  RING=5
#   SAMPLE=10 (s)  WARMUP=120 (s excluded from the RSS and CPU figures)  DOCS=1  OUT=/tmp/soak-<date>  NOTE="" (a line for the docs).
#
# Safety: traffic only to a /30 of 198.19.128.0/17 on a veth whose peer sits in a namespace this script creates
# (random names, no default route); the generator runs inside that namespace, in chunks of at most 50 s each bounded
# in count (capture-bench flood stops after 60 s anyway), and the number of chunks and samples is bounded by DURATION.
# The namespace, veth and every process started here are removed on exit, also on failure or Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "soak: run as root (capturing and network namespaces need it)" >&2; exit 1; }

duration=${DURATION:-1800}
pps=${PPS:-20000}
payload=${PAYLOAD:-200}
max_size=${MAX_SIZE:-10MB}
ring=${RING:-5}
sample=${SAMPLE:-10}
warmup=${WARMUP:-120}
out=${OUT:-/tmp/soak-$(date -u +%Y%m%dT%H%M%SZ)}
port=40998
filter="udp dst port $port"
chunk_seconds=50

BENCH_EXTRAS=1 "$root/deploy/bootstrap.sh" --for-tests >&2
dotnet build "$root/bench/CaptureActors.Bench" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
clk_tck=$(getconf CLK_TCK)

mkdir -p "$out"
work=$(mktemp -d /tmp/ca-soak-XXXXXX)
# Run copies of the binaries: a rebuild of the tree during a 30-minute run must not change the running agent's files.
cp -a "$root/src/CaptureActors.Agent/bin/Release/net10.0" "$work/agent-bin"
cp -a "$root/src/CaptureActors.Console/bin/Release/net10.0" "$work/ctl-bin"
cp -a "$root/bench/CaptureActors.Bench/bin/Release/net10.0" "$work/bench-bin"
ctl="$work/ctl-bin/capturectl"
agent_bin="$work/agent-bin/capture-agent"
gen="$work/bench-bin/capture-bench"
suffix=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
ns="ca-soak-$suffix"
veth_host="csh$suffix"
veth_peer="csp$suffix"
agent_pid=""
gen_pid=""
shopt -s nullglob

log() { printf 'soak: %s\n' "$*" >&2; }

stop_pid() { # pid signal seconds: signal, wait, then SIGKILL (only our own children)
  local pid=$1 sig=$2 secs=$3 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "pid $pid did not stop on SIG$sig, killing"; kill -KILL "$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  [[ -n "$gen_pid" ]] && stop_pid "$gen_pid" TERM 5
  [[ -n "$agent_pid" ]] && stop_pid "$agent_pid" TERM 20
  ip link del "$veth_host" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the veth pair: host end in the root namespace (captured), peer end in our namespace (the generator's side) ---
block=$(( $(od -An -N2 -tu2 /dev/urandom) % 8192 )) # a /30 of 198.19.128.0/17
host_ip="198.19.$((128 + block / 64)).$(( (block % 64) * 4 + 1 ))"
peer_ip="198.19.$((128 + block / 64)).$(( (block % 64) * 4 + 2 ))"
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

cpu_s() { sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$clk_tck" '{printf "%.2f", ($12 + $13) / t}'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
rss_parts_kb() { awk '/^RssAnon/ {a = $2} /^RssFile/ {f = $2} END {printf "%s\t%s", a, f}' "/proc/$1/status"; } # anonymous (heap) and file-backed pages
rx_packets() { cat "/sys/class/net/$veth_host/statistics/rx_packets"; }
json_sum() { grep -o "\"$1\": *[0-9]*" <<< "$2" | grep -o '[0-9]*$' | awk '{s += $1} END {print s + 0}'; }

# --- the agent and its capture ---
data="$work/data"
"$agent_bin" --name soak --listen 127.0.0.1:0 --data-dir "$data" > "$out/agent.out" 2> "$out/agent.err" &
agent_pid=$!
for ((i = 0; i < 300; i++)); do grep -q "listening on" "$out/agent.out" 2>/dev/null && break; sleep 0.1; done
aport=$(grep -o '127\.0\.0\.1:[0-9]*' "$out/agent.out" | head -1 | cut -d: -f2)
[[ -n "$aport" ]] || { log "the agent did not start: $(cat "$out/agent.err")"; exit 1; }
node=(--node "soak=127.0.0.1:$aport")
"$ctl" "${node[@]}" packetcapture start -i "$veth_host" -f "$filter" --max-size "$max_size" --ring "$ring" --detach > /dev/null
sleep 3 # the capture's one-off JIT is start-up, not soak
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s.%N)

# --- the generator: chunks of 50 s at PPS, until DURATION is over (bounded: at most DURATION/50 + 1 chunks) ---
(
  flood_pid=""
  trap '[[ -n "$flood_pid" ]] && kill "$flood_pid" 2>/dev/null; exit 0' TERM
  chunks=$(( (duration + chunk_seconds - 1) / chunk_seconds ))
  for ((c = 0; c < chunks; c++)); do
    left=$(awk -v t0="$t0" -v d="$duration" -v now="$(date +%s.%N)" 'BEGIN {l = d - (now - t0); print (l < 0) ? 0 : int(l)}')
    ((left > 0)) || break
    secs=$(( left < chunk_seconds ? left : chunk_seconds ))
    ip netns exec "$ns" "$gen" flood "$host_ip" "$port" $(( pps * secs )) "$payload" "$pps" &
    flood_pid=$!
    wait "$flood_pid" || true
    flood_pid=""
  done
) > "$out/generator.log" 2>&1 < /dev/null &
gen_pid=$!

# --- samples every SAMPLE s: elapsed, agent RSS and CPU, packets into the interface, pcap files, load ---
printf 't_s\trss_kb\tcpu_s\trx_packets\tpcap_files\tload1\trss_anon_kb\trss_file_kb\n' > "$out/samples.tsv"
max_samples=$(( duration / sample + 30 ))
for ((i = 0; i < max_samples; i++)); do
  now=$(date +%s.%N)
  files=("$data"/captures/*.pcap)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(awk -v a="$now" -v b="$t0" 'BEGIN {printf "%.1f", a - b}')" "$(rss_kb "$agent_pid")" \
    "$(cpu_s "$agent_pid")" "$(rx_packets)" "${#files[@]}" "$(cut -d' ' -f1 /proc/loadavg)" "$(rss_parts_kb "$agent_pid")" >> "$out/samples.tsv"
  kill -0 "$gen_pid" 2>/dev/null || break
  sleep "$sample"
done
wait "$gen_pid" || true
gen_pid=""
sleep 2 # past the flush interval: every packet is with the writer
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

sent=$(awk '/^sent/ {s += $2} END {print s + 0}' "$out/generator.log")
chunks_run=$(grep -c '^sent' "$out/generator.log" || true)
status=$("$ctl" "${node[@]}" packetcapture status --json)
echo "$status" > "$out/status.json"
written=$(json_sum packetsWritten "$status")
kdrops=$(json_sum kernelDropped "$status")
ifdrops=$(json_sum interfaceDropped "$status")
"$ctl" "${node[@]}" packetcapture stop --json > "$out/stop.json"
stop_pid "$agent_pid" TERM 20
agent_pid=""

# --- the ring: exactly RING files, contiguous sequence numbers ending at the last segment, each readable ---
files=("$data"/captures/*.pcap)
seqs=$(for f in "${files[@]}"; do sed 's/.*_\([0-9]*\)\.pcap$/\1/' <<< "$f" | sed 's/^0*//'; done | sort -n)
first_seq=$(head -1 <<< "$seqs"); last_seq=$(tail -1 <<< "$seqs")
contiguous=yes
expect=$first_seq
for s in $seqs; do [[ $s -eq $expect ]] || contiguous=no; expect=$((s + 1)); done
segments=$(grep -o '"files": *[0-9]*' "$out/stop.json" | grep -o '[0-9]*$' | head -1)
sidecar=$(echo "$data"/captures/*.capture.json)
in_files=0; mismatched=0
for f in "${files[@]}"; do
  n=$(capinfos -c -M "$f" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')
  in_files=$((in_files + ${n:-0}))
  name=$(basename "$f")
  recorded=$(grep -A3 "\"$name\"" "$sidecar" | grep -o '"packets": *[0-9]*' | grep -o '[0-9]*$' | head -1)
  [[ "${n:-x}" == "${recorded:-y}" ]] || mismatched=$((mismatched + 1))
done
log "sent $sent in $chunks_run chunks; written $written; kernel drops $kdrops/$ifdrops; ${#files[@]} files, seq $first_seq..$last_seq contiguous=$contiguous, files not matching the sidecar $mismatched"

# --- figures: RSS and CPU per packet after warm-up, in the first and second half ---
read -r rss_min rss_med rss_max rss_dev cpp_first cpp_second cpp_all cpu_share files_max files_min load_min load_med load_max < <(
  awk -F'\t' -v w="$warmup" '
    NR == 1 { next }
    { t[n] = $1; r[n] = $2; c[n] = $3; p[n] = $4; f[n] = $5; l[n] = $6; n++ }
    function median(a, k,   i, j, x, s) { for (i = 0; i < k; i++) s[i] = a[i]; for (i = 1; i < k; i++) { x = s[i]; for (j = i - 1; j >= 0 && s[j] > x; j--) s[j + 1] = s[j]; s[j + 1] = x } return (k % 2) ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2 }
    END {
      k = 0; mn = 1e18; mx = 0; fmx = 0; fmn = 1e9; lmn = 1e9; lmx = 0
      for (i = 0; i < n; i++) if (t[i] >= w) {
        rr[k++] = r[i]; if (r[i] < mn) mn = r[i]; if (r[i] > mx) mx = r[i]
        if (f[i] > fmx) fmx = f[i]; if (f[i] < fmn) fmn = f[i]; if (l[i] < lmn) lmn = l[i]; if (l[i] > lmx) lmx = l[i]; ll[k - 1] = l[i]
      }
      med = median(rr, k); dev = (mx - med > med - mn ? mx - med : med - mn) / med * 100
      a = 0; b = 0; m = 0
      for (i = 1; i < n; i++) if (t[i - 1] >= w && p[i] > p[i - 1]) {
        v = (c[i] - c[i - 1]) / (p[i] - p[i - 1]) * 1e6
        all[m++] = v; if (t[i] < (t[n - 1] + w) / 2) first[a++] = v; else second[b++] = v
      }
      for (i = 1; i < n; i++) if (t[i - 1] >= w) { cs += c[i] - c[i - 1]; ts += t[i] - t[i - 1] }
      printf "%d %d %d %.1f %.2f %.2f %.2f %.1f %d %d %.2f %.2f %.2f\n", mn, med, mx, dev, median(first, a), median(second, b), median(all, m), cs / ts * 100, fmx, fmn, lmn, median(ll, k), lmx
    }' "$out/samples.tsv")

verdict() { [[ $1 == yes ]] && echo "**yes**" || echo "**NO**"; }
rss_ok=$(awk -v d="$rss_dev" 'BEGIN {print (d <= 10) ? "yes" : "no"}')
ring_ok=$([[ ${#files[@]} -eq $ring && $contiguous == yes && $last_seq -eq ${segments:-0} && $mismatched -eq 0 ]] && echo yes || echo no)
count_ok=$([[ $written -eq $sent ]] && echo yes || echo no)
drops_ok=$([[ $kdrops -eq 0 && $ifdrops -eq 0 ]] && echo yes || echo no)
minutes=$(awk -v d="$duration" 'BEGIN {printf "%g", d / 60}')

{
  echo "## $(date -u +%F) — soak: ${minutes} min at ${pps} packets/s, rotation every ${max_size}, ring of ${ring} (issue 5)"
  echo
  echo "Machine: $(nproc) × $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB," \
    "$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), libpcap $(dpkg-query -W -f='${Version}' libpcap0.8), .NET $(dotnet --version)."
  echo "Load average (1/5/15 min) at start $load_start, at end $load_end; 1-min load after warm-up min / median / max" \
    "$load_min / $load_med / $load_max (the generator and the capture themselves account for about 0.5)."
  [[ -n "${NOTE:-}" ]] && echo "$NOTE"
  echo
  echo "Method: \`sudo bench/soak.sh\` (DURATION=$duration, PPS=$pps, PAYLOAD=$payload, MAX_SIZE=$max_size, RING=$ring, SAMPLE=$sample, WARMUP=$warmup)." \
    "Generator: \`capture-bench flood\` in chunks of ${chunk_seconds} s from inside a network namespace over a veth to the captured root-namespace end." \
    "Agent: one \`capture-agent\`, capture started with \`capturectl --node … packetcapture start -i VETH -f '$filter' --max-size $max_size --ring $ring --detach\`." \
    "Every ${sample} s: agent RSS and CPU from /proc, packets into the interface from /sys/class/net (no agent involvement)." \
    "Raw samples: \`$out/samples.tsv\`."
  echo
  echo "| check | figure | held |"
  echo "|---|---|---|"
  echo "| packets sent = packets written (status) | $sent sent in $chunks_run chunks, $written written | $(verdict "$count_ok") |"
  echo "| drops 0 | kernel $kdrops, interface $ifdrops | $(verdict "$drops_ok") |"
  echo "| no file lost: ring keeps exactly $ring, sequence contiguous, readable, counts = sidecar | ${#files[@]} files, segments $first_seq..$last_seq of $segments started, contiguous $contiguous, $mismatched mismatches; $in_files packets in the last $ring files; files present per sample (after warm-up) $files_min..$files_max | $(verdict "$ring_ok") |"
  echo "| agent RSS flat within ±10 % after warm-up | min / median / max $rss_min / $rss_med / $rss_max kB, worst deviation from the median ${rss_dev} % | $(verdict "$rss_ok") |"
  echo "| CPU per packet steady | median ${cpp_first} µs in the first half, ${cpp_second} µs in the second (all: ${cpp_all} µs); agent CPU ${cpu_share} % of one core | |"
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
