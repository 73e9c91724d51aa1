-- 0006_imported: events from other datasets (GDELT, ACLED), kept apart from coded events. Never
-- edit this file once released.
--
-- They have no document and no evidence span: each row is a row of the dataset that concerns
-- Central Asia, with the dataset's own id (unique per source, so a second import adds nothing),
-- our type where the dataset's code has one ('other' where not), its own code, the actors'
-- country codes, and the URL or sources, Goldstein score and fatalities it gives.
CREATE TABLE imported_events (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL CHECK (source IN ('gdelt', 'acled')),
    external_id  TEXT NOT NULL,                 -- GDELT GlobalEventID, ACLED event_id_cnty
    date         TEXT NOT NULL,                 -- YYYY-MM-DD
    type         TEXT NOT NULL,                 -- a hamkor event type, or 'other'
    code         TEXT NOT NULL,                 -- CAMEO event code; ACLED event type
    subcode      TEXT NOT NULL DEFAULT '',      -- CAMEO root code; ACLED sub-event type
    actors       TEXT NOT NULL,                 -- JSON array of country codes, sorted
    actor1       TEXT NOT NULL DEFAULT '',
    actor2       TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    goldstein    REAL,
    fatalities   INTEGER,
    source_url   TEXT NOT NULL DEFAULT '',      -- GDELT SOURCEURL; ACLED source
    notes        TEXT NOT NULL DEFAULT '',
    file         TEXT NOT NULL,                 -- the file it was imported from
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (source, external_id)
);
CREATE INDEX imported_events_source_date ON imported_events (source, date);

CREATE TABLE imported_event_actors (
    event_id  INTEGER NOT NULL REFERENCES imported_events (id) ON DELETE CASCADE,
    actor     TEXT NOT NULL,
    PRIMARY KEY (event_id, actor)
) WITHOUT ROWID;
CREATE INDEX imported_event_actors_actor ON imported_event_actors (actor, event_id);
