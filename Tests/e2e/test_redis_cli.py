"""redis-cli, the tool people will point at Valkite first."""

import subprocess

from conftest import HOST, PASSWORD, clean_environment

AUTH_WARNING = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe."


def cli(server, *args, input=None, env=None):
    result = subprocess.run(["redis-cli", "-h", HOST, "-p", str(server.port), *args], input=input,
                            capture_output=True, timeout=30, env=clean_environment(env))
    return result.returncode, result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")


def test_ping_with_password(valkite_auth):
    code, out, err = cli(valkite_auth, "-a", PASSWORD, "ping")
    assert code == 0
    assert out == "PONG\n"
    assert AUTH_WARNING in err


def test_no_auth_warning(valkite_auth):
    code, out, err = cli(valkite_auth, "-a", PASSWORD, "--no-auth-warning", "ping")
    assert (code, out, err) == (0, "PONG\n", "")


def test_rediscli_auth_environment(valkite_auth):
    code, out, err = cli(valkite_auth, "ping", env={"REDISCLI_AUTH": PASSWORD})
    assert (code, out, err) == (0, "PONG\n", "")


def test_wrong_and_missing_password(valkite_auth):
    code, out, err = cli(valkite_auth, "-a", "wrong", "--no-auth-warning", "ping")
    assert "WRONGPASS invalid username-password pair or user is disabled." in out + err
    code, out, err = cli(valkite_auth, "get", "x")
    assert "NOAUTH Authentication required." in out + err


def test_info_server(valkite):
    code, out, err = cli(valkite, "info", "server")
    assert code == 0, err
    lines = out.replace("\r", "").split("\n")
    assert lines[0] == "# Server"
    assert "valkey_version:8.0.0" in lines
    assert "redis_version:7.2.4" in lines
    assert "server_name:valkey" in lines
    assert "tcp_port:%d" % valkite.port in lines
    assert any(l.startswith("process_id:") for l in lines)
    assert "# Clients" not in out  # only the requested section


def test_set_get_and_raw_output(valkite):
    assert cli(valkite, "set", "cli:k", "hello world")[1] == "OK\n"
    assert cli(valkite, "get", "cli:k")[1] == "hello world\n"
    assert cli(valkite, "--raw", "incr", "cli:n")[1] == "1\n"
    assert cli(valkite, "get", "cli:missing")[1] == "\n"
    code, out, err = cli(valkite, "nosuchcommand")
    assert "ERR unknown command 'nosuchcommand', with args beginning with:" in out + err


def test_interactive_style_stdin(valkite):
    # Commands on stdin, one per line, as in `redis-cli < file`.
    code, out, err = cli(valkite, input=b"set cli:s 1\nincr cli:s\nget cli:s\n")
    assert code == 0, err
    assert out == "OK\n2\n2\n"


def test_resp3_mode(valkite):
    code, out, err = cli(valkite, "-3", "get", "cli:never")
    assert code == 0, err
    assert out == "(nil)\n" or out == "\n"
    code, out, err = cli(valkite, "-3", "config", "get", "databases")
    assert code == 0, err
    assert out == "databases 16\n"  # redis-cli prints a RESP3 map as "key value" lines
