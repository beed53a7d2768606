#!/usr/bin/env bash
# Where the server's CPU goes, per request: runs each redis-benchmark test
# against Valkite and against redis-server (appendonly yes, appendfsync
# everysec) and prints, per test, the CPU time each server's threads spent
# per request, from /proc/PID/task/*/stat. A test is billed from an idle
# server to an idle server again, so the work it leaves behind (Valkite's
# materializer, Redis's AOF fsync) counts too.
#
#   scripts/bench-cpu.sh                   (or: make bench-cpu)
#
# Environment:
#   BENCH_REQUESTS  requests per test (default 100000)
#   BENCH_CLIENTS   parallel connections (default 50)
#   BENCH_PIPELINE  redis-benchmark -P (default 1)
#   BENCH_TESTS     redis-benchmark -t list (default: make bench's, without PING)
#   BENCH_COMMANDS  extra commands, one per line (default: make bench's); "none"
#   VALKITE_BINARY  server binary (default .build/release/valkite-server)
#   REDIS_SERVER    reference server (default redis-server from PATH)
#
# Columns, in µs of CPU per request: Valkite's event loop (user and system
# time), its materializer (journal -> type tables), its other threads (the
# flusher's fsyncs, SQL queries), and redis-server's main thread (user,
# system) and other threads (bio_aof_fsync…). redis-benchmark's own CPU is
# not counted: on a 2-core machine it shares the cores with the server, so
# the requests/s ratio also depends on how much CPU the server leaves it.
set -euo pipefail

cd "$(dirname "$0")/.."
source scripts/bench-lib.sh

REQUESTS="${BENCH_REQUESTS:-100000}"
CLIENTS="${BENCH_CLIENTS:-50}"
PIPELINE="${BENCH_PIPELINE:-1}"
TESTS="${BENCH_TESTS:-$BENCH_DEFAULT_TESTS}"
COMMANDS="${BENCH_COMMANDS:-$BENCH_DEFAULT_COMMANDS}"
[ "$COMMANDS" = none ] && COMMANDS=""
VALKITE="${VALKITE_BINARY:-.build/release/valkite-server}"
REDIS="${REDIS_SERVER:-$(command -v redis-server || true)}"
command -v redis-benchmark >/dev/null 2>&1 || { echo "bench-cpu: redis-benchmark not found" >&2; exit 1; }
bench_init bench-cpu

VALKITE_PORT="$(free_port)"
start_valkite "$WORK/valkite" "$VALKITE_PORT"
VALKITE_PID="$LAST_PID"
wait_ready "$VALKITE_PORT" "$VALKITE_PID" "$WORK/valkite/valkite.log"
REDIS_PORT="$(free_port)"
mkdir -p "$WORK/redis"
"$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save '' \
    --appendonly yes --appendfsync everysec --daemonize no --loglevel warning \
    >"$WORK/redis/redis.log" 2>&1 </dev/null &
REDIS_PID=$!
SERVER_PIDS+=("$REDIS_PID")
wait_ready "$REDIS_PORT" "$REDIS_PID" "$WORK/redis/redis.log"
echo "redis-benchmark -c $CLIENTS -n $REQUESTS -r 100000 -P $PIPELINE; µs of server CPU per request" >&2

thread_ticks() { # pid: "thread-name user system" per thread, in clock ticks
    local task
    for task in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(tr ' ' _ <"$task/comm")" "$(sed 's/.*) //' "$task/stat" | awk '{ print $12, $13 }')"
    done
}

# measure name pid port test-words…: one line "name test rps comm:user:system…"
measure() {
    local name="$1" pid="$2" port="$3" before after rps
    shift 3
    settle "$pid"
    before="$(thread_ticks "$pid")"
    if [ "$#" = 1 ]; then
        rps="$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$PIPELINE" \
               -t "$1" --csv | tail -n 1 | cut -d, -f2 | tr -d '"')"
    else
        rps="$(redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$REQUESTS" -r 100000 -P "$PIPELINE" \
               --csv "$@" | tail -n 1 | cut -d, -f2 | tr -d '"')"
    fi
    settle "$pid"
    after="$(thread_ticks "$pid")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$1" "$rps" "$(tr '\n' ';' <<<"$before")" "$(tr '\n' ';' <<<"$after")"
}

{
    for server in valkite redis; do
        if [ "$server" = valkite ]; then pid="$VALKITE_PID" port="$VALKITE_PORT"; else pid="$REDIS_PID" port="$REDIS_PORT"; fi
        redis-cli -h 127.0.0.1 -p "$port" sadd smallset a b c d e f g h i j >/dev/null
        for test in ${TESTS//,/ }; do measure "$server" "$pid" "$port" "$test"; done
        while IFS= read -r command; do
            # shellcheck disable=SC2086  # the command's words are separate arguments
            [ -z "$command" ] || measure "$server" "$pid" "$port" $command
        done <<<"$COMMANDS"
    done
} >"$WORK/ticks.tsv"

python3 - "$WORK/ticks.tsv" "$REQUESTS" "$(getconf CLK_TCK)" <<'PY'
import sys

sys.path.insert(0, "scripts")
from bench_table import print_table

path, requests, hertz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def per_thread(snapshot):
    ticks = {}
    for line in filter(None, snapshot.split(";")):
        name, user, system = line.split()
        u, s = ticks.get(name, (0, 0))
        ticks[name] = (u + int(user), s + int(system))
    return ticks

def classify(server, name):
    if server == "redis":
        return "main" if name == "redis-server" else "other"
    if name.startswith("NIO-ELT"):
        return "loop"
    return "materializer" if name == "materializer" else "other"

results = {}
for line in open(path):
    server, test, rps, before, after = line.rstrip("\n").split("\t")
    b, a = per_thread(before), per_thread(after)
    usage = {}
    for name, (user, system) in a.items():
        u0, s0 = b.get(name, (0, 0))
        kind = classify(server, name)
        cu, cs = usage.get(kind, (0.0, 0.0))
        scale = 1e6 / hertz / requests  # ticks -> µs per request
        usage[kind] = (cu + (user - u0) * scale, cs + (system - s0) * scale)
    results[(server, test)] = (float(rps), usage)

header = ("test", "loop usr", "loop sys", "materializer", "other", "valkite",
          "main usr", "main sys", "other", "redis", "CPU ratio", "rps ratio")
table = []
tests = [test for (server, test) in results if server == "valkite"]
for test in tests:
    vr, v = results[("valkite", test)]
    rr, r = results.get(("redis", test), (0.0, {}))
    total = lambda usage: sum(u + s for u, s in usage.values())
    vt, rt = total(v), total(r)
    get = lambda usage, kind: usage.get(kind, (0.0, 0.0))
    table.append((test,
                  "%.1f" % get(v, "loop")[0], "%.1f" % get(v, "loop")[1],
                  "%.1f" % sum(get(v, "materializer")), "%.1f" % sum(get(v, "other")), "%.1f" % vt,
                  "%.1f" % get(r, "main")[0], "%.1f" % get(r, "main")[1], "%.1f" % sum(get(r, "other")),
                  "%.1f" % rt, "%.2f" % (vt / rt if rt else float("nan")), "%.2f" % (vr / rr if rr else float("nan"))))
print_table(header, table)
print("\nµs of CPU per request. Valkite: event loop (user, system), materializer, other threads, total.")
print("redis-server: main thread (user, system), other threads, total. CPU ratio = valkite/redis;")
print("rps ratio = valkite/redis requests/s in the same runs.")
PY
