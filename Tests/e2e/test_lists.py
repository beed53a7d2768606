"""List commands end to end: redis-py in RESP2 and RESP3 against the real
binary, a differential run against the reference redis-server, and a restart
to check that what was recorded is what comes back.

Left out of the differential run on purpose: OBJECT ENCODING (Redis 7.0
always says quicklist; Valkey 7.2+ has listpack lists) and the LONG_MIN
arguments of LPOS RANK and LREM (Valkey rejects them, Redis 7.0 accepts).
"""

import signal

import pytest
import redis

from conftest import spawn_valkite
from resp import RawClient, differential_mismatches

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def error_of(call):
    with pytest.raises(redis.ResponseError) as info:
        call()
    return str(info.value)


def test_push_pop_range(client, key):
    k = key + "l"
    assert client.rpush(k, "a", "b", "c") == 3
    assert client.lpush(k, "z") == 4
    assert client.lrange(k, 0, -1) == [b"z", b"a", b"b", b"c"]
    assert client.llen(k) == 4
    assert client.lpop(k) == b"z"
    assert client.rpop(k) == b"c"
    assert client.lpop(k, 0) == []
    assert client.rpop(k, 5) == [b"b", b"a"]
    assert client.exists(k) == 0
    assert client.lpop(k) is None
    assert client.lpop(k, 2) is None
    assert client.lpushx(k, "a") == 0
    assert client.rpushx(k, "a") == 0
    assert client.exists(k) == 0


def test_null_shapes_are_protocol_exact(valkite, key):
    k = key + "missing"
    with RawClient(valkite.port) as c:
        assert c.call("LPOP", k) == b"$-1\r\n"
        assert c.call("LPOP", k, "1") == b"*-1\r\n"
        assert c.call("LMPOP", "1", k, "LEFT") == b"*-1\r\n"
        assert c.call("LINDEX", k, "0") == b"$-1\r\n"
        assert c.call("HELLO", "3").startswith(b"%")
        assert c.call("LPOP", k) == b"_\r\n"
        assert c.call("LPOP", k, "1") == b"_\r\n"
        assert c.call("LMPOP", "1", k, "LEFT") == b"_\r\n"
        assert c.call("LPOS", k, "x") == b"_\r\n"
        assert c.call("LPOS", k, "x", "COUNT", "0") == b"*0\r\n"


def test_index_set_insert_rem_trim(client, key):
    k = key + "l"
    client.rpush(k, "a", "b", "c", "b", "d")
    assert client.lindex(k, -1) == b"d"
    assert client.lindex(k, 10) is None
    assert client.lset(k, 0, "A") is True
    assert error_of(lambda: client.lset(k, 9, "x")) == "index out of range"
    assert error_of(lambda: client.lset(key + "none", 0, "x")) == "no such key"
    assert client.linsert(k, "BEFORE", "b", "x") == 6
    assert client.linsert(k, "AFTER", "zz", "x") == -1
    assert client.linsert(key + "none", "AFTER", "b", "x") == 0
    assert client.lrange(k, 0, -1) == [b"A", b"x", b"b", b"c", b"b", b"d"]
    assert client.lrem(k, -1, "b") == 1
    assert client.lrange(k, 0, -1) == [b"A", b"x", b"b", b"c", b"d"]
    assert client.ltrim(k, 1, -2) is True
    assert client.lrange(k, 0, -1) == [b"x", b"b", b"c"]
    assert client.ltrim(k, 5, 1) is True
    assert client.exists(k) == 0


def test_lpos(client, key):
    k = key + "l"
    client.rpush(k, "a", "b", "c", "1", "2", "3", "c", "c")
    assert client.lpos(k, "c") == 2
    assert client.lpos(k, "c", rank=-1) == 7
    assert client.lpos(k, "c", count=0) == [2, 6, 7]
    assert client.lpos(k, "c", rank=-1, count=2) == [7, 6]
    assert client.lpos(k, "c", maxlen=2) is None
    assert client.lpos(k, "zz", count=1) == []
    assert error_of(lambda: client.lpos(k, "c", rank=0)).startswith("RANK can't be zero")
    assert error_of(lambda: client.execute_command("LPOS", k, "c", "RANK", "-9223372036854775808")) == (
        "value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    assert error_of(lambda: client.lpos(k, "c", count=-1)) == "COUNT can't be negative"
    assert error_of(lambda: client.lpos(k, "c", maxlen=-1)) == "MAXLEN can't be negative"


def test_moves(client, key):
    src, dst = key + "src", key + "dst"
    client.rpush(src, "a", "b", "c")
    assert client.lmove(src, dst, "LEFT", "RIGHT") == b"a"
    assert client.rpoplpush(src, dst) == b"c"
    assert client.lmove(src, src, "RIGHT", "LEFT") == b"b"
    assert client.lrange(src, 0, -1) == [b"b"]
    assert client.lrange(dst, 0, -1) == [b"c", b"a"]
    assert client.lmpop(2, key + "none", dst, direction="RIGHT", count=5) == [dst.encode(), [b"a", b"c"]]
    assert client.lmpop(1, dst, direction="LEFT") is None
    assert client.exists(dst) == 0
    client.set(key + "s", "v")
    assert error_of(lambda: client.lmove(src, key + "s", "LEFT", "LEFT")) == WRONGTYPE
    assert error_of(lambda: client.lpush(key + "s", "x")) == WRONGTYPE
    assert error_of(lambda: client.execute_command("LMPOP", "0", src, "LEFT")) == "numkeys should be greater than 0"
    assert error_of(lambda: client.execute_command("LMPOP", "1", src, "LEFT", "COUNT", "0")) == (
        "count should be greater than 0")


def test_object_encoding(client, key):
    small, big = key + "small", key + "big"
    client.rpush(small, "a", "b", "c")
    assert client.object("ENCODING", small) in (b"listpack", "listpack")
    client.rpush(big, *(["x" * 100] * 1000))
    assert client.object("ENCODING", big) in (b"quicklist", "quicklist")
    client.ltrim(big, 0, 9)
    assert client.object("ENCODING", big) in (b"listpack", "listpack")


# -- differential ---------------------------------------------------------------

def diff_commands(p):
    """A representative sequence; every key starts with the prefix p."""
    a, b, c, s = p + "a", p + "b", p + "c", p + "s"
    return [
        ["DEL", a, b, c, s],
        ["RPUSH", a, "1", "2", "3", "2", "x", "2"],
        ["LPUSH", a, "y", "z"],
        ["LPUSHX", b, "q"], ["RPUSHX", a, "tail"],
        ["LRANGE", a, "0", "-1"], ["LRANGE", a, "-3", "100"], ["LRANGE", a, "5", "2"], ["LRANGE", b, "0", "-1"],
        ["LLEN", a], ["LLEN", b],
        ["LINDEX", a, "0"], ["LINDEX", a, "-1"], ["LINDEX", a, "99"], ["LINDEX", a, "x"], ["LINDEX", b, "x"],
        ["LSET", a, "1", "Y"], ["LSET", a, "99", "v"], ["LSET", b, "0", "v"], ["LSET", a, "x", "v"],
        ["LINSERT", a, "BEFORE", "2", "pre"], ["LINSERT", a, "AFTER", "2", "post"],
        ["LINSERT", a, "AFTER", "nope", "v"], ["LINSERT", b, "AFTER", "2", "v"], ["LINSERT", a, "SIDEWAYS", "2", "v"],
        ["LPOS", a, "2"], ["LPOS", a, "2", "RANK", "-1"], ["LPOS", a, "2", "COUNT", "0"],
        ["LPOS", a, "2", "RANK", "2", "COUNT", "2"], ["LPOS", a, "2", "MAXLEN", "3"], ["LPOS", a, "2", "RANK", "0"],
        ["LPOS", a, "2", "COUNT", "-1"], ["LPOS", a, "2", "MAXLEN", "x"], ["LPOS", a, "2", "BOGUS"],
        ["LPOS", b, "2"], ["LPOS", b, "2", "COUNT", "1"],
        ["LREM", a, "1", "2"], ["LREM", a, "-1", "2"], ["LREM", a, "0", "nope"], ["LREM", b, "0", "2"],
        ["LREM", a, "x", "2"],
        ["LRANGE", a, "0", "-1"],
        ["LMOVE", a, b, "LEFT", "RIGHT"], ["LMOVE", a, b, "RIGHT", "LEFT"], ["LMOVE", a, a, "LEFT", "RIGHT"],
        ["LMOVE", a, b, "UP", "LEFT"], ["RPOPLPUSH", b, c], ["RPOPLPUSH", p + "none", c],
        ["LRANGE", a, "0", "-1"], ["LRANGE", b, "0", "-1"], ["LRANGE", c, "0", "-1"],
        ["LPOP", a], ["RPOP", a, "2"], ["LPOP", a, "0"], ["LPOP", p + "none", "0"], ["LPOP", a, "-1"],
        ["LPOP", a, "1", "2"], ["RPOP", p + "none"], ["RPOP", p + "none", "3"],
        ["LMPOP", "2", p + "none", a, "LEFT"], ["LMPOP", "2", p + "none", a, "RIGHT", "COUNT", "100"],
        ["LMPOP", "1", p + "none", "LEFT"], ["LMPOP", "0", a, "LEFT"], ["LMPOP", "3", a, "LEFT"],
        ["LMPOP", "1", a, "LEFT", "COUNT", "0"], ["LMPOP", "1", a, "LEFT", "COUNT", "1", "COUNT", "1"],
        ["EXISTS", a],
        ["RPUSH", c, "a", "b", "c", "d", "e", "f"], ["LTRIM", c, "1", "-2"], ["LRANGE", c, "0", "-1"],
        ["LTRIM", c, "0", "100"], ["LTRIM", c, "x", "1"], ["LTRIM", p + "none", "0", "1"], ["LTRIM", c, "3", "1"],
        ["EXISTS", c],
        ["SET", s, "v"], ["LPUSH", s, "x"], ["LRANGE", s, "0", "1"], ["LPOP", s], ["LMOVE", b, s, "LEFT", "LEFT"],
        ["LMPOP", "2", p + "none", s, "LEFT"], ["LINDEX", s, "0"], ["LLEN", s], ["LPOS", s, "v"],
        ["RPUSH", a, "bin\x00ary", ""], ["LRANGE", a, "0", "-1"], ["LPOS", a, ""],
        ["LRANGE", b, "0", "-1"], ["TYPE", b],
    ]


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
def test_same_replies_as_redis(valkite, redis_ref, key, protocol):
    mismatches = differential_mismatches(diff_commands(key), valkite.port, redis_ref.port, protocol)
    assert not mismatches, "\n".join(mismatches)


# -- persistence ----------------------------------------------------------------

def test_lists_survive_restart(tmp_path):
    """Every kind of list change record, replayed by storage at start-up."""
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        r.rpush("l", "a", "b", "c", "b", "d", "b", "e")
        r.lpush("l", "h1", "h2")
        r.lset("l", 2, "A")
        r.linsert("l", "AFTER", "c", "c2")
        r.lrem("l", -2, "b")
        r.lpop("l")
        r.rpop("l", 1)
        r.ltrim("l", 0, 5)
        r.lmove("l", "m", "LEFT", "RIGHT")
        r.lmove("l", "l", "RIGHT", "LEFT")
        r.rpush("gone", "x")
        r.lpop("gone")
        expected = {"l": r.lrange("l", 0, -1), "m": r.lrange("m", 0, -1)}
        r.close()
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.output()[-4000:]
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        assert {"l": r.lrange("l", 0, -1), "m": r.lrange("m", 0, -1)} == expected
        assert r.exists("gone") == 0
        r.close()
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.output()[-4000:]
