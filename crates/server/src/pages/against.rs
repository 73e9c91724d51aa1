//! Cooperation against conflict on a pair's page: per year, the pair's coded events beside the
//! events imported from GDELT and ACLED, every count a link to exactly the rows it counts (coded
//! canonical events on `/happenings`, imported ones on `/imported`); and the `/imported` list itself.

use super::{actor_label, layout, url, Page};
use crate::api::extract::Q;
use crate::auth::Ctx;
use crate::error::{AppError, Result};
use crate::i18n::{t, Lang};
use crate::AppState;
use axum::extract::State;
use hamkor_analysis::imported::YearCounts;
use hamkor_model::{ActorCode, ImportSource, ImportedEvent};
use hamkor_store::{ImportedQuery, SqliteStore};
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

/// The events imported from GDELT and ACLED that name both actors of a pair. The pair's coded
/// side is its canonical events by year (`hamkor_analysis::figures::Figures::pair_years`), the
/// numbers of the report's figure 6.
pub fn pair_imported(s: &SqliteStore, a: ActorCode, b: ActorCode) -> Result<Vec<ImportedEvent>> {
    Ok(s.imported_events(&ImportedQuery { actors: vec![a.to_string(), b.to_string()], ..Default::default() })?)
}

fn year_params(pair: &str, year: i32) -> Vec<(&'static str, String)> {
    vec![("pair", pair.to_string()), ("from", year.to_string()), ("to", year.to_string())]
}

fn href(path: &str, params: &[(&str, String)]) -> String {
    let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    url(path, &refs)
}

/// Links for one year's counts: coded, GDELT, ACLED.
fn links(pair: &str, r: &YearCounts) -> [String; 3] {
    let p = year_params(pair, r.year);
    let imported = |s: ImportSource| {
        let mut q = p.clone();
        q.insert(0, ("source", s.code().to_string()));
        href("/imported", &q)
    };
    // The coded count is the pair's canonical events of the year: the cell of its timeline.
    let coded = href("/happenings", &[("dims", "period".into()), ("key", r.year.to_string()), ("pair", pair.replace(',', "-"))]);
    [coded, imported(ImportSource::Gdelt), imported(ImportSource::Acled)]
}

/// The section of a pair's page.
pub fn pair_section(lang: Lang, a: &str, b: &str, rows: &[YearCounts]) -> Markup {
    let pair = format!("{a},{b}");
    let any_imported = rows.iter().any(|r| !r.gdelt.is_empty() || !r.acled.is_empty());
    let series = |name: String, pick: &dyn Fn(&YearCounts) -> usize, k: usize| hamkor_charts::Series {
        name,
        values: rows.iter().map(|r| pick(r) as f64).collect(),
        links: rows.iter().map(|r| (pick(r) > 0).then(|| links(&pair, r)[k].clone())).collect(),
        note: String::new(),
    };
    let svg = hamkor_charts::timeline(&hamkor_charts::TimelineData {
        id: "chart-against".into(),
        title: t(lang, "against.title").to_string(),
        years: rows.iter().map(|r| r.year).collect(),
        series: vec![
            series(t(lang, "against.coded").to_string(), &|r| r.coded.len(), 0),
            series("GDELT".into(), &|r| r.gdelt.len(), 1),
            series("ACLED".into(), &|r| r.acled.len(), 2),
        ],
        marker: None,
        y_label: t(lang, "against.per_year").to_string(),
    });
    html! {
        section id="against" {
            h2 { (t(lang, "against.title")) }
            p.note { (t(lang, "against.lead")) " " (actor_label(lang, a)) " – " (actor_label(lang, b)) "." }
            @if rows.is_empty() || !any_imported {
                p.empty { (t(lang, "against.none")) }
            }
            @if !rows.is_empty() {
                figure { (PreEscaped(svg)) }
                table.data id="against-table" {
                    thead { tr {
                        th { (t(lang, "against.year")) }
                        th.num { (t(lang, "against.coded")) }
                        th.num { "GDELT" }
                        th.num { "ACLED" }
                    } }
                    tbody {
                        @for r in rows {
                            @let l = links(&pair, r);
                            tr {
                                th { (r.year) }
                                @for (k, n) in [r.coded.len(), r.gdelt.len(), r.acled.len()].into_iter().enumerate() {
                                    td.num { @if n > 0 { @if k == 0 { a.count href=(l[k]) { (n) } } @else { a href=(l[k]) { (n) } } } @else { "0" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Filters of `/imported`.
#[derive(Debug, Deserialize, Default)]
pub struct ImportedParams {
    pub source: Option<String>,
    pub pair: Option<String>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
}

fn bad(e: impl std::fmt::Display) -> AppError {
    AppError::bad_request(e.to_string())
}

impl ImportedParams {
    fn query(&self) -> Result<ImportedQuery> {
        let nonempty = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let mut q = ImportedQuery { limit: Some(5000), ..Default::default() };
        if let Some(s) = nonempty(&self.source) {
            q.source = Some(s.parse::<ImportSource>().map_err(bad)?);
        }
        // Actors, pair and dates by the one parser of filters (types: imported events also have `other`).
        let f = hamkor_model::FilterInput {
            actors: self.actor.iter().cloned().collect(),
            pair: self.pair.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..Default::default()
        }
        .parse()
        .map_err(crate::api::bad_filter)?;
        q.actors = f.actors.iter().map(|a| a.to_string()).collect();
        q.from = f.from;
        q.to = f.to;
        if let Some(t) = nonempty(&self.event_type) {
            if t != "other" {
                t.parse::<hamkor_model::EventType>().map_err(bad)?;
            }
            q.event_type = Some(t);
        }
        Ok(q)
    }
}

/// `/imported`: events imported from GDELT and ACLED, with the filters of the pair view.
pub async fn imported_list(State(st): State<AppState>, ctx: Ctx, Q(p): Q<ImportedParams>) -> Result<Page> {
    let lang = ctx.lang;
    let q = p.query()?;
    let rows = st.db.read(move |s| Ok(s.imported_events(&q)?)).await?;
    let title = t(lang, "against.imported").to_string();
    let body = html! {
        h1 { (title) }
        p.note { (rows.len()) " · " (t(lang, "against.imported_lead")) }
        @if rows.is_empty() { p.empty { (t(lang, "common.nothing")) } }
        table.data.imported {
            thead { tr {
                th { (t(lang, "common.date")) }
                th { (t(lang, "against.source")) }
                th { (t(lang, "common.type")) }
                th { (t(lang, "common.actors")) }
                th { (t(lang, "against.place")) }
                th.num { (t(lang, "against.fatalities")) }
                th.num { "Goldstein" }
                th { (t(lang, "against.what")) }
            } }
            tbody {
                @for e in &rows {
                    tr id=(format!("imported-{}", e.id)) {
                        td.date { (e.date.to_string()) }
                        td { (e.source.code().to_uppercase()) " " (e.external_id) }
                        td { (e.type_code()) " · " (e.code) @if !e.subcode.is_empty() { " · " (e.subcode) } }
                        td { (e.actors.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")) }
                        td { (e.location) }
                        td.num { (e.fatalities.map(|f| f.to_string()).unwrap_or_default()) }
                        td.num { (e.goldstein.map(|g| format!("{g:.1}")).unwrap_or_default()) }
                        td {
                            (crate::pages::events::cut(&format!("{} {} {}", e.actor1, e.actor2, e.notes), 200))
                            @if e.source_url.starts_with("https://") || e.source_url.starts_with("http://") {
                                " " a href=(e.source_url) rel="noreferrer noopener" { (t(lang, "against.source_link")) }
                            } @else if !e.source_url.is_empty() {
                                " (" (e.source_url) ")"
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(&ctx, &title, "/", body))
}
