//! Events from other datasets (GDELT, ACLED), kept apart from the events hamkor codes: they
//! have no document and no evidence span, only the row they came from.

use crate::{ActorCode, EventType, PartialDate};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The dataset an imported event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImportSource {
    /// GDELT 2.0 event exports (CAMEO-coded news events).
    Gdelt,
    /// ACLED's CSV export (political violence and protest).
    Acled,
}

impl ImportSource {
    pub const ALL: [ImportSource; 2] = [ImportSource::Gdelt, ImportSource::Acled];
    pub fn code(self) -> &'static str {
        match self {
            ImportSource::Gdelt => "gdelt",
            ImportSource::Acled => "acled",
        }
    }
}

impl fmt::Display for ImportSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ImportSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "gdelt" => Ok(ImportSource::Gdelt),
            "acled" => Ok(ImportSource::Acled),
            other => Err(format!("unknown source {other:?} (expected gdelt or acled)")),
        }
    }
}

impl Serialize for ImportSource {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// One row of a GDELT or ACLED file that concerns Central Asia.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedEvent {
    /// The store's row id (0 before it is stored).
    pub id: i64,
    pub source: ImportSource,
    /// The dataset's own id: GDELT's GlobalEventID, ACLED's event_id_cnty. Unique per source.
    pub external_id: String,
    pub date: PartialDate,
    /// Our type where the dataset's code has one (see the crosswalks in `hamkor-interop`),
    /// `None` for everything else ("other").
    #[serde(rename = "type", serialize_with = "type_or_other")]
    pub event_type: Option<EventType>,
    /// The dataset's code: the CAMEO event code (GDELT), the event type (ACLED).
    pub code: String,
    /// A finer or coarser code beside it: the CAMEO root code, ACLED's sub-event type.
    pub subcode: String,
    /// Country codes of the actors, sorted and unique (CAMEO/ISO alpha-3).
    pub actors: Vec<ActorCode>,
    /// The actors as the dataset names them.
    pub actor1: String,
    pub actor2: String,
    /// Where it happened, as the dataset names the place.
    pub location: String,
    /// GDELT's Goldstein scale (-10 conflict … +10 cooperation).
    pub goldstein: Option<f64>,
    /// ACLED's reported fatalities.
    pub fatalities: Option<i64>,
    /// GDELT: the article's URL; ACLED: the sources it names.
    pub source_url: String,
    /// ACLED's notes: a sentence on what happened.
    pub notes: String,
}

fn type_or_other<S: serde::Serializer>(t: &Option<EventType>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.map_or("other", |t| t.code()))
}

impl ImportedEvent {
    /// Our type's code, or `"other"`.
    pub fn type_code(&self) -> &'static str {
        self.event_type.map_or("other", |t| t.code())
    }
}
