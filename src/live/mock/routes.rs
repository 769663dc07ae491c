//! The HTTP routes of the mock (`docs/platform-api.md` §2 #1–15): each checks the key and
//! scope, reads its body within the size limit, runs one [`MockPlatform`](crate::live::mock::state::MockPlatform) operation at the
//! wall-clock time and answers with the entity or Infobip's error body. No request can make a
//! handler panic: bodies are parsed by hand, ids looked up, the lock's poison ignored (the
//! state stays consistent: every operation checks before it writes).

use std::collections::BTreeMap;
use std::time::Instant;

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};

use super::auth::Need;
pub use super::http::{Shared, error_response, notify, now_ms, worker_data};
use super::http::{
    allowed, body, in_scope, json_content_type, json_in, no_route, parse, resource, respond,
};
use super::inbound::{self, InboundType};
use super::queries::Query;
use super::rate_limit::Limit;
use super::state::{ConversationsQuery, MessagesQuery, MockError, TagsQuery};
pub use super::stats::{ApiStats, Endpoint, EndpointView};
use super::wire::{EventIn, InboundIn, Success};
use crate::live::webhook::WebhookSender;
use crate::model::platform_api::ApiError;

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
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        shared.throttle(Limit::GetMessages)?;
        let q = MessagesQuery::read(&Query::parse(req.query_string()))?;
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

async fn list_conversations(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = ConversationsQuery::read(&Query::parse(req.query_string()))?;
        shared.platform().conversation_list(&q)
    });
    respond(&shared, result)
}

async fn create_conversation(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = async {
        allowed(&req, &shared, Need::Manage)?;
        let bytes = body(payload, shared.max_body_bytes).await?;
        // Every field is optional: an empty body creates an OPEN, NORMAL conversation.
        json_content_type(&req, &bytes)?;
        let c = if bytes.iter().all(u8::is_ascii_whitespace) {
            Default::default()
        } else {
            parse(&req, &shared, &bytes)?
        };
        shared.platform().create_conversation(&c, now_ms())
    }
    .await;
    notify(&shared, &sender);
    respond(&shared, result)
}

async fn put_conversation(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = async {
        let c = json_in(&req, &shared, payload, Need::Manage).await?;
        shared
            .platform()
            .update_conversation(&id, &c, true, now_ms())
    }
    .await;
    notify(&shared, &sender);
    respond(&shared, result)
}

async fn patch_conversation(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = async {
        let c = json_in(&req, &shared, payload, Need::Manage).await?;
        shared
            .platform()
            .update_conversation(&id, &c, false, now_ms())
    }
    .await;
    notify(&shared, &sender);
    respond(&shared, result)
}

async fn put_assignee(
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = async {
        let a = json_in(&req, &shared, payload, Need::Manage).await?;
        shared.platform().assign(&id, &a, now_ms())
    }
    .await;
    notify(&shared, &sender);
    respond(&shared, result)
}

async fn delete_assignee(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Manage)
        .and_then(|()| shared.platform().unassign(&id, now_ms()));
    notify(&shared, &sender);
    respond(&shared, result)
}

async fn route(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
    sender: web::Data<WebhookSender>,
) -> HttpResponse {
    let result =
        allowed(&req, &shared, Need::Manage).and_then(|()| shared.platform().route(&id, now_ms()));
    notify(&shared, &sender);
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

async fn list_tags(req: HttpRequest, shared: web::Data<Shared>) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        let q = TagsQuery::read(&Query::parse(req.query_string()))?;
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

/// `GET …/{id}/simulate-routing`: where `…/route` would send the conversation now.
async fn simulate_routing(
    req: HttpRequest,
    id: web::Path<String>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result =
        allowed(&req, &shared, Need::Read).and_then(|()| shared.platform().simulate_routing(&id));
    respond(&shared, result)
}

/// `GET …/{id}/links`: conversations linked to this one (a merge or a split in the web
/// interface); the mock links none.
async fn links(req: HttpRequest, id: web::Path<String>, shared: web::Data<Shared>) -> HttpResponse {
    let result = allowed(&req, &shared, Need::Read).and_then(|()| {
        shared.platform().conversation(&id)?;
        Ok(serde_json::json!({ "linkedConversations": [] }))
    });
    respond(&shared, result)
}

/// The type and content of an inbound message: `contentType` and `content`, or `text` alone.
fn inbound_content(m: &InboundIn) -> Result<(InboundType, serde_json::Value), MockError> {
    match (&m.content_type, &m.content, &m.text) {
        (Some(ct), content, _) => {
            let content = content.clone().unwrap_or(serde_json::Value::Null);
            Ok((inbound::check(ct, &content)?, content))
        }
        (None, None, Some(text)) => {
            let content = serde_json::json!({ "text": text });
            Ok((inbound::check("TEXT", &content)?, content))
        }
        _ => Err(ApiError::Validation(BTreeMap::from([(
            "text".to_string(),
            vec!["give text, or contentType and content".to_string()],
        )]))
        .into()),
    }
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
            let message = p.inbound(&m.channel, &m.from, &m.to, inbound_content(&m)?, now_ms())?;
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
    notify(&shared, &sender);
    respond(&shared, result)
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
    .service(resource("/ccsim/1/stats").route(web::get().to(super::http::stats)))
    .configure(super::channels::routes)
    .configure(super::auth_routes::routes)
    .configure(super::directory_routes::routes)
    .configure(super::subscriptions_routes::routes)
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
            .service(one("/events").route(web::post().to(add_event)))
            .service(one("/simulate-routing").route(web::get().to(simulate_routing)))
            .service(one("/links").route(web::get().to(links))),
    )
    .service(resource("/ccaas/1/tags/{name}").route(web::delete().to(delete_tag)))
    .default_service(web::to(no_route));
}
