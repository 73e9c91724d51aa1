-- 0007_coding_events: a unit's coding holds every event a reviewer coded on it. Never edit this
-- file once released.
--
-- A sentence often reports two events at once (a treaty signed: an agreement and a partnership).
-- A reviewer has one coding per unit (document, evidence span); its type, actors, domains and
-- date are the first event, which Krippendorff's alpha compares, and `more` holds the others as a
-- JSON array of {"type", "actors", "domains", "date"}, so that `hamkor eval --reviewer` scores
-- them all. NULL when there are none (every coding made on the review pages).
ALTER TABLE codings ADD COLUMN more TEXT;
