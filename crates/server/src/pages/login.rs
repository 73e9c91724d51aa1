//! Signing in with a token (from `hamkor token create NAME`) and out.

use super::{layout, url, Page};
use crate::api::extract::Q;
use crate::auth::{cookie, sign_in as check_token, cookies, CsrfForm, Ctx, SESSION_COOKIE};
use crate::error::{AppError, Result};
use crate::i18n::t;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Only paths of this site: never `//host` or `https://…` (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.starts_with("/login") => {
            n.to_string()
        }
        _ => "/review".to_string(),
    }
}

pub async fn form(ctx: Ctx, Q(q): Q<NextQuery>) -> Result<Page> {
    let lang = ctx.lang;
    let next = safe_next(q.next.as_deref());
    let body = html! {
        h1 { (t(lang, "auth.sign_in")) }
        @if let Some(p) = &ctx.principal {
            p { (t(lang, "auth.signed_in_as")) " " strong { (p.name) } }
        }
        p.lead { (t(lang, "auth.lead")) }
        form.login method="post" action="/login" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name="next" value=(next);
            label { (t(lang, "auth.token")) input type="password" name="token" required autocomplete="current-password" size="70"; }
            button type="submit" { (t(lang, "auth.sign_in")) }
        }
        p.note { code { "hamkor token create NAME" } }
    };
    Ok(layout(&ctx, t(lang, "auth.sign_in"), "", body))
}

pub async fn sign_in(State(st): State<AppState>, CsrfForm(f): CsrfForm) -> Result<Response> {
    let token = f.get("token").unwrap_or("");
    let Some((sid, _name)) = check_token(&st, token).await? else {
        return Err(AppError::unauthorized());
    };
    let mut res = Redirect::to(&safe_next(f.get("next"))).into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie(SESSION_COOKIE, &sid, Some(12 * 3600)));
    Ok(res)
}

pub async fn sign_out(State(st): State<AppState>, headers: HeaderMap, CsrfForm(_): CsrfForm) -> Result<Response> {
    if let Some(sid) = cookies(&headers).get(SESSION_COOKIE) {
        st.sessions.close(sid);
    }
    let mut res = Redirect::to(&url("/", &[])).into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie(SESSION_COOKIE, "", Some(0)));
    Ok(res)
}
