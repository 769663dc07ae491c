//! The reference bot's side of the platform boundary, and where its messages go: what the
//! webhook hears becomes the bot actor's message; what the bot asks of the platform becomes a
//! request over HTTP, whose answer goes back to the bot (BOT-2: it stays out of conversations
//! it left, unless a human assigned one back to it).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use actix::{Actor, Addr, AsyncContext, Context as ActixContext, Handler};

use super::{BotServerConfig, BotStats, Inbound, channel_kind, intent_of};
use crate::actors::bot::Bot;
use crate::actors::{ApiAnswer, ApiCall, BotMsg, ConvId, Metric, Msg, PlatformMsg};
use crate::live::bot_api::{Thread, request};
use crate::live::runtime::{Deliver, Host, Routes, Runtime};
use crate::model::centre::CentreSpec;
use crate::model::ids::SegmentIx;

/// An inbound message the webhook heard, for the bot's gateway.
#[derive(Debug, actix::Message)]
#[rtype(result = "()")]
pub(super) struct Heard(pub(super) Inbound);

/// The bot's side of the platform boundary: what the webhook hears becomes the bot actor's
/// message; what the bot asks of the platform becomes a request over HTTP, whose answer goes
/// back to the bot. It keeps which public conversation is which of the bot's.
pub(super) struct Gateway {
    pub(super) runtime: Rc<Runtime>,
    pub(super) bot: Addr<Host<Bot>>,
    pub(super) spec: Arc<CentreSpec>,
    pub(super) convs: HashMap<String, ConvId>,
    pub(super) threads: HashMap<ConvId, Thread>,
    /// Conversations the bot handed over or closed: it stays out (BOT-2).
    pub(super) left: HashSet<ConvId>,
    pub(super) next_slot: u32,
    pub(super) client: awc::Client,
    pub(super) config: BotServerConfig,
    pub(super) stats: Arc<Mutex<BotStats>>,
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
pub(super) struct BotRoutes {
    pub(super) bot: Addr<Host<Bot>>,
    pub(super) gateway: Addr<Gateway>,
    pub(super) stats: Arc<Mutex<BotStats>>,
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
