//! The route table: every route of the server, in one place, with who may use it.
//!
//! [`crate::app`] registers exactly these routes and nothing else, so tests can walk the table:
//! every `Write` route must refuse a request without a token, and every API route must be in the
//! OpenAPI document (and the document must hold nothing else).

use crate::{api, auth, pages, AppState};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter, MethodRouter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Open on loopback; from elsewhere a token is needed.
    Read,
    /// Needs a token, always.
    Write,
    /// Signing in and out: checks the token it is given.
    SignIn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Api,
    Asset,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub kind: Kind,
}

fn r<H, T>(
    method: Method,
    path: &'static str,
    access: Access,
    kind: Kind,
    handler: H,
) -> (Route, MethodRouter<AppState>)
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a standard method");
    let mut mr: MethodRouter<AppState> = on(filter, handler);
    if access == Access::Write {
        mr = mr.route_layer(axum::middleware::from_fn(auth::require_writer));
    }
    if kind == Kind::Page {
        // Outside the writer guard, so that its 401 becomes an HTML page too.
        mr = mr.route_layer(axum::middleware::from_fn(pages::render_errors));
    }
    if kind == Kind::Api && path == "/api/documents" && method == Method::POST {
        mr = mr.layer(axum::extract::DefaultBodyLimit::max(crate::INGEST_LIMIT));
    }
    (Route { method, path, access, kind }, mr)
}

/// Every route with its handler.
pub fn table() -> Vec<(Route, MethodRouter<AppState>)> {
    use Access::*;
    use Kind::*;
    let get = || Method::GET;
    let post = || Method::POST;
    vec![
        // Pages.
        r(get(), "/", Read, Page, pages::overview::overview),
        r(get(), "/heatmap", Read, Page, pages::charts::heatmap),
        r(get(), "/timeline", Read, Page, pages::charts::timeline),
        r(get(), "/network", Read, Page, pages::charts::network),
        r(get(), "/agreements", Read, Page, pages::charts::agreements),
        r(get(), "/agreements/{id}", Read, Page, pages::charts::agreement),
        r(get(), "/dyads/{pair}", Read, Page, pages::events::dyad),
        r(get(), "/imported", Read, Page, pages::against::imported_list),
        r(get(), "/events", Read, Page, pages::events::list),
        r(get(), "/happenings", Read, Page, pages::events::happenings),
        r(get(), "/events/{id}", Read, Page, pages::events::event),
        r(get(), "/documents/{id}", Read, Page, pages::events::document),
        r(get(), "/search", Read, Page, pages::events::search),
        r(get(), "/review", Read, Page, pages::review::queue),
        r(get(), "/review/events/{id}", Read, Page, pages::review::event_form),
        r(post(), "/review/events/{id}/accept", Write, Page, pages::review::accept),
        r(post(), "/review/events/{id}/edit", Write, Page, pages::review::edit),
        r(post(), "/review/events/{id}/reject", Write, Page, pages::review::reject),
        r(post(), "/review/events/{id}/merge", Write, Page, pages::review::merge),
        r(post(), "/review/events/{id}/split", Write, Page, pages::review::split),
        r(get(), "/review/code/{document}", Read, Page, pages::review::code_form),
        r(post(), "/review/code/{document}", Write, Page, pages::review::code_save),
        r(get(), "/review/agreement", Read, Page, pages::review::agreement),
        r(get(), "/review/audit", Read, Page, pages::review::audit),
        r(get(), "/login", SignIn, Page, pages::login::form),
        r(post(), "/login", SignIn, Page, pages::login::sign_in),
        r(post(), "/logout", SignIn, Page, pages::login::sign_out),
        r(get(), "/assets/{file}", Read, Asset, pages::asset),
        // API.
        r(get(), "/api/openapi.json", Read, Api, crate::openapi::openapi_json),
        r(get(), "/api/stats", Read, Api, api::stats),
        r(get(), "/api/documents", Read, Api, api::documents),
        r(post(), "/api/documents", Write, Api, api::ingest),
        r(get(), "/api/documents/{id}", Read, Api, api::document),
        r(get(), "/api/events", Read, Api, api::events),
        r(get(), "/api/events/{id}", Read, Api, api::event),
        r(get(), "/api/search", Read, Api, api::search),
        r(get(), "/api/canonical-events/{id}", Read, Api, api::analysis::canonical),
        r(get(), "/api/panels", Read, Api, api::analysis::panels),
        r(get(), "/api/comparisons", Read, Api, api::analysis::comparisons),
        r(get(), "/api/networks", Read, Api, api::analysis::networks),
        r(get(), "/api/agreements", Read, Api, api::analysis::agreements),
        r(get(), "/api/agreements/{id}", Read, Api, api::analysis::agreement),
        r(post(), "/api/review/merge", Write, Api, api::analysis::merge),
        r(post(), "/api/review/split", Write, Api, api::analysis::split),
        r(get(), "/api/review/queue", Read, Api, api::review_queue),
        r(post(), "/api/review/events/{id}/accept", Write, Api, api::review_accept),
        r(post(), "/api/review/events/{id}/edit", Write, Api, api::review_edit),
        r(post(), "/api/review/events/{id}/reject", Write, Api, api::review_reject),
        r(post(), "/api/review/codings", Write, Api, api::review_coding),
        r(get(), "/api/review/codings", Read, Api, api::review_codings),
        r(get(), "/api/review/agreement", Read, Api, api::review_agreement),
        r(get(), "/api/review/audit", Read, Api, api::review_audit),
    ]
}

/// The table without handlers, for tests and the OpenAPI check.
pub fn routes() -> Vec<Route> {
    table().into_iter().map(|(r, _)| r).collect()
}
