# Helpers shared by scripts/bench.sh, bench-memory.sh and bench-startup.sh
# (sourced, not run). The caller sets VALKITE and REDIS (binaries) and calls
# bench_init first; every server started through here is stopped on exit.

# The load make bench and make bench-cpu run by default: redis-benchmark's
# -t tests after PING, then custom commands, one per line.
BENCH_DEFAULT_TESTS="set,get,incr,mset,hset,lpush,rpush,lpop,rpop,lrange_100,sadd,spop,zadd,zpopmin"
BENCH_DEFAULT_COMMANDS='HGET myhash element:__rand_int__
HINCRBYFLOAT trades:__rand_int__ volume 0.5
SMEMBERS smallset
ZRANGE myzset 0 9 WITHSCORES'

bench_init() { # name: creates $WORK and installs the cleanup trap
    BENCH_NAME="$1"
    for tool in redis-cli python3; do
        command -v "$tool" >/dev/null 2>&1 || { echo "$BENCH_NAME: $tool not found" >&2; exit 1; }
    done
    [ -x "$VALKITE" ] || { echo "$BENCH_NAME: $VALKITE not found; run 'make build' first" >&2; exit 1; }
    VALKITE_ABS="$(cd "$(dirname "$VALKITE")" && pwd)/$(basename "$VALKITE")"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/valkite-$BENCH_NAME.XXXXXX")"
    SERVER_PIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # The server reads ./.env and VALKEY_* from the environment: run it
    # without them, so a developer's password or port does not apply.
    UNSET_VALKEY=()
    for name in $(compgen -e); do
        case "$name" in VALKEY_*) UNSET_VALKEY+=(-u "$name") ;; esac
    done
}

bench_cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do stop_server "$pid"; done
    if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "$BENCH_NAME: kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}

stop_server() { # pid: SIGTERM, wait up to 60 s (Valkite commits on the way out), then SIGKILL
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "$BENCH_NAME: pid $pid ignored SIGTERM for 60s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() { # port pid log: until PING answers PONG (not -LOADING)
    local port="$1" pid="$2" log="$3"
    for _ in $(seq 1 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$BENCH_NAME: server exited during start-up:" >&2; tail -n 20 "$log" >&2; return 1
        fi
        [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.1
    done
    echo "$BENCH_NAME: server did not answer PING within 60s:" >&2; tail -n 20 "$log" >&2; return 1
}

start_valkite() { # dir port: starts Valkite on dir (in the background), sets LAST_PID
    local dir="$1" port="$2"
    mkdir -p "$dir"
    (cd "$dir" && exec env ${UNSET_VALKEY[@]+"${UNSET_VALKEY[@]}"} \
        "$VALKITE_ABS" --port "$port" --bind 127.0.0.1 --dir "$dir" --appendfsync everysec \
        --loglevel notice >>"$dir/valkite.log" 2>&1 </dev/null) &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
}

start_redis() { # dir port: redis-server without persistence, sets LAST_PID
    local dir="$1" port="$2"
    [ -n "$REDIS" ] && [ -x "$REDIS" ] || { echo "$BENCH_NAME: redis-server not found" >&2; return 1; }
    mkdir -p "$dir"
    "$REDIS" --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
        --daemonize no --loglevel warning >"$dir/redis.log" 2>&1 </dev/null &
    LAST_PID=$!
    SERVER_PIDS+=("$LAST_PID")
}

status_kib() { # pid field: a /proc/<pid>/status size in KiB (VmRSS, RssAnon…)
    awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"
}

mapped_kib() { # pid dir: resident KiB of the pid's mappings of files under dir (SQLite's mmap and -shm)
    awk -v dir="$2/" '
        /^[0-9a-f]+-[0-9a-f]+ / { inside = index($6, dir) == 1; next }
        inside && $1 == "Rss:" { sum += $2 }
        END { print sum + 0 }' "/proc/$1/smaps"
}

pipe_in() { # port file: sends the RESP file through redis-cli --pipe, fails on any error reply
    local port="$1" file="$2" out
    out="$(redis-cli -h 127.0.0.1 -p "$port" --pipe --pipe-timeout 120 <"$file" 2>&1)" || {
        echo "$BENCH_NAME: redis-cli --pipe failed: $out" >&2; return 1; }
    case "$out" in *"errors: 0,"*) ;; *) echo "$BENCH_NAME: redis-cli --pipe: $out" >&2; return 1 ;; esac
}

wait_materialized() { # port: until Valkite's materializer has copied every change into the tables
    local port="$1"
    for _ in $(seq 1 3000); do
        redis-cli -h 127.0.0.1 -p "$port" info persistence | tr -d '\r' \
            | grep -qx 'valkite_tables_pending_changes:0' && return 0
        sleep 0.1
    done
    echo "$BENCH_NAME: the materializer did not catch up within 300s" >&2; return 1
}

settle() { # pid: waits (up to 60 s) until the process is idle: under 10 ms of CPU in 250 ms
    local pid="$1" before after
    for _ in $(seq 1 240); do
        before="$(cpu_ticks "$pid")" || return 0
        sleep 0.25
        after="$(cpu_ticks "$pid")" || return 0
        [ $((after - before)) -le 1 ] && return 0
    done
    echo "$BENCH_NAME: pid $pid still busy after 60 s, going on" >&2
}

cpu_ticks() { # pid: user + system CPU time in clock ticks (1/100 s)
    [ -r "/proc/$1/stat" ] || return 1
    sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
