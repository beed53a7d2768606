"""Where the configuration comes from: defaults < config file < environment
(process env beats ./.env) < command-line flags."""

import os
import time

import pytest

from conftest import free_port, port_is_listening, spawn_valkite


def config_get(server, name) -> str:
    with server.raw() as c:
        reply = c.call("CONFIG", "GET", name)
    # *2\r\n$<n>\r\nname\r\n$<m>\r\nvalue\r\n
    parts = reply.split(b"\r\n")
    assert parts[0] == b"*2", reply
    return parts[4].decode()


def write_dotenv(path, **variables):
    (path / ".env").write_text("".join("%s=%s\n" % kv for kv in variables.items()))


def test_dotenv_sets_port_and_password(tmp_path):
    port = free_port()
    (tmp_path / ".env").write_text(
        "# MockExchange settings\n"
        "VALKEY_PORT=%d\n"
        "export VALKEY_PASSWORD='dot env secret'\n"
        "UNRELATED=1\n" % port)
    server = spawn_valkite(tmp_path, port=port, auth="dot env secret")
    try:
        with server.raw(auth=False) as c:
            assert c.call("GET", "x") == b"-NOAUTH Authentication required.\r\n"
            assert c.call("AUTH", "dot env secret") == b"+OK\r\n"
            assert c.call("PING") == b"+PONG\r\n"
        assert config_get(server, "port") == str(port)
        assert config_get(server, "requirepass") == "dot env secret"
    finally:
        assert server.stop() == 0


def test_environment_beats_dotenv(tmp_path):
    dotenv_port, env_port = free_port(), free_port()
    write_dotenv(tmp_path, VALKEY_PORT=dotenv_port, VALKEY_PASSWORD="from-dotenv")
    server = spawn_valkite(tmp_path, port=env_port, auth="from-dotenv", env={"VALKEY_PORT": str(env_port)})
    try:
        assert not port_is_listening(dotenv_port)
        assert config_get(server, "port") == str(env_port)
    finally:
        assert server.stop() == 0
    server = spawn_valkite(tmp_path, port=dotenv_port, auth="from-env", env={"VALKEY_PASSWORD": "from-env"})
    try:
        with server.raw(auth=False) as c:
            assert c.call("AUTH", "from-dotenv") == \
                b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            assert c.call("AUTH", "from-env") == b"+OK\r\n"
    finally:
        assert server.stop() == 0


def test_flags_beat_environment(tmp_path):
    env_port, flag_port = free_port(), free_port()
    write_dotenv(tmp_path, VALKEY_PORT=free_port(), VALKEY_PASSWORD="dotenv-pass")
    server = spawn_valkite(tmp_path, "--port", str(flag_port), "--requirepass", "flag-pass",
                           port=flag_port, auth="flag-pass",
                           env={"VALKEY_PORT": str(env_port), "VALKEY_PASSWORD": "env-pass"})
    try:
        assert not port_is_listening(env_port)
        assert config_get(server, "port") == str(flag_port)
        assert config_get(server, "requirepass") == "flag-pass"
    finally:
        assert server.stop() == 0


def test_config_file_as_first_argument(tmp_path):
    port = free_port()
    conf = tmp_path / "valkite.conf"
    conf.write_text(
        "# a valkey.conf\n"
        "port %d\n"
        "bind 127.0.0.1\n"
        'requirepass "file pass"\n'
        "databases 4\n"
        "maxclients 50\n"
        "timeout 7\n"
        "loglevel verbose\n" % port)
    server = spawn_valkite(tmp_path, port=port, auth="file pass", bind=False, config_file=conf)
    try:
        assert config_get(server, "databases") == "4"
        assert config_get(server, "maxclients") == "50"
        assert config_get(server, "timeout") == "7"
        assert config_get(server, "loglevel") == "verbose"
        assert config_get(server, "bind") == "127.0.0.1"
        with server.raw() as c:
            assert c.call("SELECT", "3") == b"+OK\r\n"
            assert c.call("SELECT", "4") == b"-ERR DB index is out of range\r\n"
            reply = c.call("INFO", "server")
            assert b"config_file:%s\r\n" % str(conf.resolve()).encode() in reply or \
                   b"config_file:%s\r\n" % str(conf).encode() in reply, reply
    finally:
        assert server.stop() == 0


def test_full_precedence_chain(tmp_path):
    """file < .env < process environment < flags, one parameter per level."""
    port = free_port()
    conf = tmp_path / "chain.conf"
    conf.write_text("port %d\ndatabases 4\nmaxclients 50\ntimeout 7\nhz 11\n" % port)
    write_dotenv(tmp_path, VALKEY_DATABASES=5, VALKEY_MAXCLIENTS=60, VALKEY_TIMEOUT=8)
    server = spawn_valkite(tmp_path, "--timeout", "10", port=port, config_file=conf,
                           env={"VALKEY_MAXCLIENTS": "70", "VALKEY_TIMEOUT": "9"})
    try:
        assert config_get(server, "hz") == "11"           # file beats default
        assert config_get(server, "databases") == "5"     # .env beats file
        assert config_get(server, "maxclients") == "70"   # environment beats .env
        assert config_get(server, "timeout") == "10"      # flag beats environment
        assert config_get(server, "port") == str(port)
    finally:
        assert server.stop() == 0


def test_valkey_host_loglevel_logfile_dir(tmp_path):
    port = free_port()
    (tmp_path / "data").mkdir()
    env = {
        "VALKEY_PORT": str(port),
        "VALKEY_HOST": "127.0.0.1",
        "VALKEY_LOGLEVEL": "warning",
        "VALKEY_LOGFILE": str(tmp_path / "server.log"),
        "VALKEY_DIR": "data",
        "VALKEY_DATABASES": "3",
        "VALKEY_MAXCLIENTS": "123",
        "VALKEY_APPENDFSYNC": "always",
        "VALKEY_IO_THREADS": "2",
    }
    server = spawn_valkite(tmp_path, port=port, bind=False, env=env)
    try:
        assert config_get(server, "bind") == "127.0.0.1"
        assert config_get(server, "loglevel") == "warning"
        assert config_get(server, "logfile") == str(tmp_path / "server.log")
        assert os.path.realpath(config_get(server, "dir")) == os.path.realpath(tmp_path / "data")
        assert config_get(server, "databases") == "3"
        assert config_get(server, "maxclients") == "123"
        assert config_get(server, "appendfsync") == "always"
        assert config_get(server, "io-threads") == "2"
    finally:
        assert server.stop() == 0
    # With a log file, the log goes there and not to stdout.
    assert "Ready to accept connections" not in server.output()


def test_logfile_receives_log(tmp_path):
    log = tmp_path / "valkite.log"
    server = spawn_valkite(tmp_path, "--logfile", str(log), "--loglevel", "notice")
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "Ready to accept connections tcp" not in log.read_text():
            time.sleep(0.05)
        assert "Ready to accept connections tcp" in log.read_text()
    finally:
        assert server.stop() == 0


def test_config_set_and_get_at_runtime(valkite):
    with valkite.raw() as c:
        assert c.call("CONFIG", "GET", "maxmemory-policy") == b"*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"
        assert c.call("CONFIG", "SET", "slowlog-log-slower-than", "12345") == b"+OK\r\n"
        assert c.call("CONFIG", "GET", "slowlog-log-slower-than") == \
            b"*2\r\n$23\r\nslowlog-log-slower-than\r\n$5\r\n12345\r\n"
        assert c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000") == b"+OK\r\n"
        assert c.call("CONFIG", "SET", "databases", "4") == (
            b"-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n")
