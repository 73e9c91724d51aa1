-- 0003_review: human review of machine-coded events, the audit log, independent codings for
-- inter-coder agreement, and API tokens. Never edit this file once released: add a new one.
--
-- The rule this schema keeps: a machine re-code never overwrites a human decision.
-- - events.reviewed = 1 marks an event a reviewer accepted or edited: re-coding a document
--   deletes and re-creates only its events with reviewed = 0.
-- - reviewed_reports remembers, per document, which machine report (evidence span and the type
--   the machine gave it) a reviewer decided on, so that a re-code does not bring back a report
--   that was rejected, nor add a second copy of one that was accepted or edited.

ALTER TABLE events ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;   -- 1: a human decision
CREATE INDEX events_review_queue ON events (reviewed, confidence, id);

CREATE TABLE reviewed_reports (
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    evidence_start  INTEGER NOT NULL,
    evidence_end    INTEGER NOT NULL,
    machine_type    TEXT NOT NULL,                 -- the type the coder gave the report
    decision        TEXT NOT NULL CHECK (decision IN ('accepted', 'edited', 'rejected')),
    event_id        INTEGER NOT NULL,              -- the event the decision was about (gone if rejected)
    reviewer        TEXT NOT NULL,
    reason          TEXT,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (document_id, evidence_start, evidence_end, machine_type)
) WITHOUT ROWID;

-- Every change a person makes, with who, when, what it was before and after, and why. Rows are
-- only ever added: the triggers refuse updates and deletes.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   TEXT NOT NULL,                         -- the reviewer, from their token
    action  TEXT NOT NULL,                         -- accept edit reject merge split code token…
    object  TEXT NOT NULL,                         -- 'event:12', 'canonical:3', 'document:7', 'token:2'
    before  TEXT,                                  -- JSON
    after   TEXT,                                  -- JSON
    reason  TEXT
);
CREATE INDEX audit_log_object ON audit_log (object, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE (ABORT, 'the audit log is append-only');
END;

-- Independent codings: each reviewer codes the same units (a machine report's evidence span in
-- its document) without seeing the others'; Krippendorff's alpha is computed per field from
-- these rows. A unit is keyed by document and span, not by event id, so that it survives a
-- re-code. type 'none' means the reviewer found no event there (the other fields are then NULL).
CREATE TABLE codings (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    evidence_start  INTEGER NOT NULL,
    evidence_end    INTEGER NOT NULL,
    reviewer        TEXT NOT NULL,
    type            TEXT NOT NULL,
    actors          TEXT,                          -- JSON array, sorted
    domains         TEXT,                          -- JSON array, sorted
    date            TEXT,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (document_id, evidence_start, evidence_end, reviewer)
);

-- API tokens. Only the SHA-256 of a token is kept; the token is shown once, when created.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,                     -- the reviewer's name, written into the audit log
    hash        TEXT NOT NULL UNIQUE,              -- hex SHA-256 of the token
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at  TEXT
);
