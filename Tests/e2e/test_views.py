"""The readable SQL views (migrations/0004_views.sql) over data written
through the real server: binary keys and values shown as x'..' literals,
ISO-8601 times, list indexes and sorted-set ranks as LINDEX/ZRANK give them,
expired keys hidden, and lookups by key using the primary keys."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from conftest import spawn_valkite

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def iso_ms(text: str) -> int:
    assert ISO.match(text), text
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000)


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect("file:%s?mode=ro" % path, uri=True)


def test_views_show_what_the_commands_wrote(tmp_path):
    data = tmp_path / "data"
    server = spawn_valkite(tmp_path, "--dir", str(data))
    r = server.redis()
    started = int(time.time() * 1000)
    r.set("balances:alice", '{"free": 12.5}')
    r.set(b"bin\x00\xff", b"\x00\x01\xfe")
    r.set("leader", "me", px=600_000)
    r.set("stale", "x", px=600_000)
    r.hset("orders", mapping={"o1": '{"qty": 2}', b"\xff": b"\x00"})
    r.rpush("fills", "a", "b")
    r.lpush("fills", "z", "y")          # positions go negative: idx must still start at 0
    r.sadd("open:BTC", "o1", b"\x80")
    r.zadd("book", {"m1": 3.5, "m0": 1, "m2": 1})
    other = server.redis(db=3)
    other.set("other-db", "v")
    other.close()
    assert r.save() is True  # the tables now hold everything
    finished = int(time.time() * 1000)
    db = read_only(data / "valkite.db")

    rows = {row[1]: row for row in db.execute("SELECT db, key, value, expires_at, updated_at FROM string_values")}
    assert rows["balances:alice"][2] == '{"free": 12.5}'
    assert db.execute("SELECT json_extract(value, '$.free') FROM string_values WHERE db = 0 AND key = 'balances:alice'"
                      ).fetchone() == (12.5,)
    assert rows["x'62696E00FF'"][2] == "x'0001FE'"
    assert rows["balances:alice"][3] is None
    assert started - 5 <= iso_ms(rows["balances:alice"][4]) <= finished + 5
    ttl = iso_ms(rows["leader"][3]) - started
    assert 590_000 <= ttl <= 600_000 + (finished - started) + 5
    assert rows["other-db"][0] == 3

    assert sorted(db.execute("SELECT field, value FROM hash_fields WHERE db = 0 AND key = 'orders'")) == [
        ("o1", '{"qty": 2}'), ("x'FF'", "x'00'")]
    assert db.execute("SELECT value FROM hash_fields WHERE db = 0 AND key = 'orders' AND field = 'o1'"
                      ).fetchall() == [('{"qty": 2}',)]
    assert db.execute("SELECT idx, value FROM list_elements WHERE db = 0 AND key = 'fills' ORDER BY idx"
                      ).fetchall() == list(enumerate(x.decode() for x in r.lrange("fills", 0, -1)))
    assert r.lrange("fills", 0, -1) == [b"y", b"z", b"a", b"b"]
    assert sorted(db.execute("SELECT member FROM set_members WHERE db = 0 AND key = 'open:BTC'")) == [
        ("o1",), ("x'80'",)]
    zrows = db.execute("SELECT member, score, rank FROM zset_members WHERE db = 0 AND key = 'book' ORDER BY rank"
                       ).fetchall()
    assert zrows == [("m0", 1.0, 0), ("m2", 1.0, 1), ("m1", 3.5, 2)]
    assert [r.zrank("book", m) for m, _, _ in zrows] == [0, 1, 2]

    keys = {(row[0], row[1]): row[2:] for row in db.execute("SELECT db, key, type, expires_at FROM all_keys")}
    assert keys[(0, "orders")] == ("hash", None)
    assert keys[(0, "fills")] == ("list", None)
    assert keys[(0, "open:BTC")] == ("set", None)
    assert keys[(0, "book")] == ("zset", None)
    assert keys[(0, "x'62696E00FF'")] == ("string", None)
    assert keys[(0, "leader")][0] == "string" and ISO.match(keys[(0, "leader")][1])
    assert keys[(3, "other-db")] == ("string", None)
    db.close()
    r.close()
    assert server.stop() == 0

    # A TTL that passed while the server was stopped: the rows are still in the
    # tables (the server drops them at its next start), the views hide them.
    writable = sqlite3.connect(data / "valkite.db")
    now = int(time.time() * 1000)
    writable.execute("UPDATE expires SET at = ? WHERE db = 0 AND key = 'stale'", (now - 1,))
    writable.execute("INSERT INTO expires VALUES (0, 'orders', ?)", (now - 1,))
    writable.commit()
    assert writable.execute("SELECT count(*) FROM strings WHERE key = 'stale'").fetchone() == (1,)
    for view in ["string_values", "all_keys"]:
        assert writable.execute("SELECT count(*) FROM %s WHERE key = 'stale'" % view).fetchone() == (0,), view
        assert writable.execute("SELECT count(*) FROM %s WHERE key = 'leader'" % view).fetchone() == (1,), view
    assert writable.execute("SELECT count(*) FROM hash_fields WHERE key = 'orders'").fetchone() == (0,)
    assert writable.execute("SELECT count(*) FROM all_keys WHERE key = 'orders'").fetchone() == (0,)

    # change_history renders the history table the same way (rows written here
    # directly: this test is about the view, not about history-keys).
    writable.executemany(
        "INSERT INTO history (at, db, key, type, kind, operation, field, old_value, new_value) VALUES (?,?,?,?,?,?,?,?,?)",
        [(1_700_000_000_123, 0, "balances", "hash", "value", "HSET", "alice", None, '{"free": 1}'),
         (1_700_000_000_124, 0, b"\x01", "string", "value", "SET", None, b"\xff", "new"),
         (1_700_000_000_125, 0, "balances", "hash", "expiry", "EXPIRE", None, None, 1_700_000_060_000)])
    writable.commit()
    assert writable.execute(
        "SELECT at, at_ms, db, key, type, kind, operation, field, old_value, new_value FROM change_history ORDER BY id"
    ).fetchall() == [
        ("2023-11-14T22:13:20.123Z", 1_700_000_000_123, 0, "balances", "hash", "value", "HSET", "alice", None,
         '{"free": 1}'),
        ("2023-11-14T22:13:20.124Z", 1_700_000_000_124, 0, "x'01'", "string", "value", "SET", None, "x'FF'", "new"),
        ("2023-11-14T22:13:20.125Z", 1_700_000_000_125, 0, "balances", "hash", "expiry", "EXPIRE", None, None,
         "2023-11-14T22:14:20.000Z"),
    ]
    writable.close()


def test_lookups_by_key_use_the_primary_keys(tmp_path):
    data = tmp_path / "data"
    server = spawn_valkite(tmp_path, "--dir", str(data))
    assert server.redis().set("k", "v") is True  # creates and migrates the database
    db = read_only(data / "valkite.db")
    lookups = {
        "string_values": "key = 'k'",
        "hash_fields": "key = 'k' AND field = 'f'",
        "list_elements": "key = 'k'",
        "set_members": "key = 'k' AND member = 'm'",
        "zset_members": "key = 'k'",
        "all_keys": "key = 'k'",
        "change_history": "key = 'k'",
    }
    # A full scan of a table shows as "SCAN <table or its alias>"; the views'
    # own subqueries (l, z, k, (subquery-N), the view) are scanned as co-routines.
    full_scan = re.compile(r"^SCAN (s|h|e|strings|hashes|lists|sets|zsets|expires|history)\b")
    for view, condition in lookups.items():
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN SELECT * FROM %s WHERE db = 0 AND %s"
                                             % (view, condition))]
        assert not [line for line in plan if full_scan.match(line)], (view, plan)
        assert any(line.startswith("SEARCH") for line in plan), (view, plan)
    db.close()
    assert server.stop() == 0
