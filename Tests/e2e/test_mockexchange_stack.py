"""The MockExchange workload end to end: redis-py against the real server
started with the stack's settings, then the SQL side (the README's recipes,
run verbatim) must agree with what the Redis commands say.

Tickers are hashes found with SCAN MATCH; orders are JSON in the `orders`
hash with `open:<symbol>` index sets; balances are JSON in `balances`;
trade statistics use HINCRBYFLOAT inside pipeline() (MULTI/EXEC); the engine
holds a leader lock with SET NX EX and renews it with EXPIRE; fills are
appended to the `fills` list, which is trimmed, so only the history keeps
them all.
"""
from __future__ import annotations

import json
import random
import re
import sqlite3
import time
from pathlib import Path

from conftest import spawn_valkite

README = Path(__file__).resolve().parents[2] / "README.md"
SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD"]
USERS = ["alice", "bob", "carol"]


def readme_recipes() -> dict[str, str]:
    """The ```sql blocks of README.md that start with `-- recipe: <name>`."""
    recipes = {}
    for block in re.findall(r"```sql\n(.*?)```", README.read_text(), re.S):
        match = re.match(r"-- recipe: ([\w-]+)\n", block)
        if match:
            recipes[match.group(1)] = block
    return recipes


class Exchange:
    def __init__(self, r, rng: random.Random):
        self.r = r
        self.rng = rng
        self.next_order = 1
        # (ms before sending, ms after the reply, fill): the server's time for
        # the fill is in between; fills are 3 ms apart so windows never overlap.
        self.fills = []

    def publish_tickers(self):
        for symbol in SYMBOLS:
            price = {"BTC-USD": 64000, "ETH-USD": 3000, "SOL-USD": 150}[symbol] * (1 + self.rng.uniform(-0.01, 0.01))
            self.r.hset(f"tickers:{symbol}", mapping={"bid": f"{price:.2f}", "ask": f"{price * 1.001:.2f}"})

    def place_order(self, user):
        symbol = self.rng.choice(SYMBOLS)
        order_id = f"o{self.next_order}"
        self.next_order += 1
        order = {"id": order_id, "user": user, "symbol": symbol, "qty": self.rng.randrange(1, 5),
                 "price": float(self.r.hget(f"tickers:{symbol}", "ask"))}
        pipe = self.r.pipeline()  # MULTI/EXEC
        pipe.hset("orders", order_id, json.dumps(order))
        pipe.sadd(f"open:{symbol}", order_id)
        pipe.execute()
        return order

    def fill(self, order):
        notional = order["qty"] * order["price"]
        fill = {"order": order["id"], "user": order["user"], "symbol": order["symbol"],
                "qty": order["qty"], "price": order["price"]}
        balance = json.loads(self.r.hget("balances", order["user"]) or '{"USD": 1000000}')
        balance["USD"] = round(balance["USD"] - notional, 2)
        asset = order["symbol"].split("-")[0]
        balance[asset] = balance.get(asset, 0) + order["qty"]
        pipe = self.r.pipeline()  # MULTI/EXEC
        pipe.srem(f"open:{order['symbol']}", order["id"])
        pipe.hdel("orders", order["id"])
        pipe.hset("balances", order["user"], json.dumps(balance))
        pipe.hincrbyfloat(f"stats:{order['symbol']}", "notional", notional)
        pipe.hincrbyfloat(f"stats:{order['symbol']}", "volume", order["qty"])
        pipe.rpush("fills", json.dumps(fill))
        pipe.ltrim("fills", -20, -1)
        before = int(time.time() * 1000)
        pipe.execute()
        self.fills.append((before, int(time.time() * 1000), fill))
        time.sleep(0.003)


def test_mockexchange_workload_redis_and_sql_agree(tmp_path):
    env = {"VALKEY_HISTORY_KEYS": "balances*,fills*,orders*"}
    server = spawn_valkite(tmp_path, "--dir", str(tmp_path / "data"), env=env)
    try:
        r = server.redis()
        assert r.set("engine:leader", "engine-1", nx=True, ex=30)
        assert not r.set("engine:leader", "engine-2", nx=True, ex=30)
        exchange = Exchange(r, random.Random(1))
        for i in range(100):  # unrelated keys, so SCAN has to filter
            r.set(f"session:{i}", "x")
        balances_at: dict[int, dict] = {}
        for round_ in range(30):
            exchange.publish_tickers()
            orders = [exchange.place_order(user) for user in USERS]
            for order in orders[:2]:
                exchange.fill(order)
            assert r.expire("engine:leader", 30)
            if round_ == 15:
                time.sleep(0.01)
                instant = int(time.time() * 1000)
                balances_at[instant] = {k.decode(): json.loads(v) for k, v in r.hgetall("balances").items()}
                time.sleep(0.01)
        first, last = len(exchange.fills) // 3, 2 * len(exchange.fills) // 3
        start_ms, end_ms = exchange.fills[first][0], exchange.fills[last][1]

        # The Redis view.
        tickers = sorted(k.decode() for k in r.scan_iter(match="tickers:*", count=1000))
        assert tickers == [f"tickers:{s}" for s in SYMBOLS]
        assert r.get("engine:leader") == b"engine-1" and 0 < r.ttl("engine:leader") <= 30
        assert r.llen("fills") == 20
        open_orders = {s: r.smembers(f"open:{s}") for s in SYMBOLS}
        assert sum(len(v) for v in open_orders.values()) == r.hlen("orders") == 30
        notional = {s: float(r.hget(f"stats:{s}", "notional")) for s in SYMBOLS}
        balances = {k.decode(): json.loads(v) for k, v in r.hgetall("balances").items()}

        r.save()  # not needed for correctness of SQL readers, but makes the file complete
        db = sqlite3.connect(f"file:{tmp_path / 'data' / 'valkite.db'}?mode=ro", uri=True)
        recipes = readme_recipes()

        # The tables mirror the keyspace.
        assert {f: json.loads(v) for f, v in db.execute(
            "SELECT field, value FROM hashes WHERE db = 0 AND key = 'balances'")} == balances
        assert [v for (v,) in db.execute("SELECT value FROM lists WHERE key = 'fills' ORDER BY pos")] == \
            [v.decode() for v in r.lrange("fills", 0, -1)]
        assert db.execute("SELECT value FROM strings WHERE key = 'engine:leader'").fetchone() == ("engine-1",)

        # Recipe: fills of a user between two times, from the history (the list itself was trimmed).
        rows = db.execute(recipes["fills-between"], {"user": "alice", "from": start_ms, "to": end_ms}).fetchall()
        expected = [f for _, _, f in exchange.fills[first:last + 1] if f["user"] == "alice"]
        assert [json.loads(row[1]) for row in rows] == expected
        assert len(expected) >= 3

        # Recipe: a balance at a past instant.
        (instant, then), = balances_at.items()
        for user in USERS[:2]:
            for asset in ["USD", "BTC"]:
                row = db.execute(recipes["balance-at"], {"user": user, "asset": asset, "at": instant}).fetchone()
                assert row is not None and row[0] == then[user].get(asset), (user, asset)

        # Recipe: total traded notional per symbol (every fill ever, from the history) equals
        # the HINCRBYFLOAT counters.
        totals = dict(db.execute(recipes["notional-per-symbol"]).fetchall())
        assert set(totals) == {s for s in SYMBOLS if notional[s]}
        for symbol, total in totals.items():
            assert abs(total - notional[symbol]) < 1e-6 * max(1, notional[symbol])
        db.close()
    finally:
        server.stop()
