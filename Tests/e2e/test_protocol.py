"""Protocol errors and inline commands over raw sockets."""

import socket
import time

import pytest

from resp import RawClient, encode

# (what the client sends, the exact error Valkey answers before closing the connection)
GARBAGE = [
    (b"*abc\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b"*1\r\n+foo\r\n", b"-ERR Protocol error: expected '$', got '+'\r\n"),
    (b"*1\r\n:12\r\n", b"-ERR Protocol error: expected '$', got ':'\r\n"),
    (b"*1\r\n$abc\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*1\r\n$-5\r\n", b"-ERR Protocol error: invalid bulk length\r\n"),
    (b"*3000000000\r\n", b"-ERR Protocol error: invalid multibulk length\r\n"),
    (b'SET a "b\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b"SET a 'b\r\n", b"-ERR Protocol error: unbalanced quotes in request\r\n"),
    (b'SET a "b"c\r\n', b"-ERR Protocol error: unbalanced quotes in request\r\n"),
]


@pytest.mark.parametrize("garbage,error", GARBAGE, ids=[g.decode(errors="replace") for g, _ in GARBAGE])
def test_protocol_garbage_gets_error_and_disconnect(valkite, garbage, error):
    bystander = valkite.raw()
    try:
        assert bystander.call("SET", "proto:bystander", "alive") == b"+OK\r\n"
        with valkite.raw() as bad:
            # A valid command first: its reply comes before the error.
            bad.send(encode("PING") + garbage)
            got = bad.read_until_closed()
            assert got == b"+PONG\r\n" + error, "got  %r\nwant %r" % (got, b"+PONG\r\n" + error)
        # The other client is unaffected.
        assert bystander.call("GET", "proto:bystander") == b"$5\r\nalive\r\n"
        assert bystander.call("PING") == b"+PONG\r\n"
    finally:
        bystander.close()
    # And new connections still work.
    with valkite.raw() as fresh:
        assert fresh.call("PING") == b"+PONG\r\n"


def test_protocol_error_discards_rest_of_the_read(valkite):
    with valkite.raw() as bad:
        bad.send(b"*abc\r\n" + encode("SET", "proto:after-error", "1"))
        got = bad.read_until_closed()
        assert got == b"-ERR Protocol error: invalid multibulk length\r\n", "got %r" % got
    with valkite.raw() as c:
        assert c.call("EXISTS", "proto:after-error") == b":0\r\n"


def test_inline_commands(raw):
    raw.send(b"PING\r\n")
    assert raw.read_reply() == b"+PONG\r\n"
    raw.send(b"SET inline:a \"b c\"\r\n")
    assert raw.read_reply() == b"+OK\r\n"
    raw.send(b"GET inline:a\r\n")
    assert raw.read_reply() == b"$3\r\nb c\r\n"
    # Escapes inside double quotes, single quotes verbatim, LF-only line ending.
    raw.send(b'SET inline:b "x\\ty\\x41\\n"\n')
    assert raw.read_reply() == b"+OK\r\n"
    assert raw.call("GET", "inline:b") == b"$5\r\nx\tyA\n\r\n"


def test_inline_command_names_repeat_and_change(raw):
    # A repeated inline command name reuses the previous request's look-up: a
    # change of command (or only of letter case) must still run the right one.
    raw.send(b"SET inline:n 1\r\nset inline:m 2\r\nGET inline:n\r\nget inline:m\r\n"
             b"GeT inline:n\r\nINCR inline:n\r\nINCR inline:n\r\nGET inline:n\r\n")
    for want in (b"+OK\r\n", b"+OK\r\n", b"$1\r\n1\r\n", b"$1\r\n2\r\n", b"$1\r\n1\r\n",
                 b":2\r\n", b":3\r\n", b"$1\r\n3\r\n"):
        assert raw.read_reply() == want


def test_inline_quotes_and_spacing(raw):
    raw.send(b"   SET    inline:d    'single \"quoted\"'   \r\n")
    assert raw.read_reply() == b"+OK\r\n"
    assert raw.call("GET", "inline:d") == b'$15\r\nsingle "quoted"\r\n'
    # An empty line is ignored (no reply), the next command answers.
    raw.send(b"\r\n\r\nPING\r\n")
    assert raw.read_reply() == b"+PONG\r\n"
    raw.send(b"ECHO \"\"\r\n")
    assert raw.read_reply() == b"$0\r\n\r\n"


def test_empty_multibulk_is_ignored(raw):
    raw.send(b"*0\r\n*-1\r\nPING\r\n")
    assert raw.read_reply() == b"+PONG\r\n"


def test_half_closed_client_gets_its_replies(valkite, key):
    """A client that shuts down its sending side (`nc -N`, shutdown(SHUT_WR)) gets
    the replies of everything it sent, then the server closes, as Valkey does."""
    with valkite.raw() as c:
        c.send(encode("SET", key, "v") + encode("GET", key) + b"PING\r\n")
        c.sock.shutdown(socket.SHUT_WR)
        assert c.read_until_closed() == b"+OK\r\n$1\r\nv\r\n+PONG\r\n"
    # A pipeline large enough to take several reads and journal writes.
    with valkite.raw() as c:
        c.send(b"".join(encode("INCR", key + ":n") for _ in range(5000)))
        c.sock.shutdown(socket.SHUT_WR)
        replies = c.read_until_closed(timeout=10)
        assert replies == b"".join(b":%d\r\n" % i for i in range(1, 5001))
    # Half-closed while blocked: closed at once (Valkey frees the client).
    with valkite.raw() as c:
        c.send(encode("BLPOP", key + ":empty", "0"))
        time.sleep(0.2)
        c.sock.shutdown(socket.SHUT_WR)
        assert c.read_until_closed() == b""


def test_quit_closes_after_ok(valkite):
    with valkite.raw() as c:
        c.send(encode("QUIT") + encode("PING"))
        assert c.read_until_closed() == b"+OK\r\n"
