//! The overview: the map of Central Asia with the dyads' cooperation, filtered by years, domain
//! and type, and the dyads as a table with links.

use super::{actor_label, layout, options, url, Page};
use crate::api::extract::Q;
use crate::auth::Ctx;
use crate::error::Result;
use crate::i18n::{t, tf, Lang};
use crate::AppState;
use axum::extract::State;
use hamkor_analysis::figures::Spec;
use hamkor_analysis::panel::PanelFilter;
use hamkor_model::{Domain, EventType};
use maud::{html, Markup};
use serde::Deserialize;

/// The filters every chart page shares: years, one domain, one type.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChartQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub domain: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
}

impl ChartQuery {
    /// The panel filter these parameters describe, by the one parser of filters (a 400 for what
    /// is not one).
    /// What the figures of a chart page count under these parameters.
    pub fn spec(&self) -> Result<Spec> {
        Ok(Spec::new(self.filter()?))
    }

    pub fn filter(&self) -> Result<PanelFilter> {
        let input = hamkor_model::FilterInput {
            event_type: self.event_type.clone(),
            domain: self.domain.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..Default::default()
        };
        Ok(PanelFilter::from_filter(&input.parse().map_err(crate::api::bad_filter)?))
    }

    fn s(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }

    /// The filters as query parameters, for links to the event lists.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("from", Self::s(&self.from).to_string()),
            ("to", Self::s(&self.to).to_string()),
            ("domain", Self::s(&self.domain).to_string()),
            ("type", Self::s(&self.event_type).to_string()),
        ]
    }

    /// A link to the events of a pair (and domain) under these filters.
    pub fn events_href(&self, pair: &str, domain: Option<&str>) -> String {
        let mut p = self.params();
        p.push(("pair", pair.to_string()));
        if let Some(d) = domain {
            p.retain(|(k, _)| *k != "domain");
            p.push(("domain", d.to_string()));
        }
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        url("/events", &refs)
    }

    /// A link to exactly the canonical events a panel cell counts: the cell's dimensions and
    /// key, under these filters (and a pair's, on a pair's page).
    pub fn happenings_href(&self, dims: &str, key: &str, pair: Option<(&str, &str)>) -> String {
        let mut p = self.params();
        p.push(("dims", dims.to_string()));
        p.push(("key", key.to_string()));
        if let Some((a, b)) = pair {
            p.push(("pair", format!("{a}-{b}")));
        }
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        url("/happenings", &refs)
    }

    pub fn dyad_href(&self, a: &str, b: &str) -> String {
        let p = self.params();
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        url(&format!("/dyads/{a}-{b}"), &refs)
    }
}

/// The filter form of the chart pages (GET, so every view has a URL).
pub fn filter_form(lang: Lang, action: &str, q: &ChartQuery) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label { (t(lang, "filter.from")) " " input type="number" name="from" min="1990" max="2100" value=(ChartQuery::s(&q.from)) placeholder="2017"; }
            label { (t(lang, "filter.to")) " " input type="number" name="to" min="1990" max="2100" value=(ChartQuery::s(&q.to)) placeholder="2025"; }
            label { (t(lang, "filter.domain")) " "
                select name="domain" { (options(lang, "domain", Domain::ALL_CODES, ChartQuery::s(&q.domain), "filter.all_domains")) } }
            label { (t(lang, "filter.type")) " "
                select name="type" { (options(lang, "type", EventType::ALL_CODES, ChartQuery::s(&q.event_type), "filter.all_types")) } }
            button type="submit" { (t(lang, "filter.apply")) }
        }
    }
}

pub async fn overview(State(st): State<AppState>, ctx: Ctx, Q(q): Q<ChartQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let spec = q.spec()?;
    let snap = st.cache.get(&st).await?;
    let key = format!("overview {spec:?}");
    let figures = st
        .cache
        .memo(snap.generation, key, async {
            let figs = snap.figures();
            Ok((figs.pairs(&spec), figs.cell(&spec, &[], &[]).count))
        })
        .await?;
    let (pairs, total) = (&figures.0, figures.1);
    // Counted when the snapshot was taken.
    let (documents, to_review) = (snap.documents, snap.to_review);
    let mut rows: Vec<_> = pairs.iter().collect();
    rows.sort_by(|a, b| b.count.count.cmp(&a.count.count).then(a.key().cmp(&b.key())));
    let q2 = q.clone();
    let href = move |a: &str, b: &str| q2.dyad_href(a, b);
    let body = html! {
        h1 { (t(lang, "overview.title")) }
        p.lead { (t(lang, "overview.lead")) }
        (filter_form(lang, "/", &q))
        ul.figures {
            li { strong { a.count href=(q.happenings_href("", "", None)) { (total) } } " " (t(lang, "overview.events")) }
            li { strong { (rows.len()) } " " (t(lang, "overview.dyads")) }
            li { strong { (documents) } " " (t(lang, "overview.documents")) }
            li { a href="/review" { strong { (to_review) } " " (t(lang, "overview.to_review")) } }
        }
        section.map {
            h2 { (t(lang, "overview.map")) }
            (super::figures::map(lang, &pairs, &href))
        }
        section {
            h2 { (t(lang, "overview.dyads_table")) }
            @if rows.is_empty() {
                p.empty { (t(lang, "common.nothing")) }
            } @else {
                table.data id="dyads" {
                    thead { tr { th { (t(lang, "common.dyad")) } th.num { (t(lang, "overview.events")) } th.num { (t(lang, "common.intensity")) } } }
                    tbody {
                        @for r in &rows {
                            tr {
                                td { a.dyad href=(q.dyad_href(&r.a, &r.b)) { (actor_label(lang, &r.a)) " – " (actor_label(lang, &r.b)) } }
                                td.num { a.count href=(q.happenings_href("dyad", &r.key(), None)) { (r.count.count) } }
                                td.num { (format!("{:.1}", r.count.intensity)) }
                            }
                        }
                    }
                }
                p.note { (tf(lang, "overview.counting", &[("n", &snap.events.len().to_string())])) }
            }
        }
    };
    Ok(layout(&ctx, t(lang, "overview.title"), "/", body))
}
