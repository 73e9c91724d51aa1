-- 0005_places: the places each report's evidence names, which the merger compares (reports of
-- one pair on one day in two cities are two happenings), and an index that finds a document's
-- events by their evidence (reviewers' decisions, re-codes, batched reads). Never edit this file
-- once released.
ALTER TABLE event_links ADD COLUMN places TEXT NOT NULL DEFAULT '';  -- 'CODE:key' words, sorted, space-separated
CREATE INDEX events_document ON events (document_id, evidence_start);
