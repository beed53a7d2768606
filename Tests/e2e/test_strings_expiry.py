"""Everyday commands through redis-py, in RESP2 and RESP3, and expiry over time."""

import time

import pytest


def test_set_get_incr(client, key):
    assert client.set(key + "s", "hello") is True
    assert client.get(key + "s") == b"hello"
    assert client.get(key + "missing") is None
    assert client.set(key + "s", "again", nx=True) is None
    assert client.set(key + "s", "changed", xx=True) is True
    assert client.set(key + "s", "x", get=True) == b"changed"
    assert client.incr(key + "n") == 1
    assert client.incrby(key + "n", 41) == 42
    assert client.decr(key + "n") == 41
    assert client.incrbyfloat(key + "f", 2.5) == 2.5
    assert client.incrbyfloat(key + "f", "0.1") == pytest.approx(2.6)
    assert client.get(key + "f") == b"2.6"
    assert client.append(key + "s", "-tail") == 6
    assert client.strlen(key + "s") == 6
    assert client.mset({key + "a": "1", key + "b": "2"}) is True
    assert client.mget([key + "a", key + "missing", key + "b"]) == [b"1", None, b"2"]
    assert client.getrange(key + "s", 0, 0) == b"x"
    assert client.exists(key + "a", key + "b", key + "missing") == 2
    assert client.type(key + "a") == b"string"
    assert client.delete(key + "a", key + "b", key + "missing") == 2
    assert client.getdel(key + "n") == b"41"
    assert client.get(key + "n") is None


def test_binary_safe_values(client, key):
    value = bytes(range(256)) * 4 + b"\r\n\x00end"
    assert client.set(key + "bin", value) is True
    assert client.get(key + "bin") == value
    big = b"v" * 300_000
    assert client.set(key + "big", big) is True
    assert client.get(key + "big") == big
    assert client.strlen(key + "big") == 300_000


def test_expire_and_ttl(client, key):
    client.set(key + "e", "v")
    assert client.ttl(key + "e") == -1
    assert client.ttl(key + "nosuch") == -2
    assert client.expire(key + "e", 100) is True
    assert 99 <= client.ttl(key + "e") <= 100
    assert 98_000 <= client.pttl(key + "e") <= 100_000
    assert client.persist(key + "e") is True
    assert client.ttl(key + "e") == -1
    assert client.expireat(key + "e", 4102444800) is True
    assert client.expiretime(key + "e") == 4102444800
    assert client.expire(key + "nosuch", 10) is False


def test_px_expiry_observed_over_time(client, key):
    assert client.set(key + "px", "soon-gone", px=100) is True
    assert client.get(key + "px") == b"soon-gone"
    assert 0 < client.pttl(key + "px") <= 100
    time.sleep(0.3)
    assert client.get(key + "px") is None
    assert client.exists(key + "px") == 0
    assert client.ttl(key + "px") == -2


def test_setex_getex_and_keepttl(client, key):
    assert client.execute_command("SETEX", key + "sx", 100, "v") in (True, b"OK", "OK")
    assert 99 <= client.ttl(key + "sx") <= 100
    assert client.set(key + "sx", "w", keepttl=True) is True
    assert 99 <= client.ttl(key + "sx") <= 100
    assert client.set(key + "sx", "z") is True
    assert client.ttl(key + "sx") == -1
    assert client.getex(key + "sx", px=150) == b"z"
    time.sleep(0.4)
    assert client.get(key + "sx") is None


def test_scan_iter(client, key):
    names = {(key + "scan:%d" % i).encode() for i in range(250)}
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.set(name, "1")
    pipe.execute()
    found = set(client.scan_iter(match=key + "scan:*", count=20))
    assert found == names
    # A type filter and keys(): same answer.
    assert set(client.scan_iter(match=key + "scan:*", _type="string")) == names
    assert set(client.keys(key + "scan:*")) == names


def _fresh_db_client(valkite, protocol, db):
    c = valkite.redis(protocol=protocol, db=db)
    c.flushdb()
    return c


@pytest.mark.parametrize("protocol", [2, 3])
def test_active_expiry_drops_untouched_keys(valkite, protocol):
    """Keys with PX 100 that nobody reads must disappear from DBSIZE by themselves."""
    c = _fresh_db_client(valkite, protocol, db=10 + protocol)
    try:
        pipe = c.pipeline(transaction=False)
        for i in range(200):
            pipe.set("volatile:%d" % i, "x", px=100)
        pipe.set("stays", "x")
        pipe.execute()
        assert c.dbsize() == 201
        deadline = time.monotonic() + 5
        size = c.dbsize()
        while size != 1 and time.monotonic() < deadline:
            time.sleep(0.1)
            size = c.dbsize()
        assert size == 1, "active expiry did not remove the volatile keys (dbsize %d after 5s)" % size
        assert c.info("keyspace").get("db%d" % (10 + protocol), {}).get("keys") == 1
        c.flushdb()
    finally:
        c.close()


def test_scan_never_returns_expired_keys(valkite):
    c = _fresh_db_client(valkite, 2, db=14)
    try:
        for i in range(20):
            c.set("gone:%d" % i, "x", px=100)
        c.set("kept", "x")
        time.sleep(0.3)
        assert list(c.scan_iter(count=1000)) == [b"kept"]
        assert c.keys("*") == [b"kept"]
        assert c.randomkey() == b"kept"
        c.flushdb()
    finally:
        c.close()


def test_resp3_types(r3, key):
    # RESP3 specifics as redis-py surfaces them: null, double-free INCRBYFLOAT, maps for CONFIG GET.
    assert r3.get(key + "nothing") is None
    assert r3.config_get("databases") == {"databases": "16"} or r3.config_get("databases") == {b"databases": b"16"}
    assert r3.execute_command("HELLO", "3")[b"proto"] == 3


def test_scan_and_hscan_complete_while_tables_grow(valkite):
    """Key tables above 1,024 buckets resize a few buckets per write (and in the
    cron): SCAN and HSCAN must still return every entry present throughout,
    and every key stays readable, while writes between the calls grow them."""
    c = valkite.redis(db=5)
    c.flushdb()
    pipe = c.pipeline(transaction=False)
    for i in range(3000):
        pipe.set("stable:%d" % i, i)
    pipe.hset("h", mapping={"stable:%d" % i: i for i in range(3000)})
    pipe.execute()
    seen, fields = set(), set()
    cursor, hcursor, round_ = 0, 0, 0
    while True:
        cursor, keys = c.scan(cursor, match="stable:*", count=50)
        seen.update(keys)
        if hcursor is not None:
            hcursor, page = c.hscan("h", hcursor, count=50)
            fields.update(page)
            hcursor = hcursor or None
        # Growth between calls: the keyspace and the hash pass 4,096 and 8,192 entries.
        pipe = c.pipeline(transaction=False)
        for i in range(100):
            n = round_ * 100 + i
            pipe.set("grow:%d" % n, n)
            pipe.hset("h", "grow:%d" % n, n)
        pipe.execute()
        round_ += 1
        if cursor == 0 and hcursor is None:
            break
    assert seen == {b"stable:%d" % i for i in range(3000)}
    assert {f for f in fields if f.startswith(b"stable:")} == {b"stable:%d" % i for i in range(3000)}
    assert c.dbsize() == 3001 + round_ * 100
    assert c.hlen("h") == 3000 + round_ * 100
    assert c.mget(["stable:%d" % i for i in range(3000)]) == [b"%d" % i for i in range(3000)]
    assert c.mget(["grow:%d" % i for i in range(round_ * 100)]) == [b"%d" % i for i in range(round_ * 100)]
    c.flushdb()
