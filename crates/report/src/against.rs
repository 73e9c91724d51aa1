//! Figure 6: cooperation against conflict. For the pairs with events imported from GDELT or
//! ACLED, per year, the pair's coded cooperation (canonical events) beside the imported events,
//! built by `hamkor_analysis::imported::against` (the dashboard's pair page uses the same); every
//! count links to the list of the events it counts, and each imported event to its row below.

use crate::{slug, Block, ReportInput};
use hamkor_analysis::imported::against;
use hamkor_charts as charts;
use hamkor_model::{ActorCode, ImportSource};
use std::collections::BTreeMap;

/// How many pairs get a figure: the ones with the most imported events.
const PAIRS: usize = 3;

pub(crate) fn section(b: &mut Vec<Block>, input: &ReportInput) {
    if input.imported.is_empty() {
        return;
    }
    // Pairs of Central Asian states in imported events, most events first.
    let mut pairs: BTreeMap<(ActorCode, ActorCode), usize> = BTreeMap::new();
    for e in &input.imported {
        let ca: Vec<ActorCode> = e.actors.iter().copied().filter(|a| a.is_central_asian()).collect();
        for (i, x) in ca.iter().enumerate() {
            for y in &ca[i + 1..] {
                *pairs.entry((*x, *y)).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<((ActorCode, ActorCode), usize)> = pairs.into_iter().collect();
    pairs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    b.push(Block::Heading { level: 2, id: "sec-against".into(), text: "Cooperation against conflict".into() });
    let sources: Vec<&str> = ImportSource::ALL
        .iter()
        .filter(|s| input.imported.iter().any(|e| e.source == **s))
        .map(|s| s.code())
        .collect();
    b.push(Block::Para(format!(
        "{} events were imported from {} (kept apart from the coded events: their types are the datasets' own, mapped to hamkor's where one fits). \
         For the pairs of Central Asian states they name most, the figures set the pair's coded cooperation beside them, year by year.",
        input.imported.len(),
        sources.join(" and ")
    )));
    if pairs.is_empty() {
        b.push(Block::Note("No imported event names two Central Asian states.".into()));
    }
    for (k, ((x, y), _)) in pairs.iter().take(PAIRS).enumerate() {
        let coded: Vec<(i32, i64)> = input
            .events
            .iter()
            .filter(|e| e.actors.contains(x) && e.actors.contains(y))
            .filter_map(|e| e.year().map(|yr| (yr, e.id)))
            .collect();
        let imported: Vec<_> =
            input.imported.iter().filter(|e| e.actors.contains(x) && e.actors.contains(y)).cloned().collect();
        let rows = against(&coded, &imported);
        let id = format!("fig-against-{}", k + 1);
        let pair = format!("{x}–{y}");
        let mut coded_groups = Vec::new();
        let mut imported_groups = Vec::new();
        let mut series = Vec::new();
        for (name, pick) in [
            ("coded cooperation", 0usize),
            ("GDELT", 1),
            ("ACLED", 2),
        ] {
            let mut values = Vec::new();
            let mut links = Vec::new();
            for r in &rows {
                let ids: &[i64] = match pick {
                    0 => &r.coded,
                    1 => &r.gdelt,
                    _ => &r.acled,
                };
                values.push(ids.len() as f64);
                if ids.is_empty() {
                    links.push(None);
                    continue;
                }
                let label = format!("{pair} · {name} · {}", r.year);
                if pick == 0 {
                    links.push(Some(format!("#list-{id}-{}", slug(&label))));
                    coded_groups.push((label, ids.to_vec()));
                } else {
                    links.push(Some(format!("#list-imp-{id}-{}", slug(&label))));
                    imported_groups.push((label, ids.to_vec()));
                }
            }
            series.push(charts::Series { name: name.into(), values, links, note: String::new() });
        }
        b.push(Block::Figure {
            id: id.clone(),
            caption: format!(
                "Figure 6.{}. {pair}: coded cooperation (canonical events) and imported events per year, {}–{}.",
                k + 1,
                rows.first().map_or(0, |r| r.year),
                rows.last().map_or(0, |r| r.year)
            ),
            svg: charts::timeline(&charts::TimelineData {
                id: format!("chart-against-{}", k + 1),
                title: format!("{pair}: cooperation against conflict"),
                years: rows.iter().map(|r| r.year).collect(),
                series,
                marker: None,
                y_label: "events".into(),
            }),
        });
        b.push(Block::Table {
            id: format!("tab-against-{}", k + 1),
            caption: format!("Table 6.{}. {pair} per year.", k + 1),
            header: vec!["year".into(), "coded cooperation".into(), "GDELT".into(), "ACLED".into()],
            rows: rows
                .iter()
                .map(|r| vec![r.year.to_string(), r.coded.len().to_string(), r.gdelt.len().to_string(), r.acled.len().to_string()])
                .collect(),
            numeric: vec![false, true, true, true],
        });
        b.push(Block::EventList { for_id: id.clone(), groups: coded_groups });
        b.push(Block::ImportedList { for_id: id, groups: imported_groups });
    }
    b.push(Block::Imported);
}
