//! `hamkor serve`: the dashboard, the review workflow and the JSON API over one store.
//!
//! ```text
//! request ─► context (language, token or session, CSRF token, loopback rule, headers)
//!              │
//!              ├─ page routes ─► handlers ─► maud HTML (charts: crates/charts SVG) ─► error → HTML page
//!              ├─ /api routes ─► handlers ─► JSON; errors {"error": {"code", "message"}}
//!              └─ write routes: require_writer first (no token, no write)
//!                                │
//!                                ▼
//!                    Db: reading pool (bounded) + one writer, on the blocking pool
//! ```
//!
//! Invariants, stated as absences:
//! - No route is registered outside [`routes::table`]; tests walk that table (every write
//!   refuses a request without a token; every API route is in the OpenAPI document).
//! - No handler writes without a [`auth::Writer`]; no reviewer name comes from a request body.
//! - No internal error text reaches a client (see [`error`]).
//! - No page needs JavaScript or the network: assets are embedded, scripts only add comfort.

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub mod agreement;
pub mod api;
pub mod auth;
pub mod data;
pub mod db;
pub mod error;
pub mod i18n;
pub mod openapi;
pub mod pages;
pub mod random;
pub mod routes;

pub use error::AppError;

/// Bodies larger than this are refused with 413 (forms, JSON).
pub const BODY_LIMIT: usize = 256 * 1024;
/// JSON lines sent to `POST /api/documents` may be this large.
pub const INGEST_LIMIT: usize = 16 * 1024 * 1024;

/// What ingest through the API does; the binary plugs in the real pipeline (this crate knows
/// nothing of files, extraction or the coder).
pub trait Ingest: Send + Sync {
    /// Store the documents of a JSON lines body (the spec's input lines) sent by `who`.
    fn ingest_jsonl(&self, store: &mut hamkor_store::SqliteStore, body: &[u8], who: &str) -> Result<IngestReport, String>;
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct IngestReport {
    pub documents_new: u64,
    pub documents_known: u64,
    pub events: u64,
    /// One line per line that could not be stored: `line N: reason`.
    pub failures: Vec<String>,
}

/// Everything `hamkor serve` needs to start.
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Reading connections used at once.
    pub readers: usize,
    /// Deadlines and concurrency of reads, and the grace period of a shutdown.
    pub budgets: db::Budgets,
    /// Host names the server answers to besides loopback's and its own address (a reverse
    /// proxy's name, say); every other `Host` gets 421.
    pub allow_hosts: Vec<String>,
    pub ingest: Option<Arc<dyn Ingest>>,
}

/// The fields of the state, as handlers see them through [`AppState`].
pub struct Inner {
    pub(crate) db: Arc<db::Db>,
    pub(crate) sessions: auth::Sessions,
    pub(crate) ingest: Option<Arc<dyn Ingest>>,
    pub(crate) cache: data::Cache,
    /// The names a request may give in `Host` (see [`auth::Hosts`]).
    pub(crate) hosts: std::sync::RwLock<auth::Hosts>,
}

/// The shared state of every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Open the store and build the state.
    pub fn open(db_path: &std::path::Path, readers: usize, ingest: Option<Arc<dyn Ingest>>) -> Result<AppState, hamkor_store::Error> {
        AppState::open_with(db_path, readers, db::Budgets::default(), ingest)
    }

    /// Open the store with the given read budgets.
    pub fn open_with(
        db_path: &std::path::Path,
        readers: usize,
        budgets: db::Budgets,
        ingest: Option<Arc<dyn Ingest>>,
    ) -> Result<AppState, hamkor_store::Error> {
        let db = db::Db::open(db_path, readers, budgets)?;
        Ok(AppState(Arc::new(Inner {
            db,
            sessions: auth::Sessions::default(),
            ingest,
            cache: data::Cache::default(),
            hosts: Default::default(),
        })))
    }
}

impl AppState {
    /// Answer to the loopback names, `listen` (every address, when it is unspecified) and
    /// `names`; see [`auth::Hosts`].
    pub fn allow_hosts(&self, listen: std::net::IpAddr, names: &[String]) {
        let hosts = auth::Hosts {
            listen: Some(listen),
            names: names.iter().map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase()).collect(),
        };
        if let Ok(mut h) = self.hosts.write() {
            *h = hosts;
        }
    }
}

/// The whole application: every route of [`routes::table`] behind the context middleware.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for (route, method_router) in routes::table() {
        router = router.route(route.path, method_router);
    }
    router
        .fallback(pages::not_found)
        .method_not_allowed_fallback(|| async { AppError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::context))
        .with_state(state)
}

/// Why the server will not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] hamkor_store::Error),
    #[error(
        "refusing to serve on {0}, which is not a loopback address, while the store has no tokens: \
         anyone on the network could read it. Create one first (hamkor token create NAME), or serve on 127.0.0.1"
    )]
    OpenToTheNetwork(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// Check the start-up rules and bind. Returns the state, the listener and the bound address
/// (which tells the port when `addr` asked for port 0).
pub async fn bind(config: &Config) -> Result<(AppState, tokio::net::TcpListener, SocketAddr), StartError> {
    let state = AppState::open_with(&config.db, config.readers, config.budgets, config.ingest.clone())?;
    state.allow_hosts(config.addr.ip(), &config.allow_hosts);
    if !config.addr.ip().is_loopback() {
        let tokens = state
            .db
            .read(|s| Ok(s.active_token_count()?))
            .await
            .map_err(|e| StartError::Store(hamkor_store::Error::Corrupt(e.message)))?;
        if tokens == 0 {
            return Err(StartError::OpenToTheNetwork(config.addr));
        }
    }
    let listener =
        tokio::net::TcpListener::bind(config.addr).await.map_err(|source| StartError::Bind { addr: config.addr, source })?;
    let local = listener.local_addr().map_err(|source| StartError::Bind { addr: config.addr, source })?;
    Ok((state, listener, local))
}

/// Serve until `shutdown` completes; then stop every read at once, let requests finish for the
/// grace period of the budgets, and return whatever still runs (a query inside FTS5, an ingest
/// coding its text): the caller ends the process, and SQLite rolls back what was not committed.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = std::sync::Arc::clone(&state.db);
    let grace = db.budgets().grace;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let signalled = async move {
        shutdown.await;
        db.begin_shutdown();
        let _ = tx.send(());
    };
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let serving = axum::serve(listener, app).with_graceful_shutdown(signalled);
    let deadline = async move {
        if rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        r = serving => r,
        _ = deadline => {
            tracing::warn!("requests still running {} s after the signal to stop; stopping anyway", grace.as_secs_f64());
            Ok(())
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Run the server on its own runtime until Ctrl-C or SIGTERM; `ready` is called with the bound
/// address once the socket listens. Internal errors are logged to standard error.
pub fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), StartError> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .try_init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("hamkor-serve")
        .build()
        .map_err(|source| StartError::Bind { addr: config.addr, source })?;
    let out = rt.block_on(async {
        let (state, listener, addr) = bind(&config).await?;
        ready(addr);
        serve(state, listener, shutdown_signal()).await.map_err(|source| StartError::Bind { addr, source })
    });
    // Dropping a runtime waits for its blocking tasks however long they run; do not.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    out
}
