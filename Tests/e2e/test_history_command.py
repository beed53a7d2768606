"""`HISTORY key [FIELD f] [SINCE ms] [UNTIL ms] [COUNT n] [REV]` and
`HISTORY AT key ms` through redis-py, over rows written by the server itself
(`history-keys`) and over rows put into the `history` table by hand.

The AT checks take a snapshot of each key with the ordinary commands after
every step; the value HISTORY AT rebuilds for that instant must equal it.
"""
from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest
import redis

from conftest import spawn_valkite

NOT_TRACKED = "key does not match history-keys: its changes are not recorded"


def start(workdir: Path, *flags):
    return spawn_valkite(workdir, "--dir", str(workdir / "data"), *flags)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = Path(tmp_path_factory.mktemp("history-command"))
    server = start(workdir, "--history-keys", "hc:* other:tracked")
    yield server
    assert server.stop() == 0, server.output()[-4000:]


def instant():
    """A millisecond after every change so far and before any later one."""
    time.sleep(0.005)
    now = int(time.time() * 1000)
    time.sleep(0.005)
    return now


def pairs(flat):
    return dict(zip(flat[::2], flat[1::2]))


def entry(raw):
    """A listing entry as a dict, from RESP2's flat array or RESP3's map."""
    return raw if isinstance(raw, dict) else pairs(raw)


def record(r, steps, read):
    """Runs each step, then notes the instant and what `read` returns then."""
    snapshots = [(instant(), None)]
    for step in steps:
        step()
        snapshots.append((instant(), read()))
    return snapshots


@pytest.mark.parametrize("protocol", [2, 3])
def test_at_rebuilds_every_type(server, protocol):
    r = server.redis(protocol=protocol)
    prefix = "hc:%d:" % protocol
    h, l, s, st, z = (prefix + name for name in ("hash", "list", "set", "str", "zset"))

    def at(key, ms):
        return r.execute_command("HISTORY", "AT", key, ms)

    def as_hash(reply):
        return None if reply is None else (reply if isinstance(reply, dict) else pairs(reply))

    snapshots = record(r, [
        lambda: r.hset(h, mapping={"f1": "v1", "f2": "v2"}),
        lambda: r.hset(h, "f1", "v1b"),
        lambda: r.hdel(h, "f2"),
        lambda: r.delete(h),
        lambda: r.hset(h, "f3", "v3"),
    ], lambda: r.hgetall(h) or None)
    for ms, expected in snapshots:
        assert as_hash(at(h, ms)) == expected, ms

    snapshots = record(r, [
        lambda: r.lpush(l, "a", "b", "c"),
        lambda: r.rpush(l, "d", "e"),
        lambda: r.ltrim(l, 1, -2),
        lambda: r.lset(l, 0, "X"),
        lambda: r.linsert(l, "BEFORE", "d", "in"),
        lambda: r.lpop(l),
        lambda: r.rpush(l, "f"),
        lambda: r.delete(l),
        lambda: r.rpush(l, "again"),
    ], lambda: r.lrange(l, 0, -1) or None)
    for ms, expected in snapshots:
        assert at(l, ms) == expected, ms

    snapshots = record(r, [
        lambda: r.set(st, "one"),
        lambda: r.set(st, "two"),
        lambda: r.append(st, "+"),
        lambda: r.delete(st),
        lambda: r.set(st, "three"),
    ], lambda: r.get(st))
    for ms, expected in snapshots:
        assert at(st, ms) == expected, ms

    snapshots = record(r, [
        lambda: r.sadd(s, "a", "b", "c"),
        lambda: r.srem(s, "b"),
        lambda: r.sadd(s, "d"),
        lambda: r.srem(s, "a", "c", "d"),
        lambda: r.sadd(s, "e"),
    ], lambda: r.smembers(s) or None)
    for ms, expected in snapshots:
        reply = at(s, ms)
        assert (None if reply is None else set(reply)) == expected, ms

    snapshots = record(r, [
        lambda: r.zadd(z, {"a": 1, "b": 2, "c": 3}),
        lambda: r.zadd(z, {"b": 0.5}),
        lambda: r.zrem(z, "a"),
        lambda: r.zincrby(z, 10, "c"),
        lambda: r.zadd(z, {"d": -1.25}),
    ], lambda: r.execute_command("ZRANGE", z, 0, -1, "WITHSCORES") or None)
    for ms, expected in snapshots:
        assert at(z, ms) == expected, ms
    r.close()


def test_listing(server):
    r = server.redis(protocol=2)
    key = "hc:listing"
    before = instant()
    r.hset(key, mapping={"f1": "v1"})
    r.hset(key, "f2", "v2")
    r.hset(key, "f1", "v1b")
    middle = instant()
    r.hdel(key, "f2")
    r.expire(key, 1000)
    r.delete(key)
    entries = [entry(e) for e in r.execute_command("HISTORY", key)]
    assert [(e[b"operation"], e[b"kind"], e[b"field"], e[b"old"], e[b"new"]) for e in entries] == [
        (b"HSET", b"value", b"f1", None, b"v1"),
        (b"HSET", b"value", b"f2", None, b"v2"),
        (b"HSET", b"value", b"f1", b"v1", b"v1b"),
        (b"HDEL", b"value", b"f2", b"v2", None),
        (b"EXPIRE", b"expiry", None, None, entries[4][b"new"]),
        (b"DEL", b"value", b"f1", b"v1b", None),
    ]
    assert list(entries[0]) == [b"time", b"operation", b"type", b"kind", b"field", b"old", b"new"]
    assert all(e[b"type"] == b"hash" for e in entries)
    assert before <= entries[0][b"time"] <= middle
    assert isinstance(entries[4][b"new"], int) and entries[4][b"new"] > before + 900_000

    def ops(*args):
        return [entry(e)[b"operation"] for e in r.execute_command("HISTORY", key, *args)]

    assert ops("COUNT", 2) == [b"HSET", b"HSET"]
    assert ops("REV", "COUNT", 2) == [b"DEL", b"EXPIRE"]
    assert ops("FIELD", "f1") == [b"HSET", b"HSET", b"DEL"]
    assert ops("SINCE", middle) == [b"HDEL", b"EXPIRE", b"DEL"]
    assert ops("UNTIL", middle) == [b"HSET", b"HSET", b"HSET"]
    assert ops("SINCE", middle, "UNTIL", middle) == []
    assert ops("COUNT", 0, "rev") == [b"DEL", b"EXPIRE", b"HDEL", b"HSET", b"HSET", b"HSET"]
    # The key at the instant between: both fields, f1 rewritten.
    assert pairs(r.execute_command("history", "at", key, middle)) == {b"f1": b"v1b", b"f2": b"v2"}

    # Lists are recorded by index: FIELD 0 finds them.
    r.rpush("hc:listing-list", "a", "b")
    assert [entry(e)[b"field"] for e in r.execute_command("HISTORY", "hc:listing-list", "FIELD", "1")] == [1]

    r3 = server.redis(protocol=3)
    first = r3.execute_command("HISTORY", key, "COUNT", 1)
    assert first == [{b"time": entries[0][b"time"], b"operation": b"HSET", b"type": b"hash", b"kind": b"value",
                      b"field": b"f1", b"old": None, b"new": b"v1"}]
    r3.close()
    r.close()


def test_errors_and_tracking(server):
    r = server.redis(protocol=2)

    def error(*args):
        with pytest.raises(redis.ResponseError) as caught:
            r.execute_command(*args)
        return str(caught.value)

    r.set("other:untracked", "x")
    assert error("HISTORY", "other:untracked") == NOT_TRACKED
    assert error("HISTORY", "AT", "other:untracked", 1) == NOT_TRACKED
    assert error("HISTORY") == "wrong number of arguments for 'history' command"
    assert error("HISTORY", "hc:x", "COUNT", "many") == "value is not an integer or out of range"
    assert error("HISTORY", "hc:x", "COUNT", "-1") == "value is out of range, must be positive"
    assert error("HISTORY", "hc:x", "NEWEST") == "syntax error"
    assert error("HISTORY", "hc:x", "FIELD") == "syntax error"
    assert error("HISTORY", "AT", "hc:x", "noon") == "value is not an integer or out of range"
    # A tracked key without history: nothing, and null at any instant.
    assert r.execute_command("HISTORY", "hc:never") == []
    assert r.execute_command("HISTORY", "AT", "hc:never", int(time.time() * 1000)) is None
    # history-keys changes at run time; HISTORY follows.
    r.config_set("history-keys", "hc:* other:*")
    try:
        r.set("other:now", "1")
        assert [entry(e)[b"new"] for e in r.execute_command("HISTORY", "other:now")] == [b"1"]
    finally:
        r.config_set("history-keys", "hc:* other:tracked")
    assert error("HISTORY", "other:now") == NOT_TRACKED
    # Requires authentication like every command: see test_sql.py (same dispatcher).
    info = r.execute_command("COMMAND", "INFO", "HISTORY")["history"]
    assert info["arity"] == -2 and set(info["flags"]) == {"readonly", "movablekeys"} and info["first_key_pos"] == 1
    with server.raw() as raw:
        docs = raw.call("COMMAND", "DOCS", "HISTORY")
    assert docs.startswith(b"*2\r\n$7\r\nhistory\r\n") and b"$5\r\ngroup\r\n$7\r\ngeneric\r\n" in docs
    assert b"history" in r.command_list()
    r.close()


def test_rows_written_by_hand(tmp_path):
    """The replay over rows inserted with sqlite3 while the server is stopped:
    a key that was a string, then (after its deletion) a hash, in db 1."""
    server = start(tmp_path, "--history-keys", "ins:*")
    assert server.stop(signal.SIGTERM) == 0
    db = sqlite3.connect(tmp_path / "data" / "valkite.db")
    rows = [
        (1000, 1, "ins:k", "string", "value", "SET", None, None, "s1"),
        (1010, 1, "ins:k", "string", "expiry", "EXPIRE", None, None, 99999),
        (1020, 1, "ins:k", "string", "value", "SET", None, "s1", "s2"),
        (1030, 1, "ins:k", "string", "value", "DEL", None, "s2", None),
        (1040, 1, "ins:k", "hash", "value", "HSET", "f", None, "1"),
        (1040, 1, "ins:k", "hash", "value", "HSET", "g", None, "2"),
        (1050, 1, "ins:k", "hash", "value", "HINCRBYFLOAT", "f", "1", "1.5"),
        (1000, 0, "ins:k", "list", "value", "RPUSH", 0, None, "db0"),
    ]
    db.executemany("INSERT INTO history (at, db, key, type, kind, operation, field, old_value, new_value) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    server = start(tmp_path, "--history-keys", "ins:*")
    r = server.redis(protocol=3, db=1)
    at = lambda ms: r.execute_command("HISTORY", "AT", "ins:k", ms)  # noqa: E731
    assert at(999) is None
    assert at(1000) == b"s1"
    assert at(1015) == b"s1"  # the expiry row changes nothing
    assert at(1020) == b"s2"
    assert at(1035) is None
    assert at(1040) == {b"f": b"1", b"g": b"2"}
    assert at(2000) == {b"f": b"1.5", b"g": b"2"}
    assert len(r.execute_command("HISTORY", "ins:k")) == 7
    assert [e[b"operation"] for e in r.execute_command("HISTORY", "ins:k", "REV", "COUNT", 1)] == [b"HINCRBYFLOAT"]
    other = server.redis(protocol=3, db=0)
    assert other.execute_command("HISTORY", "AT", "ins:k", 2000) == [b"db0"]
    other.close()
    r.close()
    assert server.stop() == 0
