//! Events imported from other datasets (GDELT, ACLED), in their own tables
//! (`migrations/0006_imported.sql`): never mixed with coded events, never linked or merged.

use crate::{date_bounds, Error, Result, SqliteStore};
use hamkor_model::{ActorCode, EventType, ImportSource, ImportedEvent, PartialDate};
use rusqlite::params;
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// What one import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportedCounts {
    pub added: u64,
    /// Rows whose (source, id) was already stored: left as they are.
    pub known: u64,
}

/// Which imported events to read. All given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct ImportedQuery {
    pub source: Option<ImportSource>,
    /// Events involving every one of these actors.
    pub actors: Vec<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// A hamkor type code or `other`.
    pub event_type: Option<String>,
    pub ids: Option<Vec<i64>>,
    pub limit: Option<usize>,
}

impl SqliteStore {
    /// Store imported events in one transaction; rows already stored (same source and id) are
    /// left alone.
    pub fn add_imported(&mut self, events: &[ImportedEvent], file: &str) -> Result<ImportedCounts> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut counts = ImportedCounts::default();
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO imported_events (source, external_id, date, type, code, subcode, actors, actor1, actor2,
                     location, goldstein, fatalities, source_url, notes, file)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (source, external_id) DO NOTHING",
            )?;
            let mut act = tx.prepare_cached("INSERT OR IGNORE INTO imported_event_actors (event_id, actor) VALUES (?1, ?2)")?;
            for e in events {
                let actors: Vec<&str> = e.actors.iter().map(|a| a.as_str()).collect();
                let n = ins.execute(params![
                    e.source.code(),
                    e.external_id,
                    e.date.to_string(),
                    e.type_code(),
                    e.code,
                    e.subcode,
                    serde_json::to_string(&actors).expect("strings serialise"),
                    e.actor1,
                    e.actor2,
                    e.location,
                    e.goldstein,
                    e.fatalities,
                    e.source_url,
                    e.notes,
                    file
                ])?;
                if n == 0 {
                    counts.known += 1;
                    continue;
                }
                counts.added += 1;
                let id = tx.last_insert_rowid();
                for a in &actors {
                    act.execute(params![id, a])?;
                }
            }
        }
        tx.commit()?;
        Ok(counts)
    }

    /// Imported events per source.
    pub fn imported_counts(&self) -> Result<BTreeMap<String, u64>> {
        let mut st = self.conn.prepare_cached("SELECT source, count(*) FROM imported_events GROUP BY source")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Imported events matching `q`, by date then id.
    pub fn imported_events(&self, q: &ImportedQuery) -> Result<Vec<ImportedEvent>> {
        let mut sql = String::from(
            "SELECT e.id, e.source, e.external_id, e.date, e.type, e.code, e.subcode, e.actors, e.actor1, e.actor2,
                    e.location, e.goldstein, e.fatalities, e.source_url, e.notes
             FROM imported_events e WHERE 1 = 1",
        );
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: Value, sql: &mut String| {
            args.push(v);
            sql.push_str(&format!("?{}", args.len()));
        };
        if let Some(s) = q.source {
            sql.push_str(" AND e.source = ");
            arg(Value::Text(s.code().into()), &mut sql);
        }
        for a in &q.actors {
            sql.push_str(" AND EXISTS (SELECT 1 FROM imported_event_actors x WHERE x.event_id = e.id AND x.actor = ");
            arg(Value::Text(a.clone()), &mut sql);
            sql.push(')');
        }
        if let Some(from) = &q.from {
            sql.push_str(" AND e.date >= ");
            arg(Value::Text(date_bounds(from).0), &mut sql);
        }
        if let Some(to) = &q.to {
            sql.push_str(" AND e.date <= ");
            arg(Value::Text(date_bounds(to).1), &mut sql);
        }
        if let Some(t) = &q.event_type {
            sql.push_str(" AND e.type = ");
            arg(Value::Text(t.clone()), &mut sql);
        }
        if let Some(ids) = &q.ids {
            sql.push_str(" AND e.id IN (SELECT value FROM json_each(");
            arg(Value::Text(serde_json::to_string(ids).expect("numbers serialise")), &mut sql);
            sql.push_str("))");
        }
        sql.push_str(" ORDER BY e.date, e.id");
        if let Some(limit) = q.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let corrupt = |what: &str, v: &str| Error::Corrupt(format!("imported event {what} {v:?}"));
            let source: String = r.get(1)?;
            let date: String = r.get(3)?;
            let ty: String = r.get(4)?;
            let actors: String = r.get(7)?;
            let list: Vec<String> = serde_json::from_str(&actors).map_err(|_| corrupt("actors", &actors))?;
            out.push(ImportedEvent {
                id: r.get(0)?,
                source: source.parse().map_err(|_| corrupt("source", &source))?,
                external_id: r.get(2)?,
                date: date.parse().map_err(|_| corrupt("date", &date))?,
                event_type: if ty == "other" { None } else { Some(ty.parse::<EventType>().map_err(|_| corrupt("type", &ty))?) },
                code: r.get(5)?,
                subcode: r.get(6)?,
                actors: list.iter().map(|a| ActorCode::new(a).map_err(|_| corrupt("actor", a))).collect::<Result<_>>()?,
                actor1: r.get(8)?,
                actor2: r.get(9)?,
                location: r.get(10)?,
                goldstein: r.get(11)?,
                fatalities: r.get(12)?,
                source_url: r.get(13)?,
                notes: r.get(14)?,
            });
        }
        Ok(out)
    }
}
