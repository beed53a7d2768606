#!/usr/bin/env bash
# Memory of Valkite against the reference redis-server holding the same data:
# RSS after loading 1,000,000 string keys, a hash of 1,000,000 fields and a
# list of 1,000,000 elements, and the bytes each item adds.
#
#   scripts/bench-memory.sh                (or: make bench-memory)
#
# Environment:
#   BENCH_MEMORY_ITEMS  keys / fields / elements per data set (default 1000000)
#   BENCH_MEMORY_SIZE   bytes per value (default 100)
#   BENCH_MEMORY_SETS   data sets to measure (default "strings hash list")
#   BENCH_CSV           if set, also write the table there as CSV
#   BENCH_KEEP=1        keep the temporary directory (data, logs)
#   VALKITE_BINARY      server binary (default .build/release/valkite-server)
#   REDIS_SERVER        reference server (default redis-server from PATH)
#
# Each data set gets fresh servers (so one set's freed memory does not count
# for the next), one at a time, on free loopback ports in a temporary
# directory. redis-server runs without persistence (it does not change what
# it holds in memory); Valkite in its default mode. The data is RESP written by
# scripts/resp-gen.py and sent with `redis-cli --pipe`; Valkite is measured
# once its materializer has caught up (INFO `valkite_tables_pending_changes:0`).
# RSS is VmRSS of /proc/<pid>/status; Valkite's includes the pages of its
# database files that SQLite has memory-mapped (shown separately, from
# /proc/<pid>/smaps). Bytes per item = (RSS loaded - RSS empty) / items.
# Valkite is then restarted on its data and measured again once serving:
# what it holds when loaded from SQLite rather than fed over the network.
set -euo pipefail

cd "$(dirname "$0")/.."

ITEMS="${BENCH_MEMORY_ITEMS:-1000000}"
SIZE="${BENCH_MEMORY_SIZE:-100}"
SETS="${BENCH_MEMORY_SETS:-strings hash list}"
VALKITE="${VALKITE_BINARY:-.build/release/valkite-server}"
REDIS="${REDIS_SERVER:-$(command -v redis-server || true)}"

# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
bench_init bench-memory

count_of() { # port set: how many items the server holds
    case "$2" in
        strings) redis-cli -h 127.0.0.1 -p "$1" dbsize ;;
        hash) redis-cli -h 127.0.0.1 -p "$1" hlen bench:hash ;;
        list) redis-cli -h 127.0.0.1 -p "$1" llen bench:list ;;
    esac
}

measure() { # server set file: one fresh server, empty RSS, load, loaded RSS -> a line in $WORK/results
    local server="$1" set="$2" file="$3" port dir pid empty loaded anon mapped held started seconds restarted
    port="$(free_port)"
    dir="$WORK/$set-$server"
    if [ "$server" = valkite ]; then start_valkite "$dir" "$port"; else start_redis "$dir" "$port"; fi
    pid="$LAST_PID"
    wait_ready "$port" "$pid" "$dir/$server.log"
    sleep 0.5
    empty="$(status_kib "$pid" VmRSS)"
    started="$(date +%s.%N)"
    pipe_in "$port" "$file"
    [ "$server" = valkite ] && wait_materialized "$port"
    held="$(count_of "$port" "$set")"
    [ "$held" = "$ITEMS" ] || { echo "bench-memory: $server holds $held items of $set, expected $ITEMS" >&2; return 1; }
    # Transient buffers (journal batches, client buffers) are freed, and Valkite's
    # materializer gives its page cache and free heap back 2 s after the last write.
    sleep 3
    loaded="$(status_kib "$pid" VmRSS)"
    anon="$(status_kib "$pid" RssAnon)"
    mapped="$(mapped_kib "$pid" "$dir")"
    seconds="$(python3 -c "import time; print('%.1f' % (time.time() - $started))")"
    stop_server "$pid"
    restarted=0
    if [ "$server" = valkite ]; then
        # The same data loaded back from SQLite at start-up: without the
        # page cache the materializer filled, nor the heap left over from
        # receiving the data.
        start_valkite "$dir" "$port"
        pid="$LAST_PID"
        wait_ready "$port" "$pid" "$dir/$server.log"
        sleep 0.5
        restarted="$(status_kib "$pid" VmRSS)"
        stop_server "$pid"
    fi
    echo "$set $server $empty $loaded $anon $mapped $seconds $restarted" >>"$WORK/results"
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir"
}

echo "Servers: $("$VALKITE_ABS" --version 2>/dev/null | head -n 1), $("$REDIS" --version | cut -d' ' -f1-3)"
echo "Data sets: $SETS; $ITEMS items of $SIZE-byte values each"
for set in $SETS; do
    case "$set" in strings|hash|list) ;; *) echo "bench-memory: unknown data set $set" >&2; exit 1 ;; esac
    file="$WORK/$set.resp"
    python3 scripts/resp-gen.py "$set" "$ITEMS" "$SIZE" >"$file"
    for server in valkite redis; do
        echo "  $set: $server ..." >&2
        measure "$server" "$set" "$file"
    done
    rm -f "$file"
done

python3 - "$WORK/results" "$ITEMS" "$SIZE" "${BENCH_CSV:-}" <<'PY'
import csv, sys

sys.path.insert(0, "scripts")
from bench_table import print_table

path, items, size, out_csv = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
measured = {}
order = []
for line in open(path):
    data_set, server, empty, loaded, anon, mapped, seconds, restarted = line.split()
    if data_set not in order:
        order.append(data_set)
    measured[data_set, server] = dict(empty=int(empty), loaded=int(loaded), anon=int(anon),
                                      mapped=int(mapped), seconds=float(seconds), restarted=int(restarted))

names = {"strings": "%d string keys" % items, "hash": "hash, %d fields" % items, "list": "list, %d elements" % items}
rows = []
for data_set in order:
    v, r = measured[data_set, "valkite"], measured[data_set, "redis"]
    per_item = lambda m: (m["loaded"] - m["empty"]) * 1024 / items
    rows.append({
        "data_set": data_set, "items": items, "value_bytes": size,
        "valkite_rss_mib": round(v["loaded"] / 1024, 1), "valkite_rss_file_mib": round(v["mapped"] / 1024, 1),
        "redis_rss_mib": round(r["loaded"] / 1024, 1), "ratio": round(v["loaded"] / r["loaded"], 2),
        "valkite_bytes_per_item": round(per_item(v)), "redis_bytes_per_item": round(per_item(r)),
        "valkite_restarted_rss_mib": round(v["restarted"] / 1024, 1),
        "restarted_ratio": round(v["restarted"] / r["loaded"], 2),
        "valkite_restarted_bytes_per_item": round((v["restarted"] - v["empty"]) * 1024 / items),
        "valkite_empty_rss_mib": round(v["empty"] / 1024, 1), "redis_empty_rss_mib": round(r["empty"] / 1024, 1),
        "valkite_load_s": v["seconds"], "redis_load_s": r["seconds"],
    })

header = ("data set", "valkite RSS MiB", "(mapped)", "redis RSS MiB", "ratio", "valkite B/item", "redis B/item",
          "restarted MiB", "ratio", "B/item", "empty RSS MiB v/r", "load s v/r")
table = [(
    names[row["data_set"]], "%.1f" % row["valkite_rss_mib"], "%.1f" % row["valkite_rss_file_mib"],
    "%.1f" % row["redis_rss_mib"], "%.2f" % row["ratio"], "%d" % row["valkite_bytes_per_item"],
    "%d" % row["redis_bytes_per_item"], "%.1f" % row["valkite_restarted_rss_mib"], "%.2f" % row["restarted_ratio"],
    "%d" % row["valkite_restarted_bytes_per_item"],
    "%.1f/%.1f" % (row["valkite_empty_rss_mib"], row["redis_empty_rss_mib"]),
    "%.1f/%.1f" % (row["valkite_load_s"], row["redis_load_s"])) for row in rows]
print()
print_table(header, table)
print("\nRSS = VmRSS once loaded (Valkite: after its materializer caught up); (mapped) = the part of Valkite's RSS")
print("that is its database files mapped by SQLite (mmap, -shm). ratio = valkite/redis RSS (target <= 1.5 for")
print("strings). B/item = (loaded - empty RSS) / items. restarted = Valkite's RSS once restarted on the same data")
print("(loaded back from SQLite: no page cache, no heap left over from receiving it); its ratio is to redis-server's")
print("loaded RSS. %d-byte values; redis-server without persistence." % size)

if out_csv:
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        for row in rows:
            w.writerow(row)
    print("CSV written to %s" % out_csv)
PY
