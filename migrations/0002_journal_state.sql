-- 0002_journal_state: how far the type tables are.
--
-- Writes are made durable first in the journal (a separate file,
-- `<name>-journal.db` next to this one), one row per group commit, and
-- copied into the type tables in larger transactions about once a second.
-- `materialized_seq` is the last journal row reflected here (written in the
-- same transaction as the rows it covers); `materialized_at` is when (Unix
-- ms), so SQL readers can tell how fresh the tables are.
CREATE TABLE valkite_state (
    name  TEXT PRIMARY KEY,
    value NOT NULL
) WITHOUT ROWID;

INSERT INTO valkite_state (name, value) VALUES ('materialized_seq', 0), ('materialized_at', 0);
