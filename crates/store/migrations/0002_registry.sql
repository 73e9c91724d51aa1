-- 0002_registry: the reference registry, and canonical events (one happening, many reports).
-- Never edit this file once released: add a new one.
--
-- The registry's rows are seeded at open from the data compiled into hamkor (registry/ in the
-- source tree), whenever its version differs from registry_meta's 'builtin_version'. Built-in
-- rows are replaced wholesale then; the user's own rows and the user's corrections of built-in
-- rows live apart and are never touched by a new built-in version.

CREATE TABLE registry_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- One agreement (a line of frameworks.jsonl, with its names and lifecycle steps) or one dated
-- event (a line of events.jsonl), as JSON. origin: 'builtin' (replaced by a newer hamkor) or
-- 'user' (imported with `hamkor registry import`).
CREATE TABLE registry_records (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('agreement', 'event')),
    origin      TEXT NOT NULL CHECK (origin IN ('builtin', 'user')),
    data        TEXT NOT NULL,
    version     TEXT NOT NULL,                 -- built-in registry version, or 'user'
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

-- A user's corrections of a built-in record: only the fields the user changed, as a JSON object.
-- The effective record is the built-in one with these fields on top.
CREATE TABLE registry_overrides (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    source      TEXT,                          -- the file the correction came from
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

-- One happening, reported by one or more coded events (its reports, in event_links). The fields
-- summarise the reports: the type they share, the union of their actors and domains, their most
-- precise date, the agreement and format edition they are linked to. date_lo/date_hi cover
-- every report's date, for finding candidates.
CREATE TABLE canonical_events (
    id          INTEGER PRIMARY KEY,
    type        TEXT NOT NULL,
    actors      TEXT NOT NULL,                 -- JSON array, sorted
    domains     TEXT NOT NULL,                 -- JSON array, sorted
    date        TEXT,
    date_lo     TEXT,
    date_hi     TEXT,
    agreement   TEXT,                          -- registry id
    format      TEXT,                          -- lexicon format id
    edition     INTEGER,
    reports     INTEGER NOT NULL DEFAULT 0,
    wide        INTEGER NOT NULL DEFAULT 0,        -- 1: date_lo..date_hi spans more than 34 days
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- Candidates for a new report are looked up by type and date: narrow events (a day, a month)
-- by a short range of date_lo, the few wide ones (a year) apart.
CREATE INDEX canonical_events_type_date ON canonical_events (type, wide, date_lo);
CREATE INDEX canonical_events_agreement ON canonical_events (agreement);

-- Every coded event's place: its canonical event, why it joined it (rule and the fields that
-- agreed, JSON), and what it was linked to and why. fingerprint is the event's type, actors and
-- date when it was linked: an event edited since (by a reviewer) is linked again. pinned = 1: a
-- reviewer put it there, and automatic linking never moves it.
CREATE TABLE event_links (
    event_id        INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    canonical_id    INTEGER NOT NULL REFERENCES canonical_events (id),
    fingerprint     TEXT NOT NULL,
    agreement       TEXT,
    agreement_why   TEXT,                      -- JSON (hamkor_registry::AgreementLink)
    format          TEXT,
    edition         INTEGER,
    format_why      TEXT,                      -- JSON (hamkor_registry::FormatLink)
    merge_rule      TEXT NOT NULL,
    merge_why       TEXT NOT NULL,             -- JSON (hamkor_registry::merge::MergeReason)
    pinned          INTEGER NOT NULL DEFAULT 0,
    linked_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX event_links_canonical ON event_links (canonical_id);
CREATE INDEX event_links_agreement ON event_links (agreement);

-- A reviewer's merge and split decisions, keyed by the report itself (document, evidence span,
-- type) rather than by event id, so that they survive a re-code that gives the event a new id.
-- action 'split': the report stands alone; 'merge': it joins the canonical event of the target
-- report.
CREATE TABLE canonical_decisions (
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    evidence_start  INTEGER NOT NULL,
    evidence_end    INTEGER NOT NULL,
    type            TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('split', 'merge')),
    target_document INTEGER,
    target_start    INTEGER,
    target_end      INTEGER,
    target_type     TEXT,
    reason          TEXT,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (document_id, evidence_start, evidence_end, type)
) WITHOUT ROWID;
