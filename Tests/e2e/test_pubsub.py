"""Pub/Sub end to end: redis-py listeners in RESP2 and RESP3, patterns, shard
channels, PUBSUB introspection, subscriber-mode rules, reply ordering, the
`client-output-buffer-limit pubsub` cut-off and fan-out to many subscribers."""

from __future__ import annotations

import selectors
import socket
import time

import pytest

from conftest import spawn_valkite
from resp import RawClient, encode


def next_message(pubsub, timeout=5.0):
    """The next message (not a subscribe confirmation), or fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
        if message is not None:
            return message
    raise AssertionError("no message within %.1fs" % timeout)


def wait_until(predicate, timeout=5.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def b(text):
    return text.encode() if isinstance(text, str) else text


# -- redis-py listeners ---------------------------------------------------------

def test_subscribe_and_publish(client, key):
    listener = client.pubsub()
    try:
        listener.subscribe(key + "news")
        confirmation = listener.get_message(timeout=5)
        assert confirmation["type"] == "subscribe"
        assert confirmation["channel"] == b(key + "news")
        assert confirmation["data"] == 1
        assert client.publish(key + "news", "hello") == 1
        message = next_message(listener)
        assert message["type"] == "message"
        assert message["channel"] == b(key + "news")
        assert message["data"] == b"hello"
        assert client.publish(key + "nobody", "x") == 0
        # Binary payloads arrive byte-exact.
        payload = bytes(range(256)) * 4
        assert client.publish(key + "news", payload) == 1
        assert next_message(listener)["data"] == payload
        listener.unsubscribe(key + "news")
        assert listener.get_message(timeout=5)["type"] == "unsubscribe"
        assert client.publish(key + "news", "gone") == 0
    finally:
        listener.close()


def test_pattern_subscriptions(client, key):
    listener = client.pubsub()
    try:
        listener.psubscribe(key + "prices.*")
        assert listener.get_message(timeout=5)["type"] == "psubscribe"
        assert client.publish(key + "prices.BTC", "64000") == 1
        message = next_message(listener)
        assert message["type"] == "pmessage"
        assert message["pattern"] == b(key + "prices.*")
        assert message["channel"] == b(key + "prices.BTC")
        assert message["data"] == b"64000"
        assert client.publish(key + "volumes.BTC", "1") == 0
        # A client subscribed to both a channel and a matching pattern gets both.
        listener.subscribe(key + "prices.ETH")
        listener.get_message(timeout=5)
        assert client.publish(key + "prices.ETH", "3000") == 2
        kinds = sorted(next_message(listener)["type"] for _ in range(2))
        assert kinds == ["message", "pmessage"]
    finally:
        listener.close()


def test_shard_channels(r2, key):
    listener = r2.pubsub()
    try:
        listener.ssubscribe(key + "shard")
        confirmation = listener.get_sharded_message(timeout=5)
        assert confirmation["type"] == "ssubscribe"
        assert r2.execute_command("SPUBLISH", key + "shard", "s1") == 1
        # PUBLISH does not reach shard subscribers, nor SPUBLISH channel subscribers.
        assert r2.publish(key + "shard", "plain") == 0
        message = None
        deadline = time.monotonic() + 5
        while message is None and time.monotonic() < deadline:
            message = listener.get_sharded_message(ignore_subscribe_messages=True, timeout=0.2)
        assert message["type"] == "smessage"
        assert message["data"] == b"s1"
        assert r2.execute_command("PUBSUB", "SHARDNUMSUB", key + "shard") == [b(key + "shard"), 1]
        assert r2.execute_command("PUBSUB", "SHARDCHANNELS", key + "*") == [b(key + "shard")]
    finally:
        listener.close()


def test_pubsub_introspection(r2, valkite, key):
    base_patterns = r2.pubsub_numpat()
    one, two = valkite.raw(), valkite.raw()
    try:
        one.send(encode("SUBSCRIBE", key + "a", key + "b"))
        one.read_reply(), one.read_reply()
        two.send(encode("SUBSCRIBE", key + "a"))
        two.read_reply()
        two.send(encode("PSUBSCRIBE", key + "p*", key + "q*"))
        two.read_reply(), two.read_reply()
        assert r2.pubsub_numsub(key + "a", key + "b", key + "c") == [
            (b(key + "a"), 2), (b(key + "b"), 1), (b(key + "c"), 0)]
        assert sorted(r2.pubsub_channels(key + "*")) == [b(key + "a"), b(key + "b")]
        assert r2.pubsub_numpat() == base_patterns + 2
        assert r2.execute_command("PUBSUB", "NUMSUB") == []
        help_lines = r2.execute_command("PUBSUB", "HELP")
        assert help_lines[0].startswith(b"PUBSUB <subcommand>")
        with pytest.raises(Exception, match="unknown subcommand or wrong number of arguments for 'channels'"):
            r2.execute_command("PUBSUB", "channels", "a", "b")
    finally:
        one.close()
        two.close()
    # A closed connection leaves the registry.
    assert wait_until(lambda: r2.pubsub_numsub(key + "a") == [(b(key + "a"), 0)])
    assert wait_until(lambda: r2.pubsub_numpat() == base_patterns)


# -- exact bytes ----------------------------------------------------------------

def test_confirmations_resp2_and_resp3(raw, key):
    ch = key + "c"
    assert raw.call("SUBSCRIBE", ch) == b"*3\r\n$9\r\nsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(ch), b(ch))
    assert raw.call("UNSUBSCRIBE", ch) == b"*3\r\n$11\r\nunsubscribe\r\n$%d\r\n%s\r\n:0\r\n" % (len(ch), b(ch))
    assert raw.call("UNSUBSCRIBE") == b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"
    assert raw.call("PUNSUBSCRIBE") == b"*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n"
    raw.call("HELLO", "3")
    assert raw.call("SUBSCRIBE", ch) == b">3\r\n$9\r\nsubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(ch), b(ch))
    assert raw.call("SSUBSCRIBE", ch) == b">3\r\n$10\r\nssubscribe\r\n$%d\r\n%s\r\n:1\r\n" % (len(ch), b(ch))
    # RESP3 clients may run any command while subscribed.
    assert raw.call("GET", key + "missing") == b"_\r\n"
    assert raw.call("PING") == b"+PONG\r\n"
    assert raw.call("UNSUBSCRIBE") == b">3\r\n$11\r\nunsubscribe\r\n$%d\r\n%s\r\n:0\r\n" % (len(ch), b(ch))
    assert raw.call("SUNSUBSCRIBE") == b">3\r\n$12\r\nsunsubscribe\r\n$%d\r\n%s\r\n:0\r\n" % (len(ch), b(ch))


def test_publish_to_self_follows_the_reply(raw, key):
    """As Valkey: a push to the publishing client itself comes after the reply."""
    ch = key + "self"
    raw.call("HELLO", "3")
    raw.call("SUBSCRIBE", ch)
    raw.send(encode("PUBLISH", ch, "m"))
    assert raw.read_reply() == b":1\r\n"
    assert raw.read_reply() == b">3\r\n$7\r\nmessage\r\n$%d\r\n%s\r\n$1\r\nm\r\n" % (len(ch), b(ch))


def test_subscriber_mode_restrictions_resp2(raw, key):
    raw.call("SUBSCRIBE", key + "c")
    assert raw.call("GET", key) == (
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
        b"are allowed in this context\r\n")
    assert raw.call("CONFIG", "GET", "port").startswith(b"-ERR Can't execute 'config|get': only")
    assert raw.call("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    assert raw.call("PING", "hi") == b"*2\r\n$4\r\npong\r\n$2\r\nhi\r\n"
    assert raw.call("PSUBSCRIBE", key + "p*").startswith(b"*3\r\n$10\r\npsubscribe")
    raw.call("UNSUBSCRIBE")
    raw.call("PUNSUBSCRIBE")
    # Out of subscriber mode: everything runs again.
    assert raw.call("PING") == b"+PONG\r\n"
    assert raw.call("GET", key) == b"$-1\r\n"


def test_reset_leaves_subscriber_mode(raw, r2, key):
    raw.call("SUBSCRIBE", key + "c")
    assert raw.call("RESET") == b"+RESET\r\n"
    assert raw.call("GET", key) == b"$-1\r\n"
    assert r2.pubsub_numsub(key + "c") == [(b(key + "c"), 0)]


def test_resp3_replies_stay_in_order_with_pushes(valkite, r2, key):
    """A RESP3 client issuing commands while messages arrive sees every reply
    in order; pushes only ever come between replies."""
    ch = key + "flow"
    c = valkite.raw()
    try:
        c.call("HELLO", "3")
        c.call("SUBSCRIBE", ch)
        published = 0
        for round_ in range(30):
            pipeline = b"".join(encode("INCR", key + "n") for _ in range(10))
            c.send(pipeline)
            published += r2.publish(ch, "m%d" % round_)
            expected = round_ * 10 + 1
            replies = 0
            while replies < 10:
                reply = c.read_reply()
                if reply.startswith(b">"):
                    assert reply.startswith(b">3\r\n$7\r\nmessage\r\n")
                    continue
                assert reply == b":%d\r\n" % expected
                expected += 1
                replies += 1
        assert published == 30
    finally:
        c.close()


# -- delivery at scale and back-pressure ----------------------------------------

def test_thousand_subscribers_receive_a_publish(tmp_path):
    server = spawn_valkite(tmp_path, "--save", "", "--io-threads", "4")
    sockets = []
    try:
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(encode("SUBSCRIBE", "fanout"))
            sockets.append(s)
        confirmation = b"*3\r\n$9\r\nsubscribe\r\n$6\r\nfanout\r\n:1\r\n"
        for s in sockets:
            data = b""
            while len(data) < len(confirmation):
                chunk = s.recv(4096)
                assert chunk, "connection closed"
                data += chunk
            assert data == confirmation
        with server.raw() as publisher:
            started = time.monotonic()
            assert publisher.call("PUBLISH", "fanout", "tick") == b":1000\r\n"
            assert publisher.call("PUBSUB", "NUMSUB", "fanout") == b"*2\r\n$6\r\nfanout\r\n:1000\r\n"
        expected = b"*3\r\n$7\r\nmessage\r\n$6\r\nfanout\r\n$4\r\ntick\r\n"
        received = {}
        with selectors.DefaultSelector() as selector:  # epoll: more than FD_SETSIZE sockets
            for s in sockets:
                selector.register(s, selectors.EVENT_READ)
                received[s] = b""
            deadline = time.monotonic() + 10
            while received and time.monotonic() < deadline:
                for selected, _ in selector.select(timeout=0.5):
                    s = selected.fileobj
                    received[s] += s.recv(4096)
                    if len(received[s]) >= len(expected):
                        assert received[s] == expected
                        selector.unregister(s)
                        del received[s]
        assert not received, "%d subscribers got nothing" % len(received)
        assert time.monotonic() - started < 10
    finally:
        for s in sockets:
            s.close()
        server.stop()


def test_slow_subscriber_is_disconnected(tmp_path):
    """A subscriber that never reads is cut off at the pubsub output buffer
    limit instead of growing the server's memory; the publisher carries on."""
    server = spawn_valkite(tmp_path, "--save", "")
    slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.settimeout(10)
    try:
        with server.raw() as admin:
            assert admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 128kb 60") == b"+OK\r\n"
            assert admin.call("CONFIG", "GET", "client-output-buffer-limit")
        slow.connect(("127.0.0.1", server.port))
        slow.sendall(encode("SUBSCRIBE", "firehose"))
        confirmation = b"*3\r\n$9\r\nsubscribe\r\n$8\r\nfirehose\r\n:1\r\n"
        data = b""
        while len(data) < len(confirmation):
            data += slow.recv(4096)
        # From here on the slow subscriber reads nothing.
        payload = b"x" * 65536
        with server.raw() as publisher:
            deadline = time.monotonic() + 30
            published = 0
            while time.monotonic() < deadline:
                receivers = publisher.call("PUBLISH", "firehose", payload)
                published += 1
                if receivers == b":0\r\n":
                    break
                if published % 50 == 0:
                    time.sleep(0.01)
            assert receivers == b":0\r\n", "still subscribed after %d messages" % published
            # Far less than what was published ever sat in the server.
            assert published * len(payload) > 256 * 1024
            assert publisher.call("PUBSUB", "NUMSUB", "firehose") == b"*2\r\n$8\r\nfirehose\r\n:0\r\n"
            assert publisher.call("PING") == b"+PONG\r\n"
        assert wait_until(lambda: "output buffer limits" in server.output(), timeout=5), server.output()[-2000:]
        # The connection was closed by the server: reading drains then hits EOF.
        slow.settimeout(5)
        while True:
            try:
                chunk = slow.recv(1 << 20)
            except ConnectionResetError:
                break
            if not chunk:
                break
    finally:
        slow.close()
        server.stop()


def test_subscriber_under_the_limit_gets_everything(tmp_path):
    """A subscriber that reads keeps up, however much is published."""
    server = spawn_valkite(tmp_path, "--save", "")
    try:
        with server.raw() as admin:
            admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 60")
        listener = server.redis(protocol=2).pubsub()
        listener.subscribe("steady")
        listener.get_message(timeout=5)
        publisher = server.redis(protocol=2)
        for index in range(200):
            assert publisher.publish("steady", b"%d" % index + b"." * 1000) == 1
            message = next_message(listener)
            assert message["data"].startswith(b"%d." % index)
        listener.close()
        publisher.close()
    finally:
        server.stop()
