-- 0004_quarantine: files an ingest run should not read again while they are unchanged. Never
-- edit this file once released.
--
-- A file (item '') or a range of lines of a JSON lines file (item 'lines A-B') lands here when a
-- run stopped while reading it (killed, out of memory, crashed: the next run finds its mark) or
-- when reading it ran out of a time or memory budget. Later runs skip it while its mtime and
-- size are these, and say so; `hamkor ingest --retry-failed` reads it again. Its failure row in
-- `failures` says why.
CREATE TABLE quarantine (
    path      TEXT NOT NULL,
    item      TEXT NOT NULL DEFAULT '',
    mtime_ns  INTEGER NOT NULL,
    size      INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (path, item)
) WITHOUT ROWID;
