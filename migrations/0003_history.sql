-- 0003_history: the change history of the keys that match `history-keys`.
--
-- One row per change at its grain, appended by the materializer in the same
-- transaction as the change itself, so the tables and their history always
-- agree. Rows are never updated; `history-retention` prunes old ones.
--
-- kind = 'value' (the key's contents changed):
--   string: field NULL; old_value / new_value the whole value (NULL = absent).
--   hash:   field = the field; old_value / new_value its value (NULL = absent).
--   set:    field = the member; new_value = member when added, old_value =
--           member when removed.
--   zset:   field = the member; old_value / new_value its score (NULL = absent).
--   list:   field = the element's index at that moment (0 = head). Only
--           new_value: inserted there (later elements move toward the tail);
--           only old_value: removed from there (later elements move up);
--           both: replaced (LSET).
--   A key that is deleted, expires, is overwritten by another type or renamed
--   away gets one row per element it lost (lists: index 0 repeatedly), so
--   replaying the rows of a key in `id` order rebuilds its value at any time.
-- kind = 'expiry' (the key's TTL changed): field NULL; old_value / new_value
--   the expiry deadline in Unix ms (NULL = no TTL).
--
-- `operation` is the command that made the change, upper case (SET, HSET,
-- LTRIM, DEL, EXPIRE, RENAME, FLUSHDB…), or `expired` when the TTL passed.
CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    db        INTEGER NOT NULL,
    key       NOT NULL,
    type      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    operation TEXT NOT NULL,
    field,
    old_value,
    new_value
);

CREATE INDEX history_by_key ON history (db, key, id);
CREATE INDEX history_by_time ON history (at);
