"""End-to-end fixtures: the real release binary (and a reference redis-server)
started on free loopback ports in temporary directories.

Environment knobs:
  VALKITE_BINARY   path of the server binary (default .build/release/valkite-server)
  REDIS_SERVER     path of the reference redis-server (default: from PATH)
  E2E_TEST_TIMEOUT per-test time limit in seconds (default 60)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from resp import RawClient, encode  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("VALKITE_BINARY", REPO / ".build" / "release" / "valkite-server"))
REDIS_SERVER = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
PASSWORD = "e2e-Secret-Pass"
HOST = "127.0.0.1"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_is_listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def clean_environment(extra: dict | None = None) -> dict:
    """The test process environment without VALKEY_* (a developer's shell or
    `make`'s .env must not leak into the servers under test) nor REDISCLI_*
    (the Makefile exports REDISCLI_AUTH), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VALKEY_", "REDISCLI_"))}
    env.update(extra or {})
    return env


# Every server process the tests start, so none outlives the test run.
SPAWNED: list = []


class ServerProcess:
    """A server child process with its output captured to a file."""

    def __init__(self, argv, cwd: Path, env: dict, port: int, password: str | None, name: str):
        self.argv = [str(a) for a in argv]
        self.cwd = Path(cwd)
        self.env = env
        self.port = port
        self.password = password
        self.name = name
        self.output_path = self.cwd / ("%s-%d.out" % (name, port))
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None

    # -- lifecycle ------------------------------------------------------
    def spawn(self):
        self.cwd.mkdir(parents=True, exist_ok=True)
        self._out = open(self.output_path, "wb")
        self.proc = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=self._out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        SPAWNED.append(self)
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT):
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %s before answering PING:\n%s"
                                   % (self.name, self.proc.returncode, self.output()))
            try:
                with RawClient(self.port, timeout=2) as c:
                    if self.password is not None:
                        c.send(encode("AUTH", self.password))
                        auth = c.read_reply()
                        if auth != b"+OK\r\n":
                            raise RuntimeError("AUTH answered %r" % auth)
                    if c.call("PING") == b"+PONG\r\n":
                        return self
            except (OSError, ValueError, RuntimeError, Exception) as e:  # noqa: BLE001
                last_error = e
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("%s did not answer PING within %.0fs (%r):\n%s"
                           % (self.name, timeout, last_error, self.output()))

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("%s did not exit within %.0fs:\n%s" % (self.name, timeout, self.output()))
        finally:
            self._out.close()
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Sends sig and returns the exit code (already exited: its code)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait(timeout)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    def output(self) -> str:
        try:
            self._out.flush()
        except (ValueError, AttributeError):
            pass
        try:
            return self.output_path.read_text(errors="replace")
        except OSError:
            return ""

    # -- clients --------------------------------------------------------
    def raw(self, timeout: float = 10.0, auth: bool = True) -> RawClient:
        c = RawClient(self.port, timeout=timeout)
        if auth and self.password is not None:
            assert c.call("AUTH", self.password) == b"+OK\r\n"
        return c

    def redis(self, **kwargs):
        import redis

        kwargs.setdefault("host", HOST)
        kwargs.setdefault("port", self.port)
        kwargs.setdefault("socket_timeout", 10)
        kwargs.setdefault("socket_connect_timeout", 5)
        if self.password is not None:
            kwargs.setdefault("password", self.password)
        return redis.Redis(**kwargs)


def require_binary():
    if not BINARY.exists():
        pytest.fail("server binary %s not found: run `swift build -c release` (or `make build`) first" % BINARY)


_UNSET = object()


def spawn_valkite(workdir: Path, *flags, port: int | None = None, password: str | None = None,
                  auth=_UNSET, env: dict | None = None, wait: bool = True, bind: bool = True,
                  config_file: Path | None = None, name: str = "valkite") -> ServerProcess:
    """Starts the release binary in workdir (its working directory, so ./.env
    is the one in workdir).

    port: None picks a free port and passes --port; a number is only where the
          test expects the server (configured by the test through file/env/.env).
    password: passed as --requirepass. auth: the password clients (and the
          readiness check) use, by default `password`.
    bind: adds --bind 127.0.0.1."""
    if auth is _UNSET:
        auth = password
    require_binary()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    attempts = 3 if port is None else 1
    for attempt in range(attempts):
        chosen = port if port is not None else free_port()
        argv = [BINARY]
        if config_file is not None:
            argv.append(config_file)
        if port is None:
            argv += ["--port", str(chosen)]
        if bind:
            argv += ["--bind", HOST]
        if password is not None:
            argv += ["--requirepass", password]
        argv += list(flags)
        server = ServerProcess(argv, workdir, clean_environment(env), chosen, auth, name).spawn()
        if not wait:
            return server
        try:
            return server.wait_ready()
        except RuntimeError:
            # A free port can be taken between free_port() and bind(): retry on another.
            if attempt + 1 < attempts and server.proc.poll() is not None and "ddress already in use" in server.output():
                continue
            raise
    raise AssertionError("unreachable")


def spawn_redis(workdir: Path, *flags) -> ServerProcess:
    if not REDIS_SERVER:
        pytest.fail("redis-server not found (apt-get install redis-server)")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        port = free_port()
        argv = [REDIS_SERVER, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
                "--dir", str(workdir), "--daemonize", "no", *flags]
        server = ServerProcess(argv, workdir, clean_environment(), port, None, "redis").spawn()
        try:
            return server.wait_ready()
        except RuntimeError:
            if attempt < 2 and server.proc.poll() is not None:
                continue
            raise
    raise AssertionError("unreachable")


# -- per-test time limit ----------------------------------------------------

TEST_TIMEOUT = int(os.environ.get("E2E_TEST_TIMEOUT", "60"))


@pytest.fixture(autouse=True)
def _time_limit(request):
    """Every test stops by itself: SIGALRM fails it after TEST_TIMEOUT seconds."""
    def on_alarm(signum, frame):
        raise TimeoutError("test exceeded %ds" % TEST_TIMEOUT)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_TIMEOUT)
    already_running = len(SPAWNED)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        # A server the test itself started and left running (the test failed
        # before stopping it) is killed here. Session and module servers were
        # started before this point and are stopped by their fixtures.
        for server in SPAWNED[already_running:]:
            server.kill()


def pytest_sessionfinish(session, exitstatus):
    for server in SPAWNED:
        server.kill()


# -- shared servers -----------------------------------------------------------

@pytest.fixture(scope="session")
def session_tmp():
    path = Path(tempfile.mkdtemp(prefix="valkite-e2e-"))
    yield path
    if os.environ.get("E2E_KEEP_TMP") != "1":
        shutil.rmtree(path, ignore_errors=True)


def _shared_server(workdir: Path, **kwargs):
    server = spawn_valkite(workdir, "--dir", str(workdir), **kwargs)
    yield server
    if server.proc.poll() is not None:
        pytest.fail("%s died during the session (exit %s):\n%s"
                    % (server.name, server.proc.returncode, server.output()[-4000:]))
    code = server.stop(signal.SIGTERM)
    assert code == 0, "SIGTERM should exit 0, got %s:\n%s" % (code, server.output()[-4000:])


@pytest.fixture(scope="session")
def valkite(session_tmp):
    """Valkite without a password, shared by the session."""
    yield from _shared_server(session_tmp / "open", name="valkite-open")


@pytest.fixture(scope="session")
def valkite_auth(session_tmp):
    """Valkite started with --requirepass PASSWORD, shared by the session."""
    yield from _shared_server(session_tmp / "auth", password=PASSWORD, name="valkite-auth")


@pytest.fixture(scope="session")
def redis_ref(session_tmp):
    """The reference redis-server (7.0) for differential tests."""
    server = spawn_redis(session_tmp / "redis")
    yield server
    server.stop(signal.SIGTERM)


@pytest.fixture
def tmp_workdir(tmp_path):
    return tmp_path


@pytest.fixture
def r2(valkite):
    client = valkite.redis(protocol=2)
    yield client
    client.close()


@pytest.fixture
def r3(valkite):
    client = valkite.redis(protocol=3)
    yield client
    client.close()


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def client(request, valkite):
    """A redis-py client in RESP2 and then in RESP3."""
    c = valkite.redis(protocol=request.param)
    c.protocol_version = request.param
    yield c
    c.close()


@pytest.fixture
def raw(valkite):
    c = valkite.raw()
    yield c
    c.close()


@pytest.fixture
def key(request):
    """A key prefix unique to the test, so tests sharing a server never collide."""
    import re

    # No glob characters ([resp2] would be a character class in MATCH patterns).
    return "e2e:%s:" % re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.nodeid)
