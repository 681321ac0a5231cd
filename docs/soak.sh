#!/usr/bin/env bash
# soak.sh: run the real downforai against the local fake upstream and report
# resident memory and CPU, for the README's Reliability figures.
#
#   docs/soak.sh                 # 10 minutes, ports 8770, output in /tmp/w7
#   MINUTES=3 PORT=8790 OUT=/tmp/soak PREFIX=soak docs/soak.sh
#
# Two dashboards run at once, each in its own detached tmux session, each
# with its own database:
#   busy  probes every 1 s (status page too) for MINUTES minutes; its RSS is
#         read after minute 2 and at the end (goal: within 10%), and its CPU
#         over the last 60 s.
#   idle  the default schedule (30 s probes, 60 s status page); its CPU is
#         read over the last 60 s (goal: under 1% of one core) — the open TUI
#         with nothing to do but the 1 s clock.
# A fake API key is set so the key probe runs too. Nothing leaves loopback.
# The script kills only what it started (by pid and by its session names).
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${MINUTES:-10}
PORT=${PORT:-8770}
OUT=${OUT:-/tmp/w7}
PREFIX=${PREFIX:-w7}
(( MINUTES >= 3 )) || { echo "MINUTES must be at least 3" >&2; exit 2; }

mkdir -p "$OUT"
rm -rf "$OUT/soak-busy" "$OUT/soak-idle"
mkdir -p "$OUT/soak-busy" "$OUT/soak-idle"
go build -o "$OUT/downforai" .
go build -o "$OUT/fakeupstream" ./probe/fakeupstream/cmd/fakeupstream

base="http://127.0.0.1:$PORT"
"$OUT/fakeupstream" -addr "127.0.0.1:$PORT" -mode operational >"$OUT/fakeupstream.log" 2>&1 &
fake=$!
busy_s="$PREFIX-soak-busy"
idle_s="$PREFIX-soak-idle"
cleanup() {
  tmux kill-session -t "$busy_s" 2>/dev/null || true
  tmux kill-session -t "$idle_s" 2>/dev/null || true
  kill "$fake" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fsS "$base/_fake/mode" >/dev/null 2>&1 && break; sleep 0.1; done

common=(--status-url "$base" --api-url "$base" --claude-url "$base" --claude-bin "$OUT/no-such-claude")
start() { # session db flags...
  local s=$1 db=$2; shift 2
  tmux new-session -d -s "$s" -x 120 -y 35 -P -F '#{pane_pid}' \
    env ANTHROPIC_API_KEY=sk-ant-api03-soak-FAKE-key-0000 "$OUT/downforai" "${common[@]}" --db "$db" "$@"
}
busy=$(start "$busy_s" "$OUT/soak-busy/h.db" --interval 1s --status-interval 1s --timeout 900ms)
idle=$(start "$idle_s" "$OUT/soak-idle/h.db")
echo "busy pid $busy, idle pid $idle, fake pid $fake; watch with: tmux attach -t $busy_s"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
alive() { kill -0 "$1" 2>/dev/null || { echo "pid $1 died; see $OUT/soak-*/downforai.log" >&2; exit 1; }; }

t0=$(date +%s)
wait_until() { local now; now=$(date +%s); (( $1 > now - t0 )) && sleep $(( $1 - (now - t0) )); alive "$busy"; alive "$idle"; }

wait_until 120
rss2=$(rss_kb "$busy")
echo "minute 2: busy RSS ${rss2} kB"

end=$(( MINUTES * 60 ))
wait_until $(( end - 60 ))
cb0=$(cpu_ticks "$busy"); ci0=$(cpu_ticks "$idle"); w0=$(date +%s.%N)
wait_until "$end"
cb1=$(cpu_ticks "$busy"); ci1=$(cpu_ticks "$idle"); w1=$(date +%s.%N)
rssN=$(rss_kb "$busy")
rss_idle=$(rss_kb "$idle")
tmux capture-pane -p -t "$busy_s" >"$OUT/soak-busy/screen.txt"
tmux capture-pane -p -t "$idle_s" >"$OUT/soak-idle/screen.txt"
db_kb=$(( $(stat -c %s "$OUT/soak-busy/h.db") / 1024 ))

awk -v r2="$rss2" -v rn="$rssN" -v ri="$rss_idle" -v cb="$(( cb1 - cb0 ))" -v ci="$(( ci1 - ci0 ))" \
    -v hz="$hz" -v w0="$w0" -v w1="$w1" -v m="$MINUTES" -v db="$db_kb" 'BEGIN {
  secs = w1 - w0
  growth = (rn - r2) * 100 / r2
  printf "busy (1 s probes): RSS after minute 2 %.1f MiB, after minute %d %.1f MiB (%+.1f%%: %s)\n", r2/1024, m, rn/1024, growth, (growth <= 10 && growth >= -10) ? "within 10%" : "OUTSIDE 10%"
  printf "busy (1 s probes): CPU over the last %.0f s %.2f%% of one core; database %d KiB\n", secs, cb / hz * 100 / secs, db
  printf "idle (default 30 s/60 s schedule): CPU over the last %.0f s %.2f%% of one core (goal < 1%%); RSS %.1f MiB\n", secs, ci / hz * 100 / secs, ri/1024
}' | tee "$OUT/soak-report.txt"
