//! `ccsim mock`: the Infobip platform's Conversations API over HTTP, for a bot or a translation
//! layer under test (`docs/platform-api.md` §1–2, §6). The semantics are the model's
//! (`model::platform_api`: closed conversations reject writes, field limits, the WhatsApp window,
//! one account webhook); this module adds the wire: ids, JSON bodies, credentials (App keys,
//! Basic, IBSSO and OAuth 2.0 tokens) with scopes (401/403), Infobip's error bodies, body-size
//! limits and content types, the documented rate limits, and a listener that stays on
//! loopback unless told otherwise. Beside it, WhatsApp's direct sends and the Messages API
//! ([`channels`]), for clients that send on the channel's own API (Infobip's Python client);
//! the account's set-up — agents, queues, routing, bots, working hours, templates
//! ([`directory`]); the Subscriptions API and the events it delivers ([`subscriptions`]); and
//! every inbound content type a customer sends ([`inbound`]).

pub mod auth;
mod auth_routes;
pub mod channels;
pub mod directory;
mod directory_routes;
pub mod head_guard;
pub mod http;
pub mod inbound;
pub mod list_index;
mod notes_routes;
pub mod queries;
pub mod rate_limit;
pub mod routes;
pub mod state;
pub mod stats;
pub mod subscriptions;
mod subscriptions_routes;
mod whatsapp_content;
pub mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use std::time::Duration;

use actix_http::{HttpService, KeepAlive};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::{AppConfig, Service};
use actix_web::http::StatusCode;
use actix_web::{App, web};
use tokio::net::TcpStream;

use self::head_guard::HeadGuard;

use self::auth::{ApiKey, Credentials};
use self::http::{Shared, worker_data};
use self::state::MockPlatform;
use crate::live::webhook::{DeliveryStats, WebhookPolicy};
use crate::model::platform_api::WindowMode;

/// The key the mock accepts when none is given (every scope).
pub const DEFAULT_KEY: &str = "ccsim-local-key";
/// The user (Basic, IBSSO and OAuth 2.0 logins) the mock accepts when none is given (every
/// scope), as `username:password`.
pub const DEFAULT_USER: &str = "ccsim-local-user:ccsim-local-password";

/// How the mock is set up.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Accepted keys.
    pub keys: Vec<ApiKey>,
    /// Accepted users, `username:password` in [`ApiKey::key`].
    pub users: Vec<ApiKey>,
    /// Answer 429 past the documented rate limits ([`rate_limit`]).
    pub rate_limits: bool,
    /// Status for unknown ids: 404 (default) or 400 (§1 leaves it open).
    pub unknown_id_status: u16,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// WhatsApp free-form outside the window: rejected at once or failed on delivery (§4).
    pub window_mode: WindowMode,
    /// Agent ids that are bots.
    pub bots: Vec<String>,
    /// The bot new inbound conversations go to, and its channels (API names).
    pub inbound_bot: Option<(String, Vec<String>)>,
    /// HTTP worker threads.
    pub workers: usize,
    /// How inbound messages are POSTed to the account webhook.
    pub webhook: WebhookPolicy,
    /// How long closed conversations are kept, ms (none: for ever).
    pub retain_closed_ms: Option<u64>,
    /// The most conversations and messages held ([`state::StoreCaps`]).
    pub caps: state::StoreCaps,
    /// The scenario whose routing rules `POST …/route` runs (none: the Default queue).
    pub routing: Option<Arc<crate::model::centre::CentreSpec>>,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            keys: vec![ApiKey::parse(DEFAULT_KEY).expect("a valid key")],
            users: vec![ApiKey::parse(DEFAULT_USER).expect("a valid user")],
            rate_limits: true,
            unknown_id_status: 404,
            max_body_bytes: 256 * 1024,
            window_mode: WindowMode::FailOnDelivery,
            bots: Vec::new(),
            inbound_bot: None,
            workers: 2,
            webhook: WebhookPolicy::default(),
            retain_closed_ms: None,
            caps: state::StoreCaps::default(),
            routing: None,
        }
    }
}

/// Errors starting the mock.
#[derive(Debug, thiserror::Error)]
pub enum MockStartError {
    /// A non-loopback address without permission.
    #[error("{0} is not a loopback address: pass --allow-remote to listen beyond this machine")]
    NotLoopback(SocketAddr),
    /// An unknown-id status other than 400 or 404.
    #[error("unknown-id status {0}: expected 400 or 404")]
    UnknownIdStatus(u16),
    /// The socket could not be bound.
    #[error("cannot listen on {addr}: {}", crate::live::bind_failure(reason))]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why (kept out of the error's chain: the message says it).
        reason: std::io::Error,
    },
}

/// The state every route shares.
pub fn shared(config: &MockConfig) -> Result<web::Data<Shared>, MockStartError> {
    let unknown_id_status = match config.unknown_id_status {
        400 => StatusCode::BAD_REQUEST,
        404 => StatusCode::NOT_FOUND,
        other => return Err(MockStartError::UnknownIdStatus(other)),
    };
    let mut platform = MockPlatform::new(config.window_mode, config.bots.clone());
    if let Some((bot, channels)) = &config.inbound_bot {
        platform.assign_inbound_to(bot, channels.clone());
    }
    platform.retain_closed_for(config.retain_closed_ms);
    platform.cap(config.caps);
    if let Some(spec) = &config.routing {
        platform.route_by(Arc::clone(spec));
    }
    platform.set_up(config.routing.as_deref(), http::now_ms());
    Ok(web::Data::new(Shared {
        platform: Mutex::new(platform),
        credentials: Credentials::new(config.keys.clone(), config.users.clone()),
        unknown_id_status,
        max_body_bytes: config.max_body_bytes,
        webhook_policy: config.webhook,
        deliveries: Arc::new(Mutex::new(DeliveryStats::default())),
        api: Mutex::new(routes::ApiStats::default()),
        limits: config
            .rate_limits
            .then(|| Mutex::new(rate_limit::RateLimits::default())),
        heads_refused: Arc::default(),
    }))
}

/// Binds the mock on `addr` (loopback unless `allow_remote`) and returns the running server
/// and the address it listens on (port 0 picks a free port).
pub fn serve(
    config: &MockConfig,
    addr: SocketAddr,
    allow_remote: bool,
) -> Result<(actix_web::dev::Server, SocketAddr), MockStartError> {
    let data = shared(config)?;
    serve_shared(data, config.workers, addr, allow_remote, true)
}

/// Serves an existing state (a load driver keeps a handle on it to inject inbound messages and
/// read the figures). A SIGINT or SIGTERM stops the server when `stop_on_signal`; a load run
/// passes `false` and ends serving itself.
pub fn serve_shared(
    data: web::Data<Shared>,
    workers: usize,
    addr: SocketAddr,
    allow_remote: bool,
    stop_on_signal: bool,
) -> Result<(actix_web::dev::Server, SocketAddr), MockStartError> {
    if !addr.ip().is_loopback() && !allow_remote {
        return Err(MockStartError::NotLoopback(addr));
    }
    let listener = std::net::TcpListener::bind(addr)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|reason| MockStartError::Bind { addr, reason })?;
    let bound = listener.local_addr().unwrap_or(addr);
    // actix-web's `HttpServer` takes plain sockets only; the mock puts its head guard between
    // the socket and actix-http, so it assembles the same server from actix-server and
    // actix-http, with `HttpServer`'s defaults (keep-alive, 5 s for a head, 1 s to close,
    // connections drained on a graceful stop).
    let mut builder = actix_server::Server::build().workers(workers.max(1));
    if !stop_on_signal {
        builder = builder.disable_signals();
    }
    let graceful = builder.graceful_shutdown_signal();
    let host = bound.to_string();
    let builder = builder
        .listen("ccsim-mock", listener, move || {
            let data = data.clone();
            let refusals = data.heads_refused.clone();
            let graceful = graceful.clone();
            let host = host.clone();
            let app = app(data)
                .into_factory()
                .map_err(|err: actix_web::Error| err.error_response());
            let http = HttpService::build()
                .graceful_shutdown_signal(move || {
                    let signal = graceful.clone();
                    async move { signal.notified().await }
                })
                .keep_alive(KeepAlive::default())
                .client_request_timeout(Duration::from_secs(5))
                .client_disconnect_timeout(Duration::from_secs(1))
                .local_addr(bound)
                .h1(map_config(app, move |_| {
                    AppConfig::__priv_test_new(false, host.clone(), bound)
                }));
            fn_service(move |io: TcpStream| {
                let peer = io.peer_addr().ok();
                let _ = io.set_nodelay(true);
                std::future::ready(Ok::<_, actix_http::error::DispatchError>((
                    HeadGuard::new(io, refusals.clone()),
                    peer,
                )))
            })
            .and_then(http)
        })
        .map_err(|reason| MockStartError::Bind { addr, reason })?;
    Ok((builder.run(), bound))
}

/// The mock's application: its routes, behind the middleware that counts each call.
fn app(
    data: web::Data<Shared>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let stats = data.clone();
    App::new()
        .app_data(data.clone())
        .app_data(worker_data(&data))
        .wrap_fn(move |req, srv| {
            let started = std::time::Instant::now();
            let method = req.method().clone();
            let call = srv.call(req);
            let stats = stats.clone();
            async move {
                let res = call.await?;
                // The matched resource's pattern, set on it as data (ids stay out of the
                // endpoint's name; asking the router again would match the path anew).
                let pattern = res.request().app_data::<routes::Endpoint>().cloned();
                let took_us = started.elapsed().as_micros() as u64;
                let status = res.status().as_u16();
                stats
                    .api
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .call(method, pattern, status, took_us);
                Ok(res)
            }
        })
        .configure(routes::routes)
}
