"""`SQL query [arg ...]`: read-only SQL over RESP, run off the event loop.

Happy path in RESP2 and RESP3, `?` binding, the authorizer's refusals with
their exact errors, `sql-timeout` (another client is answered meanwhile),
`sql-max-rows`, read-your-writes, pipelining order, MULTI/EXEC, CLIENT REPLY
OFF, a client that disconnects mid-query, and authentication.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import redis

from conftest import PASSWORD, spawn_valkite
from resp import encode

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = Path(tmp_path_factory.mktemp("sql"))
    server = spawn_valkite(workdir, "--dir", str(workdir / "data"), password=PASSWORD)
    yield server
    assert server.stop() == 0, server.output()[-4000:]


@pytest.fixture
def r2(server):
    client = server.redis(protocol=2)
    yield client
    client.close()


@pytest.fixture
def r3(server):
    client = server.redis(protocol=3)
    yield client
    client.close()


@pytest.fixture
def raw(server):
    client = server.raw()
    yield client
    client.close()


def error_of(call) -> str:
    with pytest.raises(redis.ResponseError) as caught:
        call()
    return str(caught.value)


def test_rows_resp2(r2):
    r2.set("sql:a", "alpha")
    r2.set("sql:b", "beta")
    reply = r2.execute_command("SQL", "SELECT key, value FROM strings WHERE key LIKE 'sql:%' ORDER BY key")
    assert reply == [[b"key", b"value"], [b"sql:a", b"alpha"], [b"sql:b", b"beta"]]
    typed = r2.execute_command("SQL", "SELECT 42 AS i, 1.5 AS r, 'txt' AS t, x'00ff' AS b, NULL AS n, 1e300 AS big")
    assert typed == [[b"i", b"r", b"t", b"b", b"n", b"big"], [42, b"1.5", b"txt", b"\x00\xff", None, b"1e+300"]]
    # No rows: the column names alone.
    assert r2.execute_command("SQL", "SELECT 1 AS a WHERE 0") == [[b"a"]]


def test_rows_resp3(r3):
    r3.set("sql3:a", "alpha")
    reply = r3.execute_command("SQL", "SELECT key, value FROM strings WHERE key = 'sql3:a'")
    assert reply == [{b"key": b"sql3:a", b"value": b"alpha"}]
    typed = r3.execute_command("SQL", "SELECT 42 AS i, 1.5 AS r, 'txt' AS t, x'00ff' AS b, NULL AS n")
    assert typed == [{b"i": 42, b"r": 1.5, b"t": b"txt", b"b": b"\x00\xff", b"n": None}]
    assert r3.execute_command("SQL", "SELECT 1 AS a WHERE 0") == []


def test_exact_bytes(raw):
    assert raw.call("SQL", "SELECT 1 AS a, 0.5 AS b, NULL AS c") == (
        b"*2\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*3\r\n:1\r\n$3\r\n0.5\r\n$-1\r\n")
    raw.call("HELLO", "3")
    assert raw.call("SQL", "SELECT 1 AS a, 0.5 AS b, NULL AS c") == (
        b"*1\r\n%3\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n,0.5\r\n$1\r\nc\r\n_\r\n")


def test_parameters_bind_as_stored(r2):
    r2.set("sql:bin\xff".encode("latin-1"), "raw")
    reply = r2.execute_command("SQL", "SELECT ? || ?, typeof(?), ? + 1", "a", "b", "10", "41")
    # Arguments are text (a number too: `? + 1` converts it as SQL does).
    assert reply == [[b"? || ?", b"typeof(?)", b"? + 1"], [b"ab", b"text", 42]]
    # Non-UTF-8 arguments bind as BLOB, as such keys are stored.
    found = r2.execute_command("SQL", "SELECT value FROM strings WHERE key = ?", b"sql:bin\xff")
    assert found == [[b"value"], [b"raw"]]
    # Unbound placeholders are NULL.
    assert r2.execute_command("SQL", "SELECT ?2 IS NULL AS missing", "x") == [[b"missing"], [1]]


@pytest.mark.parametrize("statement, refused", [
    ("INSERT INTO strings (db, key, value) VALUES (0, 'x', 'y')", "INSERT into strings"),
    ("UPDATE strings SET value = 'z'", "UPDATE of strings"),
    ("DELETE FROM strings", "DELETE from strings"),
    ("DROP TABLE strings", "DROP TABLE strings"),
    ("CREATE TEMP TABLE t (a)", "CREATE TABLE t"),
    ("ATTACH 'other.db' AS other", "ATTACH"),
    ("DETACH main", "DETACH"),
    ("BEGIN", "BEGIN"),
    ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = DELETE"),
    ("PRAGMA user_version = 7", "PRAGMA user_version = 7"),
    ("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint = TRUNCATE"),
    ("VACUUM INTO 'copy.db'", "ATTACH"),
    ("SELECT load_extension('x')", "load_extension()"),
])
def test_writes_refused(raw, statement, refused):
    assert raw.call("SQL", statement) == b"-ERR SQL error: not authorized: %s (SQL is read-only)\r\n" % refused.encode()


def test_read_only_pragmas_and_errors(r2, raw, server):
    columns = r2.execute_command("SQL", "PRAGMA table_info(strings)")
    assert [row[1] for row in columns[1:]] == [b"db", b"key", b"value", b"updated_at"]
    names = r2.execute_command("SQL", "SELECT name FROM pragma_table_info('history') ORDER BY cid")
    assert names[1][0] == b"id"
    # The schema version (the last migration applied).
    assert r2.execute_command("SQL", "PRAGMA user_version")[1][0] >= 3
    assert raw.call("SQL", "SELECT 1; SELECT 2") == b"-ERR SQL error: only one statement can be run at a time\r\n"
    assert raw.call("SQL", "SELEC 1") == b'-ERR SQL error: near "SELEC": syntax error\r\n'
    assert raw.call("SQL", "SELECT * FROM nowhere") == b"-ERR SQL error: no such table: nowhere\r\n"
    assert raw.call("SQL", " -- nothing") == b"-ERR SQL error: no statement to run\r\n"
    assert raw.call("SQL") == b"-ERR wrong number of arguments for 'sql' command\r\n"
    assert not (server.cwd / "copy.db").exists() and not (server.cwd / "data" / "copy.db").exists()
    # A trailing semicolon or comment is still one statement.
    assert r2.execute_command("SQL", "SELECT 1 AS one; -- done") == [[b"one"], [1]]


def test_timeout_interrupts_and_others_are_served(server):
    admin = server.redis(protocol=2)
    admin.config_set("sql-timeout", 300)
    try:
        assert admin.config_get("sql-timeout") == {"sql-timeout": "300"}
        slow = server.raw()
        outcome = {}

        def run():
            started = time.monotonic()
            outcome["reply"] = slow.call("SQL", FOREVER)
            outcome["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.05)
        # The event loop is free: other clients are answered at once.
        for _ in range(5):
            started = time.monotonic()
            assert admin.ping()
            assert time.monotonic() - started < 0.15
        thread.join(5)
        assert outcome["reply"] == b"-ERR SQL query timed out after 300 ms\r\n"
        assert 0.25 < outcome["elapsed"] < 3
        # The waiting client carries on normally.
        assert slow.call("PING") == b"+PONG\r\n"
        slow.close()
        assert "errorstat_ERR" in admin.info("errorstats")
    finally:
        admin.config_set("sql-timeout", 1000)
        admin.close()


def test_max_rows(server, raw):
    admin = server.redis(protocol=2)
    admin.config_set("sql-max-rows", 5)
    try:
        assert admin.config_get("sql-max-rows") == {"sql-max-rows": "5"}
        rows = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT %d) SELECT x FROM c"
        assert raw.call("SQL", rows % 6) == b"-ERR SQL query returned more than 5 rows\r\n"
        assert admin.execute_command("SQL", rows % 5) == [[b"x"], [1], [2], [3], [4], [5]]
    finally:
        admin.config_set("sql-max-rows", 10000)
        admin.close()
    assert raw.call("CONFIG", "SET", "sql-max-rows", "-1").startswith(
        b"-ERR CONFIG SET failed (possibly related to argument 'sql-max-rows')")


def test_sees_writes_acknowledged_before(r2):
    for i in range(30):
        r2.set("sql:fresh", i)
        assert r2.execute_command("SQL", "SELECT value FROM strings WHERE key = ?", "sql:fresh") == [
            [b"value"], [str(i).encode()]]
    r2.hset("sql:hash", mapping={"f": "1", "g": "2"})
    assert r2.execute_command("SQL", "SELECT field, value FROM hashes WHERE key = 'sql:hash' ORDER BY field") == [
        [b"field", b"value"], [b"f", b"1"], [b"g", b"2"]]


def test_pipeline_replies_in_order(r2, raw):
    pipe = r2.pipeline(transaction=False)
    pipe.set("sql:pipe", "one")
    pipe.execute_command("SQL", "SELECT value FROM strings WHERE key = 'sql:pipe'")
    pipe.get("sql:pipe")
    pipe.set("sql:pipe", "two")
    pipe.execute_command("SQL", "SELECT value FROM strings WHERE key = 'sql:pipe'")
    pipe.ping()
    assert pipe.execute() == [True, [[b"value"], [b"one"]], b"one", True, [[b"value"], [b"two"]], True]
    # The same in one write: SQL holds back the commands behind it.
    raw.send(encode("SET", "sql:pipe", "3") + encode("SQL", "SELECT value FROM strings WHERE key = 'sql:pipe'")
             + encode("GET", "sql:pipe") + encode("SQL", "SELECT 1 AS x") + encode("PING"))
    assert [raw.read_reply() for _ in range(5)] == [
        b"+OK\r\n", b"*2\r\n*1\r\n$5\r\nvalue\r\n*1\r\n$1\r\n3\r\n", b"$1\r\n3\r\n",
        b"*2\r\n*1\r\n$1\r\nx\r\n*1\r\n:1\r\n", b"+PONG\r\n"]


def test_inside_multi(r2):
    pipe = r2.pipeline(transaction=True)
    pipe.set("sql:multi", "m")
    pipe.execute_command("SQL", "SELECT 7 AS seven")
    pipe.execute_command("SQL", "DELETE FROM strings")
    results = pipe.execute(raise_on_error=False)
    assert results[:2] == [True, [[b"seven"], [7]]]
    assert str(results[2]) == "SQL error: not authorized: DELETE from strings (SQL is read-only)"


def test_client_reply_off_drops_the_reply(raw):
    raw.send(encode("CLIENT", "REPLY", "OFF") + encode("SQL", "SELECT 1") + encode("CLIENT", "REPLY", "ON")
             + encode("PING"))
    assert raw.read_reply() == b"+OK\r\n"
    assert raw.read_reply() == b"+PONG\r\n"


def test_disconnect_while_waiting(server, r2):
    r2.config_set("sql-timeout", 400)
    try:
        for _ in range(3):
            gone = server.raw()
            gone.send(encode("SQL", FOREVER) + encode("PING"))
            gone.close()
        time.sleep(0.2)
        assert r2.ping()
        time.sleep(1.2)  # the three queries ran out one after another
        assert r2.execute_command("SQL", "SELECT 1 AS ok") == [[b"ok"], [1]]
        assert server.proc.poll() is None
    finally:
        r2.config_set("sql-timeout", 1000)


def test_requires_auth(server):
    with server.raw(auth=False) as anonymous:
        assert anonymous.call("SQL", "SELECT 1") == b"-NOAUTH Authentication required.\r\n"


def test_listed_by_command(r2, raw):
    info = r2.execute_command("COMMAND", "INFO", "SQL")["sql"]
    assert info["arity"] == -2 and info["flags"] == ["readonly"] and info["first_key_pos"] == 0
    docs = raw.call("COMMAND", "DOCS", "SQL")
    assert docs.startswith(b"*2\r\n$3\r\nsql\r\n") and b"$5\r\ngroup\r\n$6\r\nserver\r\n" in docs
    assert b"sql" in r2.command_list()
