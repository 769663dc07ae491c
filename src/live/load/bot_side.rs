//! The platform's bot side during a load: the actor that stands between the scenario's
//! customers and the mock (and through it the system under test). A customer's message to the
//! bot is stored in its conversation on the mock and POSTed to the system under test's webhook
//! at its intended time; what the system under test does on the mock (replies, closes, routes)
//! comes back here as the mock's events and goes on to the customers or, for a handoff, to the
//! human side. What the human side does to a handed-over conversation is written back to the
//! mock as Infobip's platform would: the agent who took it becomes its assignee, each agent
//! reply is an outbound message from that agent, and its end closes it.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix::{Actor, Addr, Context as ActixContext, Handler, MessageResult};
use actix_web::web::{self, Bytes};
use serde_json::json;

use super::content_mix::ContentMix;
use super::followed::{Followed, FollowedConversations};
use super::humans::{HumansRecorder, Note};
use super::measure::{IntervalRow, LoadMeasures, LoadView};
use crate::actors::platform::Platform;
use crate::actors::{AgentIx, ConvId, CustomerMsg, Intent, Msg, PlatformMsg};
use crate::live::bot_server::{api_channel, text_of};
use crate::live::mock::routes::{Shared, notify, now_ms as epoch_ms};
use crate::live::mock::state::PlatformEvent;
use crate::live::mock::wire::{AssigneeIn, ConversationIn, CreateMessage};
use crate::live::runtime::{Deliver, Host, Runtime};
use crate::live::webhook::WebhookSender;
use crate::model::centre::CentreSpec;

/// An event of the mock's (what the system under test did).
#[derive(Debug, actix::Message)]
#[rtype(result = "()")]
pub struct MockEvent(pub PlatformEvent);

/// What the human side did to a conversation, for the mock's copy of it.
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "()")]
pub enum HumanMove {
    /// An agent took it (answered, or a reassignment).
    Took {
        /// The conversation.
        conv: ConvId,
        /// The agent.
        agent: AgentIx,
    },
    /// Its agent replied.
    Replied {
        /// The conversation.
        conv: ConvId,
    },
    /// BOT-2: its agent gave it back to the bot.
    GaveBack {
        /// The conversation.
        conv: ConvId,
    },
    /// The human side is done with it (closed, or its customer gave up waiting).
    Done {
        /// The conversation.
        conv: ConvId,
    },
}

/// Where the load stands, for the run's loop.
#[derive(Debug, Clone, actix::Message)]
#[rtype(result = "Status")]
pub struct AskStatus;

/// The answer to [`AskStatus`].
#[derive(Debug, Clone)]
pub struct Status {
    /// Customer messages awaiting the system under test's reply.
    pub awaiting: u64,
    /// Webhook deliveries under way.
    pub in_flight: u64,
    /// When the system under test last did something on the mock.
    pub last_event: Instant,
    /// The figures so far.
    pub view: LoadView,
}

/// The load's figures at its end.
#[derive(Debug, Clone, actix::Message)]
#[rtype(result = "Final")]
pub struct AskFinal;

/// The answer to [`AskFinal`].
#[derive(Debug, Clone)]
pub struct Final {
    /// The figures.
    pub view: LoadView,
    /// By interval.
    pub rows: Vec<IntervalRow>,
    /// Customer messages that found no webhook to go to.
    pub no_webhook: u64,
}

/// The actor of the platform's bot side.
pub struct BotSide {
    pub(super) spec: Arc<CentreSpec>,
    pub(super) runtime: Rc<Runtime>,
    /// The human side's platform: a handoff's arrival is replayed to it.
    pub(super) humans: Addr<Host<Platform>>,
    /// The human side's recorder.
    pub(super) figures: Addr<HumansRecorder>,
    pub(super) shared: web::Data<Shared>,
    pub(super) sender: WebhookSender,
    pub(super) target: Option<String>,
    pub(super) measures: LoadMeasures,
    pub(super) content_mix: ContentMix,
    /// The bot's conversations: each one's segment, customer, arrival (replayed to the human
    /// side when it is handed over) and mock conversation.
    pub(super) followed: FollowedConversations,
    /// Handed-over conversations on the human side.
    pub(super) handed_over: HashMap<ConvId, HandedOver>,
    pub(super) no_webhook: u64,
    pub(super) last_event: Instant,
}

/// A handed-over conversation as the mock knows it.
#[derive(Debug)]
pub(super) struct HandedOver {
    /// Its id on the mock.
    public: String,
    /// Its segment and customer (its channel and numbers).
    segment: u32,
    customer: u64,
    /// The agent who holds it, once one took it.
    agent: Option<AgentIx>,
    /// Its arrival, for a later handoff after a give-back (BOT-2).
    arrival: PlatformMsg,
}

impl Actor for BotSide {
    type Context = ActixContext<Self>;
}

impl BotSide {
    fn wall_ms(&self, at: Instant) -> u64 {
        self.runtime.clock().wall_ms(at)
    }

    /// A customer's message to the platform: the bot's conversations go to the mock (and on to
    /// the system under test); the rest to the human side.
    fn customer(&mut self, msg: PlatformMsg, due: Instant) {
        match msg {
            PlatformMsg::Inbound {
                conv,
                segment,
                customer,
                ..
            } => {
                let channel = self.spec.segments[segment.index()].channel;
                let bot_first = self
                    .spec
                    .bot
                    .as_ref()
                    .is_some_and(|b| b.meets_first(channel));
                if !bot_first || api_channel(channel).is_none() {
                    self.figures.do_send(Note::Entered(conv, false));
                    let msg = Msg::Platform(msg);
                    self.humans.do_send(Deliver { msg, due });
                    return;
                }
                let followed = Followed {
                    segment: segment.0,
                    customer,
                    arrival: msg,
                    public: None,
                };
                self.followed.follow(conv, followed);
                self.send(conv, Intent::Continue, due);
            }
            PlatformMsg::ToBot { conv, intent } => self.send(conv, intent, due),
            PlatformMsg::CustomerLeft { conv } => {
                if let Some(public) = self.followed.left(conv) {
                    self.measures.left(&public);
                }
            }
            // BOT-2: the customer is back with the bot; the bot side took the conversation
            // back when its agent gave it (`HumanMove::GaveBack`).
            _ => {}
        }
    }

    /// A customer message into its conversation on the mock, and to the webhook.
    fn send(&mut self, conv: ConvId, intent: Intent, intended: Instant) {
        let Some((segment, customer)) = self.followed.target(conv) else {
            // Written before the customer heard that the system under test handed the
            // conversation over or closed it (`followed`): not sent, and counted.
            self.measures.crossed_end += 1;
            return;
        };
        let kind = self.spec.segments[segment as usize].channel;
        let channel = api_channel(kind).unwrap_or("LIVE_CHAT");
        let (from, to) = numbers(customer, segment);
        let (kind, n) = self.content_mix.next(intent);
        let content = (kind, kind.sample_content(text_of(intent), n));
        let stored = self
            .shared
            .platform()
            .inbound(channel, &from, &to, content, epoch_ms());
        let Ok(message) = stored else {
            return;
        };
        // Subscriptions hear it too (the Subscriptions API), beside the account webhook.
        notify(&self.shared, &self.sender);
        let public = message.conversation_id.clone();
        self.followed.stored(conv, &public);
        let duplicated = self.shared.webhook_policy.duplicated(&message.id);
        self.measures
            .inbound(&public, self.wall_ms(intended), duplicated);
        let url = self
            .target
            .clone()
            .or_else(|| self.shared.platform().webhook().map(String::from));
        match (url, serde_json::to_vec(&message)) {
            (Some(url), Ok(body)) => {
                self.sender
                    .deliver(url, Bytes::from(body), message.id, intended);
            }
            _ => self.no_webhook += 1,
        }
    }

    /// What the system under test did on the platform.
    fn event(&mut self, e: PlatformEvent) {
        let now = Instant::now();
        self.last_event = now;
        match e {
            PlatformEvent::Outbound { conversation, .. } => {
                if self.measures.reply(&conversation, self.wall_ms(now))
                    && let Some(conv) = self.followed.conv_of(&conversation)
                {
                    let msg = Msg::Customers(CustomerMsg::BotReplied { conv });
                    self.runtime.deliver(msg, now);
                }
            }
            PlatformEvent::Closed { conversation } => {
                // Only the load's own live conversations: not the handed-over ones the human
                // side closes.
                if let Some((conv, _)) = self.followed.end(&conversation) {
                    self.measures.ended(&conversation, false);
                    let msg = Msg::Customers(CustomerMsg::Closed { conv });
                    self.runtime.deliver(msg, now);
                }
            }
            PlatformEvent::Routed { conversation } => {
                if let Some((conv, followed)) = self.followed.end(&conversation) {
                    self.measures.ended(&conversation, true);
                    // The human side takes it from here (routing, queue, agents): its arrival
                    // is replayed there.
                    let arrival = followed.arrival;
                    let handed = HandedOver {
                        public: conversation,
                        segment: followed.segment,
                        customer: followed.customer,
                        agent: None,
                        arrival,
                    };
                    self.handed_over.insert(conv, handed);
                    self.figures.do_send(Note::Entered(conv, true));
                    let msg = Msg::Platform(arrival);
                    self.humans.do_send(Deliver { msg, due: now });
                }
            }
        }
    }

    /// The mock's copy of a handed-over conversation follows the human side.
    fn human_move(&mut self, m: HumanMove) {
        let now = epoch_ms();
        match m {
            HumanMove::Took { conv, agent } => {
                let Some(handed) = self.handed_over.get_mut(&conv) else {
                    return;
                };
                handed.agent = Some(agent);
                let body = AssigneeIn {
                    agent_id: Some(agent_id(&self.spec, agent)),
                };
                let _ = self.shared.platform().assign(&handed.public, &body, now);
                notify(&self.shared, &self.sender);
            }
            HumanMove::Replied { conv } => {
                let Some(handed) = self.handed_over.get(&conv) else {
                    return;
                };
                let Some(agent) = handed.agent else {
                    return;
                };
                let kind = self.spec.segments[handed.segment as usize].channel;
                let (customer, business) = numbers(handed.customer, handed.segment);
                let body = CreateMessage {
                    channel: Some(api_channel(kind).unwrap_or("LIVE_CHAT").into()),
                    from: Some(business),
                    to: Some(customer),
                    content_type: Some("TEXT".into()),
                    content: Some(json!({ "text": AGENT_REPLY })),
                };
                let agent = agent_id(&self.spec, agent);
                let written =
                    self.shared
                        .platform()
                        .create_message(&handed.public, &body, Some(&agent), now);
                if written.is_ok() {
                    self.figures.do_send(Note::WroteToMock);
                    notify(&self.shared, &self.sender);
                }
            }
            HumanMove::GaveBack { conv } => {
                let Some(handed) = self.handed_over.remove(&conv) else {
                    return;
                };
                // BOT-2: assigned back to the bot on the platform; the bot's part again, and
                // followed again (the customer's next message awaits its reply).
                if let Some(bot) = &self.spec.bot {
                    let body = AssigneeIn {
                        agent_id: Some(bot.name.clone()),
                    };
                    let _ = self.shared.platform().assign(&handed.public, &body, now);
                    notify(&self.shared, &self.sender);
                }
                self.measures
                    .resumed(&handed.public, self.wall_ms(Instant::now()));
                let followed = Followed {
                    segment: handed.segment,
                    customer: handed.customer,
                    arrival: handed.arrival,
                    public: Some(handed.public),
                };
                self.followed.follow(conv, followed);
            }
            HumanMove::Done { conv } => {
                let Some(HandedOver { public, .. }) = self.handed_over.remove(&conv) else {
                    return;
                };
                let close = ConversationIn {
                    status: Some("CLOSED".into()),
                    ..ConversationIn::default()
                };
                // Already closed by the system under test: nothing to do.
                let _ = self
                    .shared
                    .platform()
                    .update_conversation(&public, &close, false, now);
                notify(&self.shared, &self.sender);
            }
        }
    }
}

/// What a human agent writes live (the figures are about when, not what).
pub const AGENT_REPLY: &str = "Thanks for waiting, I am looking into it now.";

/// The customer's and the business's numbers on the mock for a customer of a segment.
fn numbers(customer: u64, segment: u32) -> (String, String) {
    (
        format!("3859{:08}", customer % 100_000_000),
        format!("38510{segment:04}"),
    )
}

/// The agent's id on the platform: its name in the scenario.
pub fn agent_id(spec: &CentreSpec, agent: AgentIx) -> String {
    spec.agents
        .get(agent.index())
        .map_or_else(|| format!("agent-{}", agent.0), |a| a.name.clone())
}

impl Handler<Deliver> for BotSide {
    type Result = ();

    fn handle(&mut self, d: Deliver, _: &mut Self::Context) {
        if let Msg::Platform(m) = d.msg {
            self.customer(m, d.due);
        }
    }
}

impl Handler<MockEvent> for BotSide {
    type Result = ();

    fn handle(&mut self, e: MockEvent, _: &mut Self::Context) {
        self.event(e.0);
    }
}

impl Handler<HumanMove> for BotSide {
    type Result = ();

    fn handle(&mut self, m: HumanMove, _: &mut Self::Context) {
        self.human_move(m);
    }
}

impl Handler<AskStatus> for BotSide {
    type Result = MessageResult<AskStatus>;

    fn handle(&mut self, _: AskStatus, _: &mut Self::Context) -> Self::Result {
        MessageResult(Status {
            awaiting: self.measures.awaiting(),
            in_flight: self.sender.in_flight(),
            last_event: self.last_event,
            view: self.measures.view(),
        })
    }
}

impl Handler<AskFinal> for BotSide {
    type Result = MessageResult<AskFinal>;

    fn handle(&mut self, _: AskFinal, _: &mut Self::Context) -> Self::Result {
        MessageResult(Final {
            view: self.measures.view(),
            rows: self.measures.rows(),
            no_webhook: self.no_webhook,
        })
    }
}
