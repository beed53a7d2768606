"""Exact error replies, in Valkey 8.0's words (src/server.c, src/t_string.c,
src/expire.c, src/object.c). WRONGTYPE is not tested yet: only strings exist."""

import pytest
import redis

# (command, exact reply) — each runs on a fresh connection in db 9, where the
# string key "k" holds "v".
CASES = [
    # unknown command: the name as sent, up to 128 bytes of args, each quoted and followed by a space
    (["NOSUCHCOMMAND"], b"-ERR unknown command 'NOSUCHCOMMAND', with args beginning with: \r\n"),
    (["nosuch", "a", "b c"], b"-ERR unknown command 'nosuch', with args beginning with: 'a' 'b c' \r\n"),
    # unknown subcommand of a container command
    (["OBJECT", "NOPE"], b"-ERR unknown subcommand 'NOPE'. Try OBJECT HELP.\r\n"),
    (["CLIENT", "nope", "x"], b"-ERR unknown subcommand 'nope'. Try CLIENT HELP.\r\n"),
    (["CONFIG", "NOPE"], b"-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n"),
    # wrong arity: the command's name in lower case, subcommands as 'parent|sub'
    (["GET"], b"-ERR wrong number of arguments for 'get' command\r\n"),
    (["get", "a", "b"], b"-ERR wrong number of arguments for 'get' command\r\n"),
    (["SET", "k"], b"-ERR wrong number of arguments for 'set' command\r\n"),
    (["MSET", "a", "1", "b"], b"-ERR wrong number of arguments for 'mset' command\r\n"),
    (["PING", "a", "b"], b"-ERR wrong number of arguments for 'ping' command\r\n"),
    (["OBJECT", "ENCODING"], b"-ERR wrong number of arguments for 'object|encoding' command\r\n"),
    (["CLIENT", "KILL"], b"-ERR wrong number of arguments for 'client|kill' command\r\n"),
    # CLIENT UNBLOCK / CLIENT KILL argument errors
    (["CLIENT", "UNBLOCK", "notanid"], b"-ERR value is not an integer or out of range\r\n"),
    (["CLIENT", "UNBLOCK", "1", "BOGUS"], b"-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"),
    (["CLIENT", "KILL", "USER", "nosuchuser"], b"-ERR No such user 'nosuchuser'\r\n"),
    (["CLIENT", "KILL", "MAXAGE", "0"], b"-ERR maxage should be greater than 0\r\n"),
    (["CLIENT", "KILL", "TYPE", "bogus"], b"-ERR Unknown client type 'bogus'\r\n"),
    # syntax errors
    (["SET", "k", "v", "NX", "XX"], b"-ERR syntax error\r\n"),
    (["SET", "k", "v", "EX", "10", "PX", "10"], b"-ERR syntax error\r\n"),
    (["SET", "k", "v", "KEEPTTL", "EX", "10"], b"-ERR syntax error\r\n"),
    (["SET", "k", "v", "EX"], b"-ERR syntax error\r\n"),
    (["SET", "k", "v", "BOGUS"], b"-ERR syntax error\r\n"),
    (["GETEX", "k", "PERSIST", "EX", "10"], b"-ERR syntax error\r\n"),
    (["SCAN", "0", "COUNT", "0"], b"-ERR syntax error\r\n"),
    (["COPY", "a", "b", "NOPE"], b"-ERR syntax error\r\n"),
    # not an integer / not a float / overflow
    (["INCRBY", "k", "abc"], b"-ERR value is not an integer or out of range\r\n"),
    (["INCRBY", "k", "9223372036854775808"], b"-ERR value is not an integer or out of range\r\n"),
    (["SET", "k", "v", "EX", "ten"], b"-ERR value is not an integer or out of range\r\n"),
    (["EXPIRE", "k", "1.5"], b"-ERR value is not an integer or out of range\r\n"),
    (["GETRANGE", "k", "a", "1"], b"-ERR value is not an integer or out of range\r\n"),
    (["SELECT", "abc"], b"-ERR value is not an integer or out of range\r\n"),
    (["SCAN", "abc"], b"-ERR invalid cursor\r\n"),
    (["INCRBYFLOAT", "k", "abc"], b"-ERR value is not a valid float\r\n"),
    (["SELECT", "16"], b"-ERR DB index is out of range\r\n"),
    (["SELECT", "-1"], b"-ERR DB index is out of range\r\n"),
    # invalid expire time
    (["SET", "k", "v", "EX", "0"], b"-ERR invalid expire time in 'set' command\r\n"),
    (["SET", "k", "v", "PX", "-5"], b"-ERR invalid expire time in 'set' command\r\n"),
    (["SET", "k", "v", "EX", "9223372036854775"], b"-ERR invalid expire time in 'set' command\r\n"),
    (["SETEX", "k", "0", "v"], b"-ERR invalid expire time in 'setex' command\r\n"),
    (["PSETEX", "k", "-1", "v"], b"-ERR invalid expire time in 'psetex' command\r\n"),
    (["GETEX", "k", "EX", "0"], b"-ERR invalid expire time in 'getex' command\r\n"),
    # expire options
    (["EXPIRE", "k", "10", "NX", "XX"],
     b"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"),
    (["EXPIRE", "k", "10", "GT", "LT"], b"-ERR GT and LT options at the same time are not compatible\r\n"),
    (["EXPIRE", "k", "10", "FOO"], b"-ERR Unsupported option FOO\r\n"),
    # keys
    (["RENAME", "no-such-key", "x"], b"-ERR no such key\r\n"),
    # misc
    (["SETRANGE", "k", "-1", "x"], b"-ERR offset is out of range\r\n"),
    (["HELLO", "4"], b"-NOPROTO unsupported protocol version\r\n"),
    (["HELLO", "x"], b"-ERR Protocol version is not an integer or out of range\r\n"),
    (["HELLO", "3", "FOO"], b"-ERR Syntax error in HELLO option 'FOO'\r\n"),
]


@pytest.mark.parametrize("command,expected", CASES, ids=[" ".join(c) for c, _ in CASES])
def test_exact_error_text(valkite, command, expected):
    with valkite.raw() as c:
        assert c.call("SELECT", "9") == b"+OK\r\n"
        assert c.call("SET", "k", "v") == b"+OK\r\n"
        assert c.call(*command) == expected
        # An error never closes the connection.
        assert c.call("PING") == b"+PONG\r\n"


@pytest.mark.parametrize("protocol", [2, 3])
def test_errors_through_redis_py(valkite, protocol):
    r = valkite.redis(protocol=protocol, db=9)
    try:
        r.set("err:s", "abc")
        with pytest.raises(redis.ResponseError, match=r"^value is not an integer or out of range$"):
            r.incr("err:s")
        r.set("err:max", "9223372036854775807")
        with pytest.raises(redis.ResponseError, match=r"^increment or decrement would overflow$"):
            r.incr("err:max")
        with pytest.raises(redis.ResponseError, match=r"^unknown command 'FROB', with args beginning with: 'x' $"):
            r.execute_command("FROB", "x")
        with pytest.raises(redis.ResponseError, match=r"^wrong number of arguments for 'incr' command$"):
            r.execute_command("INCR")
        with pytest.raises(redis.ResponseError, match=r"^value is not a valid float$"):
            r.incrbyfloat("err:s", 1.0)
        assert r.get("err:s") == b"abc"
    finally:
        r.close()


def test_overflow_and_float_errors(raw):
    assert raw.call("SELECT", "9") == b"+OK\r\n"
    assert raw.call("SET", "err:n", "9223372036854775807") == b"+OK\r\n"
    assert raw.call("INCR", "err:n") == b"-ERR increment or decrement would overflow\r\n"
    assert raw.call("DECRBY", "err:n", "-9223372036854775808") == b"-ERR decrement would overflow\r\n"
    assert raw.call("SET", "err:n", "-9223372036854775808") == b"+OK\r\n"
    assert raw.call("DECR", "err:n") == b"-ERR increment or decrement would overflow\r\n"
    assert raw.call("SET", "err:f", "1") == b"+OK\r\n"
    assert raw.call("INCRBYFLOAT", "err:f", "inf") == b"-ERR increment would produce NaN or Infinity\r\n"
    assert raw.call("SET", "err:ws", " 12") == b"+OK\r\n"
    assert raw.call("INCR", "err:ws") == b"-ERR value is not an integer or out of range\r\n"
    assert raw.call("EXPIRE", "err:ws", "9223372036854775807") == \
        b"-ERR invalid expire time in 'expire' command\r\n"
    assert raw.call("PEXPIRE", "err:ws", "9223372036854775807") == \
        b"-ERR invalid expire time in 'pexpire' command\r\n"
    assert raw.call("GET", "err:ws") == b"$3\r\n 12\r\n"
