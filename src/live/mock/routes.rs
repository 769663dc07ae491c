//! The HTTP routes of the mock (`docs/platform-api.md` §2 #1–15): each checks the key and
//! scope, reads its body within the size limit, runs one [`MockPlatform`] operation at the
//! wall-clock time and answers with the entity or Infobip's error body. No request can make a
//! handler panic: bodies are parsed by hand, ids looked up, the lock's poison ignored (the
//! state stays consistent: every operation checks before it writes).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::auth::{ApiKey, Need, authorize};
use super::state::{ConversationsQuery, MessagesQuery, MockError, MockPlatform, TagsQuery};
use super::stats::error_name;
pub use super::stats::{ApiStats, Endpoint, EndpointView};
use super::wire::{ErrorBody, EventIn, InboundIn, Success};
use crate::live::webhook::{DeliveryStats, WebhookPolicy, WebhookSender};
use crate::model::platform_api::ApiError;

/// What every route shares.
#[derive(Debug)]
pub struct Shared {
    /// The platform.
    pub platform: Mutex<MockPlatform>,
    /// Accepted keys.
    pub keys: Vec<ApiKey>,
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
}

/// A resource at `path`, carrying its [`Endpoint`].
pub(super) fn resource(path: impl Into<String>) -> actix_web::Resource {
    let path = path.into();
    let endpoint = Endpoint(Arc::from(path.as_str()));
    web::resource(path).app_data(endpoint)
}

/// A resource at `rest` inside the scope at `scope`, named by its full pattern.
fn in_scope(scope: &str, rest: &str) -> actix_web::Resource {
    let endpoint = Endpoint(Arc::from(format!("{scope}{rest}").as_str()));
    web::resource(rest).app_data(endpoint)
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

    /// Delivery figures so far.
    pub fn deliveries(&self) -> DeliveryStats {
        self.deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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

/// Wall-clock time, ms since the Unix epoch (the live driver is the one place that reads it).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The response for a failed call.
pub fn error_response(e: &MockError, unknown_id_status: StatusCode) -> HttpResponse {
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
        MockError::Api(other) => (
            StatusCode::BAD_REQUEST,
            ErrorBody::new("BAD_REQUEST", &other.to_string(), None),
        ),
        MockError::Full { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            ErrorBody::new("TOO_MANY_REQUESTS", &e.to_string(), None),
        ),
        MockError::InvalidBody | MockError::NegativePageSize => (
            StatusCode::BAD_REQUEST,
            ErrorBody::new("BAD_REQUEST", &e.to_string(), None),
        ),
        MockError::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            ErrorBody::new("UNAUTHORIZED", "Unauthorized", None),
        ),
        MockError::Forbidden => (
            StatusCode::FORBIDDEN,
            ErrorBody::new("FORBIDDEN", "Forbidden", None),
        ),
        MockError::NoRoute => (
            StatusCode::NOT_FOUND,
            ErrorBody::new("NOT_FOUND", "Not found", None),
        ),
        MockError::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorBody::new("BAD_REQUEST", "Request body too large", None),
        ),
    };
    HttpResponse::build(status).json(body)
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

pub(super) fn allowed(req: &HttpRequest, shared: &Shared, need: Need) -> Result<(), MockError> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    authorize(header, &shared.keys, need)
}

pub(super) async fn body(payload: web::Payload, limit: usize) -> Result<Bytes, MockError> {
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(MockError::InvalidBody),
        Err(_) => Err(MockError::TooLarge),
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, MockError> {
    serde_json::from_slice(bytes).map_err(|_| MockError::InvalidBody)
}

/// Reads and parses the JSON body of a write, after the key check.
async fn json_in<T: DeserializeOwned>(
    req: &HttpRequest,
    shared: &Shared,
    payload: web::Payload,
    need: Need,
) -> Result<T, MockError> {
    allowed(req, shared, need)?;
    let bytes = body(payload, shared.max_body_bytes).await?;
    parse(&bytes)
}

async fn create_message(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let msg = json_in(&req, &shared, payload, Need::Manage).await?;
        let agent = req
            .headers()
            .get("x-agent-id")
            .and_then(|v| v.to_str().ok());
        shared.platform().create_message(&id, &msg, agent, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn get_messages(
    req: HttpRequest,
    id: web::Path<String>,
    query: Result<web::Query<MessagesQuery>, actix_web::Error>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = query.map_err(|_| MockError::InvalidBody)?;
        shared.platform().messages(&id, &q)
    });
    respond(&shared, result)
}

async fn get_conversation(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result =
        allowed(&req, &shared, Need::Read).and_then(|()| shared.platform().conversation(&id));
    respond(&shared, result)
}

async fn list_conversations(
    req: HttpRequest,
    query: Result<web::Query<ConversationsQuery>, actix_web::Error>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = query.map_err(|_| MockError::InvalidBody)?;
        shared.platform().conversation_list(&q)
    });
    respond(&shared, result)
}

async fn create_conversation(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        allowed(&req, &shared, Need::Manage)?;
        let bytes = body(payload, shared.max_body_bytes).await?;
        // Every field is optional: an empty body creates an OPEN, NORMAL conversation.
        let c = if bytes.iter().all(u8::is_ascii_whitespace) {
            Default::default()
        } else {
            parse(&bytes)?
        };
        shared.platform().create_conversation(&c, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn put_conversation(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let c = json_in(&req, &shared, payload, Need::Manage).await?;
        shared
            .platform()
            .update_conversation(&id, &c, true, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn patch_conversation(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let c = json_in(&req, &shared, payload, Need::Manage).await?;
        shared
            .platform()
            .update_conversation(&id, &c, false, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn put_assignee(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let a = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().assign(&id, &a, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn delete_assignee(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Manage)
        .and_then(|()| shared.platform().unassign(&id, now_ms()));
    respond(&shared, result)
}

async fn route(req: HttpRequest, id: web::Path<String>, shared: web::Data<Shared>) -> HttpResponse {
    let result =
        allowed(&req, &shared, Need::Manage).and_then(|()| shared.platform().route(&id, now_ms()));
    respond(&shared, result)
}

async fn add_tag(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let t = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().add_tag(&id, &t, now_ms())?;
        Ok(Success::new("Tag added to conversation successfully."))
    }
    .await;
    respond(&shared, result)
}

async fn remove_tag(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let (id, tag) = path.into_inner();
    let result = allowed(&req, &shared, Need::Manage).and_then(|()| {
        shared.platform().remove_tag(&id, &tag, now_ms())?;
        Ok(Success::new("Tag removed successfully."))
    });
    respond(&shared, result)
}

async fn create_tag(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let t = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().create_tag(&t, now_ms())
    }
    .await;
    respond(&shared, result)
}

async fn list_tags(
    req: HttpRequest,
    q: Result<web::Query<TagsQuery>, actix_web::Error>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = q.map_err(|_| MockError::InvalidBody)?;
        shared.platform().tags(&q)
    });
    respond(&shared, result)
}

async fn delete_tag(
    req: HttpRequest,
    name: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Manage).and_then(|()| {
        shared.platform().delete_tag(&name)?;
        Ok(Success::new("Tag deleted successfully."))
    });
    respond(&shared, result)
}

async fn put_metadata(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let m = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().set_metadata(&id, &m, true, now_ms())?;
        Ok(Success::new("Metadata added to conversation successfully."))
    }
    .await;
    respond(&shared, result)
}

async fn patch_metadata(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let m = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().set_metadata(&id, &m, false, now_ms())?;
        Ok(Success::new("Metadata patch to conversation successfully."))
    }
    .await;
    respond(&shared, result)
}

async fn get_metadata(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| shared.platform().metadata(&id));
    respond(&shared, result)
}

async fn delete_metadata(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Manage).and_then(|()| {
        shared.platform().delete_metadata(&id, now_ms())?;
        Ok(Success::new("Metadata deleted successfully."))
    });
    respond(&shared, result)
}

async fn add_note(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let n = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().add_note(&id, &n, now_ms())
    }
    .await;
    respond(&shared, result)
}

/// `POST …/{id}/events` (§2 #16): a typing indicator, `from`, `to`, `channel` (LIVE_CHAT,
/// APPLE_BUSINESS_CHAT or WHATSAPP) and `type` (TYPING_STARTED or TYPING_STOPPED); 200 with an
/// empty body. It changes nothing, so a closed conversation is not refused (the documents list
/// no such error for it).
async fn add_event(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let e: EventIn = json_in(&req, &shared, payload, Need::Manage).await?;
        let mut errors = BTreeMap::new();
        for (field, value) in [
            ("from", &e.from),
            ("to", &e.to),
            ("channel", &e.channel),
            ("type", &e.kind),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                errors.insert(field.to_string(), vec!["must not be blank".to_string()]);
            }
        }
        if let Some(kind) = e.kind.as_deref()
            && !kind.is_empty()
            && !["TYPING_STARTED", "TYPING_STOPPED"].contains(&kind)
        {
            errors.insert("type".to_string(), vec!["invalid value".to_string()]);
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors).into());
        }
        shared.platform().conversation(&id)?;
        if !["LIVE_CHAT", "APPLE_BUSINESS_CHAT", "WHATSAPP"]
            .contains(&e.channel.as_deref().unwrap_or(""))
        {
            return Err(ApiError::Validation(BTreeMap::from([(
                "channel".to_string(),
                vec!["Channel is not supported for provided event type".to_string()],
            )]))
            .into());
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => HttpResponse::Ok().finish(),
        Err(e) => respond::<()>(&shared, Err(e)),
    }
}

async fn configure(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let c = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().configure(&c)?;
        Ok(Success::new("Account configuration successfully updated."))
    }
    .await;
    respond(&shared, result)
}

/// `POST /ccsim/1/inbound` (ccsim's own, not Infobip's): a customer's message, as the channel
/// would bring it: stored in its conversation (WIN-2) and POSTed to the account webhook, if one
/// is set (none: nobody hears it, BOT-1).
async fn inbound(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = async {
        let m: InboundIn = json_in(&req, &shared, payload, Need::Manage).await?;
        let (message, webhook) = {
            let mut p = shared.platform();
            let message = p.inbound(&m.channel, &m.from, &m.to, &m.text, now_ms())?;
            (message, p.webhook().map(String::from))
        };
        if let Some(url) = &webhook {
            let body =
                Bytes::from(serde_json::to_vec(&message).map_err(|_| MockError::InvalidBody)?);
            sender.deliver(url.clone(), body, message.id.clone(), Instant::now());
        }
        Ok(serde_json::json!({ "message": message, "webhook": webhook.is_some() }))
    }
    .await;
    respond(&shared, result)
}

/// `GET /ccsim/1/stats`: webhook deliveries so far.
async fn stats(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).map(|()| shared.deliveries().view());
    respond(&shared, result)
}

async fn no_route(shared: web::Data<Shared>) -> HttpResponse {
    shared.count_error(&MockError::NoRoute);
    error_response(&MockError::NoRoute, shared.unknown_id_status)
}

/// The mock's routes, for an `App` with a [`Shared`] in its data.
pub fn routes(cfg: &mut web::ServiceConfig) {
    const C: &str = "/ccaas/1/conversations";
    // Fixed paths first (a string compare each); one conversation's endpoints under one scope,
    // so its id pattern is matched once per request, not once per endpoint tried.
    let one = |rest: &str| in_scope(&format!("{C}/{{id}}"), rest);
    cfg.service(
        resource(C)
            .route(web::get().to(list_conversations))
            .route(web::post().to(create_conversation)),
    )
    .service(
        resource("/ccaas/1/tags")
            .route(web::post().to(create_tag))
            .route(web::get().to(list_tags)),
    )
    .service(resource("/ccaas/1/account/configuration").route(web::put().to(configure)))
    .service(resource("/ccsim/1/inbound").route(web::post().to(inbound)))
    .service(resource("/ccsim/1/stats").route(web::get().to(stats)))
    .configure(super::channels::routes)
    .service(
        web::scope(&format!("{C}/{{id}}"))
            .service(
                one("/messages")
                    .route(web::post().to(create_message))
                    .route(web::get().to(get_messages)),
            )
            .service(
                one("")
                    .route(web::get().to(get_conversation))
                    .route(web::put().to(put_conversation))
                    .route(web::patch().to(patch_conversation)),
            )
            .service(
                one("/assignee")
                    .route(web::put().to(put_assignee))
                    .route(web::delete().to(delete_assignee)),
            )
            .service(one("/route").route(web::post().to(route)))
            .service(one("/tags").route(web::post().to(add_tag)))
            .service(one("/tags/{tag}").route(web::delete().to(remove_tag)))
            .service(
                one("/metadata")
                    .route(web::put().to(put_metadata))
                    .route(web::patch().to(patch_metadata))
                    .route(web::get().to(get_metadata))
                    .route(web::delete().to(delete_metadata)),
            )
            .service(
                one("/notes")
                    .route(web::post().to(add_note))
                    .route(web::get().to(super::notes_routes::get_notes)),
            )
            .service(one("/notes/{note}").route(web::get().to(super::notes_routes::get_note)))
            .service(one("/events").route(web::post().to(add_event))),
    )
    .service(resource("/ccaas/1/tags/{name}").route(web::delete().to(delete_tag)))
    .default_service(web::to(no_route));
}
