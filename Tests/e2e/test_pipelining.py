"""Pipelining: redis-py pipelines, redis-cli --pipe, and raw byte-exact pipelines."""

import socket
import subprocess

import pytest

from conftest import clean_environment
from resp import encode

N = 10_000


def test_redis_py_pipeline_10000_replies_in_order(client, key):
    pipe = client.pipeline(transaction=False)
    for i in range(N):
        if i % 3 == 0:
            pipe.set(key + "p:%d" % i, "value-%d" % i)
        elif i % 3 == 1:
            pipe.incr(key + "counter")
        else:
            pipe.get(key + "p:%d" % (i - 2))
    replies = pipe.execute()
    assert len(replies) == N
    counter = 0
    for i, reply in enumerate(replies):
        if i % 3 == 0:
            assert reply is True, (i, reply)
        elif i % 3 == 1:
            counter += 1
            assert reply == counter, (i, reply)
        else:
            assert reply == b"value-%d" % (i - 2), (i, reply)
    assert client.get(key + "counter") == str(counter).encode()


def test_redis_cli_pipe_mode(valkite, tmp_path):
    payload = b"".join(encode("SET", "cli-pipe:%d" % i, "v%d" % i) for i in range(N))
    result = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(valkite.port), "--pipe"],
        input=payload, capture_output=True, timeout=60, env=clean_environment())
    out = result.stdout.decode(errors="replace") + result.stderr.decode(errors="replace")
    assert result.returncode == 0, out
    assert "errors: 0, replies: %d" % N in out, out
    with valkite.raw() as c:
        assert c.call("GET", "cli-pipe:0") == b"$2\r\nv0\r\n"
        assert c.call("GET", "cli-pipe:%d" % (N - 1)) == b"$5\r\nv%d\r\n" % (N - 1)


def test_raw_pipeline_byte_exact(raw, key):
    k = key.encode()
    requests = []
    expected = []
    for i in range(2000):
        requests.append(encode(b"SET", k + b"r:%d" % i, b"v%d" % i))
        expected.append(b"+OK\r\n")
        requests.append(encode(b"GET", k + b"r:%d" % i))
        expected.append(b"$%d\r\nv%d\r\n" % (len(b"v%d" % i), i))
        requests.append(encode(b"INCR", k + b"n"))
        expected.append(b":%d\r\n" % (i + 1))
        requests.append(encode(b"GET", k + b"missing"))
        expected.append(b"$-1\r\n")
        requests.append(b"PING\r\n")  # inline commands mixed into the multibulk stream
        expected.append(b"+PONG\r\n")
    requests.append(encode(b"MGET", k + b"r:0", k + b"missing", k + b"r:1"))
    expected.append(b"*3\r\n$2\r\nv0\r\n$-1\r\n$2\r\nv1\r\n")
    requests.append(encode(b"NOSUCHCMD", b"a"))
    expected.append(b"-ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' \r\n")
    requests.append(encode(b"ECHO", b"done"))
    expected.append(b"$4\r\ndone\r\n")
    want = b"".join(expected)
    raw.send(b"".join(requests))
    got = raw.read_exact(len(want))
    assert got == want
    assert raw.is_closed(timeout=0.3) is False, "extra bytes or unexpected close after the pipeline"


def test_raw_pipeline_of_multi_key_commands(raw, key):
    # Every key of these is prefetched before the batch runs; the replies must be
    # those of running them one by one (names in any case, a lone request too).
    k = key.encode()
    a, b, c, missing = k + b":a", k + b":b", k + b":c", k + b":missing"
    raw.send(encode(b"mSeT", a, b"1", b, b"2", c, b"3"))
    assert raw.read_reply() == b"+OK\r\n"
    requests = [
        encode(b"MGET", a, b, c, missing),
        encode(b"exists", a, b, missing, a),
        encode(b"TOUCH", a, b, missing),
        encode(b"MSETNX", missing, b"x", a, b"y"),
        encode(b"DEL", a, missing),
        encode(b"Unlink", b, c),
        encode(b"MGET", a, b, c, missing),
    ]
    expected = (b"*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n"
                b":3\r\n:2\r\n:0\r\n:1\r\n:2\r\n"
                b"*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n")
    raw.send(b"".join(requests))
    assert raw.read_exact(len(expected)) == expected


def test_raw_pipeline_split_at_every_byte(raw, key):
    """A request split across many reads (one byte per send) still decodes."""
    k = key.encode()
    data = encode(b"SET", k + b"split", b"a\r\nb") + encode(b"GET", k + b"split") + b"ECHO inline\r\n"
    for i in range(len(data)):
        raw.send(data[i : i + 1])
    assert raw.read_exact(5) == b"+OK\r\n"
    assert raw.read_reply() == b"$4\r\na\r\nb\r\n"
    assert raw.read_reply() == b"$6\r\ninline\r\n"


def test_large_pipeline_without_reading_back_pressure(valkite, key):
    """2,000 pipelined GETs of a 10 KB value (20 MB of replies) written by one
    thread while another reads: the replies must all arrive, in order, intact."""
    with valkite.raw(timeout=30) as c:
        value = b"x" * 10_000
        assert c.call("SET", key + "big", value) == b"+OK\r\n"
        count = 2000
        request = encode(b"GET", key.encode() + b"big") * count
        import threading

        errors = []

        def writer():
            try:
                c.sock.sendall(request)
            except OSError as e:  # pragma: no cover - reported below
                errors.append(e)

        t = threading.Thread(target=writer, daemon=True)
        t.start()
        one = b"$10000\r\n" + value + b"\r\n"
        for _ in range(count):
            assert c.read_exact(len(one)) == one
        t.join(timeout=30)
        assert not errors
