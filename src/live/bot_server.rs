//! `ccsim bot`: the reference system under test. The simulation's bot actor (`actors::bot`),
//! unchanged, on wall-clock time: it hears inbound messages on its webhook and acts on the
//! platform through the Conversations API over HTTP — each of its [`ApiCall`]s becomes a
//! request to the platform (the mock, or anything that speaks the API), and the answer comes
//! back to it as the typed [`Msg::ApiResult`]. Optional faults make it slow, fail or crash, to
//! exercise a load harness.
//!
//! The webhook handler only acknowledges and hands the message to the bot's gateway. The bot
//! actor is hosted on the live runtime ([`crate::live::runtime`], which owns the ordering
//! rule): its timers are the runtime's, cancellations included, and what it asks of the
//! platform goes through the gateway. What the customer means is read from the text (the
//! simulation's [`Intent`]s in words, [`intent_of`]).

use crate::actors::{BotMsg, PlatformMsg};
use crate::model::ids::SegmentIx;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix::{Actor, Addr, AsyncContext, Context as ActixContext, Handler};
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse, HttpServer};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{Value, json};

pub use super::bot_api::error_kind;
use super::bot_api::{Thread, request};
use super::runtime::{Deliver, Host, LiveClock, Routes, Runtime};
use crate::actors::bot::Bot;
use crate::actors::{ApiAnswer, ApiCall, ConvId, Intent, Metric, Msg};
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

/// An inbound message the webhook heard, for the bot's gateway.
#[derive(Debug, actix::Message)]
#[rtype(result = "()")]
struct Heard(Inbound);

/// The bot's side of the platform boundary: what the webhook hears becomes the bot actor's
/// message; what the bot asks of the platform becomes a request over HTTP, whose answer goes
/// back to the bot. It keeps which public conversation is which of the bot's.
struct Gateway {
    runtime: Rc<Runtime>,
    bot: Addr<Host<Bot>>,
    spec: Arc<CentreSpec>,
    convs: HashMap<String, ConvId>,
    threads: HashMap<ConvId, Thread>,
    /// Conversations the bot handed over or closed: it stays out (BOT-2).
    left: HashSet<ConvId>,
    next_slot: u32,
    client: awc::Client,
    config: BotServerConfig,
    stats: Arc<Mutex<BotStats>>,
}

impl Actor for Gateway {
    type Context = ActixContext<Self>;
}

impl Gateway {
    fn stats(&self) -> std::sync::MutexGuard<'_, BotStats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn webhook(&mut self, m: Inbound, ctx: &mut ActixContext<Self>) {
        let Some(kind) = channel_kind(&m.channel) else {
            self.stats().ignored += 1;
            return;
        };
        let bot = self.spec.bot.as_ref().expect("checked at start");
        let segment = self
            .spec
            .segments
            .iter()
            .position(|s| s.channel == kind && bot.meets_first(kind));
        let Some(segment) = segment else {
            // Autopilot off, the number's AI toggle off, or not a channel of the bot (BOT-9).
            self.stats().ignored += 1;
            return;
        };
        let conv = match self.convs.get(&m.conversation) {
            Some(c) => *c,
            None => {
                let c = ConvId {
                    slot: self.next_slot,
                    generation: 1,
                };
                self.next_slot += 1;
                self.convs.insert(m.conversation.clone(), c);
                self.threads.insert(
                    c,
                    Thread {
                        public: m.conversation.clone(),
                        channel: m.channel.clone(),
                        customer: m.customer.clone(),
                        business: m.business.clone(),
                    },
                );
                c
            }
        };
        let message = m.id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let now = Instant::now();
        let delivery = BotMsg::WebhookDelivery {
            conv,
            message,
            intent: intent_of(&m.text),
            sent_ms: self.runtime.clock().virtual_ms(now),
            segment: SegmentIx(segment as u32),
            kind: m.kind,
        };
        let msg = Msg::Bot(delivery);
        if self.left.contains(&conv) {
            self.resume_if_given_back(conv, msg, ctx);
            return;
        }
        self.bot.do_send(Deliver { msg, due: now });
    }

    /// BOT-2: a message in a conversation the bot left. The bot stays out unless a human
    /// assigned the conversation back to it: it asks the platform who the assignee is, and
    /// resumes (takes the message) only if it is itself.
    fn resume_if_given_back(&mut self, conv: ConvId, msg: Msg, ctx: &mut ActixContext<Self>) {
        let Some(thread) = self.threads.get(&conv).cloned() else {
            return;
        };
        let client = self.client.clone();
        let platform = self.config.platform.clone();
        let auth = format!("App {}", self.config.api_key);
        let bot_name = self.spec.bot.as_ref().map(|b| b.name.clone());
        let bot_name = bot_name.unwrap_or_default();
        let call = ApiCall::GetConversation;
        let ask = async move {
            let names = (bot_name.as_str(), "");
            request(&client, &platform, &auth, &thread, names, call).await
        };
        let gateway = ctx.address();
        actix::spawn(async move {
            let mine = matches!(
                ask.await,
                Ok(ApiAnswer::Conversation {
                    assigned_to_caller: true
                })
            );
            gateway.do_send(Resume { conv, msg, mine });
        });
    }

    /// One API call over HTTP; its result comes back to the bot.
    fn call(&mut self, conv: ConvId, call: ApiCall) {
        let Some(thread) = self.threads.get(&conv).cloned() else {
            return;
        };
        // The handoff's step that takes the bot off the conversation: from here on it is the
        // humans' (BOT-2). A refused assignment to an agent is followed by an unassign.
        if matches!(call, ApiCall::Unassign | ApiCall::Assign) && self.left.insert(conv) {
            self.stats().handoffs += 1;
        }
        let client = self.client.clone();
        let platform = self.config.platform.clone();
        let auth = format!("App {}", self.config.api_key);
        let bot = self.spec.bot.as_ref();
        let bot_name = bot.map(|b| b.name.clone()).unwrap_or_default();
        let direct_agent = bot
            .and_then(|b| b.direct_assign.as_ref())
            .map(|d| d.group.clone())
            .unwrap_or_default();
        let stats = Arc::clone(&self.stats);
        let request = async move {
            let names = (bot_name.as_str(), direct_agent.as_str());
            let result = request(&client, &platform, &auth, &thread, names, call).await;
            let outcome = match &result {
                Ok(_) => "ok".to_string(),
                Err(kind) => format!("{kind:?}").to_lowercase(),
            };
            {
                let mut s = stats.lock().unwrap_or_else(|e| e.into_inner());
                *s.api_calls
                    .entry(call.op().as_str().to_string())
                    .or_default()
                    .entry(outcome)
                    .or_default() += 1;
            }
            result
        };
        // A task of its own, not a future of the gateway's context (which polls all of its
        // futures whenever it wakes).
        let runtime = Rc::clone(&self.runtime);
        actix::spawn(async move {
            let result = request.await;
            let msg = Msg::Bot(BotMsg::ApiResult { conv, call, result });
            runtime.deliver(msg, Instant::now());
        });
    }
}

/// The answer to [`Gateway::resume_if_given_back`]'s question: whether the conversation is
/// the bot's again, with the message that asked.
#[derive(Debug, actix::Message)]
#[rtype(result = "()")]
struct Resume {
    conv: ConvId,
    msg: Msg,
    mine: bool,
}

impl Handler<Resume> for Gateway {
    type Result = ();

    fn handle(&mut self, r: Resume, _: &mut Self::Context) {
        if r.mine && self.left.remove(&r.conv) {
            self.stats().resumed += 1;
        }
        if self.left.contains(&r.conv) {
            self.stats().ignored += 1;
            return;
        }
        self.bot.do_send(Deliver {
            msg: r.msg,
            due: Instant::now(),
        });
    }
}

impl Handler<Heard> for Gateway {
    type Result = ();

    fn handle(&mut self, heard: Heard, ctx: &mut Self::Context) {
        self.webhook(heard.0, ctx);
    }
}

impl Handler<Deliver> for Gateway {
    type Result = ();

    fn handle(&mut self, d: Deliver, _: &mut Self::Context) {
        match d.msg {
            Msg::Platform(PlatformMsg::Api { conv, call, .. }) => self.call(conv, call),
            Msg::Platform(PlatformMsg::BotResolved { conv, .. }) => {
                self.left.insert(conv);
                self.stats().resolved += 1;
            }
            // The platform here is whatever the bot calls over HTTP: nothing else it is told
            // has an effect.
            _ => {}
        }
    }
}

/// Where the bot's messages go: its own timers and messages to its host, what it asks of the
/// platform to the gateway; its metrics to the statistics.
struct BotRoutes {
    bot: Addr<Host<Bot>>,
    gateway: Addr<Gateway>,
    stats: Arc<Mutex<BotStats>>,
}

impl Routes for BotRoutes {
    fn deliver(&self, msg: Msg, due: Instant) {
        match msg {
            Msg::Bot(_) => self.bot.do_send(Deliver { msg, due }),
            Msg::Platform(_) => self.gateway.do_send(Deliver { msg, due }),
            _ => {}
        }
    }

    fn record(&self, metric: Metric, _now_ms: u64) {
        if let Metric::BotDuplicate { .. } = metric {
            self.stats
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .duplicates += 1;
        }
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
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
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
    let server = server.bind(listen).map_err(|source| BotStartError::Bind {
        addr: listen,
        source,
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
