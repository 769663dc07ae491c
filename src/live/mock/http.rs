//! The mock's HTTP plumbing, shared by every route: the state behind them ([`Shared`]), the
//! credential check, reading a body (size limit, content type, unknown fields counted and
//! ignored as Infobip's servers ignore them), the documented rate limits, and Infobip's error
//! body for every status the mock answers (`docs/platform-api.md` §1, §6).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::auth::{Credentials, Need};
use super::rate_limit::{Limit, RateLimits};
use super::state::{MockError, MockPlatform};
use super::stats::{ApiStats, Endpoint, error_name};
use super::wire::ErrorBody;
use crate::live::webhook::{DeliveryStats, WebhookPolicy, WebhookSender};
use crate::model::platform_api::ApiError;

/// What every route shares.
#[derive(Debug)]
pub struct Shared {
    /// The platform.
    pub platform: Mutex<MockPlatform>,
    /// Accepted keys, users and the tokens issued to them.
    pub credentials: Credentials,
    /// HTTP status for an unknown id (§1 leaves 400 or 404 open; 404 by default).
    pub unknown_id_status: StatusCode,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// How inbound messages are POSTed to the account webhook.
    pub webhook_policy: WebhookPolicy,
    /// What became of those POSTs.
    pub deliveries: Arc<Mutex<DeliveryStats>>,
    /// The calls the mock answered.
    pub api: Mutex<ApiStats>,
    /// The documented rate limits, when on.
    pub limits: Option<Mutex<RateLimits>>,
    /// Request heads refused with 431 before actix-http read them ([`super::head_guard`]).
    pub heads_refused: Arc<std::sync::atomic::AtomicU64>,
}

/// A resource at `path`, carrying its [`Endpoint`]; a method it does not serve gets 405 with
/// Infobip's error body.
pub(super) fn resource(path: impl Into<String>) -> actix_web::Resource {
    let path = path.into();
    let endpoint = Endpoint(Arc::from(path.as_str()));
    web::resource(path)
        .app_data(endpoint)
        .default_service(web::to(method_not_allowed))
}

/// A resource at `rest` inside the scope at `scope`, named by its full pattern.
pub(super) fn in_scope(scope: &str, rest: &str) -> actix_web::Resource {
    let endpoint = Endpoint(Arc::from(format!("{scope}{rest}").as_str()));
    web::resource(rest)
        .app_data(endpoint)
        .default_service(web::to(method_not_allowed))
}

impl Shared {
    /// The platform, locked (a poisoned lock is taken as is: every operation checks before it
    /// writes, so the state is consistent).
    pub fn platform(&self) -> std::sync::MutexGuard<'_, MockPlatform> {
        self.platform.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The API figures so far.
    pub fn api_stats(&self) -> ApiStats {
        self.api.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn count_error(&self, e: &MockError) {
        let mut api = self.api.lock().unwrap_or_else(|e| e.into_inner());
        *api.errors.entry(error_name(e).to_string()).or_default() += 1;
    }

    /// Counts body fields the endpoint does not know (ignored, as Infobip ignores them).
    fn count_unknown_fields(&self, req: &HttpRequest, fields: &[String]) {
        let endpoint = format!(
            "{} {}",
            req.method(),
            req.match_pattern()
                .unwrap_or_else(|| req.path().to_string())
        );
        let mut api = self.api.lock().unwrap_or_else(|e| e.into_inner());
        for field in fields {
            // Field names are the client's: a hostile one could send a new name each call.
            // At most 1,000 names are kept, each cut to 100 characters; the rest count
            // together.
            let name: String = field.chars().take(100).collect();
            let mut key = format!("{endpoint} {name}");
            if !api.unknown_fields.contains_key(&key) && api.unknown_fields.len() >= 1_000 {
                key = "(other fields)".to_string();
            }
            *api.unknown_fields.entry(key).or_default() += 1;
        }
    }

    /// Delivery figures so far.
    pub fn deliveries(&self) -> DeliveryStats {
        self.deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Takes one call from `limit`'s budget: 429 when it is spent.
    pub(super) fn throttle(&self, limit: Limit) -> Result<(), MockError> {
        match &self.limits {
            None => Ok(()),
            Some(l) => l
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(limit, now_ms()),
        }
    }
}

/// The webhook sender of one worker thread (its HTTP client is the thread's), reporting to the
/// shared delivery figures. Give it to each `App` beside [`Shared`].
pub fn worker_data(shared: &Shared) -> web::Data<WebhookSender> {
    let stats = Arc::clone(&shared.deliveries);
    let sink = Arc::new(move |r: crate::live::webhook::DeliveryReport| {
        stats.lock().unwrap_or_else(|e| e.into_inner()).record(&r);
    });
    web::Data::new(WebhookSender::new(shared.webhook_policy, sink))
}

/// Delivers what the last operations noted for the subscriptions ([`super::subscriptions`]).
pub fn notify(shared: &Shared, sender: &WebhookSender) {
    let batch = shared.platform().take_notifications();
    for n in batch {
        sender.deliver_with(
            n.url,
            n.headers,
            Bytes::from(n.body),
            n.id,
            std::time::Instant::now(),
        );
    }
}

/// Wall-clock time, ms since the Unix epoch (the live driver is the one place that reads it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The response for a failed call: Infobip's error body, `messageId` naming the status.
pub fn error_response(e: &MockError, unknown_id_status: StatusCode) -> HttpResponse {
    let plain = |status: StatusCode, id: &str| (status, ErrorBody::new(id, &e.to_string(), None));
    let (status, body) = match e {
        MockError::Api(ApiError::NotFound(id)) => (
            unknown_id_status,
            ErrorBody::new(
                "NOT_FOUND",
                &format!("Invalid id '{id}' given! No such entity exists."),
                None,
            ),
        ),
        MockError::Api(ApiError::Validation(fields)) => (
            StatusCode::BAD_REQUEST,
            ErrorBody::new("BAD_REQUEST", "Bad request", Some(fields.clone())),
        ),
        MockError::Api(_) | MockError::InvalidBody | MockError::NegativePageSize => {
            plain(StatusCode::BAD_REQUEST, "BAD_REQUEST")
        }
        MockError::Full { .. } | MockError::RateLimited { .. } | MockError::SetUpFull(_) => {
            plain(StatusCode::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS")
        }
        MockError::Unauthorized => plain(StatusCode::UNAUTHORIZED, "UNAUTHORIZED"),
        MockError::Forbidden => plain(StatusCode::FORBIDDEN, "FORBIDDEN"),
        MockError::NoRoute => plain(StatusCode::NOT_FOUND, "NOT_FOUND"),
        MockError::MethodNotAllowed => plain(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
        MockError::TooLarge => plain(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE"),
        MockError::UnsupportedMediaType(_) => {
            plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE")
        }
    };
    let mut response = HttpResponse::build(status);
    if let MockError::RateLimited { retry_after_s } = e {
        response.insert_header(("Retry-After", retry_after_s.to_string()));
    }
    response.json(body)
}

pub(super) fn respond<T: Serialize>(shared: &Shared, result: Result<T, MockError>) -> HttpResponse {
    match result {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => {
            shared.count_error(&e);
            error_response(&e, shared.unknown_id_status)
        }
    }
}

fn authorization(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
}

pub(super) fn allowed(req: &HttpRequest, shared: &Shared, need: Need) -> Result<(), MockError> {
    shared
        .credentials
        .authorize(authorization(req), need, now_ms())
}

pub(super) async fn body(payload: web::Payload, limit: usize) -> Result<Bytes, MockError> {
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(MockError::InvalidBody),
        Err(_) => Err(MockError::TooLarge),
    }
}

/// A body must come as JSON (`application/json`, or a `+json` type, any parameters): anything
/// else is 415, as Infobip's servers answer. An empty body needs no content type.
pub(super) fn json_content_type(req: &HttpRequest, bytes: &[u8]) -> Result<(), MockError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let given = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if json {
        Ok(())
    } else {
        let shown: String = given.chars().filter(|c| !c.is_control()).take(80).collect();
        Err(MockError::UnsupportedMediaType(shown))
    }
}

/// Parses a JSON body; fields the type does not know are ignored and counted.
pub(super) fn parse<T: DeserializeOwned>(
    req: &HttpRequest,
    shared: &Shared,
    bytes: &[u8],
) -> Result<T, MockError> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
        .map_err(|_| MockError::InvalidBody)?;
    de.end().map_err(|_| MockError::InvalidBody)?;
    if !unknown.is_empty() {
        shared.count_unknown_fields(req, &unknown);
    }
    Ok(value)
}

/// Reads and parses the JSON body of a write, after the credential check.
pub(super) async fn json_in<T: DeserializeOwned>(
    req: &HttpRequest,
    shared: &Shared,
    payload: web::Payload,
    need: Need,
) -> Result<T, MockError> {
    allowed(req, shared, need)?;
    let bytes = body(payload, shared.max_body_bytes).await?;
    json_content_type(req, &bytes)?;
    parse(req, shared, &bytes)
}

/// A path the mock does not serve: 401 for a caller it does not know (Infobip's gateway checks
/// the credential before it routes, so a stranger learns nothing of which paths exist), else
/// 404 **(ours: decided from the documents' 401 on every operation; the gateway's order is not
/// written down)**.
pub(super) async fn no_route(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let e = if shared.credentials.known(authorization(&req), now_ms()) {
        MockError::NoRoute
    } else {
        MockError::Unauthorized
    };
    shared.count_error(&e);
    error_response(&e, shared.unknown_id_status)
}

/// A method a served path does not take: 405, likewise after the credential check.
async fn method_not_allowed(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let e = if shared.credentials.known(authorization(&req), now_ms()) {
        MockError::MethodNotAllowed
    } else {
        MockError::Unauthorized
    };
    shared.count_error(&e);
    error_response(&e, shared.unknown_id_status)
}

/// Figures of the mock's own: deliveries, and the body fields it ignored.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    /// Webhook deliveries.
    #[serde(flatten)]
    pub deliveries: crate::live::webhook::DeliveryView,
    /// Body fields an endpoint does not know, ignored as Infobip ignores them: `METHOD path
    /// field` → times seen.
    pub unknown_fields: std::collections::BTreeMap<String, u64>,
    /// Requests refused with 431 for a head too large, before any endpoint saw them.
    pub request_heads_refused: u64,
}

/// `GET /ccsim/1/stats`.
pub(super) async fn stats(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).map(|()| StatsView {
        deliveries: shared.deliveries().view(),
        unknown_fields: shared.api_stats().unknown_fields,
        request_heads_refused: shared
            .heads_refused
            .load(std::sync::atomic::Ordering::Relaxed),
    });
    respond(&shared, result)
}
