//! Who may do what.
//!
//! - **Reading** is open to the local machine (a loopback peer). From any other address every
//!   request needs a token, except the sign-in page and the static assets.
//! - **Writing** always needs a token: `Authorization: Bearer TOKEN` for the API, or a session
//!   opened on `/login` with a token for the browser. A reviewer's name is the name of the token;
//!   nothing a client sends can choose it.
//! - **Tokens** are 32 random bytes shown once by `hamkor token create NAME`; the store keeps only
//!   their SHA-256.
//! - **Forms** carry a CSRF token: the session's own, or before sign-in a random value also set
//!   in a `SameSite=Strict` cookie (double submit). Unsafe requests that a browser marks as
//!   cross-site (`Sec-Fetch-Site`, `Origin`) are refused whatever they carry. Bearer requests need
//!   no CSRF token: a browser never attaches that header by itself.
//! - **The JSON API with a session** (a browser's script) needs the session's CSRF token in an
//!   `X-CSRF-Token` header for every unsafe request; every page carries it in
//!   `<meta name="csrf-token">`. A cookie alone never writes.
//! - **Sessions** live in memory for 12 hours; a revoked token ends its sessions at the next
//!   request. Restarting the server signs everyone out.
//! - **Host names**: a request must name this server by a loopback name (`localhost`,
//!   `*.localhost`), an IP address it listens on (any, when it listens on all of them) or a name
//!   given with `--allow-host`; any other `Host` gets 421. A page on another site cannot read
//!   this server through a name of its own that it points at 127.0.0.1 (DNS rebinding).
//! - **Caching**: responses to a request with a token or a session, and the sign-in pages, are
//!   `Cache-Control: no-store`.

use crate::error::{AppError, Result};
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hamkor_store::SqliteStore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const TOKEN_PREFIX: &str = "hk_";
pub const SESSION_COOKIE: &str = "hamkor_session";
pub const CSRF_COOKIE: &str = "hamkor_csrf";
pub const LANG_COOKIE: &str = "hamkor_lang";
pub const CSRF_FIELD: &str = "csrf";
/// The header that carries the CSRF token of a session for the JSON API.
pub const CSRF_HEADER: &str = "x-csrf-token";
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
pub use crate::random::random_hex;
use crate::random::hex;

/// Hex SHA-256 of a token: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.trim().as_bytes()))
}

/// A reviewer's name: 1 to 64 characters, letters, digits, spaces and `.-_@`.
pub fn valid_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=64).contains(&n)
        && name.trim() == name
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '@'))
}

/// Create a token for `name`; returns its id and the token, which is never stored.
pub fn create_token(store: &mut SqliteStore, name: &str) -> std::result::Result<(i64, String), String> {
    if !valid_name(name) {
        return Err(format!(
            "bad name {name:?}: use 1 to 64 letters, digits, spaces or . - _ @, without spaces at the ends"
        ));
    }
    let token = format!("{TOKEN_PREFIX}{}", random_hex(32));
    let id = store.create_token(name, &hash_token(&token)).map_err(|e| e.to_string())?;
    Ok((id, token))
}

/// Compare without an early exit, so that timing says nothing about a secret.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Bearer,
    Session,
}

/// The holder of a valid token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub name: String,
    pub token_id: i64,
    pub via: Via,
}

/// What every handler knows about its request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub principal: Option<Principal>,
    /// The CSRF token forms on this page must carry.
    pub csrf: String,
    pub loopback: bool,
    /// Path and query of the request, for "sign in and come back" links.
    pub here: String,
}

impl Ctx {
    /// For tests and tools that build pages outside a request.
    pub fn plain(lang: Lang) -> Ctx {
        Ctx { lang, principal: None, csrf: String::new(), loopback: true, here: "/".into() }
    }
}

struct Session {
    name: String,
    token_hash: String,
    csrf: String,
    expires: Instant,
}

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Open a session for a token holder; returns the cookie value.
    pub fn open(&self, name: &str, token_hash: &str) -> String {
        let id = random_hex(32);
        let now = Instant::now();
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, s| s.expires > now);
        map.insert(
            hash_token(&id),
            Session {
                name: name.to_string(),
                token_hash: token_hash.to_string(),
                csrf: random_hex(16),
                expires: now + SESSION_LIFETIME,
            },
        );
        id
    }

    pub fn close(&self, cookie: &str) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(&hash_token(cookie));
    }

    /// (name, token hash, csrf) of a live session.
    fn get(&self, cookie: &str) -> Option<(String, String, String)> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let s = map.get(&hash_token(cookie))?;
        (s.expires > Instant::now()).then(|| (s.name.clone(), s.token_hash.clone(), s.csrf.clone()))
    }
}

pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for v in headers.get_all(header::COOKIE) {
        let Ok(v) = v.to_str() else { continue };
        for part in v.split(';') {
            if let Some((k, val)) = part.trim().split_once('=') {
                out.entry(k.trim().to_string()).or_insert_with(|| val.trim().to_string());
            }
        }
    }
    out
}

fn is_hex_token(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn cookie(name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let age = max_age.map(|a| format!("; Max-Age={a}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{age}"))
        .expect("cookie values are hex or language codes")
}

/// Is an unsafe request plainly cross-site? Browsers tell us with Sec-Fetch-Site and Origin.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return true;
        }
    }
    if let (Some(origin), Some(host)) =
        (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok()))
    {
        let origin_host = origin.split("://").nth(1).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return true;
        }
        if origin == "null" {
            return true;
        }
    }
    false
}

/// The names a request may give in `Host`, beyond the loopback names: set once at start-up.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    /// The IP address the server listens on (an unspecified one: every address).
    pub listen: Option<std::net::IpAddr>,
    /// Names from `--allow-host` (lower case, without port).
    pub names: Vec<String>,
}

impl Hosts {
    /// May a request name this server `host` (a `Host` header: name or address, maybe a port)?
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((ip, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(is_port) => ip.to_string(),
                _ => return false,
            }
        } else {
            match host.rsplit_once(':') {
                Some((n, port)) if is_port(port) => n.to_string(),
                Some(_) => return false,
                None => host.clone(),
            }
        };
        if name.is_empty() {
            return false;
        }
        if let Ok(ip) = name.parse::<std::net::IpAddr>() {
            return ip.is_loopback() || self.listen.is_some_and(|l| l.is_unspecified() || l == ip);
        }
        let name = name.trim_end_matches('.');
        name == "localhost" || name.ends_with(".localhost") || self.names.iter().any(|n| n == name)
    }
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
}

/// Paths a remote client may reach without a token: the way in.
fn public_path(path: &str) -> bool {
    path == "/login" || path.starts_with("/assets/")
}

/// The middleware every request passes: language, principal, CSRF token, the loopback rule,
/// and the security headers of the response.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .or_else(|| req.extensions().get::<axum::extract::connect_info::MockConnectInfo<SocketAddr>>().map(|c| c.0));
    let loopback = peer
        .map(|p| p.ip().is_loopback())
        // No peer address (a test calling the router directly): treat as remote, the safe side.
        .unwrap_or(false);
    let headers = req.headers().clone();
    // DNS rebinding: a foreign name for this server is refused before anything else. No Host at
    // all (HTTP/1.0, a test calling the router) is no browser's request.
    let host = req.uri().authority().map(|a| a.as_str().to_string()).or_else(|| {
        headers.get(header::HOST).map(|h| h.to_str().map(str::to_string).unwrap_or_else(|_| "\u{fffd}".into()))
    });
    if let Some(host) = host {
        let allowed = state.hosts.read().map(|h| h.allows(&host)).unwrap_or(false);
        if !allowed {
            let err = AppError::misdirected(&host.chars().filter(|c| !c.is_control()).take(100).collect::<String>());
            return finish(early(err, req.uri().path(), Lang::En), None, None, true);
        }
    }
    let jar = cookies(&headers);
    let query_lang = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::from_code(&v))
    });
    let lang = query_lang
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Lang::from_code(c)))
        .unwrap_or_else(|| Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())));
    let here = req.uri().path_and_query().map_or("/".to_string(), |p| p.as_str().to_string());
    let path = req.uri().path().to_string();
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);

    // Who is asking.
    let mut principal = None;
    let mut session_csrf = None;
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or("");
        match lookup(&state, token).await {
            Ok(Some(p)) => principal = Some(Principal { via: Via::Bearer, ..p }),
            // A wrong token is an error, never a silent fall-back to anonymous reading.
            Ok(None) => return finish(early(AppError::unauthorized(), &path, lang), None, None, true),
            Err(e) => return finish(early(e, &path, lang), None, None, true),
        }
    } else if let Some(sid) = jar.get(SESSION_COOKIE).filter(|s| is_hex_token(s, 64)) {
        if let Some((_, token_hash, csrf)) = state.sessions.get(sid) {
            let hash = token_hash.clone();
            match state.db.read(move |s| Ok(s.token_by_hash(&hash)?)).await {
                Ok(Some(t)) => {
                    principal = Some(Principal { name: t.name, token_id: t.id, via: Via::Session });
                    session_csrf = Some(csrf);
                }
                Ok(None) => state.sessions.close(sid),
                Err(e) => return finish(early(e, &path, lang), None, None, true),
            }
        }
    }

    if unsafe_method && principal.as_ref().is_none_or(|p| p.via == Via::Session) && cross_site(&headers) {
        return finish(early(AppError::csrf(), &path, lang), None, None, true);
    }
    // A session writes through the JSON API only with its CSRF token in a header (forms carry
    // it as a field, checked by `CsrfForm`).
    if unsafe_method && path.starts_with("/api/") && principal.as_ref().is_some_and(|p| p.via == Via::Session) {
        let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        let expected = session_csrf.as_deref().unwrap_or("");
        if expected.is_empty() || !same(sent, expected) {
            return finish(early(AppError::csrf(), &path, lang), None, None, true);
        }
    }
    if !loopback && principal.is_none() && !public_path(&path) {
        return finish(early(AppError::unauthorized(), &path, lang), None, None, true);
    }
    let private = principal.is_some() || path == "/login" || path == "/logout";

    let mut new_csrf_cookie = None;
    let csrf = match session_csrf {
        Some(c) => c,
        None => match jar.get(CSRF_COOKIE).filter(|c| is_hex_token(c, 32)) {
            Some(c) => c.clone(),
            None => {
                let c = random_hex(16);
                new_csrf_cookie = Some(c.clone());
                c
            }
        },
    };
    req.extensions_mut().insert(Ctx { lang, principal, csrf, loopback, here });
    let res = next.run(req).await;
    finish(res, new_csrf_cookie, query_lang, private)
}

/// An error before any handler ran: JSON under /api, an HTML page elsewhere.
fn early(err: AppError, path: &str, lang: Lang) -> Response {
    if path.starts_with("/api/") {
        return err.into_response();
    }
    let ctx = Ctx { lang, principal: None, csrf: String::new(), loopback: false, here: path.to_string() };
    crate::pages::error_page(&ctx, &err)
}

/// The headers of every response. `private`: it answers a request with a token or a session
/// (or is an error before anyone was recognised): no cache may keep it.
fn finish(mut res: Response, csrf_cookie: Option<String>, lang: Option<Lang>, private: bool) -> Response {
    let h = res.headers_mut();
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(c) = csrf_cookie {
        h.append(header::SET_COOKIE, cookie(CSRF_COOKIE, &c, None));
    }
    if let Some(l) = lang {
        h.append(header::SET_COOKIE, cookie(LANG_COOKIE, l.code(), Some(365 * 24 * 3600)));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Inline SVG charts carry style attributes; scripts come only from this server.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    res
}

async fn lookup(state: &AppState, token: &str) -> Result<Option<Principal>> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    let hash = hash_token(token);
    let row = state.db.read(move |s| Ok(s.token_by_hash(&hash)?)).await?;
    Ok(row.map(|t| Principal { name: t.name, token_id: t.id, via: Via::Bearer }))
}

/// Check a submitted token (the sign-in form) and open a session; returns the cookie value.
pub async fn sign_in(state: &AppState, token: &str) -> Result<Option<(String, String)>> {
    let token = token.trim();
    let Some(p) = lookup(state, token).await? else { return Ok(None) };
    let sid = state.sessions.open(&p.name, &hash_token(token));
    Ok(Some((sid, p.name)))
}

/// The guard of every write route: no principal, no write.
pub async fn require_writer(req: Request, next: Next) -> Response {
    let ok = req.extensions().get::<Ctx>().is_some_and(|c| c.principal.is_some());
    if !ok {
        return AppError::unauthorized().into_response();
    }
    next.run(req).await
}

/// The reviewer behind a write, for handlers (the route guard has already checked).
pub struct Writer(pub Principal);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Writer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Writer> {
        parts
            .extensions
            .get::<Ctx>()
            .and_then(|c| c.principal.clone())
            .map(Writer)
            .ok_or_else(AppError::unauthorized)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Ctx> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| AppError::internal("request context missing"))
    }
}

/// The fields of a submitted HTML form, after its CSRF token was checked (unless the request
/// came with a bearer token). Repeated fields (checkboxes) keep every value.
pub struct CsrfForm(pub FormFields);

#[derive(Debug, Clone, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    /// The trimmed value, `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).map(str::trim).filter(|s| !s.is_empty())
    }
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for CsrfForm {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<CsrfForm> {
        let ctx = req.extensions().get::<Ctx>().cloned().ok_or_else(|| AppError::internal("request context missing"))?;
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state).await?;
        let fields = FormFields(pairs);
        let bearer = ctx.principal.as_ref().is_some_and(|p| p.via == Via::Bearer);
        if !bearer {
            let sent = fields.get(CSRF_FIELD).unwrap_or("");
            if ctx.csrf.is_empty() || !same(sent, &ctx.csrf) {
                return Err(AppError::csrf());
            }
        }
        Ok(CsrfForm(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_hash_and_names_validate() {
        assert_eq!(hash_token("abc").len(), 64);
        assert_eq!(hash_token("abc"), hash_token(" abc\n"));
        assert_ne!(hash_token("abc"), hash_token("abd"));
        assert!(valid_name("Dilnoza R."));
        assert!(valid_name("reviewer_2@lab"));
        assert!(!valid_name(""));
        assert!(!valid_name(" x"));
        assert!(!valid_name("<script>"));
        assert!(!valid_name(&"x".repeat(65)));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
        assert_eq!(random_hex(16).len(), 32);
    }

    #[test]
    fn only_loopback_names_listened_addresses_and_allowed_names_pass() {
        let local = Hosts { listen: Some("127.0.0.1".parse().unwrap()), names: vec![] };
        for ok in ["localhost", "localhost:8080", "LOCALHOST.", "app.localhost:1", "127.0.0.1:8080", "127.0.0.2", "[::1]:8080", "[::1]"] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in ["evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io", "10.0.0.5", "", ":80", "[::1", "a:b:c", "localhost:99999999"] {
            assert!(!local.allows(bad), "{bad}");
        }
        let all = Hosts { listen: Some("0.0.0.0".parse().unwrap()), names: vec!["hamkor.lab".into()] };
        assert!(all.allows("10.0.0.5:8080") && all.allows("hamkor.lab") && all.allows("hamkor.lab:8080"));
        assert!(!all.allows("evil.example"));
        let one = Hosts { listen: Some("192.168.1.4".parse().unwrap()), names: vec![] };
        assert!(one.allows("192.168.1.4:8080") && !one.allows("192.168.1.5"));
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(!cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(!cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(cross_site(&h));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&h));
    }
}
