"""Persistence end to end: the real server writing its WAL-mode SQLite database.

- round trip of every string/key shape through a clean restart;
- kill -9 under concurrent write load loses no acknowledged write (always, everysec);
- nor does kill -9 right after the live journal segment was deleted under the server;
- the live database is readable with the sqlite3 command-line tool;
- a full disk gives -MISCONF on writes, reads keep working, writes resume by
  themselves once space is back, and nothing is lost;
- SAVE, BGSAVE snapshots that restore by copying, appendfsync at run time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import spawn_valkite


def db_path(workdir: Path) -> Path:
    return workdir / "data" / "valkite.db"


def start(workdir: Path, *flags):
    return spawn_valkite(workdir, "--dir", str(workdir / "data"), *flags)


def test_round_trip_through_restart(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    binary_key = b"bin\x00key\xff\xfe"
    binary_value = bytes(range(256)) * 4
    big = os.urandom(1024 * 1024)
    r.set(binary_key, binary_value)
    r.set("empty", "")
    r.set("big", big)
    r.set("json", '{"free": 10.5, "locked": 0}')
    r.set("ttl", "v", ex=1000)
    r.set("short", "gone soon", px=300)
    r.incr("counter", 41)
    r.incrbyfloat("float", "1.5")
    r.append("appended", "abc")
    r.setrange("appended", 5, "xyz")
    r.mset({"m1": "1", "m2": "2"})
    r.rename("m2", "renamed")
    r.set("to-delete", "x")
    r.delete("to-delete")
    r.set("persisted", "p", ex=100)
    r.persist("persisted")
    r.execute_command("SELECT", 3)
    r3 = server.redis(db=3)
    r3.set("in-db-3", "three")
    r3.copy("in-db-3", "copied", destination_db=5)
    r3.set("moved", "m")
    r3.move("moved", 4)
    r.close()
    r3.close()
    assert server.stop(signal.SIGTERM) == 0

    time.sleep(0.4)  # "short" expires while the server is stopped
    server = start(tmp_path)
    r = server.redis()
    assert r.get(binary_key) == binary_value
    assert r.get("empty") == b""
    assert r.get("big") == big
    assert r.get("json") == b'{"free": 10.5, "locked": 0}'
    assert 990 <= r.ttl("ttl") <= 1000
    assert r.exists("short") == 0
    assert r.get("counter") == b"41"
    assert r.get("float") == b"1.5"
    assert r.get("appended") == b"abc\x00\x00xyz"
    assert r.get("m1") == b"1" and r.get("m2") is None and r.get("renamed") == b"2"
    assert r.exists("to-delete") == 0
    assert r.ttl("persisted") == -1
    assert server.redis(db=3).get("in-db-3") == b"three"
    assert server.redis(db=5).get("copied") == b"three"
    assert server.redis(db=4).get("moved") == b"m"
    assert server.redis(db=3).exists("moved") == 0
    # Expired-while-stopped keys are deleted from the database too.
    out = subprocess.run(["sqlite3", "-readonly", str(db_path(tmp_path)),
                          "SELECT count(*) FROM strings WHERE key = 'short'"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "0"
    r.close()
    assert server.stop(signal.SIGTERM) == 0


def test_flushall_and_swapdb_persist(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.set("a", "1")
    server.redis(db=1).set("b", "2")
    r.swapdb(0, 1)
    server.redis(db=2).set("c", "3")
    server.redis(db=2).flushdb()
    server.kill()  # no clean shutdown: what was acknowledged must be on disk
    server = start(tmp_path)
    assert server.redis(db=0).get("b") == b"2"
    assert server.redis(db=1).get("a") == b"1"
    assert server.redis(db=2).dbsize() == 0
    server.redis().flushall()
    server.kill()
    server = start(tmp_path)
    assert all(server.redis(db=n).dbsize() == 0 for n in range(3))
    assert server.stop() == 0


@pytest.mark.parametrize("mode", ["always", "everysec"])
def test_kill_9_loses_no_acknowledged_write(tmp_path, mode):
    """Several clients write as fast as they can; the server is killed with
    SIGKILL at a random moment; every write a client saw acknowledged must be
    there after the restart. Three rounds, bounded in time."""
    acknowledged: dict[str, bytes] = {}
    counters: dict[str, int] = {}
    for round_number in range(3):
        server = start(tmp_path, "--appendfsync", mode)
        stop = threading.Event()
        lock = threading.Lock()

        def writer(worker: int):
            client = server.redis(socket_timeout=5)
            sequence = 0
            try:
                while not stop.is_set() and sequence < 200_000:
                    sequence += 1
                    key = "r%d:w%d:k%d" % (round_number, worker, sequence % 500)
                    value = b"%d" % sequence
                    client.set(key, value)
                    count = client.incr("r%d:counter:%d" % (round_number, worker))
                    with lock:
                        acknowledged[key] = value
                        counters["r%d:counter:%d" % (round_number, worker)] = count
            except Exception:  # noqa: BLE001 — the kill cuts connections mid-command
                pass
            finally:
                client.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.6 + 0.3 * round_number)
        server.kill()
        stop.set()
        for thread in threads:
            thread.join(timeout=10)

        restarted = start(tmp_path, "--appendfsync", mode)
        client = restarted.redis()
        with lock:
            expected = dict(acknowledged)
            expected_counters = dict(counters)
        assert expected, "no write was acknowledged before the kill"
        keys = list(expected)
        values = []
        for index in range(0, len(keys), 500):
            values += client.mget(keys[index:index + 500])
        lost = [k for k, v in zip(keys, values) if v is None]
        assert not lost, "%d acknowledged keys lost after kill -9, e.g. %s" % (len(lost), lost[:5])
        for name, count in expected_counters.items():
            # A write can be durable but not yet acknowledged when the kill lands.
            assert int(client.get(name)) >= count
        client.close()
        assert restarted.stop() == 0


def test_kill_9_after_the_journal_segment_is_deleted_loses_nothing(tmp_path):
    """The live journal segment is deleted while a client writes; the server
    replaces it within a second with one that starts with what the tables had
    not absorbed, and is killed right after (the tables absorb a steady
    stream once a second): every acknowledged write is there after the
    restart, which accepts the journal."""
    server = start(tmp_path)
    data = tmp_path / "data"
    client = server.redis(socket_timeout=5)
    client.set("before", "1")
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer():
        writes = server.redis(socket_timeout=5)
        sequence = 0
        try:
            while not stop.is_set() and sequence < 500_000:
                sequence += 1
                writes.set("w%d" % sequence, sequence)
                acknowledged.append("w%d" % sequence)
        except Exception:  # noqa: BLE001 — the kill cuts the connection mid-command
            pass
        finally:
            writes.close()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    deleted = sorted(data.glob("valkite-journal.*.log"))
    assert deleted, "no journal segment to delete"
    for segment in deleted:
        segment.unlink()
    deadline = time.time() + 5
    while time.time() < deadline and not list(data.glob("valkite-journal.*.log")):
        time.sleep(0.002)
    # The file appears before the records are rewritten into it: a kill in
    # between would lose what only the deleted file held, as any crash
    # before the replacement does.
    time.sleep(0.1)
    server.kill()
    stop.set()
    thread.join(timeout=10)
    assert list(data.glob("valkite-journal.*.log")), "the deleted segment was not replaced"
    assert acknowledged, "no write was acknowledged"

    restarted = start(tmp_path)
    client = restarted.redis()
    keys = ["before"] + acknowledged
    values = []
    for index in range(0, len(keys), 500):
        values += client.mget(keys[index:index + 500])
    lost = [k for k, v in zip(keys, values) if v is None]
    assert not lost, "%d acknowledged keys lost, e.g. %s" % (len(lost), lost[:5])
    client.close()
    assert restarted.stop() == 0


def test_sqlite3_reads_the_live_database(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.set("balances", '{"free": 12.5}')
    r.set(b"\xff\x00blob", b"\x00\x01")
    r.set("ttl-key", "x", ex=500)
    sql = ("SELECT key, typeof(value), json_extract(value, '$.free') FROM strings WHERE key = 'balances';"
           "SELECT typeof(key), typeof(value), hex(value) FROM strings WHERE key = X'FF00626C6F62';"
           "SELECT count(*) FROM expires WHERE key = 'ttl-key';"
           "SELECT type FROM keys WHERE key = 'balances';")
    expected = ["balances|text|12.5", "blob|blob|0001", "1", "string"]
    # The tables follow the journal within ~20 ms of writes pausing (at
    # most a second behind under steady load); INFO says how fresh they are.
    deadline = time.monotonic() + 5
    while True:
        out = subprocess.run(["sqlite3", "-readonly", str(db_path(tmp_path)), sql],
                             capture_output=True, text=True, check=True).stdout.split()
        if out == expected or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert out == expected
    # INFO counts the changes as pending until the materialization that made
    # them visible is also fsynced (a few ms after sqlite3 can see them).
    while True:
        info = r.info("persistence")
        if info["valkite_tables_pending_changes"] == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert info["valkite_tables_pending_changes"] == 0
    assert info["valkite_tables_materialized_at"] >= info["rdb_last_save_time"] * 1000 - 1000
    r.close()
    assert server.stop() == 0


def test_save_and_bgsave_snapshot_restores(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    for n in range(1000):
        r.set("k%d" % n, "v%d" % n)
    assert r.save() is True
    info = r.info("persistence")
    assert info["rdb_changes_since_last_save"] == 0
    assert info["aof_enabled"] == 1
    saved_at = r.lastsave()
    time.sleep(1.1)
    assert r.bgsave() is True
    deadline = time.monotonic() + 20
    while r.info("persistence")["rdb_bgsave_in_progress"] == 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"
    assert r.lastsave() > saved_at  # a finished BGSAVE moves LASTSAVE, as in Valkey
    r.set("after-snapshot", "x")
    snapshots = sorted((tmp_path / "data" / "backups").glob("valkite-*.db"))
    assert len(snapshots) == 1
    r.close()
    assert server.stop() == 0

    # Restore: copy the snapshot into place of a new data directory and start.
    restored_dir = tmp_path / "restored"
    (restored_dir / "data").mkdir(parents=True)
    shutil.copy(snapshots[0], restored_dir / "data" / "valkite.db")
    restored = start(restored_dir)
    client = restored.redis()
    assert client.dbsize() == 1000
    assert client.get("k999") == b"v999"
    assert client.get("after-snapshot") is None
    client.close()
    assert restored.stop() == 0


def test_appendfsync_changes_at_run_time(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    assert r.config_get("appendfsync") == {"appendfsync": "everysec"}
    for mode in ["always", "no", "everysec"]:
        assert r.config_set("appendfsync", mode) is True
        assert r.info("persistence")["valkite_appendfsync"] == mode
        r.set("mode-" + mode, mode)
    with pytest.raises(Exception, match="argument\\(s\\) must be one of the following"):
        r.config_set("appendfsync", "sometimes")
    r.close()
    server.kill()
    server = start(tmp_path)
    assert server.redis().get("mode-everysec") == b"everysec"
    assert server.stop() == 0


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs, so the database can really run out of space (needs root)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: %s" % result.stderr.decode(errors="replace").strip())
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_full_disk_gives_misconf_and_recovers(tmp_path, small_disk):
    server = spawn_valkite(tmp_path, "--dir", str(small_disk))
    r = server.redis()
    r.set("before", "ok")
    # Fill the disk with a file we can delete later, leaving little room.
    filler = small_disk / "filler"
    with open(filler, "wb") as f:
        try:
            f.write(b"\0" * (4 * 1024 * 1024))
        except OSError:
            pass
    value = b"x" * 200_000
    error = None
    acknowledged = []
    for n in range(40):
        try:
            r.set("big%d" % n, value)
            acknowledged.append("big%d" % n)
        except Exception as e:  # noqa: BLE001
            error = e
            break
        time.sleep(0.05)
    assert error is not None, "writes kept succeeding on a full disk"
    assert "MISCONF" in str(error)
    assert r.get("before") == b"ok"  # reads keep working
    with pytest.raises(Exception, match="MISCONF"):
        r.set("refused", "x")
    os.unlink(filler)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            r.set("after", "ok")
            break
        except Exception:  # noqa: BLE001
            time.sleep(0.1)
    assert r.get("after") == b"ok"
    r.close()
    assert server.stop() == 0
    server = spawn_valkite(tmp_path, "--dir", str(small_disk))
    client = server.redis()
    assert client.get("before") == b"ok"
    assert client.get("after") == b"ok"
    for key in acknowledged:
        assert client.get(key) == value
    client.close()
    assert server.stop() == 0
