"""Backups and restore end to end: `backup-keep` pruning after BGSAVE, and
`valkite-server --restore FILE` (checks, refusals, what happens to the
replaced database and to a crashed server's journal)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import redis

from conftest import BINARY, clean_environment, require_binary, spawn_valkite


def start(workdir: Path, *flags):
    return spawn_valkite(workdir, "--dir", str(workdir / "data"), *flags)


def bgsave(r) -> Path:
    """BGSAVE and wait for it; returns the newest snapshot."""
    assert r.bgsave() is True
    deadline = time.monotonic() + 20
    while r.info("persistence")["rdb_bgsave_in_progress"] == 1:
        assert time.monotonic() < deadline, "BGSAVE did not finish"
        time.sleep(0.02)
    assert r.info("persistence")["rdb_last_bgsave_status"] == "ok"
    return snapshots(Path(r.config_get("dir")["dir"]))[-1]


def snapshots(data: Path) -> list[Path]:
    """The BGSAVE snapshots (valkite-<unix-ms>.db), oldest first."""
    found = [p for p in (data / "backups").glob("valkite-*.db") if p.stem[len("valkite-"):].isdigit()]
    return sorted(found, key=lambda p: int(p.stem[len("valkite-"):]))


def restore(workdir: Path, file, *extra) -> subprocess.CompletedProcess:
    """Runs `valkite-server --dir <workdir>/data --restore FILE --restore-only`."""
    require_binary()
    return subprocess.run([str(BINARY), "--dir", str(workdir / "data"), "--restore", str(file), "--restore-only",
                           *extra], cwd=workdir, env=clean_environment(), capture_output=True, text=True, timeout=60)


def test_backup_keep_deletes_the_oldest_snapshots(tmp_path):
    server = start(tmp_path, "--backup-keep", "2")
    r = server.redis(decode_responses=True)
    assert r.config_get("backup-keep") == {"backup-keep": "2"}
    backups = tmp_path / "data" / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    (backups / "notes.txt").write_text("not a snapshot")
    (backups / "valkite-manual.db").write_text("not one of ours either")
    made = []
    for n in range(3):
        r.set("k", n)
        made.append(bgsave(r))
        time.sleep(0.005)  # snapshot names are Unix ms
    assert snapshots(tmp_path / "data") == made[1:]
    assert (backups / "notes.txt").exists() and (backups / "valkite-manual.db").exists()

    r.config_set("backup-keep", 0)  # keep everything
    made.append(bgsave(r))
    assert snapshots(tmp_path / "data") == made[1:]
    r.config_set("backup-keep", 1)
    made.append(bgsave(r))
    assert snapshots(tmp_path / "data") == made[-1:]
    with pytest.raises(redis.ResponseError, match="argument must be between 0 and 2147483647 inclusive"):
        r.config_set("backup-keep", -1)
    r.close()
    assert server.stop() == 0


def test_restore_a_snapshot(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.mset({"k%d" % n: "v%d" % n for n in range(100)})
    r.hset("h", "f", "snapshot")
    snapshot = bgsave(r)
    r.set("after", "x")
    r.set("k0", "changed")
    r.hset("h", "f", "later")
    r.close()
    refused = restore(tmp_path, snapshot)  # while the server runs
    assert refused.returncode == 1
    assert "is in use (is the server running? stop it first)" in refused.stdout + refused.stderr
    assert server.stop() == 0

    done = restore(tmp_path, snapshot)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Restored %s" % snapshot in done.stdout
    replaced = list((tmp_path / "data" / "backups").glob("before-restore-*.db"))
    assert len(replaced) == 1 and ("moved to %s" % replaced[0]) in done.stdout

    restored = start(tmp_path)
    c = restored.redis()
    assert c.dbsize() == 101
    assert c.get("k0") == b"v0" and c.get("k99") == b"v99"
    assert c.get("after") is None
    assert c.hget("h", "f") == b"snapshot"
    c.set("new", "1")
    c.close()
    assert restored.stop() == 0

    # The replaced database is complete on its own and restores like a snapshot.
    back = restore(tmp_path, replaced[0])
    assert back.returncode == 0, back.stdout + back.stderr
    again = start(tmp_path)
    c = again.redis()
    assert c.get("after") == b"x" and c.get("k0") == b"changed" and c.get("new") is None
    c.close()
    assert again.stop() == 0


def test_restore_after_a_crash_does_not_replay_the_old_journal(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.set("before", "1")
    snapshot = bgsave(r)
    for n in range(200):
        r.set("after:%d" % n, n)
    r.close()
    server.stop(signal.SIGKILL)
    data = tmp_path / "data"
    assert list(data.glob("valkite-journal.*.log"))  # records the tables may not hold yet

    # --restore without --restore-only: restores, then serves.
    restored = start(tmp_path, "--restore", str(snapshot))
    c = restored.redis()
    assert c.get("before") == b"1"
    assert c.keys("after:*") == []
    c.close()
    assert restored.stop() == 0
    assert "Restored %s" % snapshot in restored.output()

    # The crashed database went to backups with its journal replayed into it.
    (replaced,) = (data / "backups").glob("before-restore-*.db")
    assert not list((data / "backups").glob("*journal*"))
    db = sqlite3.connect("file:%s?mode=ro" % replaced, uri=True)
    assert db.execute("SELECT count(*) FROM strings WHERE key LIKE 'after:%'").fetchone() == (200,)
    db.close()


def test_restore_refuses_bad_files(tmp_path):
    server = start(tmp_path)
    r = server.redis()
    r.mset({"k%d" % n: "v" * 200 for n in range(2000)})
    snapshot = bgsave(r)
    r.close()
    assert server.stop() == 0
    latest = sqlite3.connect(snapshot).execute("PRAGMA user_version").fetchone()[0]
    assert latest >= 4

    bad = tmp_path / "bad"
    bad.mkdir()
    random_bytes = bad / "random.db"
    random_bytes.write_bytes(os.urandom(64 * 1024))
    truncated = bad / "truncated.db"
    truncated.write_bytes(snapshot.read_bytes()[: snapshot.stat().st_size // 2])
    newer = bad / "newer.db"
    newer.write_bytes(snapshot.read_bytes())
    with sqlite3.connect(newer) as c:
        c.execute("PRAGMA user_version = %d" % (latest + 1))
    foreign = bad / "foreign.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE strings (db, key, value, updated_at)")
        c.execute("PRAGMA user_version = 1")
    empty = bad / "empty.db"
    empty.write_bytes(b"")

    cases = {
        random_bytes: "is not a readable SQLite database",
        truncated: "",  # malformed: refused by the integrity check or while reading
        newer: "has schema version %d, newer than this binary supports (%d)" % (latest + 1, latest),
        foreign: "is not a Valkite database of schema version 1: it lacks",
        empty: "is not a Valkite database (schema version 0",
        bad / "missing.db": "Can't read %s" % (bad / "missing.db"),
    }
    database = tmp_path / "data" / "valkite.db"
    original = database.read_bytes()
    for file, message in cases.items():
        result = restore(tmp_path, file)
        out = result.stdout + result.stderr
        assert result.returncode == 1, (file, out)
        assert "Restore refused: " in out and message in out, (file, out)
        assert database.read_bytes() == original, file
    assert not list((tmp_path / "data").glob("*.restore-*"))
    assert not list((tmp_path / "data" / "backups").glob("before-restore-*"))

    server = start(tmp_path)
    c = server.redis()
    assert c.dbsize() == 2000
    c.close()
    assert server.stop() == 0


def test_make_restore(tmp_path):
    """`make restore FILE=…` refuses while `make start`'s server runs, then restores."""
    repo = Path(__file__).resolve().parents[2]
    server = start(tmp_path)
    r = server.redis()
    r.set("a", "1")
    snapshot = bgsave(r)
    r.set("b", "2")
    r.close()
    env = clean_environment({"VALKEY_DIR": str(tmp_path / "data"), "VALKEY_PORT": str(server.port)})
    pid_file = tmp_path / "data" / "valkite.pid"
    pid_file.write_text(str(server.proc.pid))
    # SWIFT=true: the binary under test is already built (and is BINARY).
    make = ["make", "--no-print-directory", "-C", str(repo), "restore", "SWIFT=true", "BINARY=%s" % BINARY,
            "FILE=%s" % snapshot]
    refused = subprocess.run(make, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "make stop first" in refused.stdout
    assert server.stop() == 0
    pid_file.unlink()
    done = subprocess.run(make, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Restored %s" % snapshot in done.stdout
    server = start(tmp_path)
    c = server.redis()
    assert c.get("a") == b"1" and c.get("b") is None
    c.close()
    assert server.stop() == 0
