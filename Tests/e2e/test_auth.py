"""Authentication and the connection handshake redis-py performs."""

import pytest
import redis

from conftest import PASSWORD


def test_redis_py_resp3_handshake_with_password_and_db(valkite_auth):
    # redis-py sends HELLO 3 AUTH default <pw>, CLIENT SETINFO LIB-NAME/LIB-VER, SELECT 2.
    r = redis.Redis(host="127.0.0.1", port=valkite_auth.port, password=PASSWORD, protocol=3, db=2,
                    socket_timeout=10)
    try:
        assert r.ping() is True
        assert r.set("hs:key", "in-db-2") is True
        assert r.get("hs:key") == b"in-db-2"
        info = r.client_info()
        assert int(info["db"]) == 2
        assert int(info["resp"]) == 3
        assert info["lib-name"] == "redis-py"
        assert info["lib-ver"] == redis.__version__
        assert info["user"] == "default"
        # The key is in db 2 and only there.
        other = redis.Redis(host="127.0.0.1", port=valkite_auth.port, password=PASSWORD, db=0, socket_timeout=10)
        try:
            assert other.get("hs:key") is None
            other.execute_command("SELECT", 2)
            assert other.get("hs:key") == b"in-db-2"
        finally:
            other.close()
    finally:
        r.close()


def test_redis_py_resp2_handshake_with_password(valkite_auth):
    r = redis.Redis(host="127.0.0.1", port=valkite_auth.port, password=PASSWORD, protocol=2, db=3,
                    socket_timeout=10)
    try:
        assert r.ping() is True
        info = r.client_info()
        assert int(info["db"]) == 3 and int(info["resp"]) == 2
    finally:
        r.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_wrong_password_raises_authentication_error(valkite_auth, protocol):
    r = redis.Redis(host="127.0.0.1", port=valkite_auth.port, password="not-the-password",
                    protocol=protocol, socket_timeout=10)
    try:
        with pytest.raises(redis.AuthenticationError) as excinfo:
            r.ping()
        assert "invalid username-password pair or user is disabled" in str(excinfo.value)
    finally:
        r.close()


def test_wrong_password_raw_bytes(valkite_auth):
    with valkite_auth.raw(auth=False) as c:
        assert c.call("AUTH", "nope") == b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
        assert c.call("AUTH", "default", "nope") == \
            b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
        assert c.call("HELLO", "3", "AUTH", "default", "nope") == \
            b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
        # Still not authenticated, still connected.
        assert c.call("GET", "x") == b"-NOAUTH Authentication required.\r\n"
        assert c.call("AUTH", PASSWORD) == b"+OK\r\n"
        assert c.call("PING") == b"+PONG\r\n"


def test_noauth_before_auth(valkite_auth):
    with valkite_auth.raw(auth=False) as c:
        assert c.call("GET", "x") == b"-NOAUTH Authentication required.\r\n"
        assert c.call("PING") == b"-NOAUTH Authentication required.\r\n"
        assert c.call("SET", "x", "1") == b"-NOAUTH Authentication required.\r\n"
        # HELLO without AUTH must not switch protocol for an unauthenticated client.
        assert c.call("HELLO", "3") == (
            b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            b"HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            b"select the RESP protocol version at the same time\r\n")
        # Inline commands are subject to the same rule.
        c.send(b"PING\r\n")
        assert c.read_reply() == b"-NOAUTH Authentication required.\r\n"
        assert c.call("AUTH", "default", PASSWORD) == b"+OK\r\n"
        assert c.call("PING") == b"+PONG\r\n"
        assert c.call("GET", "never-set-key") == b"$-1\r\n"


def test_hello_auth_switches_to_resp3(valkite_auth):
    with valkite_auth.raw(auth=False) as c:
        reply = c.call("HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "e2e-hello")
        assert reply.startswith(b"%7\r\n$6\r\nserver\r\n$6\r\nvalkey\r\n$7\r\nversion\r\n$5\r\n8.0.0\r\n"
                                b"$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:"), reply
        assert reply.endswith(b"$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                              b"$7\r\nmodules\r\n*0\r\n"), reply
        assert c.call("GET", "surely-missing") == b"_\r\n"
        assert c.call("CLIENT", "GETNAME") == b"$9\r\ne2e-hello\r\n"


def test_auth_without_password_configured(valkite):
    with valkite.raw() as c:
        assert c.call("AUTH", "whatever") == (
            b"-ERR AUTH <password> called without any password configured for the default user. "
            b"Are you sure your configuration is correct?\r\n")
        # The default user is "nopass": any password is accepted for it.
        assert c.call("AUTH", "default", "whatever") == b"+OK\r\n"


def test_unauthenticated_large_multibulk_is_refused(valkite_auth):
    # Valkey refuses big requests before authentication (networking.c).
    with valkite_auth.raw(auth=False) as c:
        c.send(b"*100\r\n")
        got = c.read_until_closed()
        assert got == b"-ERR Protocol error: unauthenticated multibulk length\r\n", "got %r" % got
    with valkite_auth.raw(auth=False) as c:
        c.send(b"*1\r\n$100000\r\n")
        got = c.read_until_closed()
        assert got == b"-ERR Protocol error: unauthenticated bulk length\r\n", "got %r" % got
