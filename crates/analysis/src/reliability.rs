//! Inter-coder agreement: Krippendorff's alpha per field over independent codings.
//!
//! A **unit** is one machine report's evidence span in its document; each reviewer codes it
//! without seeing the others (`/review/code`). For each field we compare the reviewers' values
//! with the **nominal** metric (two values agree or they do not):
//!
//! | field   | value compared                                        |
//! |---------|-------------------------------------------------------|
//! | type    | the event type, or `none` (no event in this sentence) |
//! | actors  | the set of actor codes, as a whole (sorted, joined)   |
//! | domains | the set of domains, as a whole                        |
//! | date    | the date at the precision given, or `undated`         |
//!
//! A reviewer who coded `none` has no value for actors, domains and date (missing data, which
//! alpha handles). Sets are compared whole because a partial match is a disagreement a team must
//! resolve anyway; MASI-style partial credit would hide it.
//!
//! Alpha is computed from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
//! alpha-reliability"): `alpha = 1 - (n - 1) * Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`, over units with at
//! least two values. It is undefined (reported as `null`) when fewer than two values are
//! pairable or when every value is the same. `scripts/krippendorff_reference.py` computes the
//! same figures independently; `tests/agreement.rs` compares the two.

use hamkor_model::Coding;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const FIELDS: [&str; 4] = ["type", "actors", "domains", "date"];

/// The result of alpha over one field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alpha {
    /// `null` when undefined (fewer than two pairable values, or no variation at all).
    pub alpha: Option<f64>,
    /// Units with at least two values.
    pub units: usize,
    /// Pairable values (n in Krippendorff's notation).
    pub values: usize,
    /// Observed and expected disagreement (`alpha = 1 - observed / expected`).
    pub observed: f64,
    pub expected: f64,
}

/// Nominal alpha over units, each a list of the values the coders gave (missing values left out).
pub fn alpha_nominal<V: Ord + Clone>(units: &[Vec<V>]) -> Alpha {
    // o[c][k]: the coincidence matrix; pairs within a unit weigh 1 / (m_u - 1).
    let mut o: BTreeMap<(V, V), f64> = BTreeMap::new();
    let mut pairable_units = 0;
    for unit in units {
        let m = unit.len();
        if m < 2 {
            continue;
        }
        pairable_units += 1;
        let w = 1.0 / (m as f64 - 1.0);
        for (i, a) in unit.iter().enumerate() {
            for (j, b) in unit.iter().enumerate() {
                if i != j {
                    *o.entry((a.clone(), b.clone())).or_default() += w;
                }
            }
        }
    }
    let mut n_c: BTreeMap<V, f64> = BTreeMap::new();
    for ((c, _), v) in &o {
        *n_c.entry(c.clone()).or_default() += v;
    }
    let n: f64 = n_c.values().sum();
    let values = n.round() as usize;
    let disagree: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
    let total_sq: f64 = n_c.values().map(|v| v * v).sum();
    // Σ_{c≠k} n_c n_k = n² - Σ n_c².
    let expected_pairs = n * n - total_sq;
    let (observed, expected) = if n > 0.0 { (disagree / n, expected_pairs / (n * (n - 1.0))) } else { (0.0, 0.0) };
    let alpha = (n > 1.0 && expected_pairs > 0.0).then(|| 1.0 - (n - 1.0) * disagree / expected_pairs);
    Alpha { alpha, units: pairable_units, values, observed, expected }
}

/// The value of `field` in a coding, `None` when it has none.
pub fn field_value(c: &Coding, field: &str) -> Option<String> {
    let none = c.event_type == "none";
    match field {
        "type" => Some(c.event_type.clone()),
        _ if none => None,
        "actors" => {
            let s: BTreeSet<&str> = c.actors.iter().map(String::as_str).collect();
            Some(s.into_iter().collect::<Vec<_>>().join(","))
        }
        "domains" => {
            let s: BTreeSet<&str> = c.domains.iter().map(String::as_str).collect();
            Some(s.into_iter().collect::<Vec<_>>().join(","))
        }
        "date" => Some(c.date.clone().unwrap_or_else(|| "undated".into())),
        _ => None,
    }
}

/// Where reviewers differ on a field of a unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    pub document_id: i64,
    pub evidence_start: usize,
    pub evidence_end: usize,
    pub field: String,
    /// (reviewer, value) for every reviewer who coded the unit.
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldAlpha {
    pub field: String,
    #[serde(flatten)]
    pub alpha: Alpha,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgreementReport {
    pub reviewers: Vec<String>,
    /// Units coded by anyone.
    pub units: usize,
    /// Units coded by at least two reviewers.
    pub units_shared: usize,
    pub fields: Vec<FieldAlpha>,
    pub disagreements: Vec<Disagreement>,
}

type UnitKey = (i64, usize, usize);

/// Alpha per field and the disagreements, from every reviewer's codings.
pub fn report(codings: &[Coding]) -> AgreementReport {
    let mut by_unit: BTreeMap<UnitKey, Vec<&Coding>> = BTreeMap::new();
    let mut reviewers = BTreeSet::new();
    for c in codings {
        by_unit.entry((c.document_id, c.evidence_start, c.evidence_end)).or_default().push(c);
        reviewers.insert(c.reviewer.clone());
    }
    let mut fields = Vec::new();
    let mut disagreements = Vec::new();
    for field in FIELDS {
        let mut units = Vec::new();
        for (key, cs) in &by_unit {
            let vals: Vec<(String, String)> =
                cs.iter().filter_map(|c| field_value(c, field).map(|v| (c.reviewer.clone(), v))).collect();
            let distinct: BTreeSet<&String> = vals.iter().map(|(_, v)| v).collect();
            if vals.len() >= 2 && distinct.len() > 1 {
                disagreements.push(Disagreement {
                    document_id: key.0,
                    evidence_start: key.1,
                    evidence_end: key.2,
                    field: field.to_string(),
                    values: vals.clone(),
                });
            }
            units.push(vals.into_iter().map(|(_, v)| v).collect::<Vec<_>>());
        }
        fields.push(FieldAlpha { field: field.to_string(), alpha: alpha_nominal(&units) });
    }
    disagreements.sort_by(|a, b| {
        (a.document_id, a.evidence_start, a.evidence_end).cmp(&(b.document_id, b.evidence_start, b.evidence_end))
    });
    let units_shared = by_unit.values().filter(|cs| cs.len() >= 2).count();
    AgreementReport {
        reviewers: reviewers.into_iter().collect(),
        units: by_unit.len(),
        units_shared,
        fields,
        disagreements,
    }
}

/// Each reviewer's coding per unit, for pages that show a unit's codings side by side.
pub fn by_unit(codings: &[Coding]) -> HashMap<UnitKey, Vec<Coding>> {
    let mut out: HashMap<UnitKey, Vec<Coding>> = HashMap::new();
    for c in codings {
        out.entry((c.document_id, c.evidence_start, c.evidence_end)).or_default().push(c.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), section C: four observers, twelve units, nominal data with missing
    /// values; the paper gives alpha = 0.743.
    #[test]
    fn krippendorffs_own_example() {
        let m: [[Option<u8>; 12]; 4] = [
            [Some(1), Some(2), Some(3), Some(3), Some(2), Some(1), Some(4), Some(1), Some(2), None, None, None],
            [Some(1), Some(2), Some(3), Some(3), Some(2), Some(2), Some(4), Some(1), Some(2), Some(5), None, Some(3)],
            [None, Some(3), Some(3), Some(3), Some(2), Some(3), Some(4), Some(2), Some(2), Some(5), Some(1), None],
            [Some(1), Some(2), Some(3), Some(3), Some(2), Some(4), Some(4), Some(1), Some(2), Some(5), Some(1), None],
        ];
        let units: Vec<Vec<u8>> = (0..12).map(|u| (0..4).filter_map(|c| m[c][u]).collect()).collect();
        let a = alpha_nominal(&units);
        assert_eq!(a.values, 40);
        assert_eq!(a.units, 11);
        assert!((a.alpha.unwrap() - 0.743).abs() < 0.0005, "{a:?}");
    }

    #[test]
    fn perfect_and_undefined_agreement() {
        let a = alpha_nominal(&[vec!["a", "a"], vec!["b", "b"]]);
        assert_eq!(a.alpha, Some(1.0));
        assert_eq!(alpha_nominal(&[vec!["a", "a"], vec!["a", "a"]]).alpha, None);
        assert_eq!(alpha_nominal::<&str>(&[vec!["a"], vec![]]).alpha, None);
    }
}
