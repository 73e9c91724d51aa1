-- 0009_canonical_candidates: the index by which linking finds the canonical events a report
-- could join also holds their last day, actors and agreement. Never edit this file once released.
--
-- Linking asks it once per report placed, for the canonical events of a type whose first day
-- falls in a window of some weeks; with these columns in the index it is answered from the index
-- alone, without reading each canonical event of the window (hundreds at archive size).
DROP INDEX canonical_events_type_date;
CREATE INDEX canonical_events_type_date ON canonical_events (type, wide, date_lo, date_hi, actors, agreement);
