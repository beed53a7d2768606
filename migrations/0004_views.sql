-- 0004_views: readable views for people at the sqlite3 prompt.
--
--   string_values (db, key, value, expires_at, updated_at)
--   hash_fields   (db, key, field, value, expires_at, updated_at)
--   list_elements (db, key, idx, value, expires_at)        idx 0 = head, as LINDEX
--   set_members   (db, key, member, expires_at)
--   zset_members  (db, key, member, score, rank, expires_at)  rank as ZRANK
--   all_keys      (db, key, type, expires_at)
--   change_history (id, at, at_ms, db, key, type, kind, operation, field,
--                   old_value, new_value)
--
-- * Keys, fields, members and values stored as TEXT are shown as they are
--   (json_extract(value, '$.free') still works); BLOBs (bytes that are not
--   UTF-8) are shown as a blob literal, x'00FF', which can be pasted back into
--   a query on the tables: WHERE key = x'00FF'.
-- * Times are ISO-8601 UTC with milliseconds: 2026-11-27T10:15:00.123Z.
-- * Keys whose TTL has passed are hidden (the server may not have removed
--   them yet). Current time in ms is (julianday('now') - 2440587.5) * 86400000
--   rather than unixepoch('subsec'), which needs SQLite 3.42.
--
-- Speed: each view is a UNION ALL of a branch for TEXT keys, where `key` is
-- the stored column, and one for BLOB keys, where it is the hex literal. A
-- query's WHERE is pushed into both branches: `WHERE db = 0 AND key = 'k'`
-- is a primary-key lookup in the first, and in the second a seek into the
-- BLOB keys only (SQLite sorts every TEXT before every BLOB, so `key >= x''`
-- is an index range, almost always empty). The TEXT branch tests
-- typeof(key) rather than `key < x''`: given both a range and an equality
-- on key, SQLite 3.40 picks the range. hash_fields and set_members split on
-- the field / member the same way, so a field or member lookup is a
-- primary-key lookup too. Without `db = …` a lookup by key scans, as it does
-- on the tables.

CREATE VIEW string_values (db, key, value, expires_at, updated_at) AS
    SELECT s.db, s.key,
           CASE typeof(s.value) WHEN 'blob' THEN 'x''' || hex(s.value) || '''' ELSE s.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', s.updated_at / 1000.0, 'unixepoch')
      FROM strings s LEFT JOIN expires e ON e.db = s.db AND e.key = s.key
     WHERE typeof(s.key) <> 'blob' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT s.db, 'x''' || hex(s.key) || '''',
           CASE typeof(s.value) WHEN 'blob' THEN 'x''' || hex(s.value) || '''' ELSE s.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', s.updated_at / 1000.0, 'unixepoch')
      FROM strings s LEFT JOIN expires e ON e.db = s.db AND e.key = s.key
     WHERE s.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

CREATE VIEW hash_fields (db, key, field, value, expires_at, updated_at) AS
    SELECT h.db, h.key, h.field,
           CASE typeof(h.value) WHEN 'blob' THEN 'x''' || hex(h.value) || '''' ELSE h.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', h.updated_at / 1000.0, 'unixepoch')
      FROM hashes h LEFT JOIN expires e ON e.db = h.db AND e.key = h.key
     WHERE typeof(h.key) <> 'blob' AND typeof(h.field) <> 'blob'
       AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT h.db, h.key, 'x''' || hex(h.field) || '''',
           CASE typeof(h.value) WHEN 'blob' THEN 'x''' || hex(h.value) || '''' ELSE h.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', h.updated_at / 1000.0, 'unixepoch')
      FROM hashes h LEFT JOIN expires e ON e.db = h.db AND e.key = h.key
     WHERE typeof(h.key) <> 'blob' AND h.field >= x''
       AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT h.db, 'x''' || hex(h.key) || '''',
           CASE typeof(h.field) WHEN 'blob' THEN 'x''' || hex(h.field) || '''' ELSE h.field END,
           CASE typeof(h.value) WHEN 'blob' THEN 'x''' || hex(h.value) || '''' ELSE h.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', h.updated_at / 1000.0, 'unixepoch')
      FROM hashes h LEFT JOIN expires e ON e.db = h.db AND e.key = h.key
     WHERE h.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

-- idx: positions are contiguous (see 0001), so the index is pos - min(pos).
CREATE VIEW list_elements (db, key, idx, value, expires_at) AS
    SELECT l.db, l.key, l.idx,
           CASE typeof(l.value) WHEN 'blob' THEN 'x''' || hex(l.value) || '''' ELSE l.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM (SELECT db, key, pos - min(pos) OVER (PARTITION BY db, key) AS idx, value FROM lists) l
           LEFT JOIN expires e ON e.db = l.db AND e.key = l.key
     WHERE typeof(l.key) <> 'blob' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT l.db, 'x''' || hex(l.key) || '''', l.idx,
           CASE typeof(l.value) WHEN 'blob' THEN 'x''' || hex(l.value) || '''' ELSE l.value END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM (SELECT db, key, pos - min(pos) OVER (PARTITION BY db, key) AS idx, value FROM lists) l
           LEFT JOIN expires e ON e.db = l.db AND e.key = l.key
     WHERE l.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

CREATE VIEW set_members (db, key, member, expires_at) AS
    SELECT s.db, s.key, s.member,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM sets s LEFT JOIN expires e ON e.db = s.db AND e.key = s.key
     WHERE typeof(s.key) <> 'blob' AND typeof(s.member) <> 'blob'
       AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT s.db, s.key, 'x''' || hex(s.member) || '''',
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM sets s LEFT JOIN expires e ON e.db = s.db AND e.key = s.key
     WHERE typeof(s.key) <> 'blob' AND s.member >= x''
       AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT s.db, 'x''' || hex(s.key) || '''',
           CASE typeof(s.member) WHEN 'blob' THEN 'x''' || hex(s.member) || '''' ELSE s.member END,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM sets s LEFT JOIN expires e ON e.db = s.db AND e.key = s.key
     WHERE s.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

-- rank: 0 = lowest score, ties by member, as ZRANK (read in zsets_by_score
-- order, no sort). The rank needs every member of the key, so a member
-- lookup reads the whole sorted set.
CREATE VIEW zset_members (db, key, member, score, rank, expires_at) AS
    SELECT z.db, z.key,
           CASE typeof(z.member) WHEN 'blob' THEN 'x''' || hex(z.member) || '''' ELSE z.member END,
           z.score, z.rank,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM (SELECT db, key, member, score,
                   row_number() OVER (PARTITION BY db, key ORDER BY score, member) - 1 AS rank
              FROM zsets) z
           LEFT JOIN expires e ON e.db = z.db AND e.key = z.key
     WHERE typeof(z.key) <> 'blob' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT z.db, 'x''' || hex(z.key) || '''',
           CASE typeof(z.member) WHEN 'blob' THEN 'x''' || hex(z.member) || '''' ELSE z.member END,
           z.score, z.rank,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM (SELECT db, key, member, score,
                   row_number() OVER (PARTITION BY db, key ORDER BY score, member) - 1 AS rank
              FROM zsets) z
           LEFT JOIN expires e ON e.db = z.db AND e.key = z.key
     WHERE z.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

-- Every live key with its type, from the `keys` view of 0001.
CREATE VIEW all_keys (db, key, type, expires_at) AS
    SELECT k.db, k.key, k.type,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM keys k LEFT JOIN expires e ON e.db = k.db AND e.key = k.key
     WHERE typeof(k.key) <> 'blob' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0)
    UNION ALL
    SELECT k.db, 'x''' || hex(k.key) || '''', k.type,
           strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch')
      FROM keys k LEFT JOIN expires e ON e.db = k.db AND e.key = k.key
     WHERE k.key >= x'' AND (e.at IS NULL OR e.at > (julianday('now') - 2440587.5) * 86400000.0);

-- The `history` table (0003) made readable: `at` as ISO-8601 (`at_ms` is the
-- stored Unix ms, indexed: WHERE at_ms >= … is a range scan), expiry
-- deadlines (kind 'expiry') as ISO-8601, values as in the other views.
-- Nothing is hidden: the past of expired and deleted keys is the point.
CREATE VIEW change_history (id, at, at_ms, db, key, type, kind, operation, field, old_value, new_value) AS
    SELECT h.id, strftime('%Y-%m-%dT%H:%M:%fZ', h.at / 1000.0, 'unixepoch'), h.at, h.db, h.key,
           h.type, h.kind, h.operation,
           CASE typeof(h.field) WHEN 'blob' THEN 'x''' || hex(h.field) || '''' ELSE h.field END,
           CASE WHEN h.kind = 'expiry' THEN strftime('%Y-%m-%dT%H:%M:%fZ', h.old_value / 1000.0, 'unixepoch')
                WHEN typeof(h.old_value) = 'blob' THEN 'x''' || hex(h.old_value) || '''' ELSE h.old_value END,
           CASE WHEN h.kind = 'expiry' THEN strftime('%Y-%m-%dT%H:%M:%fZ', h.new_value / 1000.0, 'unixepoch')
                WHEN typeof(h.new_value) = 'blob' THEN 'x''' || hex(h.new_value) || '''' ELSE h.new_value END
      FROM history h
     WHERE typeof(h.key) <> 'blob'
    UNION ALL
    SELECT h.id, strftime('%Y-%m-%dT%H:%M:%fZ', h.at / 1000.0, 'unixepoch'), h.at, h.db,
           'x''' || hex(h.key) || '''', h.type, h.kind, h.operation,
           CASE typeof(h.field) WHEN 'blob' THEN 'x''' || hex(h.field) || '''' ELSE h.field END,
           CASE WHEN h.kind = 'expiry' THEN strftime('%Y-%m-%dT%H:%M:%fZ', h.old_value / 1000.0, 'unixepoch')
                WHEN typeof(h.old_value) = 'blob' THEN 'x''' || hex(h.old_value) || '''' ELSE h.old_value END,
           CASE WHEN h.kind = 'expiry' THEN strftime('%Y-%m-%dT%H:%M:%fZ', h.new_value / 1000.0, 'unixepoch')
                WHEN typeof(h.new_value) = 'blob' THEN 'x''' || hex(h.new_value) || '''' ELSE h.new_value END
      FROM history h
     WHERE h.key >= x'';
