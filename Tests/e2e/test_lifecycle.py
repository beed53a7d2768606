"""Clients (CLIENT LIST / KILL, maxclients) and the process lifecycle
(SHUTDOWN, signals, bad command lines)."""

import re
import signal
import subprocess
import time

import pytest

from conftest import BINARY, HOST, clean_environment, free_port, port_is_listening, require_binary, spawn_valkite
from resp import RawClient, encode


def _client_id(c) -> int:
    reply = c.call("CLIENT", "ID")
    assert reply.startswith(b":"), reply
    return int(reply[1:-2])


def _bulk_text(reply: bytes) -> str:
    assert reply.startswith(b"$") or reply.startswith(b"="), reply
    header, _, rest = reply.partition(b"\r\n")
    return rest[: int(header[1:])].decode()


def test_ready_line_logged(valkite):
    assert "Ready to accept connections tcp" in valkite.output()


def test_client_list_and_kill_id(valkite):
    victim = valkite.raw()
    killer = valkite.raw()
    try:
        assert victim.call("CLIENT", "SETNAME", "victim") == b"+OK\r\n"
        assert victim.call("SELECT", "5") == b"+OK\r\n"
        vid = _client_id(victim)
        kid = _client_id(killer)
        assert vid != kid

        listing = _bulk_text(killer.call("CLIENT", "LIST"))
        lines = [l for l in listing.split("\n") if l]
        assert all(l.startswith("id=") for l in lines), listing
        mine = [l for l in lines if l.startswith("id=%d " % kid)]
        theirs = [l for l in lines if l.startswith("id=%d " % vid)]
        assert len(mine) == 1 and len(theirs) == 1, listing
        fields = dict(f.split("=", 1) for f in theirs[0].split(" "))
        assert fields["name"] == "victim"
        assert fields["db"] == "5"
        assert fields["user"] == "default"
        assert fields["resp"] == "2"
        assert re.fullmatch(r"127\.0\.0\.1:\d+", fields["addr"]), fields
        assert fields["laddr"] == "%s:%d" % (HOST, valkite.port)
        assert fields["cmd"] == "client|id"
        own = dict(f.split("=", 1) for f in mine[0].split(" "))
        assert own["cmd"] == "client|list"
        # Valkey's field order (networking.c catClientInfoString)
        order = [f.split("=", 1)[0] for f in theirs[0].split(" ")]
        expected_order = ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub", "psub",
                          "ssub", "multi", "watch", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp",
                          "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp",
                          "lib-name", "lib-ver"]
        assert [f for f in order if f in expected_order] == expected_order, order

        one = _bulk_text(killer.call("CLIENT", "LIST", "ID", str(vid)))
        assert one.count("\n") == 1 and one.startswith("id=%d " % vid), one

        assert killer.call("CLIENT", "KILL", "ID", str(vid)) == b":1\r\n"
        assert victim.is_closed(timeout=3), "killed client still connected"
        # The filter form answers the number of clients killed (only the old
        # "CLIENT KILL addr:port" form answers "No such client").
        assert killer.call("CLIENT", "KILL", "ID", str(vid)) == b":0\r\n"
        # Valkey (unlike Redis 7.0) answers a non-numeric id with a syntax error.
        assert killer.call("CLIENT", "KILL", "ID", "abc") == b"-ERR syntax error\r\n"
        assert killer.call("CLIENT", "KILL", "ID", "0") == b"-ERR client-id should be greater than 0\r\n"
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            listing = _bulk_text(killer.call("CLIENT", "LIST"))
            if "id=%d " % vid not in listing:
                break
            time.sleep(0.05)
        assert "id=%d " % vid not in listing
        assert killer.call("PING") == b"+PONG\r\n"
    finally:
        victim.close()
        killer.close()


def test_client_kill_by_addr_and_skipme(valkite):
    a = valkite.raw()
    b = valkite.raw()
    try:
        assert _client_id(a)
        laddr = a.sock.getsockname()
        addr = "%s:%d" % laddr
        assert b.call("CLIENT", "KILL", addr) == b"+OK\r\n"
        assert a.is_closed(timeout=3)
        assert b.call("CLIENT", "KILL", addr) == b"-ERR No such client\r\n"
        my = "%s:%d" % b.sock.getsockname()
        assert b.call("CLIENT", "KILL", "ADDR", my, "SKIPME", "yes") == b":0\r\n"
        assert b.call("PING") == b"+PONG\r\n"
    finally:
        a.close()
        b.close()


def test_maxclients(tmp_path):
    server = spawn_valkite(tmp_path, "--maxclients", "2")
    clients = []
    try:
        # The start-up check's connection may not be released yet: retry briefly.
        for attempt in range(30):
            for c in clients:
                c.close()
            clients = [RawClient(server.port), RawClient(server.port)]
            replies = []
            for c in clients:
                try:
                    replies.append(c.call("PING"))
                except Exception as e:  # noqa: BLE001 - refused: ConnectionClosed after the error
                    replies.append(repr(e).encode())
            if replies == [b"+PONG\r\n", b"+PONG\r\n"]:
                break
            time.sleep(0.1)
        assert replies == [b"+PONG\r\n", b"+PONG\r\n"], replies
        with RawClient(server.port) as third:
            assert third.read_until_closed() == b"-ERR max number of clients reached\r\n"
        assert clients[0].call("PING") == b"+PONG\r\n"
        # A freed slot can be taken again.
        clients.pop().close()
        deadline = time.monotonic() + 3
        ok = False
        while time.monotonic() < deadline and not ok:
            with RawClient(server.port) as again:
                reply = again.call("PING") if not again.is_closed(0.1) else b""
                ok = reply == b"+PONG\r\n"
            if not ok:
                time.sleep(0.05)
        assert ok, "a slot freed by a closed client was not reusable"
    finally:
        for c in clients:
            c.close()
        assert server.stop() == 0


def test_shutdown_command_exits_zero(tmp_path):
    server = spawn_valkite(tmp_path, password="pw")
    with server.raw(auth=False) as c:
        # Unauthenticated clients cannot shut the server down.
        assert c.call("SHUTDOWN") == b"-NOAUTH Authentication required.\r\n"
    assert server.proc.poll() is None
    with server.raw() as c:
        c.send(encode("SHUTDOWN"))
        # On success SHUTDOWN sends no reply: the connection just closes.
        assert c.read_until_closed(timeout=10) == b""
    assert server.wait() == 0, server.output()
    assert not port_is_listening(server.port)


def test_shutdown_nosave_exits_zero(tmp_path):
    server = spawn_valkite(tmp_path)
    with server.raw() as c:
        c.send(encode("SHUTDOWN", "NOSAVE"))
        assert c.read_until_closed(timeout=10) == b""
    assert server.wait() == 0, server.output()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_exits_zero_with_clients_connected(tmp_path, sig):
    server = spawn_valkite(tmp_path)
    c = server.raw()
    try:
        assert c.call("SET", "k", "v") == b"+OK\r\n"
        code = server.stop(sig)
        assert code == 0, server.output()
        assert c.is_closed(timeout=3)
        assert not port_is_listening(server.port)
    finally:
        c.close()


@pytest.mark.parametrize("flags,mentions", [
    (["--port", "notanumber"], "port"),
    (["--nosuchoption", "1"], "nosuchoption"),
    (["--databases", "0"], "databases"),
    (["--loglevel", "loud"], "loglevel"),
    (["--maxclients", "-1"], "maxclients"),
])
def test_bad_command_line_exits_1(tmp_path, flags, mentions):
    require_binary()
    port = free_port()
    result = subprocess.run([str(BINARY), "--port", str(port), "--bind", HOST, *flags], cwd=tmp_path,
                            env=clean_environment(), capture_output=True, timeout=20)
    out = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 1, out
    assert "FATAL CONFIG FILE ERROR" in out, out
    assert mentions in out, out
    assert not port_is_listening(port)


def test_missing_config_file_exits_1(tmp_path):
    require_binary()
    result = subprocess.run([str(BINARY), str(tmp_path / "nope.conf")], cwd=tmp_path, env=clean_environment(),
                            capture_output=True, timeout=20)
    out = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 1, out
    assert "nope.conf" in out


def test_port_in_use_exits_1(tmp_path, valkite):
    require_binary()
    result = subprocess.run([str(BINARY), "--port", str(valkite.port), "--bind", HOST], cwd=tmp_path,
                            env=clean_environment(), capture_output=True, timeout=20)
    out = (result.stdout + result.stderr).decode(errors="replace")
    assert result.returncode == 1, out
    with valkite.raw() as c:
        assert c.call("PING") == b"+PONG\r\n"
