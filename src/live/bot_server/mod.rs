//! `ccsim bot`: the reference system under test. The simulation's bot actor (`actors::bot`),
//! unchanged, on wall-clock time: it hears inbound messages on its webhook and acts on the
//! platform through the Conversations API over HTTP — each of its [`ApiCall`](crate::actors::ApiCall)s becomes a
//! request to the platform (the mock, or anything that speaks the API), and the answer comes
//! back to it as the typed [`BotMsg::ApiResult`](crate::actors::BotMsg::ApiResult). Optional faults make it slow, fail or crash, to
//! exercise a load harness.
//!
//! The webhook handler only acknowledges and hands the message to the bot's gateway. The bot
//! actor is hosted on the live runtime ([`crate::live::runtime`], which owns the ordering
//! rule): its timers are the runtime's, cancellations included, and what it asks of the
//! platform goes through the gateway. What the customer means is read from the text (the
//! simulation's [`Intent`]s in words, [`intent_of`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix::Actor;
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse, HttpServer};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{Value, json};

pub use super::bot_api::error_kind;
mod gateway;

use self::gateway::{BotRoutes, Gateway, Heard};
use super::runtime::{Host, LiveClock, Runtime};
use crate::actors::Intent;
use crate::actors::bot::Bot;
use crate::model::bot::HANDOFF_TAG;
use crate::model::bot::whatsapp::InboundKind;
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelKind;

/// What the customer means, read from its text: a request for a person, thanks, or a question.
pub fn intent_of(text: &str) -> Intent {
    let t = text.to_lowercase();
    if ["human", "agent", "person", "operator"]
        .iter()
        .any(|w| t.contains(w))
    {
        Intent::WantsHuman
    } else if ["thank", "that's all", "that is all", "bye"]
        .iter()
        .any(|w| t.contains(w))
    {
        Intent::Satisfied
    } else {
        Intent::Continue
    }
}

/// The words the load generator writes for each intent ([`intent_of`] reads them back).
pub fn text_of(intent: Intent) -> &'static str {
    match intent {
        Intent::Continue => "I have a question about my order.",
        Intent::Satisfied => "Thanks, that's all.",
        Intent::WantsHuman => "Can I talk to a human, please?",
    }
}

/// The channel kind of an API channel name.
pub fn channel_kind(name: &str) -> Option<ChannelKind> {
    Some(match name {
        "WHATSAPP" => ChannelKind::Whatsapp,
        "LIVE_CHAT" => ChannelKind::LiveChat,
        "SMS" => ChannelKind::Sms,
        "VIBER" | "VIBER_BOT" => ChannelKind::Viber,
        "TELEGRAM" => ChannelKind::Telegram,
        "FACEBOOK_MESSENGER" => ChannelKind::Messenger,
        "APPLE_BUSINESS_CHAT" => ChannelKind::AppleMessagesForBusiness,
        "EMAIL" => ChannelKind::Email,
        _ => return None,
    })
}

/// The API channel name of a channel kind (none for those Create Message does not take).
pub fn api_channel(kind: ChannelKind) -> Option<&'static str> {
    Some(match kind {
        ChannelKind::Whatsapp => "WHATSAPP",
        ChannelKind::LiveChat => "LIVE_CHAT",
        ChannelKind::Sms => "SMS",
        ChannelKind::Viber => "VIBER",
        ChannelKind::Telegram => "TELEGRAM",
        ChannelKind::Messenger => "FACEBOOK_MESSENGER",
        ChannelKind::AppleMessagesForBusiness => "APPLE_BUSINESS_CHAT",
        ChannelKind::Email => "EMAIL",
        ChannelKind::GoogleBusinessMessages | ChannelKind::Voice | ChannelKind::Video => {
            return None;
        }
    })
}

/// Faults the reference bot can be told to have.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    /// Every webhook answered this late, ms.
    pub slow_ms: u64,
    /// Share of webhooks answered 500 (and dropped), 0..1.
    pub error_share: f64,
    /// The process exits this long after start, ms.
    pub crash_after_ms: Option<u64>,
}

/// How the bot runs.
#[derive(Debug, Clone)]
pub struct BotServerConfig {
    /// The scenario's centre (its `[bot]`: outcomes are the customers', reply times and actions
    /// are the bot's).
    pub spec: Arc<CentreSpec>,
    /// The platform's base URL, e.g. `http://127.0.0.1:8089`.
    pub platform: String,
    /// Its API key.
    pub api_key: String,
    /// Seed of the bot's random streams.
    pub seed: u64,
    /// Faults.
    pub faults: Faults,
    /// HTTP timeout of API calls, ms.
    pub api_timeout_ms: u64,
    /// How long to keep trying to reach the platform at start, ms (0: once), so the bot and
    /// the platform may start in either order.
    pub connect_retry_ms: u64,
    /// Whether a SIGINT or SIGTERM stops the server (a standalone `ccsim bot`); off inside a
    /// load run, which decides itself when serving ends ([`crate::live::load::interrupt`]).
    pub stop_on_signal: bool,
}

/// What the bot did, for `GET /stats`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BotStats {
    /// Webhook POSTs received.
    pub webhooks: u64,
    /// Of those, answered 500 by an injected fault.
    pub faulted: u64,
    /// Ignored: not an inbound message, not a channel the bot is on, or a conversation it left.
    pub ignored: u64,
    /// Repeated deliveries ignored (BOT-5).
    pub duplicates: u64,
    /// API calls by operation and outcome (`ok`, or the error).
    pub api_calls: BTreeMap<String, BTreeMap<String, u64>>,
    /// Resolved sessions.
    pub resolved: u64,
    /// Handoffs begun.
    pub handoffs: u64,
    /// Conversations a human gave back to the bot, which it resumed (BOT-2).
    pub resumed: u64,
}

/// An inbound message as the webhook brought it.
#[derive(Debug, Clone)]
struct Inbound {
    id: String,
    conversation: String,
    channel: String,
    customer: String,
    business: String,
    text: String,
    kind: InboundKind,
}

impl Inbound {
    /// From the Message object (§3a); `None` for anything else, or an outbound message.
    fn parse(body: &[u8]) -> Option<Self> {
        let v: Value = serde_json::from_slice(body).ok()?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        if field("direction").as_deref() != Some("INBOUND") {
            return None;
        }
        Some(Self {
            id: field("id")?,
            conversation: field("conversationId")?,
            channel: field("channel")?,
            customer: field("from")?,
            business: field("to")?,
            text: v
                .get("content")
                .and_then(|c| c.get("text"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            kind: inbound_kind(field("contentType").as_deref()),
        })
    }
}

/// WIN-6: what an inbound message is, by its `contentType` (a message without one is text;
/// one of a type the AI does not read, a system message).
pub fn inbound_kind(content_type: Option<&str>) -> InboundKind {
    match content_type {
        None | Some("TEXT" | "BUTTON" | "INTERACTIVE_BUTTON_REPLY" | "INTERACTIVE_LIST_REPLY") => {
            InboundKind::Text
        }
        Some("VOICE" | "AUDIO") => InboundKind::VoiceNote,
        Some("IMAGE") => InboundKind::Image,
        Some("VIDEO") => InboundKind::Video,
        Some("DOCUMENT" | "FILE") => InboundKind::Document,
        Some("LOCATION") => InboundKind::Location,
        Some("STICKER") => InboundKind::Sticker,
        Some(_) => InboundKind::System,
    }
}

/// Why the bot could not start (BOT-11 among them).
#[derive(Debug, thiserror::Error)]
pub enum BotStartError {
    /// The scenario has no `[bot]`.
    #[error("the scenario has no [bot] section")]
    NoBot,
    /// The platform did not answer.
    #[error("cannot reach the platform at {0}: check the base URL (BOT-11)")]
    Unreachable(String),
    /// The key was refused.
    #[error(
        "the platform refused the API key ({0}): it needs the conversations:manage scope (BOT-11)"
    )]
    Refused(u16),
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {}", crate::live::bind_failure(reason))]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why (kept out of the error's chain: the message says it).
        reason: std::io::Error,
    },
}

/// Connects to the platform (creating the handoff tag, which also proves the key and its
/// scope, BOT-11), optionally registers `webhook_url` as the account webhook (BOT-1: without
/// it the bot never hears anything), binds `listen`, and returns the server, the address it
/// listens on and its statistics. Call inside an actix system; the bot's task runs there.
pub async fn start(
    config: BotServerConfig,
    listen: SocketAddr,
    register_webhook: bool,
) -> Result<(actix_web::dev::Server, SocketAddr, Arc<Mutex<BotStats>>), BotStartError> {
    if config.spec.bot.is_none() {
        return Err(BotStartError::NoBot);
    }
    let client = awc::Client::builder()
        .timeout(Duration::from_millis(config.api_timeout_ms.max(1)))
        .finish();
    let base = config.platform.trim_end_matches('/').to_string();
    let auth = format!("App {}", config.api_key);
    let give_up = Instant::now() + Duration::from_millis(config.connect_retry_ms);
    let resp = loop {
        let sent = client
            .post(format!("{base}/ccaas/1/tags"))
            .insert_header(("authorization", auth.as_str()))
            .insert_header(("content-type", "application/json"))
            .send_body(json!({ "name": HANDOFF_TAG }).to_string())
            .await;
        match sent {
            Ok(resp) => break resp,
            Err(_) if Instant::now() < give_up => {
                actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => return Err(BotStartError::Unreachable(base.clone())),
        }
    };
    match resp.status().as_u16() {
        200..=299 | 400 => {} // 400: the tag exists already.
        s @ (401 | 403) => return Err(BotStartError::Refused(s)),
        _ => return Err(BotStartError::Unreachable(base.clone())),
    }
    let stats = Arc::new(Mutex::new(BotStats::default()));
    // The bot actor and its gateway on the live runtime.
    let runtime = Runtime::new(
        Arc::clone(&config.spec),
        config.seed,
        LiveClock::new(0, 1.0),
    );
    let bot = Host::start(Bot::new(Arc::clone(&config.spec)), &runtime);
    let gateway = Gateway {
        runtime: Rc::clone(&runtime),
        bot: bot.clone(),
        spec: Arc::clone(&config.spec),
        convs: HashMap::new(),
        threads: HashMap::new(),
        left: HashSet::new(),
        next_slot: 0,
        client: client.clone(),
        config: config.clone(),
        stats: Arc::clone(&stats),
    }
    .start();
    runtime.connect(Rc::new(BotRoutes {
        bot,
        gateway: gateway.clone(),
        stats: Arc::clone(&stats),
    }));
    let tx = gateway;
    let server_stats = Arc::clone(&stats);
    let faults = config.faults;
    let fault_seed = config.seed;
    let server = HttpServer::new(move || {
        let tx = tx.clone();
        let stats = Arc::clone(&server_stats);
        let rng = Rc::new(std::cell::RefCell::new(ChaCha8Rng::seed_from_u64(
            fault_seed,
        )));
        App::new()
            .app_data(web::PayloadConfig::new(1 << 20))
            .route(
                "/webhook",
                web::post().to(move |body: Bytes| {
                    let tx = tx.clone();
                    let stats = Arc::clone(&stats);
                    let fails = rng.borrow_mut().random::<f64>() < faults.error_share;
                    async move {
                        stats.lock().unwrap_or_else(|e| e.into_inner()).webhooks += 1;
                        if faults.slow_ms > 0 {
                            actix_web::rt::time::sleep(Duration::from_millis(faults.slow_ms)).await;
                        }
                        if fails {
                            stats.lock().unwrap_or_else(|e| e.into_inner()).faulted += 1;
                            return HttpResponse::InternalServerError().finish();
                        }
                        match Inbound::parse(&body) {
                            Some(m) => tx.do_send(Heard(m)),
                            None => {
                                stats.lock().unwrap_or_else(|e| e.into_inner()).ignored += 1;
                            }
                        }
                        HttpResponse::Ok().finish()
                    }
                }),
            )
            .route(
                "/stats",
                web::get().to({
                    let stats = Arc::clone(&server_stats);
                    move || {
                        let s = stats.lock().unwrap_or_else(|e| e.into_inner()).clone();
                        async move { HttpResponse::Ok().json(s) }
                    }
                }),
            )
    })
    .workers(1);
    let server = if config.stop_on_signal {
        server
    } else {
        server.disable_signals()
    };
    let server = server.bind(listen).map_err(|reason| BotStartError::Bind {
        addr: listen,
        reason,
    })?;
    let bound = server.addrs().first().copied().unwrap_or(listen);
    if register_webhook {
        let url = format!("http://{bound}/webhook");
        let ok = client
            .put(format!("{base}/ccaas/1/account/configuration"))
            .insert_header(("authorization", auth.as_str()))
            .insert_header(("content-type", "application/json"))
            .send_body(json!({ "webhookUrl": url }).to_string())
            .await
            .map_err(|_| BotStartError::Unreachable(base.clone()))?;
        if matches!(ok.status().as_u16(), 401 | 403) {
            return Err(BotStartError::Refused(ok.status().as_u16()));
        }
    }
    if let Some(after) = faults.crash_after_ms {
        actix_web::rt::spawn(async move {
            actix_web::rt::time::sleep(Duration::from_millis(after)).await;
            eprintln!("ccsim bot: crashing as told (--crash-after-s)");
            std::process::exit(3);
        });
    }
    Ok((server.run(), bound, stats))
}
