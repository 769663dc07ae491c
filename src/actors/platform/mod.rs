//! The platform: routing of new conversations (RT-1), working hours (WH-1..4), and the adapter
//! between the actors and the assignment service (`model::assignment::Assigner`), which owns
//! agents' availability (ST-1, ST-2, AA-5), every queue's waiting conversations and every
//! assignment decision (AA-2..12). Infobip runs one assignment at a time (AA-3): this actor
//! holds the one service and handles one message at a time, so no two assignments ever see the
//! same free slot.
//!
//! Each message that changes what assignment sees becomes one call of the service; what it
//! decides comes back as offers (sent to the queue, which hands the conversation to the agent
//! or declines when it just left), shown statuses (recorded) and conversations nobody could
//! take (their queue may start the waiting strategy, WS-1). An offer reserves the slot at once;
//! a declined offer gives it back.
//!
//! Beside this file: `intake` (working hours and routing of new conversations), `moves` (queue
//! changes, AA-11, and unassigned conversations going back to a queue), `workflows` (the
//! workflow engine, WF-1..5), `bot_side` and `api` (the bot and the Conversations API).

use crate::actors::{CustomerMsg, PlatformMsg, QueueMsg};
use crate::model::FastMap;
use crate::model::ids::{AgentIx, QueueIx};
use std::sync::Arc;

use super::{Context, ConvId, Layout, Metric, Msg, WorkItem};
use crate::model::assignment::assigner::AgentSetup;
use crate::model::assignment::{Assigner, Decision, Decisions, History, Waiting};
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;
use crate::model::status::ConversationStatus;

pub use crate::model::assignment::assigner::INDEX_THRESHOLD;

/// The platform actor.
#[derive(Debug)]
pub struct Platform {
    spec: Arc<CentreSpec>,
    /// The assignment service (AA-3: the one owner of availability and waiting lines).
    assigner: Assigner<ConvId>,
    /// Reused for every call of the service.
    decisions: Decisions<ConvId>,
    /// Unassigned conversations waiting in a queue in a status that does not occupy agents
    /// (AA-12), until their customer writes: where they wait.
    parked: FastMap<ConvId, (u32, LineKey)>,
    /// Conversations an agent gave back to the bot, until the bot has them again: the agents
    /// they had (AA-9). By the conversation's slot, so a conversation that ends before its
    /// customer rejoins the bot leaves nothing behind once its slot is reused.
    given_back: Vec<Option<(ConvId, History)>>,
    /// Some sender has a waiting strategy (else queues need no word of unserved heads).
    any_strategy: bool,
    /// The conversations the bot has.
    bot_conversations: FastMap<ConvId, bot_side::BotConversation>,
    /// The conversation store of the bot's and the external centre's conversations (the API's
    /// view, `model::platform_api`).
    store: crate::model::platform_api::Store,
    /// The conversations handed to the external centre.
    external_conversations: FastMap<ConvId, bot_side::External>,
    /// The next inbound message id (for webhook deliveries).
    next_message_id: u64,
    /// The stream of webhook delays and duplicates.
    webhook_stream: crate::actors::StreamId,
    /// What workflows know of each open threaded conversation, by the conversation's slot
    /// (empty without workflows).
    workflow_book: Vec<Option<(ConvId, workflows::Tracked)>>,
    /// The id of the `tags` attribute, when some condition reads it (BOT-3).
    tags_attr: Option<crate::model::routing::AttrId>,
    /// The bot's API key works at this platform (BOT-11): the account's base URL and the
    /// `conversations:manage` scope. Otherwise every call it makes is refused.
    bot_connected: bool,
}

impl Platform {
    /// The platform of `spec`: every agent offline, every queue empty and open until its first
    /// hours check.
    pub fn new(spec: &Arc<CentreSpec>) -> Self {
        let agents: Vec<AgentSetup> = spec
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| AgentSetup {
                capacity: ChannelCategory::ALL.map(|c| a.capacity.of(c)),
                serves: spec.served_categories(i as u32),
                queues: a.queues.clone(),
            })
            .collect();
        let modes: Vec<_> = spec.queues.iter().map(|q| q.assignment).collect();
        Self {
            spec: Arc::clone(spec),
            assigner: Assigner::new(&agents, &modes, spec.status_policy.counted),
            decisions: Decisions::default(),
            parked: FastMap::default(),
            given_back: Vec::new(),
            workflow_book: Vec::new(),
            tags_attr: spec.attribute_id("tags"),
            bot_connected: spec.bot.as_ref().is_some_and(|b| b.connection().is_ok()),
            any_strategy: spec.segments.iter().any(|s| s.waiting_strategy.is_some()),
            bot_conversations: FastMap::default(),
            store: bot_side::store_for(spec),
            external_conversations: FastMap::default(),
            next_message_id: 0,
            webhook_stream: Layout::webhook_stream(
                spec.segments.len() as u32,
                spec.agents.len() as u32,
            ),
        }
    }

    /// Schedules each queue's first working-hours check. Call once at time 0.
    pub fn start<C: Context>(&mut self, ctx: &mut C) {
        for queue in QueueIx::all(self.spec.queues.len()) {
            ctx.send(PlatformMsg::QueueHoursCheck { queue });
        }
        if let Some(at_ms) = self
            .spec
            .bot
            .as_ref()
            .and_then(|b| b.webhook_replaced_at_ms)
        {
            ctx.schedule(at_ms, PlatformMsg::WebhookReplaced);
        }
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: PlatformMsg, ctx: &mut C) {
        match msg {
            PlatformMsg::Inbound {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } if self.bot_takes(segment.0) => {
                self.bot_take(conv, (segment.0, arrival_seq, customer), &draw, ctx)
            }
            PlatformMsg::Inbound {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } => self.route(
                conv,
                segment.0,
                arrival_seq,
                History::new(customer),
                (&draw, true, &[], None),
                ctx,
            ),
            PlatformMsg::ToBot { conv, intent } => self.customer_to_bot(conv, intent, ctx),
            PlatformMsg::BotResolved { conv, auto, closed } => {
                self.bot_resolved(conv, auto, closed, ctx)
            }
            PlatformMsg::CustomerLeft { conv } => self.left_the_bot(conv, ctx),
            PlatformMsg::HumanCloses { conv } => self.human_closes(conv, ctx),
            PlatformMsg::Api { conv, call, caller } => self.api_call(conv, call, caller, ctx),
            PlatformMsg::WebhookReplaced => self.webhook_replaced(),
            PlatformMsg::GiveBack {
                agent,
                conv,
                category,
                counted,
                history,
            } => {
                // BOT-2: the agent assigns it back to the bot; its slot is free (AA-4).
                // AA-9: every agent it had, this one too, stays excluded after a later
                // handoff.
                let history = self.assigner.exclude(conv, history, agent.0);
                let slot = conv.slot as usize;
                if self.given_back.len() <= slot {
                    self.given_back.resize(slot + 1, None);
                }
                self.given_back[slot] = Some((conv, history));
                // The bot's part is not tracked by workflows (WF-2: they act on the agents'
                // chat conversations); a later handoff routes it, and tracks it, anew.
                self.forget(conv);
                ctx.send(CustomerMsg::BackToBot { conv });
                if counted {
                    let now = ctx.now_ms();
                    let mut out = self.take_decisions();
                    self.assigner.slot_freed(agent.0, category, now, &mut out);
                    self.carry_out(out, ctx);
                }
            }
            PlatformMsg::RejoinBot {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } => self.bot_resume(conv, (segment.0, arrival_seq, customer), &draw, ctx),
            PlatformMsg::ExternalAnswered { conv } => self.external_answered(conv, ctx),
            PlatformMsg::ForExternalAgent { conv, says } => {
                self.for_external_agent(conv, says, ctx)
            }
            PlatformMsg::ExternalDone {
                conv,
                forgot,
                polls,
            } => self.external_done(conv, forgot, polls, ctx),
            PlatformMsg::LeftLine { queue, conv, key } => {
                self.assigner.conversation_left(queue.0, key, conv);
                self.parked.remove(&conv);
            }
            PlatformMsg::WroteWhileWaiting { conv } => {
                // The message is in the conversation now, though no agent has it (WF-4).
                self.observe(conv, crate::actors::Observation::Inbound, ctx);
                // AA-12, AA-4: Open again, so it may be assigned now.
                if let Some((queue, key)) = self.parked.remove(&conv) {
                    // The queue's line first: an offer made below reaches it after this.
                    ctx.send(Msg::Queue(QueueIx(queue), QueueMsg::Reopened { conv, key }));
                    let now = ctx.now_ms();
                    let mut out = self.take_decisions();
                    let open = ConversationStatus::Open;
                    self.assigner
                        .conversation_status(queue, key, conv, open, now, &mut out);
                    self.carry_out(out, ctx);
                }
            }
            PlatformMsg::Declined {
                agent,
                queue,
                conv,
                category,
            } => {
                self.workflow_holder(conv, None, queue.0, ctx);
                let now = ctx.now_ms();
                let mut out = self.take_decisions();
                self.assigner
                    .offer_declined(agent.0, category, now, &mut out);
                self.carry_out(out, ctx);
            }
            PlatformMsg::Unassigned {
                counted,
                status,
                by_workflow,
                agent,
                queue,
                item,
            } => {
                let conv = item.conv;
                // ST-3: the logged-out agent's untouched conversation goes back to its queue,
                // never to this agent again (AA-9); or a workflow unassigned it (WF-5).
                ctx.record(Metric::Unassigned {
                    by_workflow,
                    conv,
                    agent: agent.0,
                    queue: queue.0,
                });
                let mut out = self.take_decisions();
                if counted {
                    self.assigner.release(agent.0, item.category, &mut out);
                }
                let history = self.assigner.exclude(conv, item.history, agent.0);
                self.requeue(queue, WorkItem { history, ..item }, status, &mut out, ctx);
                if by_workflow && counted {
                    // AA-4: the agent's occupancy dropped.
                    let now = ctx.now_ms();
                    self.assigner.fill_agent(agent.0, now, &mut out);
                }
                self.carry_out(out, ctx);
            }
            PlatformMsg::Observe { conv, what } => self.observe(conv, what, ctx),
            PlatformMsg::WorkflowDue {
                conv,
                workflow,
                pending,
                epoch,
                settled: false,
            } => {
                // A time-based trigger sees what its conversation's agent did at the same
                // millisecond (a close due then reaches the platform first).
                let again = PlatformMsg::WorkflowDue {
                    conv,
                    workflow,
                    pending,
                    epoch,
                    settled: true,
                };
                ctx.send(again);
            }
            PlatformMsg::WorkflowDue {
                conv,
                workflow,
                pending,
                epoch,
                settled: true,
            } => self.workflow_due(conv, workflow, pending, epoch, ctx),
            PlatformMsg::SlotFreed { agent, category } => {
                let now = ctx.now_ms();
                let mut out = self.take_decisions();
                self.assigner.slot_freed(agent.0, category, now, &mut out);
                self.carry_out(out, ctx);
            }
            PlatformMsg::SlotTaken { agent, category } => {
                // CAP-4: a reopened conversation counts again (it may take the agent past its
                // capacity: the customer wrote to the agent it had).
                let mut out = self.take_decisions();
                self.assigner.slot_taken(agent.0, category, &mut out);
                self.carry_out(out, ctx);
            }
            PlatformMsg::QueueChange {
                agent,
                from,
                to,
                item,
            } => self.change_queue(agent, (from, to), item, ctx),
            PlatformMsg::AgentTransfer { agent, queue, item } => {
                self.transfer_to_agent(agent, queue, item, ctx)
            }
            PlatformMsg::StatusSet { agent, status } => {
                let now = ctx.now_ms();
                let mut out = self.take_decisions();
                self.assigner.agent_status(agent.0, status, now, &mut out);
                self.carry_out(out, ctx);
            }
            PlatformMsg::QueueHoursCheck { queue } => self.check_hours(queue, ctx),
        }
    }

    /// The assignment service, for invariant checks.
    pub fn assigner(&self) -> &Assigner<ConvId> {
        &self.assigner
    }

    /// The service's decision buffer, empty, for one call.
    fn take_decisions(&mut self) -> Decisions<ConvId> {
        let out = std::mem::take(&mut self.decisions);
        debug_assert!(out.is_empty(), "every decision is carried out");
        out
    }

    /// Carries out what the service decided: shown statuses are recorded, offers go to their
    /// queues (which hand the conversation over), and conversations nobody could take are
    /// reported to their queue when a waiting strategy may start (WS-1).
    fn carry_out<C: Context>(&mut self, mut out: Decisions<ConvId>, ctx: &mut C) {
        for decision in out.list.drain(..) {
            match decision {
                Decision::Status(agent, status) => {
                    ctx.record(Metric::AgentStatus { agent, status });
                }
                Decision::Offer(offer) => {
                    ctx.record(Metric::Assigned {
                        conv: offer.conv,
                        customer: offer.customer,
                        queue: offer.queue,
                        agent: offer.agent,
                        by: offer.by,
                        category: offer.category,
                    });
                    if !self.parked.is_empty() {
                        self.parked.remove(&offer.conv);
                    }
                    let msg = QueueMsg::Offer {
                        agent: AgentIx(offer.agent),
                        by: offer.by,
                        conv: offer.conv,
                        key: offer.key,
                        category: offer.category,
                    };
                    ctx.send(Msg::Queue(QueueIx(offer.queue), msg));
                    self.workflow_holder(offer.conv, Some(offer.agent), offer.queue, ctx);
                }
                Decision::Unserved(queue, conv, key) => {
                    if self.any_strategy {
                        ctx.send(Msg::Queue(QueueIx(queue), QueueMsg::Unserved { conv, key }));
                    }
                }
            }
        }
        self.decisions = out;
    }

    /// A conversation that an agent had goes back to `queue` (unassigned, or moved there,
    /// AA-11): the queue takes it back in line, and assignment runs for it.
    pub(super) fn requeue<C: Context>(
        &mut self,
        queue: QueueIx,
        item: WorkItem,
        status: ConversationStatus,
        out: &mut Decisions<ConvId>,
        ctx: &mut C,
    ) {
        let (conv, key) = (item.conv, item.key);
        ctx.send(Msg::Queue(queue, QueueMsg::Requeue { item, status }));
        ctx.send(CustomerMsg::Requeued { conv, queue, key });
        // Workflows see it unassigned (and perhaps in a new queue) first; one may change its
        // place in line or end it, and assignment must see what they left.
        let Some(key) = self.workflow_requeued(conv, queue.0, key, ctx) else {
            return;
        };
        if !self.spec.status_policy.counted.counts(status) {
            self.parked.insert(conv, (queue.0, key));
        }
        let waiting = Waiting {
            conv,
            category: item.category,
            history: item.history,
            status,
        };
        let now = ctx.now_ms();
        self.assigner
            .conversation_waits(queue.0, key, waiting, now, out);
    }

    /// A new conversation waits in `queue` (the queue was told already): assignment runs.
    pub(super) fn waits<C: Context>(
        &mut self,
        queue: u32,
        key: LineKey,
        conv: ConvId,
        (category, history, direct): (ChannelCategory, History, Option<u32>),
        ctx: &mut C,
    ) {
        let now = ctx.now_ms();
        let mut out = self.take_decisions();
        let waiting = Waiting {
            conv,
            category,
            history,
            status: ConversationStatus::Open,
        };
        match direct {
            // 004: the bot's integration named the agent.
            Some(agent) => {
                self.assigner
                    .assign_directly(agent, queue, key, waiting, now, &mut out);
            }
            None => {
                self.assigner
                    .conversation_waits(queue, key, waiting, now, &mut out);
            }
        }
        self.carry_out(out, ctx);
    }
}

mod api;
mod bot_side;
mod intake;
mod moves;
#[cfg(test)]
mod tests;
mod workflows;
