"""`history-keys`: every change to a matching key lands in the `history`
table (migrations/0003_history.sql) in the same transaction as the change.

The strongest check is a replay: rebuilding each key from its history rows
alone, in id order, must give exactly what the commands return — after
random workloads over every type, RENAME, expiry, FLUSHDB and a kill -9.
"""
from __future__ import annotations

import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import spawn_valkite


def start(workdir: Path, *flags, env=None):
    return spawn_valkite(workdir, "--dir", str(workdir / "data"), *flags, env=env)


def history_rows(workdir: Path, key: str | None = None):
    db = sqlite3.connect(f"file:{workdir / 'data' / 'valkite.db'}?mode=ro", uri=True)
    try:
        query = ("SELECT id, at, db, key, type, kind, operation, field, old_value, new_value "
                 "FROM history")
        if key is None:
            return db.execute(query + " ORDER BY id").fetchall()
        return db.execute(query + " WHERE key = ? ORDER BY id", (key,)).fetchall()
    finally:
        db.close()


def as_bytes(value):
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode()


def replay(rows):
    """Rebuilds each (db, key) from its 'value' rows, as HISTORY AT does."""
    state: dict = {}
    for _id, _at, db, key, type_, kind, _op, field, old, new in rows:
        if kind != "value":
            continue
        k = (db, as_bytes(key))
        if type_ == "string":
            if new is None:
                state.pop(k, None)
            else:
                state[k] = ("string", as_bytes(new))
            continue
        current = state.get(k)
        if current is None or current[0] != type_:
            current = (type_, [] if type_ == "list" else {})
        _, value = current
        if type_ == "list":
            if old is not None and new is not None:
                value[field] = as_bytes(new)
            elif new is not None:
                value.insert(field, as_bytes(new))
            else:
                assert as_bytes(value[field]) == as_bytes(old), (key, field, value, old)
                del value[field]
        elif type_ == "hash":
            if new is None:
                assert value.get(as_bytes(field)) == as_bytes(old), (key, field)
                value.pop(as_bytes(field), None)
            else:
                value[as_bytes(field)] = as_bytes(new)
        elif type_ == "set":
            if new is None:
                value.pop(as_bytes(field), None)
            else:
                value[as_bytes(field)] = True
        elif type_ == "zset":
            if new is None:
                value.pop(as_bytes(field), None)
            else:
                value[as_bytes(field)] = float(new)
        if value:
            state[k] = (type_, value)
        else:
            state.pop(k, None)
    return state


def live_state(r, keys, db=0):
    state = {}
    for key in keys:
        kind = r.type(key).decode()
        k = (db, key.encode())
        if kind == "string":
            state[k] = ("string", r.get(key))
        elif kind == "hash":
            state[k] = ("hash", r.hgetall(key))
        elif kind == "list":
            state[k] = ("list", r.lrange(key, 0, -1))
        elif kind == "set":
            state[k] = ("set", {m: True for m in r.smembers(key)})
        elif kind == "zset":
            state[k] = ("zset", dict(r.zrange(key, 0, -1, withscores=True)))
    return state


KEYS = ["balances", "fills:1", "fills:2", "orders:open", "book", "price"]


def random_command(r, rng: random.Random):
    key = rng.choice(KEYS)
    value = f"v{rng.randrange(20)}"
    choice = rng.randrange(24)
    try:
        if choice == 0:
            r.set(key, value)
        elif choice == 1:
            r.append(key, "x")
        elif choice == 2:
            r.incrbyfloat(key, 1.5)
        elif choice == 3:
            r.hset(key, f"f{rng.randrange(5)}", value)
        elif choice == 4:
            r.hdel(key, f"f{rng.randrange(5)}")
        elif choice == 5:
            r.hincrbyfloat(key, f"f{rng.randrange(5)}", 2.25)
        elif choice == 6:
            r.lpush(key, value, value + "b")
        elif choice == 7:
            r.rpush(key, value)
        elif choice == 8:
            r.lpop(key, rng.randrange(1, 3))
        elif choice == 9:
            r.rpop(key)
        elif choice == 10:
            r.ltrim(key, rng.randrange(0, 2), rng.randrange(-3, 5))
        elif choice == 11:
            r.lset(key, rng.randrange(-2, 2), value)
        elif choice == 12:
            r.linsert(key, rng.choice(["BEFORE", "AFTER"]), f"v{rng.randrange(20)}", value)
        elif choice == 13:
            r.lrem(key, rng.randrange(-2, 3), f"v{rng.randrange(20)}")
        elif choice == 14:
            r.sadd(key, value, f"m{rng.randrange(4)}")
        elif choice == 15:
            r.srem(key, value)
        elif choice == 16:
            r.zadd(key, {value: rng.randrange(100) / 4})
        elif choice == 17:
            r.zrem(key, value)
        elif choice == 18:
            r.zpopmin(key)
        elif choice == 19:
            r.delete(key)
        elif choice == 20:
            r.rename(key, rng.choice(KEYS))
        elif choice == 21:
            r.copy(key, rng.choice(KEYS), replace=True)
        elif choice == 22:
            r.smove(key, rng.choice(KEYS), value)
        elif choice == 23:
            r.lmove(key, rng.choice(KEYS), rng.choice(["LEFT", "RIGHT"]), rng.choice(["LEFT", "RIGHT"]))
    except Exception as error:  # WRONGTYPE, no such key, index out of range: no change
        assert "WRONGTYPE" in str(error) or "no such key" in str(error) or "out of range" in str(error) \
            or "not a valid float" in str(error) or "not an integer" in str(error) \
            or "objects are the same" in str(error), error


def test_replaying_history_rebuilds_every_key_after_random_workloads(tmp_path):
    server = start(tmp_path, "--history-keys", "balances fills:* orders:* book price")
    try:
        r = server.redis()
        rng = random.Random(7)
        for phase in range(4):
            for _ in range(300):
                random_command(r, rng)
            if phase == 2:
                r.flushdb()
            r.save()
            assert replay(history_rows(tmp_path)) == live_state(r, KEYS), f"phase {phase}"
    finally:
        server.stop()


def test_rows_for_a_scripted_sequence(tmp_path):
    server = start(tmp_path, "--history-keys", "balances,fills*")
    try:
        r = server.redis()
        r.hset("balances", "alice", '{"USD": 100}')
        r.hset("balances", "alice", '{"USD": 90}')
        r.hincrbyfloat("balances", "fees", 0.5)
        r.hdel("balances", "fees")
        r.rpush("fills", "f1", "f2", "f3")
        r.ltrim("fills", 1, -1)
        r.lset("fills", 0, "F2")
        r.expire("fills", 100)
        r.set("untracked", "x")
        r.hset("balances-other", "a", "b")  # "balances" is a whole-name pattern
        r.rename("fills", "fills-archive")
        r.save()
        rows = [(row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]) for row in history_rows(tmp_path)]
    finally:
        server.stop()
    assert rows == [
        (0, "balances", "hash", "value", "HSET", "alice", None, '{"USD": 100}'),
        (0, "balances", "hash", "value", "HSET", "alice", '{"USD": 100}', '{"USD": 90}'),
        (0, "balances", "hash", "value", "HINCRBYFLOAT", "fees", None, "0.5"),
        (0, "balances", "hash", "value", "HDEL", "fees", "0.5", None),
        (0, "fills", "list", "value", "RPUSH", 0, None, "f1"),
        (0, "fills", "list", "value", "RPUSH", 1, None, "f2"),
        (0, "fills", "list", "value", "RPUSH", 2, None, "f3"),
        (0, "fills", "list", "value", "LTRIM", 0, "f1", None),
        (0, "fills", "list", "value", "LSET", 0, "f2", "F2"),
        (0, "fills", "list", "expiry", "EXPIRE", None, None, rows[9][7]),
        (0, "fills-archive", "list", "value", "RENAME", 0, None, "F2"),
        (0, "fills-archive", "list", "value", "RENAME", 1, None, "f3"),
        (0, "fills", "list", "value", "RENAME", 0, "F2", None),
        (0, "fills", "list", "value", "RENAME", 0, "f3", None),
    ]
    assert abs(rows[9][7] - (time.time() + 100) * 1000) < 30_000


def test_expiry_is_recorded_as_expired(tmp_path):
    server = start(tmp_path, "--history-keys", "price*")
    try:
        r = server.redis()
        r.set("price:BTC", "64000", px=50)
        r.set("price:ETH", "3000", px=50)
        time.sleep(0.2)
        assert r.get("price:BTC") is None  # lazily
        deadline = time.time() + 5
        while r.dbsize() and time.time() < deadline:  # actively
            time.sleep(0.05)
        r.save()
        rows = {(row[3], row[6], row[8]) for row in history_rows(tmp_path) if row[5] == "value"}
    finally:
        server.stop()
    assert ("price:BTC", "expired", "64000") in rows
    assert ("price:ETH", "expired", "3000") in rows


def test_history_survives_kill_9_and_can_be_enabled_at_run_time(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.hset("balances", "bob", "1")
    assert r.config_set("history-keys", "balances")
    for i in range(200):
        r.hset("balances", "bob", str(i + 2))
    r.config_set("history-keys", "")
    r.hset("balances", "bob", "untracked")
    server.kill()
    server = start(tmp_path)
    try:
        rows = history_rows(tmp_path, "balances")
        assert [row[9] for row in rows] == [str(i + 2) for i in range(200)]
        assert [row[8] for row in rows] == ["1"] + [str(i + 2) for i in range(199)]
        assert server.redis().config_get("history-keys") == {"history-keys": ""}
    finally:
        server.stop()


def test_retention_prunes_old_rows(tmp_path):
    server = start(tmp_path, "--history-keys", "k*")
    try:
        r = server.redis()
        for i in range(50):
            r.set(f"k{i}", i)
        r.save()
        assert len(history_rows(tmp_path)) == 50
        with pytest.raises(Exception) as refused:
            r.config_set("history-retention", "3 days")
        assert str(refused.value) == ("CONFIG SET failed (possibly related to argument 'history-retention') - "
                                      "argument must be 0 or a duration such as 30d, 12h, 90m or 3600s")
        assert r.config_set("history-retention", "1s")
        deadline = time.time() + 10
        while history_rows(tmp_path) and time.time() < deadline:
            time.sleep(0.2)
        assert history_rows(tmp_path) == []
        assert r.mget([f"k{i}" for i in range(50)]) == [str(i).encode() for i in range(50)]
    finally:
        server.stop()


def test_untracked_keys_write_nothing(tmp_path):
    server = start(tmp_path, env={"VALKEY_HISTORY_KEYS": "balances*,fills*"})
    try:
        r = server.redis()
        assert r.config_get("history-keys") == {"history-keys": "balances*,fills*"}
        r.set("orders", "x")
        r.hset("tickers:BTC", "bid", "1")
        r.set("balances:eve", "5")
        r.save()
        assert [row[3] for row in history_rows(tmp_path)] == ["balances:eve"]
    finally:
        server.stop()
