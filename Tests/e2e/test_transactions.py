"""Transactions (MULTI/EXEC/DISCARD/WATCH/UNWATCH), WAIT and WAITAOF end to end:
redis-py pipelines (transactional and not) in RESP2 and RESP3, optimistic
locking under contention, and a raw differential run against the reference
redis-server 7.0.

Left out of the differential run on purpose: MULTI inside MULTI and WATCH
inside MULTI (Valkey 8.0 flags both no-multi: `-ERR Command not allowed inside
a transaction` and the EXEC aborts; Redis 7.0 answers `ERR MULTI calls can not
be nested` / `ERR WATCH inside MULTI is not allowed` and keeps the transaction),
WAITAOF (not in Redis 7.0), HELLO's reply.
"""

import threading
import time

import pytest
import redis

from conftest import spawn_valkite
from resp import RawClient, encode

EXECABORT = b"-EXECABORT Transaction discarded because of previous errors.\r\n"


# -- redis-py pipelines ---------------------------------------------------------

def test_transactional_pipeline(client, key):
    k = key + "k"
    pipe = client.pipeline()  # transaction=True: MULTI … EXEC
    pipe.set(k, "1").incr(k).incrby(k, 10).get(k).lpush(k, "x").get(k)
    results = pipe.execute(raise_on_error=False)
    assert results[:4] == [True, 2, 12, b"12"]
    assert isinstance(results[4], redis.ResponseError)
    assert "WRONGTYPE" in str(results[4])
    assert results[5] == b"12"  # a failing command does not stop the others
    assert client.get(k) == b"12"


def test_transactional_pipeline_raises_on_runtime_error(client, key):
    k = key + "k"
    client.set(k, "abc")
    pipe = client.pipeline()
    pipe.incr(k).set(key + "other", "v")
    with pytest.raises(redis.ResponseError, match="not an integer"):
        pipe.execute()
    assert client.get(key + "other") == b"v"  # no rollback


def test_queue_time_error_aborts_pipeline(client, key):
    pipe = client.pipeline()
    pipe.set(key + "a", "1").execute_command("NOSUCHCOMMAND", "x").set(key + "b", "2")
    with pytest.raises(redis.ResponseError) as error:
        pipe.execute()
    assert "EXECABORT" in str(error.value) or "unknown command" in str(error.value)
    assert client.exists(key + "a", key + "b") == 0
    assert client.ping() is True  # the connection left the MULTI state


def test_non_transactional_pipeline(client, key):
    k = key + "k"
    pipe = client.pipeline(transaction=False)
    for _ in range(100):
        pipe.incr(k)
    pipe.get(k)
    results = pipe.execute()
    assert results[:100] == list(range(1, 101))
    assert results[100] == b"100"


def test_multi_exec_discard_on_one_connection(client, key):
    k = key + "k"
    connection = client.connection_pool.get_connection()
    try:
        def call(*args):
            connection.send_command(*args)
            try:
                return connection.read_response()
            except redis.ResponseError as error:
                return error

        assert call("MULTI") in (b"OK", "OK")
        assert call("SET", k, "v") in (b"QUEUED", "QUEUED")
        assert call("DISCARD") in (b"OK", "OK")
        assert call("EXISTS", k) == 0
        assert "EXEC without MULTI" in str(call("EXEC"))
        assert "DISCARD without MULTI" in str(call("DISCARD"))
        assert call("MULTI") in (b"OK", "OK")
        assert call("SET", k, "v") in (b"QUEUED", "QUEUED")
        assert call("GET", k) in (b"QUEUED", "QUEUED")
        assert call("EXEC") == [b"OK", b"v"]
    finally:
        client.connection_pool.release(connection)


# -- WATCH --------------------------------------------------------------------

def test_watch_fails_exec_when_another_client_writes(client, valkite, key):
    k = key + "k"
    client.set(k, "1")
    other = valkite.redis(protocol=2)
    try:
        with client.pipeline() as pipe:
            pipe.watch(k)
            assert pipe.get(k) == b"1"  # immediate mode after WATCH
            other.set(k, "2")
            pipe.multi()
            pipe.set(k, "3")
            with pytest.raises(redis.WatchError):
                pipe.execute()
        assert client.get(k) == b"2"
        # Unwatched by the failed EXEC: the next transaction goes through.
        with client.pipeline() as pipe:
            pipe.watch(k)
            pipe.multi()
            pipe.set(k, "4")
            assert pipe.execute() == [True]
        assert client.get(k) == b"4"
    finally:
        other.close()


def test_watch_unaffected_by_other_keys_and_databases(client, valkite, key):
    k = key + "k"
    client.set(k, "1")
    other = valkite.redis(protocol=2, db=3)
    try:
        with client.pipeline() as pipe:
            pipe.watch(k)
            other.set(k, "elsewhere")  # same name, another database
            client.set(key + "unrelated", "x")
            pipe.multi()
            pipe.incr(k)
            assert pipe.execute() == [2]
    finally:
        other.delete(k)
        other.close()


def test_watched_key_that_expires_fails_exec(client, key):
    k = key + "k"
    client.set(k, "1", px=100)
    with client.pipeline() as pipe:
        pipe.watch(k)
        time.sleep(0.25)
        pipe.multi()
        pipe.incr(k)
        with pytest.raises(redis.WatchError):
            pipe.execute()


def test_null_array_on_watch_failure_raw(valkite, key):
    k = key + "k"
    for protocol, null in ((2, b"*-1\r\n"), (3, b"_\r\n")):
        with valkite.raw() as c, valkite.raw() as other:
            if protocol == 3:
                assert c.call("HELLO", "3").startswith(b"%")
            assert c.call("WATCH", k) == b"+OK\r\n"
            assert other.call("SET", k, "x") == b"+OK\r\n"
            assert c.call("MULTI") == b"+OK\r\n"
            assert c.call("GET", k) == b"+QUEUED\r\n"
            assert c.call("EXEC") == null


def test_watch_transaction_under_contention(valkite, key):
    """10 threads × 200 increments through WATCH/GET/MULTI/SET/EXEC with retries:
    every increment lands exactly once."""
    counter = key + "counter"
    threads_count, increments = 10, 200
    setup = valkite.redis(protocol=2)
    setup.set(counter, "0")
    errors = []
    retries = [0] * threads_count

    def worker(index):
        c = valkite.redis(protocol=2 if index % 2 else 3)
        try:
            for _ in range(increments):
                while True:
                    with c.pipeline() as pipe:
                        try:
                            pipe.watch(counter)
                            value = int(pipe.get(counter))
                            pipe.multi()
                            pipe.set(counter, value + 1)
                            pipe.execute()
                            break
                        except redis.WatchError:
                            retries[index] += 1
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads_count)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, 45 - (time.monotonic() - started)))
    assert not any(t.is_alive() for t in threads), "workers did not finish in time"
    assert errors == []
    assert int(setup.get(counter)) == threads_count * increments
    setup.close()


def test_transaction_helper_retries(client, valkite, key):
    """redis-py's Redis.transaction(): WATCH, the function, MULTI/EXEC, retried on WatchError."""
    k = key + "k"
    client.set(k, "10")
    other = valkite.redis(protocol=2)
    calls = []

    def double(pipe):
        value = int(pipe.get(k))
        if not calls:
            other.set(k, "20")  # interfere on the first attempt only
        calls.append(value)
        pipe.multi()
        pipe.set(k, value * 2)

    try:
        client.transaction(double, k)
        assert calls == [10, 20]
        assert client.get(k) == b"40"
    finally:
        other.close()


# -- WAIT, WAITAOF, statistics -----------------------------------------------

def test_wait_and_waitaof(raw, key):
    assert raw.call("SET", key + "k", "v") == b"+OK\r\n"
    assert raw.call("WAIT", "0", "0") == b":0\r\n"
    assert raw.call("WAIT", "1", "100") == b":0\r\n"
    assert raw.call("WAIT", "1", "-1") == b"-ERR timeout is negative\r\n"
    assert raw.call("WAITAOF", "1", "0", "0") == b"*2\r\n:1\r\n:0\r\n"
    assert raw.call("WAITAOF", "0", "1", "10") == b"*2\r\n:1\r\n:0\r\n"
    assert raw.call("WAITAOF", "2", "0", "0") == b"-ERR value is out of range, value must between 0 and 1\r\n"
    assert raw.call("WAITAOF", "0", "-1", "0") == b"-ERR value is out of range, must be positive\r\n"


def test_nested_multi_and_watch_abort_as_valkey8(raw, key):
    assert raw.call("MULTI") == b"+OK\r\n"
    assert raw.call("MULTI") == b"-ERR Command not allowed inside a transaction\r\n"
    assert raw.call("WATCH", key + "k") == b"-ERR Command not allowed inside a transaction\r\n"
    assert raw.call("SET", key + "k", "v") == b"+QUEUED\r\n"
    assert raw.call("EXEC") == EXECABORT
    assert raw.call("EXISTS", key + "k") == b":0\r\n"


def test_commandstats_count_transactions(raw, key):
    assert raw.call("MULTI") == b"+OK\r\n"
    assert raw.call("PING") == b"+QUEUED\r\n"
    assert raw.call("EXEC") == b"*1\r\n+PONG\r\n"
    stats = raw.call("INFO", "commandstats").decode()
    assert "cmdstat_multi:calls=" in stats
    assert "cmdstat_exec:calls=" in stats


# -- a private server: whole-database operations, one submission per EXEC -----

def _info_fields(raw, section):
    text = raw.call("INFO", section).decode()
    return dict(line.split(":", 1) for line in text.split("\r\n")[1:] if ":" in line)


def test_flush_and_swapdb_touch_watched_keys(tmp_path):
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        with server.raw() as c, server.raw() as other:
            def transaction_runs():
                assert c.call("MULTI") == b"+OK\r\n"
                assert c.call("PING") == b"+QUEUED\r\n"
                return c.call("EXEC") == b"*1\r\n+PONG\r\n"

            assert c.call("SET", "x", "1") == b"+OK\r\n"
            assert c.call("WATCH", "x") == b"+OK\r\n"
            assert other.call("FLUSHALL") == b"+OK\r\n"
            assert not transaction_runs()

            assert c.call("WATCH", "x") == b"+OK\r\n"  # x is missing: FLUSHDB removes nothing watched
            assert other.call("FLUSHDB") == b"+OK\r\n"
            assert transaction_runs()

            assert other.call("SELECT", "1") == b"+OK\r\n"
            assert other.call("SET", "x", "in-db-1") == b"+OK\r\n"
            assert c.call("WATCH", "x") == b"+OK\r\n"
            assert other.call("SWAPDB", "0", "1") == b"+OK\r\n"  # a key appears under the watch
            assert not transaction_runs()
        assert server.stop() == 0
    finally:
        server.kill()


def test_exec_writes_reach_the_journal_in_one_commit(tmp_path):
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        with server.raw() as c:
            before = _info_fields(c, "persistence")
            if "valkite_journal_writes" not in before or "valkite_changes_committed" not in before:
                pytest.skip("INFO persistence does not report journal writes")
            commands = [encode("MULTI")] + [encode("SET", "k%d" % i, "v") for i in range(50)] + [encode("EXEC")]
            c.send(b"".join(commands))
            replies = [c.read_reply() for _ in range(52)]
            assert replies[-1].startswith(b"*50\r\n")
            after = _info_fields(c, "persistence")
            assert int(after["valkite_changes_committed"]) - int(before["valkite_changes_committed"]) == 50
            assert int(after["valkite_journal_writes"]) - int(before["valkite_journal_writes"]) == 1
        assert server.stop() == 0
    finally:
        server.kill()


# -- differential against redis-server 7.0 ---------------------------------------

def _script(k):
    o = k + "other"
    return [
        ("c", ["MULTI"]), ("c", ["SET", k, "1"]), ("c", ["INCR", k]), ("c", ["LPUSH", k, "x"]),
        ("c", ["GET", k]), ("c", ["EXEC"]),
        ("c", ["MULTI"]), ("c", ["NOSUCHCMD", "a", "b"]), ("c", ["SET", k, "2"]), ("c", ["EXEC"]), ("c", ["GET", k]),
        ("c", ["MULTI"]), ("c", ["GET", k, "extra"]), ("c", ["EXEC"]),
        ("c", ["EXEC"]), ("c", ["DISCARD"]), ("c", ["MULTI"]), ("c", ["DISCARD"]),
        ("c", ["EXEC", "x"]), ("c", ["MULTI"]), ("c", ["SET", o, "1"]), ("c", ["EXEC", "x"]), ("c", ["EXEC"]),
        ("c", ["EXISTS", o]),
        ("c", ["MULTI"]), ("c", ["EXEC"]),
        ("c", ["MULTI"]), ("c", ["SAVE"]), ("c", ["SHUTDOWN"]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("c", ["SET", k, "5"]), ("c", ["MULTI"]), ("c", ["GET", k]), ("c", ["EXEC"]),
        ("c", ["WATCH", k, o]), ("d", ["SET", o, "x"]), ("c", ["MULTI"]), ("c", ["INCR", k]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("d", ["GET", k]), ("c", ["MULTI"]), ("c", ["INCR", k]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("c", ["SET", k, "7"]), ("c", ["UNWATCH"]), ("c", ["MULTI"]), ("c", ["PING"]),
        ("c", ["ECHO", "hi"]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("d", ["DEL", k]), ("c", ["MULTI"]), ("c", ["DISCARD"]), ("c", ["MULTI"]),
        ("c", ["SET", k, "8"]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("d", ["EXPIRE", k, "100"]), ("c", ["MULTI"]), ("c", ["TTL", k]), ("c", ["EXEC"]),
        ("c", ["WATCH", k]), ("c", ["MULTI"]), ("c", ["UNWATCH"]), ("d", ["PERSIST", k]), ("c", ["EXEC"]),
        ("c", ["MULTI"]), ("c", ["SELECT", "2"]), ("c", ["SET", k, "in-2"]), ("c", ["SELECT", "0"]), ("c", ["EXEC"]),
        ("c", ["SELECT", "2"]), ("c", ["GETDEL", k]), ("c", ["SELECT", "0"]),
        ("c", ["WAIT", "0", "0"]), ("c", ["WAIT", "1", "-1"]), ("c", ["WAIT", "x", "1"]), ("c", ["WAIT", "1", "x"]),
        ("c", ["WAIT", "0", "10"]), ("c", ["WAIT", "1"]),
        ("c", ["MULTI"]), ("c", ["WAIT", "0", "0"]), ("c", ["EXEC"]),
        ("c", ["UNWATCH"]), ("c", ["DEL", k, o]),
    ]


def _transcript(port, protocol, k):
    with RawClient(port) as c, RawClient(port) as d:
        if protocol == 3:
            c.call("HELLO", "3")
            d.call("HELLO", "3")
        clients = {"c": c, "d": d}
        return [(who, args, clients[who].call(*args)) for who, args in _script(k)]


@pytest.mark.parametrize("protocol", [2, 3])
def test_same_replies_as_redis(valkite, redis_ref, key, protocol):
    k = key + "k"
    ours = _transcript(valkite.port, protocol, k)
    reference = _transcript(redis_ref.port, protocol, k)
    for (who, args, mine), (_, _, theirs) in zip(ours, reference):
        assert mine == theirs, "%s %r: valkite %r, redis %r" % (who, args, mine, theirs)
