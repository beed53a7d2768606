"""Sorted set commands end to end: redis-py in RESP2 and RESP3 against the real
binary, a differential run against the reference redis-server, and a restart
to check that what was recorded is what comes back.

Left out of the differential run on purpose:
  - non-dyadic scores such as 0.1: Redis 7.0 prints scores with %.17g
    ("0.10000000000000001"), Valkey 8 with the shortest round-trip form ("0.1");
  - ZRANK/ZREVRANK WITHSCORE (Valkey 7.2+) and ZSCAN NOSCORES (Valkey 8);
  - OBJECT ENCODING after ZADD of more than 128 pairs into an existing small
    set (Valkey 7.2+ converts up front from the size hint, Redis 7.0 does not);
  - anything random (ZRANDMEMBER with a count below the cardinality) or
    hash-ordered (ZSCAN of a skiplist-encoded set).
"""

import signal

import pytest
import redis

from conftest import spawn_valkite
from resp import RawClient, differential_mismatches

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def pairs(reply):
    """(member, score) tuples from a reply with scores, whatever shape redis-py
    gives it in RESP2 (tuples, or a flat list) or RESP3 (nested lists)."""
    if reply and not isinstance(reply[0], (list, tuple)):
        reply = list(zip(reply[0::2], reply[1::2]))
    return [(m, float(s)) for m, s in reply]


def error_of(call):
    with pytest.raises(redis.ResponseError) as info:
        call()
    return str(info.value)


def test_add_score_rank(client, key):
    z = key + "z"
    assert client.zadd(z, {"a": 1, "b": 2, "c": 3}) == 3
    assert client.zadd(z, {"a": 1, "d": 4}) == 1
    assert client.zadd(z, {"a": 10, "e": 5}, ch=True) == 2
    assert client.zadd(z, {"a": 100}, nx=True) == 0
    assert client.zadd(z, {"zz": 1}, xx=True) == 0
    assert client.zadd(z, {"a": 5}, gt=True, ch=True) == 0
    assert client.zadd(z, {"a": 5}, lt=True, ch=True) == 1
    assert client.zadd(z, {"a": 2.5}, incr=True) == 7.5
    assert client.zadd(z, {"a": 1}, nx=True, incr=True) is None
    assert client.zincrby(z, -0.5, "a") == 7.0
    assert client.zscore(z, "a") == 7.0
    assert client.zscore(z, "nope") is None
    assert client.zmscore(z, ["a", "nope", "b"]) == [7.0, None, 2.0]
    assert client.zcard(z) == 5
    assert client.zrank(z, "b") == 0
    assert client.zrevrank(z, "b") == 4
    assert client.zrank(z, "nope") is None
    assert client.zrank(z, "a", withscore=True) == [4, 7.0]
    assert client.zrevrank(z, "nope", withscore=True) is None
    assert client.zcount(z, "(2", "+inf") == 4
    assert client.zcount(z, "-inf", 2) == 1


def test_ranges(client, key):
    z = key + "z"
    client.zadd(z, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert client.zrange(z, 0, -1) == [b"a", b"b", b"c", b"d", b"e"]
    assert pairs(client.zrange(z, 1, 2, withscores=True)) == [(b"b", 2.0), (b"c", 3.0)]
    assert client.zrange(z, 0, 1, desc=True) == [b"e", b"d"]
    assert client.zrange(z, "(1", 4, byscore=True, offset=1, num=2) == [b"c", b"d"]
    assert pairs(client.zrange(z, 4, "(1", byscore=True, desc=True, withscores=True)) == [
        (b"d", 4.0), (b"c", 3.0), (b"b", 2.0)]
    assert pairs(client.zrevrange(z, 0, 0, withscores=True)) == [(b"e", 5.0)]
    assert client.zrangebyscore(z, "-inf", "+inf", start=3, num=10) == [b"d", b"e"]
    assert pairs(client.zrevrangebyscore(z, "+inf", "(4", withscores=True)) == [(b"e", 5.0)]
    assert client.zrange(key + "none", 0, -1) == []
    lex = key + "lex"
    client.zadd(lex, {m: 0 for m in ["apple", "banana", "cherry", "date"]})
    assert client.zrangebylex(lex, "[b", "(d") == [b"banana", b"cherry"]
    assert client.zrevrangebylex(lex, "+", "[c") == [b"date", b"cherry"]
    assert client.zrange(lex, "[d", "-", bylex=True, desc=True) == [b"cherry", b"banana", b"apple"]
    assert client.zlexcount(lex, "-", "+") == 4
    assert client.zlexcount(lex, "(apple", "[cherry") == 2
    assert client.zrangestore(key + "dst", z, 1, 3) == 3
    assert pairs(client.zrange(key + "dst", 0, -1, withscores=True)) == [(b"b", 2.0), (b"c", 3.0), (b"d", 4.0)]
    assert client.zrangestore(key + "dst", key + "none", 0, -1) == 0
    assert client.exists(key + "dst") == 0


def test_removal_and_pops(client, key):
    z = key + "z"
    client.zadd(z, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7})
    assert client.zrem(z, "a", "nope") == 1
    assert client.zremrangebyrank(z, 0, 0) == 1
    assert client.zremrangebyscore(z, "(6", "+inf") == 1
    assert client.zrange(z, 0, -1) == [b"c", b"d", b"e", b"f"]
    assert pairs(client.zpopmin(z)) == [(b"c", 3.0)]
    assert pairs(client.zpopmax(z, 2)) == [(b"f", 6.0), (b"e", 5.0)]
    assert client.zpopmin(z, 0) == []
    popped = client.zmpop(2, [key + "none", z], min=True, count=5)
    assert popped[0] == z.encode() and pairs(popped[1]) == [(b"d", 4.0)]
    assert client.exists(z) == 0
    assert client.zpopmin(z) == []
    assert client.zmpop(1, [z], max=True) is None
    lex = key + "lex"
    client.zadd(lex, {"a": 0, "b": 0, "c": 0})
    assert client.zremrangebylex(lex, "-", "(c") == 2
    assert client.zrange(lex, 0, -1) == [b"c"]


def test_set_algebra(client, key):
    a, b, s = key + "a", key + "b", key + "s"
    client.zadd(a, {"x": 1, "y": 2, "z": 3})
    client.zadd(b, {"y": 10, "z": 20, "w": 30})
    client.sadd(s, "y", "q")
    assert pairs(client.zunion([a, b], withscores=True)) == [(b"x", 1.0), (b"y", 12.0), (b"z", 23.0), (b"w", 30.0)]
    assert pairs(client.zunion({a: 2, b: 1}, aggregate="MAX", withscores=True)) == [
        (b"x", 2.0), (b"y", 10.0), (b"z", 20.0), (b"w", 30.0)]
    assert pairs(client.zinter([a, b, s], withscores=True)) == [(b"y", 13.0)]
    assert client.zinter([a, b], aggregate="MIN") == [b"y", b"z"]
    assert pairs(client.zdiff([a, b], withscores=True)) == [(b"x", 1.0)]
    assert client.zintercard(2, [a, b]) == 2
    assert client.zintercard(2, [a, b], limit=1) == 1
    assert client.zunionstore(key + "u", [a, b]) == 4
    assert client.zinterstore(key + "i", {a: 1, b: 0.5}) == 2
    assert pairs(client.zrange(key + "i", 0, -1, withscores=True)) == [(b"y", 7.0), (b"z", 13.0)]
    assert client.zdiffstore(key + "d", [b, a]) == 1
    assert client.zrange(key + "d", 0, -1) == [b"w"]
    assert client.zinterstore(key + "d", [a, key + "none"]) == 0
    assert client.exists(key + "d") == 0


def test_random_members_and_scan(client, key):
    z = key + "z"
    members = {"m%d" % i: i for i in range(200)}
    client.zadd(z, members)
    assert client.zrandmember(z).decode() in members
    picked = client.zrandmember(z, 50)
    assert len(picked) == 50 and len(set(picked)) == 50
    assert len(client.zrandmember(z, -300)) == 300
    assert len(client.zrandmember(z, 500)) == 200
    with_scores = client.zrandmember(z, 3, withscores=True)
    if client.protocol_version == 3:
        assert all(members[m.decode()] == s for m, s in with_scores)
    else:
        assert len(with_scores) == 6
    seen = {}
    cursor = 0
    while True:
        cursor, page = client.zscan(z, cursor, count=20)
        seen.update(page)
        if cursor == 0:
            break
    assert seen == {m.encode(): float(s) for m, s in members.items()}
    small = key + "small"
    client.zadd(small, {"a": 1, "b": 2.5})
    assert client.zscan(small, 0) == (0, [(b"a", 1.0), (b"b", 2.5)])
    assert client.zscan(small, 0, match="b*") == (0, [(b"b", 2.5)])


def test_scores_format_as_valkey(client, key):
    """Valkey 8 prints the shortest text that reads back to the same double."""
    z = key + "z"
    client.zadd(z, {"a": 0.1, "b": 1.5, "c": float("inf"), "d": float("-inf"), "e": 3})
    raw = client.execute_command("ZSCORE", z, "a")
    assert float(raw) == 0.1
    assert client.zscore(z, "c") == float("inf")
    assert pairs(client.zrange(z, 0, -1, withscores=True)) == [
        (b"d", float("-inf")), (b"a", 0.1), (b"b", 1.5), (b"e", 3.0), (b"c", float("inf"))]


def test_raw_replies(valkite, key):
    z = key + "z"
    with RawClient(valkite.port) as c:
        assert c.call("ZADD", z, "0.1", "a", "1.5", "b", "+inf", "c", "3", "d") == b":4\r\n"
        assert c.call("ZSCORE", z, "a") == b"$3\r\n0.1\r\n"
        assert c.call("ZSCORE", z, "c") == b"$3\r\ninf\r\n"
        assert c.call("ZRANGE", z, "0", "1", "WITHSCORES") == b"*4\r\n$1\r\na\r\n$3\r\n0.1\r\n$1\r\nb\r\n$3\r\n1.5\r\n"
        assert c.call("ZSCAN", z, "0", "NOSCORES") == b"*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\nc\r\n"
        c.call("HELLO", "3")
        assert c.call("ZSCORE", z, "a") == b",0.1\r\n"
        assert c.call("ZRANGE", z, "0", "1", "WITHSCORES") == b"*2\r\n*2\r\n$1\r\na\r\n,0.1\r\n*2\r\n$1\r\nb\r\n,1.5\r\n"
        assert c.call("ZPOPMIN", z) == b"*2\r\n$1\r\na\r\n,0.1\r\n"
        assert c.call("ZPOPMIN", z, "1") == b"*1\r\n*2\r\n$1\r\nb\r\n,1.5\r\n"
        assert c.call("ZMPOP", "1", z, "MAX") == b"*2\r\n$%d\r\n%s\r\n*1\r\n*2\r\n$1\r\nc\r\n,inf\r\n" % (
            len(z), z.encode())
        assert c.call("ZRANK", z, "nope", "WITHSCORE") == b"_\r\n"


def test_errors(client, key):
    z, s = key + "z", key + "s"
    client.zadd(z, {"a": 1})
    client.set(s, "v")
    assert error_of(lambda: client.execute_command("ZADD", z, "NX", "XX", "1", "a")) == \
        "XX and NX options at the same time are not compatible"
    assert error_of(lambda: client.execute_command("ZADD", z, "GT", "LT", "1", "a")) == \
        "GT, LT, and/or NX options at the same time are not compatible"
    assert error_of(lambda: client.execute_command("ZADD", z, "INCR", "1", "a", "2", "b")) == \
        "INCR option supports a single increment-element pair"
    assert error_of(lambda: client.execute_command("ZADD", z, "x", "a")) == "value is not a valid float"
    assert error_of(lambda: client.execute_command("ZADD", z, "1", "a", "2")) == "syntax error"
    assert error_of(lambda: client.zadd(s, {"a": 1})) == WRONGTYPE
    client.zadd(key + "inf", {"m": float("inf")})
    assert error_of(lambda: client.zincrby(key + "inf", float("-inf"), "m")) == "resulting score is not a number (NaN)"
    assert error_of(lambda: client.zrangebyscore(z, "x", 1)) == "min or max is not a float"
    assert error_of(lambda: client.zrangebylex(z, "a", "+")) == "min or max not valid string range item"
    assert error_of(lambda: client.execute_command("ZRANGE", z, "0", "-1", "LIMIT", "0", "1")) == \
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    assert error_of(lambda: client.execute_command("ZRANGE", z, "-", "+", "BYLEX", "WITHSCORES")) == \
        "syntax error, WITHSCORES not supported in combination with BYLEX"
    assert error_of(lambda: client.execute_command("ZUNION", "0", z)) == \
        "at least 1 input key is needed for 'zunion' command"
    assert error_of(lambda: client.execute_command("ZUNION", "1", z, "WEIGHTS", "x")) == "weight value is not a float"
    assert error_of(lambda: client.execute_command("ZPOPMIN", z, "-1")) == "value is out of range, must be positive"
    assert error_of(lambda: client.execute_command("ZMPOP", "0", z, "MIN")) == "numkeys should be greater than 0"
    assert error_of(lambda: client.execute_command("ZINTERCARD", "1", z, "LIMIT", "-1")) == "LIMIT can't be negative"
    assert error_of(lambda: client.zscore(s, "a")) == WRONGTYPE
    assert error_of(lambda: client.zunion([z, s])) == WRONGTYPE


def test_encodings(client, key):
    z = key + "z"
    client.zadd(z, {"m%d" % i: i for i in range(128)})
    assert client.object("ENCODING", z) in (b"listpack", "listpack")
    client.zadd(z, {"extra": 1000})
    assert client.object("ENCODING", z) in (b"skiplist", "skiplist")
    client.zadd(key + "long", {"x" * 65: 1})
    assert client.object("ENCODING", key + "long") in (b"skiplist", "skiplist")


# -- differential ---------------------------------------------------------------

def diff_commands(p):
    """A representative sequence; every key starts with the prefix p."""
    z, l, a, b, s, d, st = p + "z", p + "l", p + "a", p + "b", p + "s", p + "d", p + "str"
    big = [str(x) for i in range(150) for x in (i % 37 + 0.5, "m%03d" % i)]
    return [
        ["DEL", z, l, a, b, s, d, st],
        ["ZADD", z, "1", "a", "2", "b", "3", "c", "1.5", "d", "-inf", "e", "+inf", "f"],
        ["ZADD", z, "NX", "XX", "1", "a"], ["ZADD", z, "GT", "LT", "1", "a"], ["ZADD", z, "NX", "GT", "1", "a"],
        ["ZADD", z, "INCR", "1", "a", "2", "b"], ["ZADD", z, "1"], ["ZADD", z, "abc", "a"], ["ZADD", z, "nan", "a"],
        ["ZADD", z, "INCR", "5", "a"], ["ZADD", z, "XX", "INCR", "5", "nope"], ["ZADD", p + "none", "XX", "1", "a"],
        ["ZADD", z, "GT", "INCR", "-1", "a"], ["ZADD", z, "CH", "10", "a", "20", "b", "30", "g"],
        ["ZADD", z, "GT", "CH", "5", "a", "50", "b"], ["ZADD", z, "LT", "CH", "5", "a", "50", "b"],
        ["ZINCRBY", z, "2.25", "c"], ["ZINCRBY", z, "x", "c"], ["ZINCRBY", z, "-inf", "f"],
        ["ZSCORE", z, "a"], ["ZSCORE", z, "nope"], ["ZSCORE", p + "none", "a"], ["ZMSCORE", z, "a", "nope", "f"],
        ["ZMSCORE", p + "none", "a"], ["ZCARD", z], ["ZCARD", p + "none"],
        ["ZCOUNT", z, "-inf", "+inf"], ["ZCOUNT", z, "(1", "3"], ["ZCOUNT", z, "x", "3"], ["ZCOUNT", z, "(", "50"],
        ["ZRANGE", z, "0", "-1", "WITHSCORES"], ["ZRANGE", z, "-3", "100"], ["ZRANGE", z, "5", "2"],
        ["ZRANGE", z, "0", "-1", "REV", "WITHSCORES"], ["ZRANGE", z, "(1", "+inf", "BYSCORE", "LIMIT", "1", "2"],
        ["ZRANGE", z, "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "3", "WITHSCORES"],
        ["ZRANGE", z, "0", "-1", "LIMIT", "0", "1"], ["ZRANGE", z, "-", "+", "BYLEX", "WITHSCORES"],
        ["ZRANGE", z, "0", "-1", "BYSCORE", "BYLEX"], ["ZRANGE", z, "0", "-1", "REV", "REV"],
        ["ZRANGE", z, "a", "b"], ["ZRANGE", z, "1", "5", "BYSCORE", "LIMIT", "-1", "2"],
        ["ZRANGEBYSCORE", z, "-inf", "inf", "WITHSCORES", "LIMIT", "1", "3"], ["ZRANGEBYSCORE", z, "2", "1"],
        ["ZREVRANGEBYSCORE", z, "(50", "(1", "WITHSCORES"], ["ZREVRANGE", z, "0", "2", "WITHSCORES"],
        ["ZRANK", z, "c"], ["ZRANK", z, "nope"], ["ZREVRANK", z, "c"], ["ZRANK", z, "a", "b", "c"],
        ["ZADD", l, "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"],
        ["ZRANGEBYLEX", l, "[b", "(e"], ["ZRANGEBYLEX", l, "-", "+", "LIMIT", "1", "2"], ["ZRANGEBYLEX", l, "a", "+"],
        ["ZREVRANGEBYLEX", l, "+", "(b"], ["ZLEXCOUNT", l, "(a", "[d"], ["ZLEXCOUNT", l, "+", "-"],
        ["ZREMRANGEBYLEX", l, "[d", "+"], ["ZRANGE", l, "0", "-1"],
        ["ZREMRANGEBYRANK", z, "0", "0"], ["ZREMRANGEBYRANK", z, "-1", "-1"], ["ZREMRANGEBYSCORE", z, "(2", "3"],
        ["ZREMRANGEBYSCORE", z, "x", "3"], ["ZRANGE", z, "0", "-1", "WITHSCORES"],
        ["ZPOPMIN", z], ["ZPOPMAX", z, "2"], ["ZPOPMIN", z, "0"], ["ZPOPMIN", z, "-1"], ["ZPOPMIN", p + "none"],
        ["ZMPOP", "2", p + "none", z, "MIN", "COUNT", "10"], ["ZMPOP", "1", z, "MAX"], ["ZMPOP", "0", z, "MIN"],
        ["ZMPOP", "1", z, "MIN", "COUNT", "0"], ["EXISTS", z],
        ["ZADD", a, "1", "x", "2", "y", "3", "z"], ["ZADD", b, "10", "y", "20", "z", "30", "w"],
        ["SADD", s, "y", "q"],
        ["ZUNION", "2", a, b, "WITHSCORES"], ["ZUNION", "3", a, b, s, "WEIGHTS", "2", "1", "0.5", "WITHSCORES"],
        ["ZUNION", "2", a, b, "AGGREGATE", "MIN", "WITHSCORES"], ["ZINTER", "3", a, b, s, "WITHSCORES"],
        ["ZINTER", "2", a, b, "AGGREGATE", "MAX"], ["ZDIFF", "2", a, b, "WITHSCORES"], ["ZDIFF", "2", b, s],
        ["ZINTERCARD", "2", a, b], ["ZINTERCARD", "2", a, b, "LIMIT", "1"], ["ZINTERCARD", "2", a, b, "LIMIT", "-1"],
        ["ZUNION", "0", a], ["ZUNION", "3", a], ["ZUNION", "1", a, "WEIGHTS", "x"], ["ZDIFF", "1", a, "WEIGHTS", "1"],
        ["ZUNIONSTORE", d, "2", a, b], ["ZRANGE", d, "0", "-1", "WITHSCORES"], ["ZINTERSTORE", d, "2", a, p + "none"],
        ["EXISTS", d], ["ZDIFFSTORE", d, "2", b, a], ["ZRANGE", d, "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", d, a, "0", "1"], ["ZRANGE", d, "0", "-1", "WITHSCORES"],
        ["ZRANGESTORE", d, a, "(1", "+inf", "BYSCORE", "REV"], ["ZRANGE", d, "0", "-1", "WITHSCORES"],
        ["ZRANDMEMBER", a, "10", "WITHSCORES"], ["ZRANDMEMBER", a, "0"], ["ZRANDMEMBER", p + "none"],
        ["ZRANDMEMBER", a, "1", "x"], ["ZRANDMEMBER", a, "-9223372036854775808"],
        ["ZSCAN", a, "0"], ["ZSCAN", a, "0", "MATCH", "y*"], ["ZSCAN", a, "x"], ["ZSCAN", p + "none", "0"],
        ["SET", st, "v"], ["ZADD", st, "1", "a"], ["ZRANGE", st, "0", "-1"], ["ZSCORE", st, "a"], ["ZPOPMIN", st],
        ["ZUNION", "2", a, st], ["ZMPOP", "2", p + "none", st, "MIN"], ["ZCOUNT", st, "x", "1"],
        ["ZADD", p + "big"] + big, ["OBJECT", "ENCODING", p + "big"], ["ZRANGE", p + "big", "30", "40", "WITHSCORES"],
        ["ZRANGEBYSCORE", p + "big", "(3.5", "10", "LIMIT", "5", "5"], ["ZCOUNT", p + "big", "10", "(20.5"],
        ["ZRANK", p + "big", "m077"], ["ZREMRANGEBYRANK", p + "big", "10", "139"], ["OBJECT", "ENCODING", p + "big"],
        ["ZRANGE", p + "big", "0", "-1", "WITHSCORES"],
        ["ZADD", p + "bin", "0", "bin\x00ary", "0", ""], ["ZRANGE", p + "bin", "0", "-1"],
        ["ZRANGEBYLEX", p + "bin", "[", "+"],
    ]


@pytest.mark.parametrize("protocol", [2, 3], ids=["resp2", "resp3"])
def test_same_replies_as_redis(valkite, redis_ref, key, protocol):
    mismatches = differential_mismatches(diff_commands(key), valkite.port, redis_ref.port, protocol)
    assert not mismatches, "\n".join(mismatches)


# -- persistence ----------------------------------------------------------------

def test_zsets_survive_restart(tmp_path):
    """Every kind of sorted set change record, replayed by storage at start-up."""
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        r.zadd("z", {"a": 1, "b": 2.5, "c": 3, "d": float("inf"), "e": -7})
        r.zadd("z", {"a": 10})
        r.zincrby("z", 0.25, "b")
        r.zrem("z", "c")
        r.zpopmin("z")
        r.zadd("big", {"m%d" % i: i * 0.5 for i in range(300)})
        r.zremrangebyrank("big", 0, 99)
        r.zremrangebyscore("big", 100, 120)
        r.set("dst", "a string first")
        r.zunionstore("dst", ["z", "big"], aggregate="MAX")
        r.zrangestore("rs", "big", 0, 9)
        r.zadd("gone", {"x": 1})
        r.zpopmax("gone")
        expected = {k: r.zrange(k, 0, -1, withscores=True) for k in ("z", "big", "dst", "rs")}
        r.close()
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.output()[-4000:]
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path))
    try:
        r = server.redis()
        assert {k: r.zrange(k, 0, -1, withscores=True) for k in ("z", "big", "dst", "rs")} == expected
        assert r.exists("gone") == 0
        assert r.type("dst") == b"zset"
        r.close()
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.output()[-4000:]
