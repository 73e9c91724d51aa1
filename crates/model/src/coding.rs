//! Reviewers' independent codings, the input of inter-coder reliability (`hamkor-analysis`).

use serde::{Deserialize, Serialize};

/// One reviewer's independent coding of one unit (a report's evidence span in its document).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Coding {
    pub document_id: i64,
    pub evidence_start: usize,
    pub evidence_end: usize,
    pub reviewer: String,
    /// An event type, or `"none"`: there is no event here (the other fields are then empty).
    #[serde(rename = "type")]
    pub event_type: String,
    pub actors: Vec<String>,
    pub domains: Vec<String>,
    pub date: Option<String>,
    pub at: String,
}
