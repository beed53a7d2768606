-- 0001_initial: one table per Redis type, keyed by what a command addresses.
--
-- Conventions (see migrations/README.md):
-- * `db` is the database number (SELECT n).
-- * key, field, member and value columns hold TEXT when the bytes are valid
--   UTF-8 without NUL, BLOB otherwise. They are declared without a type (BLOB
--   affinity), so SQLite stores exactly what it is given and never converts:
--   every value reads back byte-exact, and json_extract(value, '$.x') works on
--   JSON documents.
-- * Times are Unix milliseconds.
-- * The type of a key is the table that holds it; `keys` lists them all.
--
-- Tables whose rows carry values of any size (strings, hashes, lists) keep a
-- rowid: measured here, upserts of 1 KB values into a WITHOUT ROWID table are
-- ~2.5x slower (rows over ~1 KB spill into overflow pages), while at 100 bytes
-- the two are within noise. Tables whose rows are just a key (sets, zsets,
-- expires) are WITHOUT ROWID: the primary key is the row.

CREATE TABLE strings (
    db         INTEGER NOT NULL,
    key        NOT NULL,
    value      NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (db, key)
);

-- Only keys with a TTL have a row.
CREATE TABLE expires (
    db  INTEGER NOT NULL,
    key NOT NULL,
    at  INTEGER NOT NULL,
    PRIMARY KEY (db, key)
) WITHOUT ROWID;

CREATE TABLE hashes (
    db         INTEGER NOT NULL,
    key        NOT NULL,
    field      NOT NULL,
    value      NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (db, key, field)
);

-- Positions are contiguous integers from head to tail: ORDER BY pos is list
-- order and pos - min(pos) is the index. They may be negative (LPUSH).
CREATE TABLE lists (
    db    INTEGER NOT NULL,
    key   NOT NULL,
    pos   INTEGER NOT NULL,
    value NOT NULL,
    PRIMARY KEY (db, key, pos)
);

CREATE TABLE sets (
    db     INTEGER NOT NULL,
    key    NOT NULL,
    member NOT NULL,
    PRIMARY KEY (db, key, member)
) WITHOUT ROWID;

CREATE TABLE zsets (
    db     INTEGER NOT NULL,
    key    NOT NULL,
    member NOT NULL,
    score  REAL NOT NULL,
    PRIMARY KEY (db, key, member)
) WITHOUT ROWID;

CREATE INDEX zsets_by_score ON zsets (db, key, score, member);

-- Every key with its type, as TYPE reports it.
CREATE VIEW keys (db, key, type) AS
              SELECT db, key, 'string' FROM strings
    UNION ALL SELECT DISTINCT db, key, 'hash' FROM hashes
    UNION ALL SELECT DISTINCT db, key, 'list' FROM lists
    UNION ALL SELECT DISTINCT db, key, 'set'  FROM sets
    UNION ALL SELECT DISTINCT db, key, 'zset' FROM zsets;
