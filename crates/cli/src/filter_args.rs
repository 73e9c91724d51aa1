//! The filter flags, one definition for every command that selects events (`events`, `export`,
//! `stats`, `report`, `registry canonical`): flattened into each command's arguments, so their
//! flags are the same by construction, and parsed by the one parser (`hamkor_model::FilterInput`).

use clap::Args;
use hamkor_model::{Filter, FilterInput};

#[derive(Args, Clone, Debug, Default)]
pub struct FilterFlags {
    /// Events involving this actor (UZB, KAZ, SCO...). Repeat for events involving all of them.
    #[arg(long, value_name = "CODE")]
    pub actor: Vec<String>,
    /// Events involving both actors of a pair: --pair KAZ,UZB.
    #[arg(long, value_name = "A,B")]
    pub pair: Option<String>,
    /// agreement, ratification, partnership, meeting, aid, joint_activity, institution.
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// education, health, culture, disaster, migration, water, borders, transport, economy, political.
    #[arg(long)]
    pub domain: Option<String>,
    /// From this date on (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to the end of this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only events from documents in this language.
    #[arg(long)]
    pub lang: Option<String>,
    /// Only events from documents one of whose sources (path or URL) contains this text.
    #[arg(id = "source_path", long = "source-path", value_name = "TEXT")]
    pub source: Option<String>,
    /// reviewed or unreviewed.
    #[arg(long, value_name = "STATE")]
    pub review: Option<String>,
    /// At most this many events.
    #[arg(long)]
    pub limit: Option<usize>,
}

impl FilterFlags {
    /// The flags as the one parser reads them.
    pub fn input(&self) -> FilterInput {
        FilterInput {
            actors: self.actor.clone(),
            pair: self.pair.clone(),
            event_type: self.event_type.clone(),
            domain: self.domain.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            lang: self.lang.clone(),
            source: self.source.clone(),
            review: self.review.clone(),
            document: None,
            limit: self.limit,
        }
    }

    pub fn to_filter(&self) -> anyhow::Result<Filter> {
        self.input().parse().map_err(|mut e| {
            // The flags' names (--source belongs to `stats panel`: which data set).
            if e.field == "source" {
                e.field = "source-path";
            }
            anyhow::anyhow!("--{e}")
        })
    }
}
