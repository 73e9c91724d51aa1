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

/// Where to go after signing in: a path of this site, or `/review`. Only printable ASCII
/// without backslashes (browsers drop tabs and newlines from a URL and read `\` as `/`, so
/// `/\t/evil.example` would leave the site; a newline would also break the `Location` header),
/// starting with one `/` (`//host` leaves), at most 2,000 bytes, never the sign-in page itself.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.len() <= 2000
                && n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/login")
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
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
    // Where to go is settled before a session exists: nothing after this can fail.
    let next = safe_next(f.get("next"));
    let Some((sid, _name)) = check_token(&st, token).await? else {
        return Err(AppError::unauthorized());
    };
    let mut res = Redirect::to(&next).into_response();
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn every_next_stays_on_the_site() {
        for bad in [
            "//evil.example/p", "/\t/evil.example/p", "/\n/evil.example", "/\\evil.example", "/\\/evil.example",
            "https://evil.example", "evil.example", "javascript:alert(1)", "/ /evil.example", "/\r\nSet-Cookie: x=1",
            "/login", "/login?next=//evil.example", "/é", "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/review", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/review");
        for good in ["/", "/review", "/events?pair=KAZ,UZB&from=2020", "/documents/3#ev-4", "/%2F%2Fevil.example"] {
            assert_eq!(safe_next(Some(good)), good);
        }
    }
}
