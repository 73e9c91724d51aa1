//! axum's extractors with their rejections turned into [`AppError`], so that a bad query, path
//! or body gets the same stable error shape as everything else.

use crate::error::{AppError, Result};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub struct Q<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Q<T>> {
        let axum::extract::Query(v) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Q(v))
    }
}

pub struct P<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for P<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<P<T>> {
        let axum::extract::Path(v) = axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(P(v))
    }
}

pub struct J<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for J<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<J<T>> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(J(v))
    }
}

/// A body of raw bytes, within the route's limit.
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Body> {
        Ok(Body(axum::body::Bytes::from_request(req, state).await?))
    }
}
