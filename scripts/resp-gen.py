#!/usr/bin/env python3
"""Writes RESP commands that build a data set, for `redis-cli --pipe`.

    scripts/resp-gen.py strings COUNT SIZE   SET key:<n> <SIZE bytes>, COUNT distinct keys
    scripts/resp-gen.py hash COUNT SIZE      HSET bench:hash field:<n> <SIZE bytes>, COUNT fields
    scripts/resp-gen.py list COUNT SIZE      RPUSH bench:list <SIZE bytes>, COUNT elements

Used by scripts/bench-memory.sh and scripts/bench-startup.sh. Unlike
`redis-benchmark -r`, every key (field) is distinct, so COUNT is exact.
Hash fields and list elements go 1,000 per command.
"""
import sys

BATCH = 1000


def bulk(data: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(data), data)


def value(n: int, size: int) -> bytes:
    # Distinct per item (so nothing could share storage), SIZE bytes.
    digits = b"%012d" % n
    return (digits * (size // len(digits) + 1))[:size]


def main() -> None:
    kind, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    out = sys.stdout.buffer
    chunk = []
    if kind == "strings":
        for n in range(count):
            chunk.append(b"*3\r\n$3\r\nSET\r\n" + bulk(b"key:%012d" % n) + bulk(value(n, size)))
            if len(chunk) == BATCH:
                out.write(b"".join(chunk))
                chunk.clear()
    elif kind in ("hash", "list"):
        for start in range(0, count, BATCH):
            items = range(start, min(start + BATCH, count))
            if kind == "hash":
                parts = [b"*%d\r\n$4\r\nHSET\r\n" % (2 + 2 * len(items)), bulk(b"bench:hash")]
                for n in items:
                    parts.append(bulk(b"field:%012d" % n) + bulk(value(n, size)))
            else:
                parts = [b"*%d\r\n$5\r\nRPUSH\r\n" % (2 + len(items)), bulk(b"bench:list")]
                for n in items:
                    parts.append(bulk(value(n, size)))
            chunk.append(b"".join(parts))
            if len(chunk) == 10:
                out.write(b"".join(chunk))
                chunk.clear()
    else:
        sys.exit("resp-gen.py: unknown kind %r (strings, hash or list)" % kind)
    out.write(b"".join(chunk))
    out.flush()


if __name__ == "__main__":
    main()
