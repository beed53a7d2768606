"""Keyspace notifications end to end (`notify-keyspace-events`), on a private
server since the setting is global."""

from __future__ import annotations

import time

import pytest

from conftest import spawn_valkite


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # hz 1: the active expiry cycle runs once a second, so a key read right
    # after its TTL passes is (almost always) expired lazily by that read.
    server = spawn_valkite(tmp_path_factory.mktemp("notifications"), "--save", "", "--hz", "1")
    yield server
    server.stop()


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
