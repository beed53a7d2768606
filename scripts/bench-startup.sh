#!/usr/bin/env bash
# Start-up time of Valkite with a large database: from process start to the
# first PING answered with PONG (not -LOADING), with the database size on disk.
#
#   scripts/bench-startup.sh               (or: make bench-startup)
#
# Environment:
#   BENCH_STARTUP_KEYS   string keys in the database (default 1000000)
#   BENCH_STARTUP_SIZE   bytes per value (default 100)
#   BENCH_STARTUP_RUNS   timed start-ups (default 3)
#   BENCH_STARTUP_DATA   an existing data directory of a stopped Valkite to
#                        time instead of building one (it is opened in place)
#   BENCH_CSV            if set, also write one CSV row per run there
#   BENCH_KEEP=1         keep the temporary directory (database, logs)
#   VALKITE_BINARY       server binary (default .build/release/valkite-server)
#
# The database is built as scripts/bench-memory.sh builds its strings data set
# (scripts/resp-gen.py through `redis-cli --pipe`, distinct keys), then the
# server is stopped with SIGTERM (a clean shutdown: everything materialized,
# WAL checkpointed, journal deleted). Each run starts the binary on a free
# loopback port and sends PING every 2 ms over one socket per attempt.
set -euo pipefail

cd "$(dirname "$0")/.."

KEYS="${BENCH_STARTUP_KEYS:-1000000}"
SIZE="${BENCH_STARTUP_SIZE:-100}"
RUNS="${BENCH_STARTUP_RUNS:-3}"
VALKITE="${VALKITE_BINARY:-.build/release/valkite-server}"
REDIS=""

# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
bench_init bench-startup

if [ -n "${BENCH_STARTUP_DATA:-}" ]; then
    DATA="$(cd "$BENCH_STARTUP_DATA" && pwd)"
else
    DATA="$WORK/data"
    echo "Building a database of $KEYS string keys ($SIZE-byte values)..." >&2
    python3 scripts/resp-gen.py strings "$KEYS" "$SIZE" >"$WORK/strings.resp"
    port="$(free_port)"
    start_valkite "$DATA" "$port"
    wait_ready "$port" "$LAST_PID" "$DATA/valkite.log"
    pipe_in "$port" "$WORK/strings.resp"
    wait_materialized "$port"
    stop_server "$LAST_PID"
    rm -f "$WORK/strings.resp"
fi
# What is on disk: the database, its WAL and shared memory file, journal segments.
DISK_BYTES="$(find "$DATA" -maxdepth 1 -type f \( -name '*.db' -o -name '*.db-wal' -o -name '*.db-shm' \
    -o -name '*.log' ! -name valkite.log \) -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"

echo "$("$VALKITE_ABS" --version 2>/dev/null | head -n 1); database $DATA, $((DISK_BYTES / 1024 / 1024)) MiB on disk"
for run in $(seq 1 "$RUNS"); do
    port="$(free_port)"
    python3 - "$VALKITE_ABS" "$DATA" "$port" "$run" ${UNSET_VALKEY[@]+"${UNSET_VALKEY[@]}"} >>"$WORK/runs" <<'PY'
import os, signal, socket, subprocess, sys, time

binary, data, port, run = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
environment = {k: v for k, v in os.environ.items() if not k.startswith("VALKEY_")}
log = open(os.path.join(data, "valkite.log"), "ab")

def ping():
    """The first reply line to PING, or None when nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(256).split(b"\r\n")[0]
    except OSError:
        return None

started = time.monotonic()
server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", data,
                           "--loglevel", "notice"], cwd=data, env=environment,
                          stdin=subprocess.DEVNULL, stdout=log, stderr=log)
listening = serving = None
try:
    while time.monotonic() - started < 300:
        if server.poll() is not None:
            sys.exit("bench-startup: valkite-server exited during start-up (see %s/valkite.log)" % data)
        reply = ping()
        now = time.monotonic() - started
        if reply is not None and listening is None:
            listening = now
        if reply == b"+PONG":
            serving = now
            break
        time.sleep(0.002)
    if serving is None:
        sys.exit("bench-startup: no PONG within 300 s")
    status = open("/proc/%d/status" % server.pid).read()
    rss = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmRSS:")))
    # CPU time so far (user + system, all threads): what the start-up cost
    # regardless of how busy the machine is.
    fields = open("/proc/%d/stat" % server.pid).read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"DBSIZE\r\n")
        keys = int(s.recv(64)[1:].split(b"\r\n")[0])
    print(run, "%.3f" % listening, "%.3f" % serving, "%.2f" % cpu, keys, rss)
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=120)
PY
    loader="$(grep -o 'DB loaded from disk: [0-9]* keys ([0-9]* expired dropped) in [0-9.]* seconds' \
        "$DATA/valkite.log" | tail -n 1 | awk '{ print $(NF - 1) }')"
    sed -i "\$s/\$/ ${loader:-?}/" "$WORK/runs"
    echo "  run $run: $(tail -n 1 "$WORK/runs" | awk '{ print $3 }') s" >&2
done

python3 - "$WORK/runs" "$DISK_BYTES" "${BENCH_CSV:-}" <<'PY'
import csv, statistics, sys

path, disk, out_csv = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for line in open(path):
    run, listening, serving, cpu, keys, rss, loader = line.split()
    rows.append(dict(run=int(run), keys=int(keys), disk_mib=round(disk / 2**20, 1), listening_s=float(listening),
                     serving_s=float(serving), loader_s=float(loader) if loader != "?" else None,
                     cpu_s=float(cpu), rss_mib=round(int(rss) / 1024, 1)))
print()
print("run  keys     on disk MiB  listening s  serving s  loader s  CPU s  RSS MiB")
print("---  -------  -----------  -----------  ---------  --------  -----  -------")
for row in rows:
    print("%3d  %7d  %11.1f  %11.3f  %9.3f  %8s  %5.2f  %7.1f" % (
        row["run"], row["keys"], row["disk_mib"], row["listening_s"], row["serving_s"],
        "%.2f" % row["loader_s"] if row["loader_s"] is not None else "?", row["cpu_s"], row["rss_mib"]))
serving = [row["serving_s"] for row in rows]
print("\nserving: best %.3f s, median %.3f s, worst %.3f s (target <= 2 s for 1,000,000 keys)"
      % (min(serving), statistics.median(serving), max(serving)))
print("listening = first TCP connection accepted (-LOADING until serving); serving = first PING answered PONG;")
print("loader = the load itself as the server logs it (\"DB loaded from disk ... in N seconds\");")
print("CPU = the server's user + system time until serving (all threads): the cost when the machine is busy.")
if out_csv:
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print("CSV written to %s" % out_csv)
PY
