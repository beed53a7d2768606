"""Collections through restarts, kill -9 and the SQL tables.

Every collection type is written with redis-py, the server is killed with
SIGKILL (or stopped), restarted, and each key must read back identically;
the rows `sqlite3` sees must equal what the commands return.
"""
from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from conftest import spawn_valkite


def start(workdir: Path, *flags):
    return spawn_valkite(workdir, "--dir", str(workdir / "data"), *flags)


def sql(workdir: Path, query: str) -> list[str]:
    out = subprocess.run(["sqlite3", "-readonly", str(workdir / "data" / "valkite.db"), query],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def write_workload(r):
    """A trading-stack shaped workload touching every collection command family."""
    r.hset("tickers:BTC", mapping={"bid": "64000.5", "ask": "64001", "volume": "0"})
    r.hincrbyfloat("tickers:BTC", "volume", 1.25)
    r.hset("orders", mapping={f"o{i}": f'{{"id": {i}, "qty": {i}.5}}' for i in range(50)})
    r.hdel("orders", "o3", "o7")
    r.hset(b"bin\xffhash", b"f\x00", b"\x00\x01\xfe")
    for i in range(20):
        r.rpush("fills:1", f"fill-{i}")
    r.lpush("fills:1", "first")
    r.linsert("fills:1", "BEFORE", "fill-10", "middle")
    r.lrem("fills:1", 1, "fill-5")
    r.lset("fills:1", 2, "changed")
    r.ltrim("fills:1", 1, -2)
    r.rpop("fills:1")
    r.lpush("queue", *[f"job{i}" for i in range(5)])
    r.lmove("queue", "done", "RIGHT", "LEFT")
    r.sadd("open:alice", "o1", "o2", "o9", "o11")
    r.srem("open:alice", "o2")
    r.sadd("ints", *range(100))
    r.spop("ints", 10)
    r.sunionstore("open:all", ["open:alice", "ints"])
    r.zadd("orderbook:BTC", {"ask1": 64001, "ask2": 64002.5, "bid1": 63999.75, "inf": float("inf")})
    r.zincrby("orderbook:BTC", -0.25, "ask1")
    r.zrem("orderbook:BTC", "ask2")
    r.zadd("big", {f"m{i}": i / 3 for i in range(300)})
    r.zremrangebyrank("big", 0, 9)
    r.zinterstore("inter", ["big", "orderbook:BTC"])
    r.hset("gone", "f", "v")
    r.hdel("gone", "f")  # the last field: the key is gone
    r.rpush("ttl-list", "a")
    r.expire("ttl-list", 1000)
    r.copy("orders", "orders-copy")
    r.rename("open:alice", "open:bob")
    r.move("queue", 2)


def snapshot(r) -> dict:
    """Every key's type and contents, comparable across servers."""
    state = {}
    for key in sorted(r.keys("*")):
        kind = r.type(key)
        if kind == b"hash":
            value = sorted(r.hgetall(key).items())
        elif kind == b"list":
            value = r.lrange(key, 0, -1)
        elif kind == b"set":
            value = sorted(r.smembers(key))
        elif kind == b"zset":
            value = r.zrange(key, 0, -1, withscores=True)
        else:
            value = r.get(key)
        state[key] = (kind, value, r.ttl(key) > 0, r.object("encoding", key))
    return state


def test_every_collection_survives_kill_9(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    write_workload(r)
    before = snapshot(r)
    r.select(2)
    moved = r.lrange("queue", 0, -1)
    r.select(0)
    assert b"gone" not in before and before[b"fills:1"][1][0] == b"fill-0"
    server.kill()  # SIGKILL: only the journal has the last writes

    restarted = start(tmp_path)
    r = restarted.redis()
    assert snapshot(r) == before
    r.select(2)
    assert r.lrange("queue", 0, -1) == moved
    r.select(0)
    assert restarted.stop() == 0


def test_sql_rows_equal_what_the_commands_return(tmp_path):
    server = start(tmp_path)
    raw = server.redis()
    write_workload(raw)
    raw.delete(b"bin\xffhash")  # the rest is text, compared through a decoding client
    r = server.redis(decode_responses=True)
    r.save()  # the tables are up to date (and checkpointed)
    assert sql(tmp_path, "SELECT value FROM lists WHERE key = 'fills:1' ORDER BY pos") == r.lrange("fills:1", 0, -1)
    positions = sql(tmp_path, "SELECT max(pos) - min(pos) + 1 = count(*) FROM lists GROUP BY db, key")
    assert positions and set(positions) == {"1"}  # contiguous in every list
    rows = sql(tmp_path, "SELECT field || '=' || value FROM hashes WHERE key = 'tickers:BTC' ORDER BY field")
    assert rows == [f"{f}={v}" for f, v in sorted(r.hgetall("tickers:BTC").items())]
    assert sql(tmp_path, "SELECT json_extract(value, '$.qty') FROM hashes WHERE key = 'orders' AND field = 'o4'") == ["4.5"]
    assert sorted(sql(tmp_path, "SELECT member FROM sets WHERE key = 'open:bob'")) == sorted(r.smembers("open:bob"))
    zrows = sql(tmp_path, "SELECT member || ' ' || score FROM zsets WHERE key = 'orderbook:BTC' ORDER BY score, member")
    assert [row.split(" ")[0] for row in zrows] == r.zrange("orderbook:BTC", 0, -1)
    assert zrows[-1] == "inf Inf"
    types = dict(row.split("|") for row in sql(tmp_path, "SELECT key, type FROM keys WHERE db = 0"))
    assert types == {k: r.type(k) for k in r.keys("*")}
    assert sql(tmp_path, "SELECT count(*) FROM expires WHERE key = 'ttl-list'") == ["1"]
    assert server.stop() == 0


def test_tables_catch_up_without_save_and_a_clean_stop_empties_the_journal(tmp_path):
    server = start(tmp_path)
    r = server.redis(decode_responses=True)
    r.rpush("l", "a", "b", "c")
    deadline = time.monotonic() + 5
    while sql(tmp_path, "SELECT count(*) FROM lists") != ["3"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sql(tmp_path, "SELECT count(*) FROM lists") == ["3"]
    assert server.stop() == 0
    # Everything is in the tables: no journal segment is left behind.
    assert list((tmp_path / "data").glob("valkite-journal.*.log")) == []
