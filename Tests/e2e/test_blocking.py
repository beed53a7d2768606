"""Blocking commands end to end: BLPOP/BRPOP/BLMOVE/BLMPOP/BZPOPMIN/BZMPOP
served at once or after a push from another client, FIFO wake-up, timeouts,
CLIENT UNBLOCK, MULTI, disconnects, pipelined input behind a blocked command,
and many blocked clients at once."""

from __future__ import annotations

import concurrent.futures
import socket
import time

import pytest

from conftest import spawn_valkite
from resp import RawClient, encode


def wait_until(predicate, timeout=5.0, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def client_commands(client) -> dict:
    """Last command of each connected client, by id (CLIENT LIST `cmd=`)."""
    return {int(line["id"]): line.get("cmd", "") for line in client.client_list()}


def block_raw(valkite, *args) -> RawClient:
    """A raw client (its id in `.id`) that sent a blocking command, reply not read."""
    c = valkite.raw()
    c.id = int(c.call("CLIENT", "ID")[1:-2])
    c.cmd = args[0].lower()
    c.send(encode(*args))
    return c


def wait_blocked(client, *waiters, timeout=5.0):
    """Until every waiter's blocking command ran (it then waits: no reply)."""
    def ready():
        commands = client_commands(client)
        return all(commands.get(w.id) == w.cmd for w in waiters)
    assert wait_until(ready, timeout=timeout), "clients did not block in time"


def no_reply_within(c: RawClient, seconds: float) -> bool:
    c.sock.settimeout(seconds)
    try:
        data = c.sock.recv(1, socket.MSG_PEEK)
        return data == b""  # closed counts as no reply, but fails later checks
    except (socket.timeout, BlockingIOError):
        return True
    finally:
        c.sock.settimeout(10)


def test_blpop_served_immediately(client, key):
    client.rpush(key + "l", "a", "b")
    assert tuple(client.blpop([key + "missing", key + "l"], timeout=1)) == (key.encode() + b"l", b"a")
    assert tuple(client.brpop([key + "l"], timeout=0)) == (key.encode() + b"l", b"b")
    assert client.exists(key + "l") == 0


def test_argument_errors(r2, key):
    import redis

    with pytest.raises(redis.ResponseError, match="timeout is not a float or out of range"):
        r2.execute_command("BLPOP", key + "l", "abc")
    with pytest.raises(redis.ResponseError, match="timeout is negative"):
        r2.execute_command("BLPOP", key + "l", "-1")
    with pytest.raises(redis.ResponseError, match="numkeys should be greater than 0"):
        r2.execute_command("BLMPOP", "1", "0", key + "l", "LEFT")
    r2.set(key + "s", "x")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r2.execute_command("BLPOP", key + "s", "0")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r2.execute_command("BZPOPMIN", key + "s", "0")


def test_blpop_woken_by_push_from_other_client(valkite, r2, key):
    waiter = block_raw(valkite, "BLPOP", key + "l", "5")
    try:
        wait_blocked(r2, waiter)
        assert no_reply_within(waiter, 0.1)
        assert r2.rpush(key + "l", "v") == 1
        assert waiter.read_reply() == b"*2\r\n" + b"".join(
            b"$%d\r\n%s\r\n" % (len(x), x) for x in (key.encode() + b"l", b"v"))
        assert r2.exists(key + "l") == 0
    finally:
        waiter.close()


def test_waiting_clients_served_fifo(valkite, r2, key):
    waiters = []
    try:
        for i in range(3):
            waiters.append(block_raw(valkite, "BLPOP", key + "l", "10"))
            wait_blocked(r2, waiters[-1])
        # One push of three elements: each waiter gets one, in blocking order.
        r2.rpush(key + "l", "first", "second", "third")
        replies = [w.read_reply() for w in waiters]
        assert [r.split(b"\r\n")[-2] for r in replies] == [b"first", b"second", b"third"]
    finally:
        for w in waiters:
            w.close()


def test_pipelined_commands_wait_behind_blocked_one(valkite, r2, key):
    c = valkite.raw()
    try:
        c.id, c.cmd = int(c.call("CLIENT", "ID")[1:-2]), "blpop"
        c.send(encode("BLPOP", key + "l", "5") + encode("PING") + encode("LLEN", key + "l"))
        wait_blocked(r2, c)
        assert no_reply_within(c, 0.1)
        r2.rpush(key + "l", "a", "b")
        assert c.read_reply().endswith(b"$1\r\na\r\n")
        assert c.read_reply() == b"+PONG\r\n"
        assert c.read_reply() == b":1\r\n"
    finally:
        c.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_timeout_with_decimals(valkite, key, protocol):
    c = valkite.redis(protocol=protocol)
    try:
        started = time.monotonic()
        assert c.blpop([key + "l"], timeout=0.3) is None
        elapsed = time.monotonic() - started
        assert 0.25 <= elapsed < 3.0
    finally:
        c.close()


def test_timeout_raw_replies(valkite, key):
    c = valkite.raw()
    try:
        assert c.call("BLPOP", key + "l", "0.05") == b"*-1\r\n"
        assert c.call("BLMOVE", key + "l", key + "d", "LEFT", "RIGHT", "0.05") == b"*-1\r\n"
        assert c.call("HELLO", "3").startswith(b"%")
        assert c.call("BZPOPMIN", key + "z", "0.05") == b"_\r\n"
    finally:
        c.close()


def test_bzpopmin_and_bzpopmax(valkite, r2, key):
    r2.zadd(key + "z", {"a": 1, "b": 2, "c": 3})
    assert r2.bzpopmin([key + "z"], timeout=1) == (key.encode() + b"z", b"a", 1.0)
    assert r2.bzpopmax([key + "z"], timeout=1) == (key.encode() + b"z", b"c", 3.0)
    waiter = block_raw(valkite, "BZPOPMIN", key + "y", key + "z2", "5")
    try:
        wait_blocked(r2, waiter)
        r2.zadd(key + "z2", {"m": 2.5})
        reply = waiter.read_reply()
        assert reply == b"*3\r\n$%d\r\n%sz2\r\n$1\r\nm\r\n$3\r\n2.5\r\n" % (len(key) + 2, key.encode())
    finally:
        waiter.close()


def test_bzmpop_and_blmpop(valkite, r2, key):
    r2.zadd(key + "z", {"a": 1, "b": 2})
    assert r2.execute_command("BZMPOP", "1", "2", key + "y", key + "z", "MAX", "COUNT", "5") == \
        [key.encode() + b"z", [[b"b", b"2"], [b"a", b"1"]]]
    r2.rpush(key + "l", "x", "y", "z")
    assert r2.execute_command("BLMPOP", "1", "1", key + "l", "RIGHT", "COUNT", "2") == \
        [key.encode() + b"l", [b"z", b"y"]]
    waiter = block_raw(valkite, "BLMPOP", "5", "2", key + "a", key + "b", "LEFT", "COUNT", "10")
    try:
        wait_blocked(r2, waiter)
        r2.rpush(key + "b", "1", "2")
        assert waiter.read_reply() == b"*2\r\n$%d\r\n%sb\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n" % (len(key) + 1, key.encode())
    finally:
        waiter.close()


def test_blmove_blocks_then_moves(valkite, r2, key):
    waiter = block_raw(valkite, "BLMOVE", key + "src", key + "dst", "RIGHT", "LEFT", "5")
    try:
        wait_blocked(r2, waiter)
        r2.rpush(key + "src", "a", "b")
        assert waiter.read_reply() == b"$1\r\nb\r\n"
        assert r2.lrange(key + "dst", 0, -1) == [b"b"]
        assert r2.lrange(key + "src", 0, -1) == [b"a"]
        assert waiter.call("BRPOPLPUSH", key + "src", key + "dst", "1") == b"$1\r\na\r\n"
        assert r2.lrange(key + "dst", 0, -1) == [b"a", b"b"]
    finally:
        waiter.close()


def test_blmove_chain_wakes_next_waiter(valkite, r2, key):
    """A served BLMOVE pushes to a key another client waits on: both are served."""
    first = block_raw(valkite, "BLMOVE", key + "a", key + "b", "LEFT", "LEFT", "5")
    try:
        wait_blocked(r2, first)
        second = block_raw(valkite, "BLPOP", key + "b", "5")
        try:
            wait_blocked(r2, second)
            r2.rpush(key + "a", "v")
            assert first.read_reply() == b"$1\r\nv\r\n"
            assert second.read_reply().endswith(b"$1\r\nv\r\n")
            assert r2.exists(key + "a", key + "b") == 0
        finally:
            second.close()
    finally:
        first.close()


def test_client_unblock(valkite, r2, key):
    waiter = valkite.raw()
    try:
        my_id = int(waiter.call("CLIENT", "ID")[1:-2])
        assert r2.client_unblock(my_id) is False
        waiter.send(encode("BLPOP", key + "l", "0"))
        waiter.id, waiter.cmd = my_id, "blpop"
        wait_blocked(r2, waiter)
        assert r2.execute_command("CLIENT", "UNBLOCK", my_id, "TIMEOUT") == 1
        assert waiter.read_reply() == b"*-1\r\n"
        waiter.send(encode("BZPOPMAX", key + "z", "0"))
        waiter.cmd = "bzpopmax"
        wait_blocked(r2, waiter)
        assert r2.execute_command("CLIENT", "UNBLOCK", my_id, "ERROR") == 1
        assert waiter.read_reply() == b"-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
        assert waiter.call("PING") == b"+PONG\r\n"
        assert r2.execute_command("CLIENT", "UNBLOCK", my_id) == 0
    finally:
        waiter.close()


def test_client_list_flags_blocked(valkite, r2, key):
    """CLIENT LIST shows `flags=b` while a client waits in a blocking command
    (Valkey's order: P x b d …), `N` again once it is served."""
    waiter = block_raw(valkite, "BLPOP", key + "l", "0")
    try:
        wait_blocked(r2, waiter)
        assert {int(line["id"]): line["flags"] for line in r2.client_list()}[waiter.id] == "b"
        assert r2.client_list(client_id=[waiter.id])[0]["flags"] == "b"
        r2.rpush(key + "l", "x")
        assert waiter.read_reply() == b"*2\r\n$%d\r\n%sl\r\n$1\r\nx\r\n" % (len(key) + 1, key.encode())
        assert r2.client_list(client_id=[waiter.id])[0]["flags"] == "N"
        assert b" flags=N " in waiter.call("CLIENT", "INFO")
    finally:
        waiter.close()


def test_blocking_inside_multi_does_not_block(valkite, key):
    c = valkite.raw()
    try:
        assert c.call("MULTI") == b"+OK\r\n"
        assert c.call("BLPOP", key + "l", "0") == b"+QUEUED\r\n"
        assert c.call("BLMOVE", key + "l", key + "d", "LEFT", "LEFT", "0") == b"+QUEUED\r\n"
        assert c.call("BZPOPMIN", key + "z", "0") == b"+QUEUED\r\n"
        assert c.call("BLMPOP", "0", "1", key + "l", "LEFT") == b"+QUEUED\r\n"
        assert c.call("RPUSH", key + "l", "x") == b"+QUEUED\r\n"
        assert c.call("BLPOP", key + "l", "0") == b"+QUEUED\r\n"
        started = time.monotonic()
        assert c.call("EXEC") == b"*6\r\n*-1\r\n$-1\r\n*-1\r\n*-1\r\n:1\r\n*2\r\n$%d\r\n%sl\r\n$1\r\nx\r\n" % (
            len(key) + 1, key.encode())
        assert time.monotonic() - started < 2
    finally:
        c.close()


def test_push_inside_multi_wakes_after_exec(valkite, r2, key):
    waiter = block_raw(valkite, "BLPOP", key + "l", "5")
    try:
        wait_blocked(r2, waiter)
        pipe = r2.pipeline(transaction=True)
        pipe.rpush(key + "l", "a")
        pipe.lpop(key + "l")
        pipe.rpush(key + "l", "b")
        assert pipe.execute() == [1, b"a", 1]
        assert waiter.read_reply().endswith(b"$1\r\nb\r\n")
    finally:
        waiter.close()


def test_disconnected_waiter_does_not_break_pushes(valkite, r2, key):
    gone = block_raw(valkite, "BLPOP", key + "l", "0")
    wait_blocked(r2, gone)
    gone.close()
    assert wait_until(lambda: gone.id not in client_commands(r2))
    stays = block_raw(valkite, "BLPOP", key + "l", "5")
    try:
        wait_blocked(r2, stays)
        assert r2.rpush(key + "l", "v") == 1
        assert stays.read_reply().endswith(b"$1\r\nv\r\n")
        assert r2.rpush(key + "l", "w") == 1
        assert r2.lrange(key + "l", 0, -1) == [b"w"]
    finally:
        stays.close()


def test_wrong_type_push_keeps_waiter_blocked(valkite, r2, key):
    waiter = block_raw(valkite, "BLPOP", key + "k", "5")
    try:
        wait_blocked(r2, waiter)
        r2.zadd(key + "k", {"m": 1})
        assert no_reply_within(waiter, 0.2)
        r2.delete(key + "k")
        r2.lpush(key + "k", "x")
        assert waiter.read_reply().endswith(b"$1\r\nx\r\n")
    finally:
        waiter.close()


def test_many_blocked_clients_server_keeps_answering(tmp_path):
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    waiters = []
    try:
        r = server.redis()
        for i in range(200):
            waiters.append(block_raw(server, "BLPOP", "many:%d" % (i % 20), "30"))
        wait_blocked(r, *waiters, timeout=10)
        started = time.monotonic()
        for i in range(50):
            assert r.set("other:%d" % i, i)
            assert r.get("other:%d" % i) == str(i).encode()
        assert time.monotonic() - started < 5
        for i in range(20):
            r.rpush("many:%d" % i, *["v%d" % j for j in range(10)])
        for w in waiters:
            assert w.read_reply().startswith(b"*2\r\n")
        assert r.info("clients")["blocked_clients"] in (0, "0")
        r.close()
    finally:
        for w in waiters:
            w.close()
        server.stop()


def test_served_pop_is_persisted(tmp_path):
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        waiter = block_raw(server, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "10")
        wait_blocked(r, waiter)
        r.rpush("src", "a", "b")
        assert waiter.read_reply() == b"$1\r\na\r\n"
        waiter.close()
        r.close()
    finally:
        server.stop()
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        assert r.lrange("src", 0, -1) == [b"b"]
        assert r.lrange("dst", 0, -1) == [b"a"]
        r.close()
    finally:
        server.stop()
