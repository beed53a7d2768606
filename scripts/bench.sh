#!/usr/bin/env bash
# Benchmarks Valkite against the reference redis-server with the same
# redis-benchmark load, and prints one table.
#
#   scripts/bench.sh                       (or: make bench)
#
# Environment:
#   BENCH_REQUESTS  requests per test (default 100000)
#   BENCH_CLIENTS   parallel connections (default 50)
#   BENCH_KEYSPACE  redis-benchmark -r: distinct random keys (default 100000;
#                   1000000 with BENCH_REQUESTS=1000000 makes most writes inserts)
#   BENCH_TESTS     redis-benchmark -t list (default: ping, strings, and the
#                   hash/list/set/zset tests redis-benchmark has)
#   BENCH_COMMANDS  extra commands, one per line, run as redis-benchmark custom
#                   commands after the -t tests (default: HGET, HINCRBYFLOAT,
#                   SMEMBERS of a 10-member set, ZRANGE); "none" for none
#   BENCH_PIPELINES pipeline depths to run (default "1 16")
#   BENCH_COORDINATION  1 (default) adds three rows: PUBLISH to a channel with
#                   BENCH_SUBSCRIBERS (default 10) redis-cli subscribers attached,
#                   MULTI/EXEC of SET, INCR and HSET, and BLPOP/RPUSH pairs (half
#                   the clients blocked in BLPOP, half RPUSHing); the last two
#                   by scripts/resp-load.c, compiled here with gcc; 0 skips them
#   BENCH_SCAN      1 (default) adds SCAN 0 MATCH tickers:* on a keyspace of
#                   100,000 keys of which 150 are tickers; 0 skips it
#   BENCH_HISTORY   1 (default) ends with HSET on Valkite with history-keys
#                   matching the key and not (the cost of history); 0 skips it
#   BENCH_APPENDFSYNC  everysec (default), always or no, for both servers
#   BENCH_SETTLE    1 (default): each test starts once the server is idle (its
#                   CPU time stops growing), so background work left by one test
#                   (Valkite's materializer, Redis's AOF) is not billed to the
#                   next; 0 runs the -t tests back to back in one redis-benchmark
#   BENCH_CSV       if set, also write the combined table there as CSV
#   VALKITE_BINARY  server binary (default .build/release/valkite-server)
#   REDIS_SERVER    reference server (default redis-server from PATH)
#
# Both servers run on free loopback ports in a temporary directory, without
# passwords, and are stopped on exit (also on failure or Ctrl-C). Redis runs
# with --appendonly yes --appendfsync MODE --save '' (its closest mode to
# Valkite's durability); Valkite with --appendfsync MODE, where MODE is
# BENCH_APPENDFSYNC (default everysec; `always` compares the fsync-per-write modes).
set -euo pipefail

cd "$(dirname "$0")/.."
# stop_server, free_port and wait_ready, shared with the other bench scripts.
source scripts/bench-lib.sh
BENCH_NAME=bench

REQUESTS="${BENCH_REQUESTS:-100000}"
KEYSPACE="${BENCH_KEYSPACE:-100000}"
CLIENTS="${BENCH_CLIENTS:-50}"
TESTS="${BENCH_TESTS:-ping_inline,ping_mbulk,$BENCH_DEFAULT_TESTS}"
COMMANDS="${BENCH_COMMANDS:-$BENCH_DEFAULT_COMMANDS}"
[ "$COMMANDS" = none ] && COMMANDS=""
PIPELINES="${BENCH_PIPELINES:-1 16}"
FSYNC="${BENCH_APPENDFSYNC:-everysec}"
COORDINATION="${BENCH_COORDINATION:-1}"
SCAN="${BENCH_SCAN:-1}"
HISTORY="${BENCH_HISTORY:-1}"
SUBSCRIBERS="${BENCH_SUBSCRIBERS:-10}"
SETTLE="${BENCH_SETTLE:-1}"
VALKITE="${VALKITE_BINARY:-.build/release/valkite-server}"
REDIS="${REDIS_SERVER:-$(command -v redis-server || true)}"

for tool in redis-benchmark redis-cli python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found" >&2; exit 1; }
done
[ -x "$VALKITE" ] || { echo "bench: $VALKITE not found; run 'make build' first" >&2; exit 1; }
[ -n "$REDIS" ] && [ -x "$REDIS" ] || { echo "bench: redis-server not found" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/valkite-bench.XXXXXX")"
VALKITE_PID=""
REDIS_PID=""
SUBSCRIBER_PIDS=()

stop_subscribers() {
    [ ${#SUBSCRIBER_PIDS[@]} -gt 0 ] || return 0
    kill "${SUBSCRIBER_PIDS[@]}" 2>/dev/null || true
    wait "${SUBSCRIBER_PIDS[@]}" 2>/dev/null || true
    SUBSCRIBER_PIDS=()
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_subscribers
    [ -z "$VALKITE_PID" ] || stop_server "$VALKITE_PID"
    [ -z "$REDIS_PID" ] || stop_server "$REDIS_PID"
    if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The load generator for what redis-benchmark cannot send (a MULTI/EXEC per
# round trip, BLPOP/RPUSH pairs).
LOAD="$WORK/resp-load"
if [ "$COORDINATION" = 1 ]; then
    command -v gcc >/dev/null 2>&1 || { echo "bench: gcc not found (needed for scripts/resp-load.c; BENCH_COORDINATION=0 skips it)" >&2; exit 1; }
    gcc -O2 -Wall -o "$LOAD" scripts/resp-load.c
fi

VALKITE_PORT="$(free_port)"
VALKITE_ABS="$(cd "$(dirname "$VALKITE")" && pwd)/$(basename "$VALKITE")"
mkdir -p "$WORK/valkite" "$WORK/redis"
# The server reads ./.env from its working directory and VALKEY_* from the
# environment: run it in its own directory without them, so a developer's
# .env (password, port) does not apply to the benchmark.
unset_valkey=()
for name in $(compgen -e); do
    case "$name" in VALKEY_*) unset_valkey+=(-u "$name") ;; esac
done
(cd "$WORK/valkite" && exec env ${unset_valkey[@]+"${unset_valkey[@]}"} \
    "$VALKITE_ABS" --port "$VALKITE_PORT" --bind 127.0.0.1 --dir "$WORK/valkite" \
    --appendfsync "$FSYNC" --loglevel warning \
    >"$WORK/valkite.log" 2>&1 </dev/null) &
VALKITE_PID=$!
wait_ready "$VALKITE_PORT" "$VALKITE_PID" "$WORK/valkite.log"

REDIS_PORT="$(free_port)"
"$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save '' \
    --appendonly yes --appendfsync "$FSYNC" --daemonize no --loglevel warning \
    >"$WORK/redis.log" 2>&1 </dev/null &
REDIS_PID=$!
wait_ready "$REDIS_PORT" "$REDIS_PID" "$WORK/redis.log"

echo "Servers: $("$VALKITE_ABS" --version 2>/dev/null | head -n 1) on :$VALKITE_PORT," \
     "$("$REDIS" --version | cut -d' ' -f1-3) on :$REDIS_PORT"
echo "redis-benchmark -c $CLIENTS -n $REQUESTS -r $KEYSPACE -t $TESTS, pipeline depths: $PIPELINES"

server_pid() { # name
    if [ "$1" = valkite ]; then echo "$VALKITE_PID"; else echo "$REDIS_PID"; fi
}

run() { # name port pipeline
    local name="$1" port="$2" pipeline="$3" out="$WORK/$1-P$3.csv" pid test
    pid="$(server_pid "$name")"
    echo "  $name, -P $pipeline ..." >&2
    if [ "$SETTLE" = 1 ]; then
        # One redis-benchmark per test, each starting on an idle server.
        : >"$out"
        for test in ${TESTS//,/ }; do
            settle "$pid"
            redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r "$KEYSPACE" \
                -P "$pipeline" -t "$test" --csv 2>>"$WORK/$1-P$3.err" >"$WORK/one.csv" || {
                echo "bench: redis-benchmark -t $test against $name failed:" >&2; cat "$WORK/$1-P$3.err" >&2; return 1; }
            if [ -s "$out" ]; then tail -n +2 "$WORK/one.csv" >>"$out"; else cat "$WORK/one.csv" >"$out"; fi
        done
    else
        redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r "$KEYSPACE" \
            -P "$pipeline" -t "$TESTS" --csv >"$out" 2>"$WORK/$1-P$3.err" || {
            echo "bench: redis-benchmark against $name failed:" >&2; cat "$WORK/$1-P$3.err" >&2; return 1; }
    fi
    # Custom commands (their CSV rows, without the header, join the -t rows).
    redis-cli -h 127.0.0.1 -p "$port" sadd smallset a b c d e f g h i j >/dev/null
    while IFS= read -r command; do
        [ -n "$command" ] || continue
        [ "$SETTLE" = 1 ] && settle "$pid"
        # shellcheck disable=SC2086  # the command's words are separate arguments
        redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r "$KEYSPACE" \
            -P "$pipeline" --csv $command 2>>"$WORK/$1-P$3.err" | tail -n +2 >>"$out" || {
            echo "bench: redis-benchmark $command against $name failed" >&2; return 1; }
    done <<<"$COMMANDS"
    if [ "$SCAN" = 1 ]; then scan_row "$name" "$port" "$pipeline" "$out"; fi
    [ "$COORDINATION" = 1 ] && coordination "$name" "$port" "$pipeline" "$out"
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "bench: $name died during the benchmark" >&2; return 1
    fi
}

scan_row() { # name port pipeline out: SCAN 0 MATCH tickers:* over 100,000 keys, 150 of them tickers
    local name="$1" port="$2" pipeline="$3" out="$4"
    redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null
    python3 -c '
import sys
out = sys.stdout.buffer
def command(*words):
    out.write(b"*%d\r\n" % len(words) + b"".join(b"$%d\r\n%s\r\n" % (len(w), w) for w in words))
for i in range(100000 - 150):
    command(b"SET", b"filler:%d" % i, b"x")
for i in range(150):
    command(b"HSET", b"tickers:SYM%d" % i, b"bid", b"1")
' | redis-cli -h 127.0.0.1 -p "$port" --pipe >/dev/null
    [ "$SETTLE" = 1 ] && settle "$(server_pid "$name")"
    redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" --csv \
        SCAN 0 MATCH 'tickers:*' 2>>"$WORK/$1-P$3.err" | tail -n +2 >>"$out" || {
        echo "bench: SCAN against $name failed" >&2; return 1; }
    redis-cli -h 127.0.0.1 -p "$port" flushall >/dev/null
}

# The cost of history-keys: HSET on Valkite with the key matching it and not,
# alternately, best of two each.
history_cost() {
    local port="$VALKITE_PORT" without=0 with=0 rps
    for round in 1 2; do
        for patterns in "" "myhash"; do
            redis-cli -h 127.0.0.1 -p "$port" config set history-keys "$patterns" >/dev/null
            rps="$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -t hset --csv \
                   | tail -n 1 | cut -d, -f2 | tr -d '"')"
            if [ -z "$patterns" ]; then
                without="$(python3 -c "print(max($without, $rps))")"
            else
                with="$(python3 -c "print(max($with, $rps))")"
            fi
        done
    done
    redis-cli -h 127.0.0.1 -p "$port" config set history-keys "" >/dev/null
    python3 -c "print('\nHSET with history-keys matching the key: %.0f requests/s, without: %.0f (ratio %.2f)'
                % ($with, $without, $with / $without))"
}

coordination() { # name port pipeline out: the PUBLISH, MULTI/EXEC and BLPOP/RPUSH rows
    local name="$1" port="$2" pipeline="$3" out="$4" err="$WORK/$1-P$3.err"
    for _ in $(seq 1 "$SUBSCRIBERS"); do
        redis-cli -h 127.0.0.1 -p "$port" subscribe bench:channel >/dev/null 2>&1 &
        SUBSCRIBER_PIDS+=($!)
    done
    for _ in $(seq 1 100); do
        [ "$(redis-cli -h 127.0.0.1 -p "$port" pubsub numsub bench:channel | tail -n 1)" = "$SUBSCRIBERS" ] && break
        sleep 0.1
    done
    [ "$SETTLE" = 1 ] && settle "$(server_pid "$name")"
    redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" --csv \
        PUBLISH bench:channel hello 2>>"$err" | tail -n +2 >>"$out" || {
        echo "bench: PUBLISH against $name failed" >&2; return 1; }
    stop_subscribers
    [ "$SETTLE" = 1 ] && settle "$(server_pid "$name")"
    "$LOAD" -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" -t MULTI/EXEC \
        'MULTI;SET bench:key value;INCR bench:counter;HSET bench:hash field value;EXEC' 2>>"$err" | tail -n +2 >>"$out" || {
        echo "bench: MULTI/EXEC against $name failed:" >&2; cat "$err" >&2; return 1; }
    [ "$SETTLE" = 1 ] && settle "$(server_pid "$name")"
    "$LOAD" -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -P "$pipeline" -t BLPOP/RPUSH \
        -f 'RPUSH bench:queue job' 'BLPOP bench:queue 0' 2>>"$err" | tail -n +2 >>"$out" || {
        echo "bench: BLPOP/RPUSH against $name failed:" >&2; cat "$err" >&2; return 1; }
}

for p in $PIPELINES; do
    run valkite "$VALKITE_PORT" "$p"
    redis-cli -h 127.0.0.1 -p "$VALKITE_PORT" flushall >/dev/null
    run redis "$REDIS_PORT" "$p"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
done

python3 - "$WORK" "$PIPELINES" "${BENCH_CSV:-}" <<'PY'
import csv, os, sys

sys.path.insert(0, "scripts")
from bench_table import print_table

work, pipelines, out_csv = sys.argv[1], sys.argv[2].split(), sys.argv[3]

def load(path):
    with open(path, newline="") as f:
        rows = {}
        for row in csv.DictReader(f):
            name = row["test"]
            if " " in name:  # a custom command: "SMEMBERS smallset" -> "SMEMBERS"
                name = name.split(" ")[0]
            rows[name] = row
        return rows

rows = []
for p in pipelines:
    v = load(os.path.join(work, "valkite-P%s.csv" % p))
    r = load(os.path.join(work, "redis-P%s.csv" % p))
    for test in v:
        if test not in r:
            continue
        vr, rr = float(v[test]["rps"]), float(r[test]["rps"])
        rows.append({
            "pipeline": p, "test": test,
            "valkite_rps": vr, "redis_rps": rr, "ratio": round(vr / rr, 3) if rr else float("nan"),
            "valkite_p50_ms": float(v[test]["p50_latency_ms"]), "valkite_p99_ms": float(v[test]["p99_latency_ms"]),
            "redis_p50_ms": float(r[test]["p50_latency_ms"]), "redis_p99_ms": float(r[test]["p99_latency_ms"]),
        })

header = ("test", "-P", "valkite rps", "redis rps", "ratio", "valkite p50", "valkite p99", "redis p50", "redis p99")
table = [(
    row["test"], row["pipeline"], "%.0f" % row["valkite_rps"], "%.0f" % row["redis_rps"], "%.2f" % row["ratio"],
    "%.3f" % row["valkite_p50_ms"], "%.3f" % row["valkite_p99_ms"],
    "%.3f" % row["redis_p50_ms"], "%.3f" % row["redis_p99_ms"]) for row in rows]
print()
print_table(header, table)
print("\nrps = requests/s (higher is better), ratio = valkite/redis; p50/p99 latencies in ms.")
print("Custom commands are named by their first word (redis-benchmark runs them with random keys).")
if os.environ.get("BENCH_COORDINATION", "1") == "1":
    print("PUBLISH: %s redis-cli subscribers attached to the channel. MULTI/EXEC: MULTI, SET, INCR, HSET, EXEC"
          % os.environ.get("BENCH_SUBSCRIBERS", "10"))
    print("per round trip, counted once. BLPOP/RPUSH: completed pairs/s, half the clients blocked in BLPOP,")
    print("half RPUSHing; latency from sending BLPOP to receiving the element.")

if out_csv:
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["test"])
        w.writeheader()
        for row in rows:
            w.writerow(row)
    print("CSV written to %s" % out_csv)
PY

if [ "$HISTORY" = 1 ]; then history_cost; fi
