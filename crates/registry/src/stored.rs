//! The registry as a store keeps it: rows in, records out; and what to write for a new built-in
//! version or a user's import. A store writes the rows ([`RegistryChange`]) as it is told; the
//! rules (what a correction is, what is valid) are here.

use crate::{apply_override, builtin_records, diff_override, infer_kind, validate, Error, Origin, Record, RecordKind, Result};
use hamkor_model::link::{RecordRow, RegistryChange};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

fn bad(id: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Record { id: id.to_string(), message: format!("unreadable {what} in the store: {e}") }
}

/// Every stored record with the user's corrections applied.
pub fn records_from_rows(rows: &[RecordRow]) -> Result<Vec<Record>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = RecordKind::parse(&r.kind).ok_or_else(|| bad(&r.id, "record kind", &r.kind))?;
        let origin = if r.origin == "user" { Origin::User } else { Origin::Builtin };
        let base: Value = serde_json::from_str(&r.data).map_err(|e| bad(&r.id, "record", e))?;
        let (data, overridden) = match &r.correction {
            Some(p) => {
                let p: Value = serde_json::from_str(p).map_err(|e| bad(&r.id, "correction", e))?;
                (apply_override(&base, p.as_object().unwrap_or(&Map::new())), true)
            }
            None => (base, false),
        };
        out.push(Record { id: r.id.clone(), kind, origin, overridden, data });
    }
    Ok(out)
}

/// The built-in records as rows to seed (`id`, `kind`, JSON), and the corrections that keep a
/// user's own record whose id the built-in registry now uses (the fields that differ; `None`:
/// none differ).
pub type Seed = (Vec<(String, String, String)>, Vec<(String, Option<String>)>);

/// What to write to bring a store's registry to this hamkor's built-in version.
pub fn seed_plan(rows: &[RecordRow]) -> Result<Seed> {
    let records = builtin_records()?;
    let user: BTreeMap<&str, &RecordRow> =
        rows.iter().filter(|r| r.origin == "user").map(|r| (r.id.as_str(), r)).collect();
    let mut corrections = Vec::new();
    for r in &records {
        if let Some(u) = user.get(r.id.as_str()) {
            let u: Value = serde_json::from_str(&u.data).map_err(|e| bad(&r.id, "user record", e))?;
            let patch = diff_override(&r.data, &u);
            corrections.push((r.id.clone(), (!patch.is_empty()).then(|| Value::Object(patch).to_string())));
        }
    }
    let rows = records.into_iter().map(|r| (r.id, r.kind.code().to_string(), r.data.to_string())).collect();
    Ok((rows, corrections))
}

/// What an import did, line by line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    /// Built-in records the user corrected (only the fields that differ are kept).
    pub corrected: Vec<String>,
    /// Lines identical to what the store holds.
    pub unchanged: Vec<String>,
    /// (id, reason) of lines refused.
    pub rejected: Vec<(String, String)>,
}

impl ImportSummary {
    /// True when the registry's data changed (the links must be made again).
    pub fn changed(&self) -> bool {
        !(self.added.is_empty() && self.replaced.is_empty() && self.corrected.is_empty())
    }
}

/// An import (`hamkor registry import`): each line's `(id, object)` against the stored rows. A
/// new id becomes the user's record; the id of a user's record replaces it; the id of a
/// built-in record keeps, as the user's correction, the fields that differ from the built-in
/// one (a field given equal to the built-in value drops an earlier correction of it). Every
/// record is validated as it will be read. Later lines see what earlier ones did.
pub fn plan_import(rows: &[RecordRow], lines: &[(String, Value)]) -> Result<(ImportSummary, Vec<RegistryChange>)> {
    let mut by_id: BTreeMap<String, RecordRow> = rows.iter().map(|r| (r.id.clone(), r.clone())).collect();
    let mut out = ImportSummary::default();
    let mut changes = Vec::new();
    for (id, data) in lines {
        match by_id.get(id).cloned() {
            Some(row) if row.origin == "builtin" => {
                let kind = RecordKind::parse(&row.kind).ok_or_else(|| bad(id, "record kind", &row.kind))?;
                if infer_kind(data).is_some_and(|k| k != kind) {
                    out.rejected.push((id.clone(), format!("{id} is a built-in {} record", kind.code())));
                    continue;
                }
                let base: Value = serde_json::from_str(&row.data).map_err(|e| bad(id, "record", e))?;
                let mut patch: Map<String, Value> = match &row.correction {
                    Some(s) => serde_json::from_str(s).map_err(|e| bad(id, "correction", e))?,
                    None => Map::new(),
                };
                let before = patch.clone();
                let changed = diff_override(&base, data);
                for k in data.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                    if k != "id" && k != "names" && !changed.contains_key(&k) {
                        patch.remove(&k);
                    }
                }
                for (k, v) in changed {
                    if k == "names" {
                        let mut names = patch.get("names").and_then(Value::as_object).cloned().unwrap_or_default();
                        for (lang, list) in v.as_object().cloned().unwrap_or_default() {
                            names.insert(lang, list);
                        }
                        patch.insert(k, Value::Object(names));
                    } else {
                        patch.insert(k, v);
                    }
                }
                if let Err(e) = validate(kind, &apply_override(&base, &patch)) {
                    out.rejected.push((id.clone(), e.to_string()));
                    continue;
                }
                if patch == before {
                    out.unchanged.push(id.clone());
                    continue;
                }
                let stored = (!patch.is_empty()).then(|| Value::Object(patch).to_string());
                by_id.get_mut(id).expect("found above").correction = stored.clone();
                changes.push(RegistryChange::Correct { id: id.clone(), patch: stored });
                out.corrected.push(id.clone());
            }
            Some(row) => {
                let kind = RecordKind::parse(&row.kind).ok_or_else(|| bad(id, "record kind", &row.kind))?;
                let kind = infer_kind(data).unwrap_or(kind);
                if let Err(e) = validate(kind, data) {
                    out.rejected.push((id.clone(), e.to_string()));
                    continue;
                }
                if serde_json::from_str::<Value>(&row.data).ok().as_ref() == Some(data) {
                    out.unchanged.push(id.clone());
                    continue;
                }
                let r = by_id.get_mut(id).expect("found above");
                r.kind = kind.code().into();
                r.data = data.to_string();
                changes.push(RegistryChange::Replace { id: id.clone(), kind: kind.code().into(), data: data.to_string() });
                out.replaced.push(id.clone());
            }
            None => {
                let Some(kind) = infer_kind(data) else {
                    out.rejected.push((
                        id.clone(),
                        "a new record needs \"parties\" (an agreement) or \"actors\" and \"type\" (an event)".into(),
                    ));
                    continue;
                };
                if let Err(e) = validate(kind, data) {
                    out.rejected.push((id.clone(), e.to_string()));
                    continue;
                }
                by_id.insert(
                    id.clone(),
                    RecordRow {
                        id: id.clone(),
                        kind: kind.code().into(),
                        origin: "user".into(),
                        data: data.to_string(),
                        correction: None,
                    },
                );
                changes.push(RegistryChange::Add { id: id.clone(), kind: kind.code().into(), data: data.to_string() });
                out.added.push(id.clone());
            }
        }
    }
    Ok((out, changes))
}
