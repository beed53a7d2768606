"""Keyspace notifications end to end (`notify-keyspace-events`), on a private
server since the setting is global."""

from __future__ import annotations

import time

import pytest

from conftest import spawn_redis, spawn_valkite

# Database of the differential tests: it holds decoy keys with a long TTL, so
# the active expiry cycle (20 samples per run) almost never picks a test key
# and keys read after their TTL are expired lazily by that read, as intended.
DIFF_DB = 9


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # hz 1: the active expiry cycle runs once a second, so a key read right
    # after its TTL passes is (almost always) expired lazily by that read.
    server = spawn_valkite(tmp_path_factory.mktemp("notifications"), "--save", "", "--hz", "1")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def servers(server, tmp_path_factory):
    """Valkite and a private reference redis-server (7.0 has the `n` class),
    both with decoys in DIFF_DB."""
    reference = spawn_redis(tmp_path_factory.mktemp("notifications-redis"), "--hz", "1")
    for s in (server, reference):
        client = s.redis(protocol=2, db=DIFF_DB)
        pipe = client.pipeline(transaction=False)
        for i in range(3000):
            pipe.set("decoy:%d" % i, "x", ex=3600)
        pipe.execute()
        client.close()
    yield server, reference
    reference.stop()


def differential_events(servers, key, flags, *steps):
    """Runs the steps (each a list of commands, sent as one pipeline; a number
    sleeps that many seconds) on both servers with `flags`, and returns the
    events each published about this test's keys."""
    seen = []
    for s in servers:
        client = s.redis(protocol=2, db=DIFF_DB)
        client.config_set("notify-keyspace-events", flags)
        listener = client.pubsub()
        listener.psubscribe("__key*__:*")
        assert listener.get_message(timeout=5)["type"] == "psubscribe"
        for step in steps:
            if isinstance(step, float):
                time.sleep(step)
                continue
            pipe = client.pipeline(transaction=False)
            for command in step:
                pipe.execute_command(*command)
            pipe.execute(raise_on_error=False)
        events = []
        while (message := listener.get_message(ignore_subscribe_messages=True, timeout=0.3)) is not None:
            channel, data = message["channel"].decode(), message["data"].decode()
            if key in channel or data.startswith(key):
                events.append((channel, data))
        client.config_set("notify-keyspace-events", "")
        listener.close()
        client.close()
        seen.append(events)
    return seen


@pytest.fixture
def r(server):
    client = server.redis(protocol=2)
    client.config_set("notify-keyspace-events", "KEA")
    yield client
    client.config_set("notify-keyspace-events", "")
    client.close()


@pytest.fixture
def events(r, key):
    """A listener on every keyspace and keyevent channel of database 0 (and 1,
    for MOVE/COPY); `events.take()` returns the (channel, data) pairs seen so far
    that concern this test's keys."""
    listener = r.pubsub()
    listener.psubscribe("__keyspace@*__:" + key + "*", "__keyevent@*__:*")
    for _ in range(2):
        assert listener.get_message(timeout=5)["type"] == "psubscribe"

    class Events:
        def take(self, expected_count=None, timeout=3.0):
            seen = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                message = listener.get_message(ignore_subscribe_messages=True, timeout=0.05)
                if message is None:
                    if expected_count is None or len(seen) >= expected_count:
                        break
                    continue
                channel, data = message["channel"].decode(), message["data"].decode()
                if key in channel or data.startswith(key):
                    seen.append((channel, data))
            return seen

    yield Events()
    listener.close()


def both(db, k, event):
    return [("__keyspace@%d__:%s" % (db, k), event), ("__keyevent@%d__:%s" % (db, event), k)]


def test_string_and_generic_events(r, events, key):
    k, k2 = key + "a", key + "b"
    r.set(k, "1")
    assert events.take(2) == both(0, k, "set")
    r.set(k, "1", ex=100)
    assert events.take(4) == both(0, k, "set") + both(0, k, "expire")
    r.persist(k)
    assert events.take(2) == both(0, k, "persist")
    r.incrby(k, 5)
    r.incrbyfloat(k, 1.5)
    r.append(k, "0")
    r.setrange(k, 0, "9")
    assert events.take(8) == (both(0, k, "incrby") + both(0, k, "incrbyfloat")
                              + both(0, k, "append") + both(0, k, "setrange"))
    r.rename(k, k2)
    assert events.take(4) == both(0, k, "rename_from") + both(0, k2, "rename_to")
    r.copy(k2, k, destination_db=1)
    assert events.take(2) == both(1, k, "copy_to")
    r.move(k2, 1)
    assert events.take(4) == both(0, k2, "move_from") + both(1, k2, "move_to")
    r.mset({k: "1", k2: "2"})
    assert events.take(4) == both(0, k, "set") + both(0, k2, "set")
    r.expire(k, 100)
    assert events.take(2) == both(0, k, "expire")
    r.delete(k, k2, key + "missing")
    assert events.take(4) == both(0, k, "del") + both(0, k2, "del")
    # Nothing changed, nothing published.
    r.delete(k)
    r.set(k, "v", nx=True)
    r.set(k, "w", nx=True)
    assert events.take(2) == both(0, k, "set")


def test_collection_events(r, events, key):
    l, l2 = key + "list", key + "list2"
    r.rpush(l, "a", "b", "c")
    r.lpush(l, "z")
    assert events.take(4) == both(0, l, "rpush") + both(0, l, "lpush")
    r.lpop(l)
    r.lset(l, 0, "x")
    r.linsert(l, "BEFORE", "x", "w")
    r.lrem(l, 0, "w")
    assert events.take(8) == both(0, l, "lpop") + both(0, l, "lset") + both(0, l, "linsert") + both(0, l, "lrem")
    r.lmove(l, l2, "LEFT", "RIGHT")
    assert events.take(4) == both(0, l2, "rpush") + both(0, l, "lpop")
    r.ltrim(l, 1, 0)
    assert events.take(4) == both(0, l, "ltrim") + both(0, l, "del")

    h = key + "hash"
    r.hset(h, mapping={"f": "1", "g": "2"})
    r.hincrby(h, "f", 2)
    r.hincrbyfloat(h, "f", 0.5)
    r.hdel(h, "f", "nope")
    assert events.take(8) == both(0, h, "hset") + both(0, h, "hincrby") + both(0, h, "hincrbyfloat") + both(0, h, "hdel")
    r.hdel(h, "g")
    assert events.take(4) == both(0, h, "hdel") + both(0, h, "del")

    s, s2, d = key + "set", key + "set2", key + "dest"
    r.sadd(s, "a", "b", "c")
    r.srem(s, "a", "zz")
    r.smove(s, s2, "b")
    assert events.take(8) == both(0, s, "sadd") + both(0, s, "srem") + both(0, s, "srem") + both(0, s2, "sadd")
    r.sunionstore(d, [s, s2])
    assert events.take(2) == both(0, d, "sunionstore")
    r.sinterstore(d, [s, s2])  # empty result deletes the destination
    assert events.take(2) == both(0, d, "del")
    r.spop(s)
    assert events.take(4) == both(0, s, "spop") + both(0, s, "del")

    z = key + "zset"
    r.zadd(z, {"a": 1, "b": 2, "c": 3})
    r.zadd(z, {"a": 1})  # unchanged: no event
    r.zincrby(z, 1, "a")
    r.zrem(z, "a")
    r.zpopmax(z)
    assert events.take(8) == both(0, z, "zadd") + both(0, z, "zincr") + both(0, z, "zrem") + both(0, z, "zpopmax")
    r.zremrangebyrank(z, 0, -1)
    assert events.take(4) == both(0, z, "zremrangebyrank") + both(0, z, "del")


def test_expired_event_on_access(r, events, key):
    k = key + "lazy"
    r.set(k, "v", px=30)
    assert events.take(4) == both(0, k, "set") + both(0, k, "expire")
    time.sleep(0.06)
    assert r.get(k) is None
    assert events.take(2) == both(0, k, "expired")


def test_expired_event_from_active_expiry(r, events, key):
    """A key nobody touches still fires `expired` when the background cycle
    removes it."""
    k = key + "active"
    r.set(k, "v", px=50)
    assert events.take(4) == both(0, k, "set") + both(0, k, "expire")
    assert events.take(2, timeout=5) == both(0, k, "expired")
    assert r.exists(k) == 0


def test_class_filters(r, events, key):
    k = key + "f"
    r.config_set("notify-keyspace-events", "Kl")  # keyspace channel, list class only
    r.set(k, "v")
    r.delete(k)
    r.rpush(k, "a")
    assert events.take(1) == [("__keyspace@0__:" + k, "rpush")]
    r.config_set("notify-keyspace-events", "E$")
    r.set(k + "2", "v")
    assert events.take(1) == [("__keyevent@0__:set", k + "2")]
    r.config_set("notify-keyspace-events", "A")  # neither K nor E: nothing at all
    r.set(k + "2", "w")
    assert events.take() == []
    assert r.config_get("notify-keyspace-events") == {"notify-keyspace-events": "A"}


def test_off_by_default(server, key):
    client = server.redis(protocol=2)
    try:
        assert client.config_get("notify-keyspace-events") == {"notify-keyspace-events": ""}
        listener = client.pubsub()
        listener.psubscribe("__key*")
        listener.get_message(timeout=5)
        client.set(key + "quiet", "v")
        client.delete(key + "quiet")
        assert listener.get_message(ignore_subscribe_messages=True, timeout=0.3) is None
        listener.close()
    finally:
        client.close()


def test_resp3_client_sees_its_own_events_after_the_reply(server, r, key):
    k = key + "own"
    c = server.raw()
    try:
        c.call("HELLO", "3")
        c.call("SUBSCRIBE", "__keyevent@0__:set")
        c.send(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n" % (len(k), k.encode()))
        assert c.read_reply() == b"+OK\r\n"
        assert c.read_reply() == b">3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$%d\r\n%s\r\n" % (len(k), k.encode())
        # Inside a transaction the pushes follow the whole EXEC reply.
        assert c.call("MULTI") == b"+OK\r\n"
        c.call("SET", k, "1")
        c.call("SET", k, "2")
        assert c.call("EXEC") == b"*2\r\n+OK\r\n+OK\r\n"
        for _ in range(2):
            assert c.read_reply().startswith(b">3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set")
    finally:
        c.close()


def test_new_key_events_match_redis(servers, key):
    """`n`: a `new` event when a key is added (before the command's own event),
    not when one is overwritten; RENAME, COPY and MOVE add their destination
    anew. The classes are spelled out: `A` does not include `n`."""
    k = [key + c for c in "abcdefghijklmnopqr"]
    valkite_events, redis_events = differential_events(servers, key, "g$lshzxKEn", [
        ("SET", k[0], "1"), ("SET", k[0], "2"), ("SETNX", k[0], "x"), ("SETNX", k[1], "y"),
        ("MSET", k[2], "1", k[1], "2"), ("MSETNX", k[3], "1", k[4], "2"), ("SET", k[5], "v", "XX"),
        ("SET", k[5], "v", "NX", "GET"), ("INCR", k[6]), ("APPEND", k[7], "x"), ("SETRANGE", k[8], "1", "x"),
        ("GETSET", k[9], "1"), ("SET", k[10], "v", "EX", "100"),
        ("LPUSH", k[11], "a", "b"), ("RPUSH", k[11], "c"), ("LPUSHX", k[12], "a"),
        ("LMOVE", k[11], k[12], "LEFT", "RIGHT"), ("LMOVE", k[11], k[12], "LEFT", "RIGHT"),
        ("HSET", k[13], "f", "v"), ("HINCRBY", k[14], "f", "1"), ("SADD", k[15], "a", "b"),
        ("SMOVE", k[15], k[16], "a"), ("SINTERSTORE", k[17], k[15]), ("SINTERSTORE", k[17], k[15]),
        ("ZADD", k[15] + "z", "1", "a"), ("ZINCRBY", k[16] + "z", "1", "a"),
        ("ZUNIONSTORE", k[17] + "z", "1", k[15] + "z"), ("ZUNIONSTORE", k[17] + "z", "1", k[15] + "z"),
        ("RENAME", k[0], k[1]), ("RENAMENX", k[1], k[0]), ("COPY", k[0], k[2], "REPLACE"),
        ("COPY", k[2], k[3]), ("MOVE", k[2], DIFF_DB + 1), ("DEL", k[3]),
    ])
    assert ("__keyevent@%d__:new" % DIFF_DB, k[0]) in valkite_events
    assert valkite_events == redis_events


def test_new_is_not_part_of_all(servers, key):
    k = key + "k"
    valkite_events, redis_events = differential_events(servers, key, "AKE", [("SET", k, "1"), ("LPUSH", k + "l", "a")])
    assert [event for _, event in valkite_events] == ["set", k, "lpush", k + "l"]
    assert valkite_events == redis_events
    # `n` alone: only the `new` events.
    valkite_events, redis_events = differential_events(servers, key, "En", [("SET", k + "2", "1"), ("SET", k + "2", "2")])
    assert valkite_events == [("__keyevent@%d__:new" % DIFF_DB, k + "2")]
    assert valkite_events == redis_events
    # `A` and `n` together: CONFIG GET prints "AKE" (as Valkey does) but `new` stays on.
    valkite_events, redis_events = differential_events(servers, key, "AKEn", [("SET", k + "3", "1")])
    assert ("__keyevent@%d__:new" % DIFF_DB, k + "3") in valkite_events
    assert valkite_events == redis_events


def test_lazy_expired_precedes_the_accessing_commands_events(servers, key):
    """A key found expired by a command fires `expired` right then, before the
    command's own events and the following commands' (also inside MULTI), and
    a write over an expired key re-creates it (`expired`, `new`, `set`)."""
    k = [key + c for c in "abcdefg"]
    valkite_events, redis_events = differential_events(
        servers, key, "g$lshzxKEn",
        [("SET", k[0], "1", "PX", "20"), ("SET", k[1], "1", "PX", "20"), ("SET", k[2], "1", "PX", "20"),
         ("RPUSH", k[3], "a"), ("PEXPIRE", k[3], "20"), ("SET", k[4], "1", "PX", "20"),
         ("SET", k[5], "1", "PX", "20"), ("SET", k[6], "1", "PX", "20")],
        0.08,
        [("GET", k[0]), ("SET", key + "other", "x"), ("SET", k[1], "2"), ("MSET", k[2], "2", key + "m", "3"),
         ("LPUSH", k[3], "b"), ("INCR", k[4]), ("MULTI",), ("EXISTS", k[5]), ("SET", k[6], "3"), ("EXEC",)],
    )
    keyspace = [(channel.split("__:", 1)[1], event) for channel, event in valkite_events if channel.startswith("__keyspace")]
    other = key + "other"
    assert keyspace[keyspace.index((k[0], "expired")):][:6] == [
        (k[0], "expired"), (other, "new"), (other, "set"), (k[1], "expired"), (k[1], "new"), (k[1], "set")]
    assert valkite_events == redis_events
