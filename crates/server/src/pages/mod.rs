//! The dashboard: server-rendered HTML (maud), usable without JavaScript and without network.
//!
//! Every page is `layout(ctx, title, nav, body)`. Charts are SVG from `crates/charts` (through
//! [`figures`]), the same code that draws the reports' figures; next to each chart, a table holds
//! the same numbers with links, so that nothing needs a pointer or a script.

pub mod against;
pub mod charts;
pub mod events;
pub mod figures;
pub mod login;
pub mod overview;
pub mod review;

use crate::auth::Ctx;
use crate::error::{AppError, ErrorMarker};
use crate::i18n::{label, t, Lang};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

pub type Page = Html<String>;

/// The navigation, as (path, message key).
const NAV: &[(&str, &str)] = &[
    ("/", "nav.overview"),
    ("/heatmap", "nav.heatmap"),
    ("/timeline", "nav.timeline"),
    ("/network", "nav.network"),
    ("/agreements", "nav.agreements"),
    ("/events", "nav.events"),
    ("/search", "nav.search"),
    ("/review", "nav.review"),
];

/// A link to `path` with query parameters; empty values are left out.
pub fn url(path: &str, params: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = params.iter().copied().filter(|(_, v)| !v.is_empty()).collect();
    if kept.is_empty() {
        return path.to_string();
    }
    format!("{path}?{}", serde_urlencoded::to_string(&kept).unwrap_or_default())
}

/// The current page in another language.
fn with_lang(here: &str, lang: Lang) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.retain(|(k, _)| k != "lang");
    pairs.push(("lang".into(), lang.code().into()));
    format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

pub fn layout(ctx: &Ctx, title: &str, active: &str, body: Markup) -> Page {
    let lang = ctx.lang;
    let page = html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // For a script that calls the JSON API with the session: X-CSRF-Token.
                @if ctx.principal.is_some() {
                    meta name="csrf-token" content=(ctx.csrf);
                }
                title { (title) " · hamkor" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "hamkor" }
                    nav aria-label=(t(lang, "nav.label")) {
                        @for (path, key) in NAV {
                            @if *path == active {
                                a.active href=(path) aria-current="page" { (t(lang, key)) }
                            } @else {
                                a href=(path) { (t(lang, key)) }
                            }
                        }
                    }
                    div.langs {
                        @for l in Lang::ALL {
                            @if l == lang {
                                strong lang=(l.code()) { (l.native_name()) }
                            } @else {
                                a lang=(l.code()) hreflang=(l.code()) href=(with_lang(&ctx.here, l)) { (l.native_name()) }
                            }
                        }
                    }
                    div.who {
                        @if let Some(p) = &ctx.principal {
                            span.reviewer { (t(lang, "auth.signed_in_as")) " " strong { (p.name) } }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(ctx.csrf);
                                button.link type="submit" { (t(lang, "auth.sign_out")) }
                            }
                        } @else {
                            a href=(url("/login", &[("next", &ctx.here)])) { (t(lang, "auth.sign_in")) }
                        }
                    }
                }
                main id="main" { (body) }
                footer {
                    p { (t(lang, "footer.about")) " · " a href="/api/openapi.json" { "API (OpenAPI 3.1)" } }
                }
            }
        }
    };
    Html(page.into_string())
}

/// A label for an event type, a domain or an actor in the page's language.
pub fn type_label(lang: Lang, code: &str) -> String {
    label(lang, "type", code)
}
pub fn domain_label(lang: Lang, code: &str) -> String {
    label(lang, "domain", code)
}
pub fn actor_label(lang: Lang, code: &str) -> String {
    label(lang, "actor", code)
}

/// "Kazakhstan–Uzbekistan" for a list of actor codes.
pub fn actors_label(lang: Lang, actors: &[String]) -> String {
    actors.iter().map(|a| actor_label(lang, a)).collect::<Vec<_>>().join(" – ")
}

/// `text` with the byte spans marked; each span's event gets an anchor `ev-ID` at its start,
/// and `target` (if any) is marked as the one the reader came for. Spans are widened to
/// character boundaries and clipped to the text.
pub fn highlight(text: &str, spans: &[(i64, usize, usize)], target: Option<i64>) -> Markup {
    let fix = |mut s: usize, mut e: usize| {
        s = s.min(text.len());
        e = e.min(text.len()).max(s);
        while !text.is_char_boundary(s) {
            s -= 1;
        }
        while !text.is_char_boundary(e) {
            e += 1;
        }
        (s, e)
    };
    let spans: Vec<(i64, usize, usize)> = spans
        .iter()
        .map(|&(id, s, e)| {
            let (s, e) = fix(s, e);
            (id, s, e)
        })
        .filter(|(_, s, e)| s < e)
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (_, s, e) in &spans {
        cuts.push(*s);
        cuts.push(*e);
    }
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @for (id, _, _) in spans.iter().filter(|(_, s, _)| *s == a) {
                span.anchor id=(format!("ev-{id}")) {}
            }
            @let covering: Vec<i64> = spans.iter().filter(|(_, s, e)| *s <= a && b <= *e).map(|(id, _, _)| *id).collect();
            @if covering.is_empty() {
                (&text[a..b])
            } @else {
                @let is_target = target.is_some_and(|t| covering.contains(&t));
                mark.evidence.target[is_target] data-events=(covering.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ")) {
                    (&text[a..b])
                }
            }
        }
    }
}

/// Search snippets come with the store's match marks; show them as `<mark>`.
pub fn snippet(s: &str) -> Markup {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(hamkor_store::MATCH_START) {
        parts.push((false, &rest[..i]));
        let after = &rest[i + hamkor_store::MATCH_START.len_utf8()..];
        let j = after.find(hamkor_store::MATCH_END).unwrap_or(after.len());
        parts.push((true, &after[..j]));
        rest = after.get(j + hamkor_store::MATCH_END.len_utf8()..).unwrap_or("");
    }
    parts.push((false, rest));
    html! { @for (m, p) in parts { @if m { mark { (p) } } @else { (p) } } }
}

/// Pager links keeping the other query parameters.
pub fn pager(lang: Lang, path: &str, params: &[(&str, &str)], page: usize, has_more: bool) -> Markup {
    let link = |p: usize| {
        let ps = p.to_string();
        let mut v: Vec<(&str, &str)> = params.iter().copied().filter(|(k, _)| *k != "page").collect();
        v.push(("page", &ps));
        url(path, &v)
    };
    html! {
        nav.pager aria-label=(t(lang, "pager.label")) {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← " (t(lang, "pager.prev")) } }
            span { (t(lang, "pager.page")) " " (page) }
            @if has_more { a rel="next" href=(link(page + 1)) { (t(lang, "pager.next")) " →" } }
        }
    }
}

/// The page layer: an error from a page handler becomes an HTML page in the reader's language,
/// with the same status and code.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let res = next.run(req).await;
    let Some(ErrorMarker(err)) = res.extensions().get::<ErrorMarker>().cloned() else { return res };
    let ctx = ctx.unwrap_or_else(|| Ctx::plain(Lang::En));
    error_page(&ctx, &err)
}

pub fn error_page(ctx: &Ctx, err: &AppError) -> Response {
    let lang = ctx.lang;
    let title = t(lang, &format!("error.{}", err.code)).to_string();
    let body = html! {
        section.error {
            h1 { (title) }
            p { (err.message) }
            p.code { (t(lang, "error.code")) ": " code { (err.code) } }
            @if err.code == "unauthorized" {
                p { a href=(url("/login", &[("next", &ctx.here)])) { (t(lang, "auth.sign_in")) } }
            }
            p { a href="/" { (t(lang, "nav.overview")) } }
        }
    };
    let mut res = (err.status, layout(ctx, &title, "", body)).into_response();
    res.extensions_mut().insert(ErrorMarker(err.clone()));
    res
}

/// The fallback: an unknown path is a 404 page (or JSON under /api).
pub async fn not_found(req: Request) -> Response {
    let err = AppError::not_found("no such page");
    if req.uri().path().starts_with("/api/") {
        return err.into_response();
    }
    let ctx = req.extensions().get::<Ctx>().cloned().unwrap_or_else(|| Ctx::plain(Lang::En));
    error_page(&ctx, &err)
}

const STYLE: &str = include_str!("../../assets/style.css");
const SCRIPT: &str = include_str!("../../assets/app.js");

/// The embedded assets. Nothing comes from outside.
pub async fn asset(crate::api::extract::P(file): crate::api::extract::P<String>) -> Response {
    let (body, mime) = match file.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return AppError::not_found("no such asset").into_response(),
    };
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

/// Raw SVG from the chart code (already escaped by it).
pub fn svg(s: &str) -> Markup {
    PreEscaped(s.to_string())
}

/// `<select>` options for event types or domains, with an "all" choice.
pub fn options(lang: Lang, kind: &str, codes: &[&str], selected: &str, all_key: &str) -> Markup {
    html! {
        option value="" selected[selected.is_empty()] { (t(lang, all_key)) }
        @for c in codes {
            option value=(c) selected[*c == selected] { (label(lang, kind, c)) }
        }
    }
}
