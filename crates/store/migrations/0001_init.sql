-- 0001_init: the first released schema. Never edit this file once released: add 0002_*.sql instead.
--
-- Dates are TEXT at the precision the source gives (YYYY, YYYY-MM or YYYY-MM-DD), each with the
-- first and last day it covers (*_lo, *_hi, YYYY-MM-DD) so that range filters compare strings.
-- Timestamps are UTC, ISO 8601, written by SQLite itself.

-- One row per distinct extracted text: the same press release saved twice is one document.
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,            -- SHA-256 of the extracted text, hex
    title         TEXT,
    published     TEXT,
    published_lo  TEXT,
    published_hi  TEXT,
    lang          TEXT NOT NULL,                   -- ISO 639-1, or 'und'
    script        TEXT NOT NULL,                   -- ISO 15924: Latn, Cyrl
    format        TEXT NOT NULL,                   -- txt md html pdf docx feed jsonl
    text          TEXT NOT NULL,
    search_key    TEXT NOT NULL,                   -- hamkor_text::search_key(text), indexed by FTS
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    coded_with    TEXT,                            -- lexicon version of the stored events
    coded_at      TEXT
);
CREATE INDEX documents_coded_with ON documents (coded_with);
CREATE INDEX documents_lang ON documents (lang);

-- Where a document was found: a file path, a path:line of a JSON lines file, a feed item's link.
CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    location     TEXT NOT NULL,
    external_id  TEXT,                             -- the JSON line's "id", the feed item's id
    first_seen   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (document_id, location)
);
CREATE INDEX sources_location ON sources (location);

-- Files whose every document is stored: a re-run skips them by path, mtime and size without
-- reading them. Written in the same transaction as the file's last document.
CREATE TABLE ingested_files (
    path         TEXT PRIMARY KEY,
    mtime_ns     INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    documents    INTEGER NOT NULL,
    finished_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,              -- position in the coder's output
    type            TEXT NOT NULL,
    actors          TEXT NOT NULL,                 -- JSON array of actor codes, sorted
    domains         TEXT NOT NULL,                 -- JSON array of domain codes, sorted
    date            TEXT,
    date_lo         TEXT,
    date_hi         TEXT,
    evidence_start  INTEGER NOT NULL,              -- byte offsets into documents.text
    evidence_end    INTEGER NOT NULL,
    confidence      REAL NOT NULL,
    cues            TEXT NOT NULL DEFAULT '[]',    -- JSON array of {role, span}
    lexicon         TEXT NOT NULL,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_date ON events (date_lo);

-- The actors and domains of each event again, one per row, for filters and dyad counts.
CREATE TABLE event_actors (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor     TEXT NOT NULL,
    PRIMARY KEY (event_id, actor)
) WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors (actor, event_id);

CREATE TABLE event_domains (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    domain    TEXT NOT NULL,
    PRIMARY KEY (event_id, domain)
) WITHOUT ROWID;
CREATE INDEX event_domains_domain ON event_domains (domain, event_id);

-- Inputs that could not be ingested, as of the latest run that saw them. `item` is '' for a whole
-- file, or the line / feed item inside it. A file that later succeeds loses its rows.
CREATE TABLE failures (
    path    TEXT NOT NULL,
    item    TEXT NOT NULL DEFAULT '',
    reason  TEXT NOT NULL,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (path, item)
) WITHOUT ROWID;

-- Full text over title, text and the script-folded key. External content: the text is stored
-- once, in documents; the triggers keep the index in step inside the writer's transaction.
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, text, search_key,
    content = 'documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text, search_key)
    VALUES (new.id, new.title, new.text, new.search_key);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text, search_key)
    VALUES ('delete', old.id, old.title, old.text, old.search_key);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text, search_key ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text, search_key)
    VALUES ('delete', old.id, old.title, old.text, old.search_key);
    INSERT INTO documents_fts (rowid, title, text, search_key)
    VALUES (new.id, new.title, new.text, new.search_key);
END;
