"""Raw RESP over a plain socket, for tests that must see the exact bytes.

`RawClient.call(...)` sends one command as a multibulk and returns the raw
bytes of exactly one reply (RESP2 or RESP3, nested aggregates included), so a
test can compare replies byte for byte. Nothing is decoded or normalised.
"""

from __future__ import annotations

import socket
import time

DEFAULT_TIMEOUT = 10.0


def encode(*args) -> bytes:
    """Encodes a command as a RESP multibulk (str args are UTF-8, bytes as is)."""
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, int):
            arg = str(arg)
        if isinstance(arg, str):
            arg = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


class ConnectionClosed(Exception):
    pass


class RawClient:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = DEFAULT_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0

    # -- io -------------------------------------------------------------
    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data: bytes):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionClosed("connection closed by server")
        self.buf += chunk

    def _line_end(self, start: int) -> int:
        """Index of the \\r of the first CRLF at or after start (reads as needed)."""
        while True:
            i = self.buf.find(b"\r\n", start)
            if i >= 0:
                return i
            start = max(start, len(self.buf) - 1)
            self._fill()

    def _need(self, end: int):
        while len(self.buf) < end:
            self._fill()

    # -- parsing ----------------------------------------------------------
    def _skip_one(self, start: int) -> int:
        """Returns the end offset of the reply that starts at `start`."""
        self._need(start + 1)
        kind = self.buf[start : start + 1]
        eol = self._line_end(start + 1)
        header = bytes(self.buf[start + 1 : eol])
        after = eol + 2
        if kind in (b"+", b"-", b":", b"_", b",", b"#", b"("):
            return after
        if kind in (b"$", b"!", b"="):
            n = int(header)
            if n < 0:
                return after
            self._need(after + n + 2)
            return after + n + 2
        if kind in (b"*", b"~", b">", b"%", b"|"):
            n = int(header)
            if n < 0:
                return after
            if kind in (b"%", b"|"):
                n *= 2
            pos = after
            for _ in range(n):
                pos = self._skip_one(pos)
            if kind == b"|":  # an attribute precedes the real reply
                pos = self._skip_one(pos)
            return pos
        raise ValueError("unexpected RESP type byte %r in %r" % (kind, bytes(self.buf[start : start + 80])))

    def _compact(self):
        # Only between replies: parsing uses absolute offsets into buf.
        if self.pos > 1 << 20:
            del self.buf[: self.pos]
            self.pos = 0

    def read_reply(self) -> bytes:
        self._compact()
        end = self._skip_one(self.pos)
        reply = bytes(self.buf[self.pos : end])
        self.pos = end
        return reply

    def read_exact(self, n: int) -> bytes:
        self._compact()
        self._need(self.pos + n)
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return data

    def call(self, *args) -> bytes:
        self.send(encode(*args))
        return self.read_reply()

    def is_closed(self, timeout: float = 3.0) -> bool:
        """True if the server closes the connection (EOF or reset) within timeout
        and sent nothing more; False if the connection stays open."""
        if self.pos < len(self.buf):
            return False
        deadline = time.monotonic() + timeout
        old = self.sock.gettimeout()
        try:
            while time.monotonic() < deadline:
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    chunk = self.sock.recv(4096)
                except socket.timeout:
                    return False
                except (ConnectionResetError, BrokenPipeError):
                    return True
                if not chunk:
                    return True
                self.buf += chunk
                return False
            return False
        finally:
            self.sock.settimeout(old)

    def read_until_closed(self, timeout: float = 5.0) -> bytes:
        """Everything the server sends until it closes the connection."""
        deadline = time.monotonic() + timeout
        data = bytes(self.buf[self.pos :])
        self.pos = len(self.buf)
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise AssertionError("server did not close the connection; received %r" % data)
            except (ConnectionResetError, BrokenPipeError):
                return data
            if not chunk:
                return data
            data += chunk
        raise AssertionError("server did not close the connection; received %r" % data)


def differential_mismatches(commands, valkite_port: int, redis_port: int, protocol: int = 2) -> list[str]:
    """Runs `commands` on both servers over raw connections and describes
    every raw reply that differs (empty when Valkite answers byte for byte
    as redis-server)."""
    def run(port):
        with RawClient(port) as c:
            if protocol == 3:
                c.call("HELLO", "3")
            return [c.call(*command) for command in commands]

    ours, reference = run(valkite_port), run(redis_port)
    return ["%s\n  redis-server: %r\n  valkite:      %r" % (command[:8], theirs, mine)
            for command, theirs, mine in zip(commands, reference, ours) if theirs != mine]
