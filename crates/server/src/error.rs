//! The one error type of the server, with a table of stable codes.
//!
//! Every failure a client can see is an [`AppError`]: an HTTP status, a stable machine-readable
//! code from [`CODES`] and a message meant for the person at the other end. Internal errors
//! (the store, a panicked task) are logged with their details and answered with a generic 500:
//! nothing about files, SQL or stack traces ever leaves the server.
//!
//! API routes answer `{"error": {"code": "...", "message": "..."}}`; page routes turn the same
//! error into an HTML page (see `pages::render_errors`), using the marker this module puts in
//! the response's extensions.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Every code a client may see, with its status. Tests check that this table is complete.
pub const CODES: &[(&str, u16)] = &[
    ("bad_request", 400),
    ("bad_query", 400),
    ("unauthorized", 401),
    ("forbidden", 403),
    ("csrf", 403),
    ("not_found", 404),
    ("method_not_allowed", 405),
    ("misdirected", 421),
    ("conflict", 409),
    ("payload_too_large", 413),
    ("unsupported_media_type", 415),
    ("unprocessable", 422),
    ("unavailable", 503),
    ("internal", 500),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// What a page layer needs to render the error as HTML.
#[derive(Debug, Clone)]
pub struct ErrorMarker(pub AppError);

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable code: bad_request, bad_query, unauthorized, forbidden, csrf, not_found,
    /// method_not_allowed, misdirected, conflict, payload_too_large, unsupported_media_type, unprocessable,
    /// unavailable, internal.
    pub code: String,
    pub message: String,
}

impl AppError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        debug_assert!(CODES.iter().any(|(c, s)| *c == code && *s == status.as_u16()), "{code} {status}");
        AppError { status, code, message: message.into() }
    }
    pub fn bad_request(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "bad_request", m)
    }
    pub fn bad_query(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, "bad_query", m)
    }
    pub fn unauthorized() -> AppError {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this needs a token: send 'Authorization: Bearer TOKEN', or sign in on /login",
        )
    }
    pub fn forbidden(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, "forbidden", m)
    }
    pub fn csrf() -> AppError {
        AppError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the form is out of date or did not come from this site; reload the page and try again",
        )
    }
    pub fn not_found(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, "not_found", m)
    }
    pub fn method_not_allowed() -> AppError {
        AppError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this method is not allowed here")
    }
    /// A request that names another host (DNS rebinding, or a proxy's mistake).
    pub fn misdirected(host: &str) -> AppError {
        AppError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "misdirected",
            format!("this server does not answer to the name {host:?}; use localhost, or start it with --allow-host NAME"),
        )
    }
    pub fn conflict(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::CONFLICT, "conflict", m)
    }
    pub fn payload_too_large() -> AppError {
        AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
    }
    pub fn unsupported_media_type(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", m)
    }
    pub fn unprocessable(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", m)
    }
    pub fn unavailable(m: impl Into<String>) -> AppError {
        AppError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", m)
    }
    /// Log the details; answer a generic 500.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        let id = crate::random::random_hex(6);
        tracing::error!(error_id = %id, "internal error: {detail}");
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("internal error (logged as {id})"))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status.as_u16(), self.code, self.message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_string(), message: self.message.clone() } };
        let mut res = (self.status, axum::Json(body)).into_response();
        res.extensions_mut().insert(ErrorMarker(self));
        res
    }
}

impl From<hamkor_store::Error> for AppError {
    fn from(e: hamkor_store::Error) -> AppError {
        match e {
            hamkor_store::Error::BadQuery(m) => AppError::bad_query(m),
            other => AppError::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> AppError {
        AppError::internal(e)
    }
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(r: axum::extract::rejection::JsonRejection) -> AppError {
        use axum::extract::rejection::JsonRejection as J;
        match r {
            J::MissingJsonContentType(_) => AppError::unsupported_media_type("send Content-Type: application/json"),
            J::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::payload_too_large(),
            J::JsonDataError(e) => AppError::unprocessable(e.body_text()),
            J::JsonSyntaxError(e) => AppError::bad_request(e.body_text()),
            other => AppError::bad_request(other.body_text()),
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(r: axum::extract::rejection::QueryRejection) -> AppError {
        AppError::bad_request(r.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(_: axum::extract::rejection::PathRejection) -> AppError {
        AppError::not_found("no such page")
    }
}

impl From<axum::extract::rejection::BytesRejection> for AppError {
    fn from(r: axum::extract::rejection::BytesRejection) -> AppError {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::payload_too_large()
        } else {
            AppError::bad_request("could not read the request body")
        }
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(r: axum::extract::rejection::FormRejection) -> AppError {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::payload_too_large()
        } else if r.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            AppError::unsupported_media_type("send an HTML form (application/x-www-form-urlencoded)")
        } else {
            AppError::bad_request("could not read the form")
        }
    }
}

pub type Result<T> = std::result::Result<T, AppError>;
