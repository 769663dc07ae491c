//! The customers: one arrival process per segment (`arrival`), and each waiting person's
//! patience (`waiting`).
//!
//! Random draws come in a fixed order per segment: the k-th customer of a segment spends the
//! k-th draw of the segment's arrival stream, the k-th draw of its patience stream and the k-th
//! set of draws of its attribute stream, whatever the agents, queues or routing do. That keeps baseline and candidate runs draw-for-draw
//! comparable.
//!
//! In a conversation with a conversation model, the customer's own moves — how many exchanges
//! it needs, its think times, bursts, silences and whether it comes back — come from a
//! generator of its own, seeded at arrival from the segment's conversation stream: the k-th
//! customer of a segment behaves the same whatever the agents do and however its draws
//! interleave with other customers'.
//!
//! Its messages to the bot go through the platform (which POSTs them to the bot's webhook); its
//! messages to a human go straight to the agent that holds the conversation. A message that
//! finds the conversation closed starts a new one, routed like a first contact (and so given
//! back to a sticky agent, AA-2).
//!
//! With a bot in front (`with_bot`), the customer first talks to the bot: its need — how many
//! answers it wants and whether the bot can help — is drawn from the same generator.
//!
//! Memory: one slot per open conversation, reused when the conversation ends.

use crate::actors::{AgentMsg, CustomerMsg, CustomerSays, PlatformMsg};
use crate::model::ids::{AgentIx, QueueIx, SegmentIx};
use crate::model::{FastMap, FastSet};
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;

use super::{Context, ConvId, EXTERNAL_AGENT, Intent, Metric, Msg, ONE_TIME_CUSTOMER, TimerId};
use crate::model::arrival_rate::ArrivalCursor;
use crate::model::bot::Outcome;
use crate::model::centre::{AttrDraw, CentreSpec};
use crate::model::conversation::CustomerTurn;
use crate::model::priority::LineKey;
use crate::model::survey::ConversationSentiment;

mod arrival;
mod waiting;
mod with_bot;

/// The customer's turn to the agent holding the conversation: to that agent, or — for an
/// external centre's agent — to the platform, which forwards it (CC-2).
fn to_holder(agent: AgentIx, conv: ConvId, says: CustomerSays) -> Msg {
    if agent == EXTERNAL_AGENT {
        Msg::Platform(PlatformMsg::ForExternalAgent { conv, says })
    } else {
        Msg::Agent(agent, AgentMsg::Customer { conv, says })
    }
}

/// Where a conversation stands, from its customer's side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Phase {
    /// Not answered yet.
    #[default]
    Waiting,
    /// With an agent, expecting a reply or thinking about one.
    Talking,
    /// Stopped replying.
    Silent,
    /// Satisfied; the conversation is Solved.
    Solved,
    /// Closed while the customer still means to write again.
    Closed,
    /// Talking to the bot (before any queue).
    WithBot,
}

#[derive(Debug, Clone, Default)]
struct Slot {
    generation: u32,
    open: bool,
    /// Drawn at arrival; the timer starts when the platform says where the customer waits.
    patience_ms: Option<u64>,
    patience_timer: Option<TimerId>,
    /// Where the customer waits, once routed.
    waiting_in: Option<(QueueIx, LineKey)>,
    segment: SegmentIx,
    customer: u64,
    draw: AttrDraw,
    phase: Phase,
    /// The agent holding the conversation.
    agent: AgentIx,
    /// Exchanges still needed after the current one.
    exchanges_left: u32,
    /// Messages of the opening burst (recorded once the queue is known) or of the next one.
    burst: u32,
    /// The customer's own generator (conversation model only). Boxed: it is most of a slot's
    /// size (its block buffer), and the slots of a large centre's open conversations must stay
    /// small to stay in the caches.
    rng: Option<Box<ChaCha8Rng>>,
    /// When a message was written while the conversation was back in line, for its next
    /// agent.
    pending_write: Option<u64>,
    /// The customer's next message is being thought out (a reply was read): another reply
    /// before it is read but starts no second turn.
    thinking: bool,
    /// Back in line unassigned after the customer was satisfied or fell silent (the phase
    /// keeps what the customer means to do; a message now waits for the next agent).
    in_line: bool,
    /// The queue it is in or was answered from.
    queue: QueueIx,
    /// Its customer messages' sentiment so far (SUR-2).
    sentiment: ConversationSentiment,
    /// When this conversation last got a survey (SUR-1).
    last_survey_ms: Option<u64>,
    /// With the bot: replies still wanted before the outcome shows, and the outcome.
    bot_turns_left: u32,
    bot_outcome: Option<Outcome>,
    /// What the customer's next message to the bot means.
    bot_intent: Intent,
    /// This customer has talked to the bot before, in this conversation or an earlier one it
    /// came back from (cross-session memory).
    met_bot: bool,
}

/// The customer actor.
#[derive(Debug)]
pub struct Customers {
    spec: Arc<CentreSpec>,
    cursors: Vec<ArrivalCursor>,
    slots: Vec<Slot>,
    free_slots: Vec<u32>,
    /// Generators of closed conversations, for the next ones to reuse: a conversation opens
    /// and closes every second in a large centre, and each generator is a few hundred bytes
    /// (allocating one each time cost more than the draws it makes). Boxes, not generators:
    /// the point is to hand a slot back the allocation itself.
    #[allow(clippy::vec_box)]
    spare_rngs: Vec<Box<ChaCha8Rng>>,
    arrivals: u64,
    /// Conversations opened (arrivals and come-backs): the last tie-break of waiting lines.
    conversations: u64,
    /// When each returning customer last got a survey (SUR-1).
    last_survey: FastMap<u64, u64>,
    /// Customers of a population who have talked to the bot (cross-session memory, WhatsApp).
    /// Bounded by the populations; a customer without one carries the fact in its slot.
    met_bot: FastSet<u64>,
}

impl Customers {
    /// Customers of `spec`, none arrived yet.
    pub fn new(spec: Arc<CentreSpec>) -> Self {
        Self {
            cursors: vec![ArrivalCursor::new(); spec.segments.len()],
            spec,
            slots: Vec::new(),
            free_slots: Vec::new(),
            spare_rngs: Vec::new(),
            arrivals: 0,
            conversations: 0,
            last_survey: FastMap::default(),
            met_bot: FastSet::default(),
        }
    }

    /// Schedules the first arrival of every segment — or, replaying a trace, its first row
    /// (the segments then arrive only as the trace says). Call once at time 0.
    pub fn start<C: Context>(&mut self, ctx: &mut C) {
        if self.spec.trace.is_some() {
            self.schedule_trace_row(0, ctx);
            return;
        }
        for segment in 0..self.spec.segments.len() as u32 {
            self.schedule_next_arrival(SegmentIx(segment), ctx);
        }
    }

    /// Conversations currently open.
    pub fn open_conversations(&self) -> usize {
        self.slots.len() - self.free_slots.len()
    }

    /// Conversation slots ever allocated: the peak number open at once (slots are reused), which
    /// bounds this actor's memory.
    pub fn slots_allocated(&self) -> usize {
        self.slots.len()
    }

    /// Conversations opened so far: arrivals and customers who came back after a closed
    /// conversation.
    pub fn conversations_opened(&self) -> u64 {
        self.conversations
    }

    /// Customers between two conversations: their conversation was closed and they will write
    /// again (their slot is kept until then).
    pub fn between_conversations(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| s.open && s.phase == Phase::Closed)
            .count()
    }

    /// Customers arrived so far.
    pub fn arrivals(&self) -> u64 {
        self.arrivals
    }

    fn open_slot(&mut self) -> ConvId {
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot::default());
                (self.slots.len() - 1) as u32
            }
        };
        let s = &mut self.slots[slot as usize];
        s.generation = s.generation.wrapping_add(1);
        s.open = true;
        s.patience_ms = None;
        s.patience_timer = None;
        s.waiting_in = None;
        s.phase = Phase::Waiting;
        if let Some(rng) = s.rng.take() {
            self.spare_rngs.push(rng);
        }
        s.pending_write = None;
        s.thinking = false;
        s.in_line = false;
        s.sentiment = ConversationSentiment::default();
        s.last_survey_ms = None;
        s.bot_outcome = None;
        s.bot_turns_left = 0;
        s.met_bot = false;
        ConvId {
            slot,
            generation: s.generation,
        }
    }

    fn slot_mut(&mut self, conv: ConvId) -> Option<&mut Slot> {
        self.slots
            .get_mut(conv.slot as usize)
            .filter(|s| s.open && s.generation == conv.generation)
    }

    fn close_slot<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        if let Some(slot) = self.slot_mut(conv) {
            slot.open = false;
            Self::record_sentiment(slot, ctx);
            self.free_slots.push(conv.slot);
        }
    }

    /// SUR-2: the ended conversation's score, if its customer wrote scored messages.
    fn record_sentiment<C: Context>(slot: &mut Slot, ctx: &mut C) {
        if let Some(score) = std::mem::take(&mut slot.sentiment).score() {
            let queue = slot.queue;
            ctx.record(Metric::Sentiment {
                queue: queue.0,
                score,
            });
        }
    }

    /// SUR-2: scores a burst of `messages` customer messages.
    fn score_messages(spec: &CentreSpec, slot: &mut Slot, messages: u32) {
        if let (Some(model), Some(rng)) = (
            spec.segments[slot.segment.index()].sentiment,
            slot.rng.as_deref_mut(),
        ) {
            for _ in 0..messages {
                slot.sentiment.add(model.sample(rng));
            }
        }
    }

    /// SUR-1: the conversation turned Solved; a survey goes out unless this customer had one
    /// within the gap.
    fn solved<C: Context>(&mut self, conv: ConvId, queue: QueueIx, ctx: &mut C) {
        let Some(policy) = self.spec.survey else {
            return;
        };
        let now = ctx.now_ms();
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        let customer = slot.customer;
        let returning = customer & ONE_TIME_CUSTOMER == 0;
        let last = slot.last_survey_ms.max(if returning {
            self.last_survey.get(&customer).copied()
        } else {
            None
        });
        if !policy.due(last, now) {
            return;
        }
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        let Some(rng) = slot.rng.as_deref_mut() else {
            return;
        };
        let answer = policy.answer(rng);
        slot.last_survey_ms = Some(now);
        ctx.record(Metric::Survey {
            queue: queue.0,
            answer,
        });
        if returning {
            self.last_survey.insert(customer, now);
        }
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: CustomerMsg, ctx: &mut C) {
        match msg {
            CustomerMsg::NextArrival { segment } => {
                self.arrive(segment, None, ctx);
                self.schedule_next_arrival(segment, ctx);
            }
            CustomerMsg::TraceArrival { row } => {
                let spec = Arc::clone(&self.spec);
                if let Some(r) = spec.trace.as_ref().and_then(|t| t.rows.get(row as usize)) {
                    self.arrive(SegmentIx(r.segment), Some(r), ctx);
                }
                self.schedule_trace_row(row + 1, ctx);
            }
            CustomerMsg::Routed { conv, queue, key } => self.routed(conv, queue, key, ctx),
            CustomerMsg::PatienceExpired { conv } => self.patience_expired(conv, ctx),
            CustomerMsg::Answered { conv, agent, queue } => {
                if let Some(slot) = self.slot_mut(conv) {
                    slot.agent = agent;
                    slot.queue = queue;
                    if !std::mem::take(&mut slot.in_line) {
                        slot.phase = Phase::Talking;
                    }
                    if let Some(timer) = slot.patience_timer.take() {
                        ctx.cancel(timer);
                    }
                    if let Some(written_ms) = slot.pending_write.take() {
                        let messages = slot.burst;
                        ctx.record(Metric::TurnSent { conv });
                        let says = CustomerSays::Messages {
                            messages,
                            written_while_waiting_ms: Some(written_ms),
                        };
                        ctx.send(to_holder(agent, conv, says));
                    }
                }
            }
            CustomerMsg::Requeued { conv, queue, key } => self.requeued(conv, queue, key, ctx),
            CustomerMsg::Rekeyed { conv, key } => self.rekeyed(conv, key),
            CustomerMsg::AgentReplied { conv } => self.agent_replied(conv, ctx),
            CustomerMsg::BotReplied { conv } => self.bot_replied(conv, ctx),
            CustomerMsg::BackToBot { conv } => self.back_to_bot(conv, ctx),
            CustomerMsg::Solved { conv, queue } => self.solved(conv, queue, ctx),
            CustomerMsg::CustomerWrites { conv } => self.write(conv, ctx),
            CustomerMsg::Rejected { conv } => {
                if let Some(slot) = self.slot_mut(conv) {
                    slot.phase = Phase::Closed;
                }
                self.write(conv, ctx);
            }
            CustomerMsg::Closed { conv } => match self.slot_mut(conv) {
                // It means to write again: that will be a new conversation.
                Some(slot) if slot.phase == Phase::Solved && slot.exchanges_left > 0 => {
                    slot.phase = Phase::Closed;
                    Self::record_sentiment(slot, ctx);
                }
                _ => self.close_slot(conv, ctx),
            },
            CustomerMsg::Left { conv } | CustomerMsg::Finished { conv } => {
                self.close_slot(conv, ctx)
            }
        }
    }

    /// The agent's reply arrived: the customer's next move.
    fn agent_replied<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let spec = Arc::clone(&self.spec);
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        let behaviour = spec.segments[slot.segment.index()]
            .behaviour
            .as_ref()
            .expect("replies come in conversations with a model");
        // A reply while the customer already thinks about its next message, or after it said
        // it was satisfied (say, from the agent who took the conversation over after an
        // unassignment) is read, and starts no second turn.
        if slot.thinking || matches!(slot.phase, Phase::Solved | Phase::Silent) {
            return;
        }
        let Some(rng) = slot.rng.as_deref_mut() else {
            return;
        };
        match behaviour.next_turn(slot.exchanges_left, rng) {
            CustomerTurn::Reply { think_ms, messages } => {
                slot.exchanges_left -= 1;
                slot.burst = messages;
                slot.thinking = true;
                ctx.schedule(think_ms, CustomerMsg::CustomerWrites { conv });
            }
            CustomerTurn::Satisfied => {
                slot.phase = Phase::Solved;
                let agent = slot.agent;
                ctx.record(Metric::TurnSent { conv });
                ctx.send(to_holder(agent, conv, CustomerSays::Satisfied));
                if let Some(after_ms) = behaviour.come_back_after_ms(rng) {
                    // Comes back with new questions.
                    slot.exchanges_left = behaviour.exchanges.sample(rng);
                    slot.burst = behaviour.burst_messages.sample(rng).max(1);
                    ctx.schedule(after_ms, CustomerMsg::CustomerWrites { conv });
                }
            }
            CustomerTurn::Silent => slot.phase = Phase::Silent,
        }
    }

    /// The customer's next turn: into its conversation, or — once that is closed — as a new
    /// conversation.
    fn write<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let spec = Arc::clone(&self.spec);
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        slot.thinking = false;
        let came_back_in_line = slot.phase == Phase::Solved && slot.in_line;
        if came_back_in_line {
            // A come-back into the Solved conversation while it waits unassigned: its first
            // turn, for the next agent, who the customer now waits for, with its patience.
            slot.exchanges_left = slot.exchanges_left.saturating_sub(1);
            slot.in_line = false;
            slot.phase = Phase::Waiting;
        }
        match slot.phase {
            Phase::Talking | Phase::Solved => {
                if slot.phase == Phase::Solved {
                    // A come-back into the Solved conversation: its first turn now.
                    slot.exchanges_left = slot.exchanges_left.saturating_sub(1);
                    slot.phase = Phase::Talking;
                }
                let messages = slot.burst;
                Self::score_messages(&spec, slot, messages);
                let agent = slot.agent;
                ctx.record(Metric::TurnSent { conv });
                let says = CustomerSays::Messages {
                    messages,
                    written_while_waiting_ms: None,
                };
                ctx.send(to_holder(agent, conv, says));
            }
            Phase::Closed => {
                let (segment, customer, draw) = (slot.segment, slot.customer, slot.draw);
                let exchanges = slot.exchanges_left;
                let burst = slot.burst;
                let carried = slot.met_bot;
                let mut rng = slot.rng.take();
                self.close_slot(conv, ctx);
                let met_bot = carried || self.met_bot.contains(&customer);
                let patience_ms = match (&self.spec.segments[segment.index()].patience, &mut rng) {
                    (Some(d), Some(rng)) => Some(d.sample_ms(rng)),
                    _ => None,
                };
                let new = self.open_slot();
                let slot = self.slot_mut(new).expect("just opened");
                slot.rng = rng;
                slot.exchanges_left = exchanges.saturating_sub(1);
                slot.burst = burst;
                slot.segment = segment;
                slot.draw = draw;
                slot.met_bot = met_bot;
                Self::plan_bot(&spec, slot, met_bot);
                Self::score_messages(&spec, slot, burst);
                self.remember_bot(new, customer);
                self.open_conversation(new, segment, customer, draw, patience_ms, true, ctx);
                self.wait_for_bot(new, ctx);
            }
            // Back in line after an assignment (customers write only once answered): the next
            // agent gets it.
            Phase::Waiting => {
                let messages = slot.burst;
                Self::score_messages(&spec, slot, messages);
                // The message is in the conversation from now (WIN-1, SLA-3), though no agent
                // reads it before one takes the conversation.
                let queue = slot.queue;
                ctx.record(Metric::CustomerMessages {
                    conv,
                    queue: queue.0,
                    messages,
                });
                slot.pending_write = Some(ctx.now_ms());
                // The conversation is Open again: assignment may take it now (AA-12).
                ctx.send(PlatformMsg::WroteWhileWaiting { conv });
                if came_back_in_line {
                    self.start_patience(conv, ctx);
                }
            }
            Phase::WithBot => {
                let (messages, intent) = (slot.burst, slot.bot_intent);
                Self::score_messages(&spec, slot, messages);
                ctx.record(Metric::TurnSent { conv });
                ctx.send(PlatformMsg::ToBot { conv, intent });
            }
            Phase::Silent => {}
        }
    }

    /// Records the arrival and hands the new conversation to the platform.
    #[allow(clippy::too_many_arguments)]
    fn open_conversation<C: Context>(
        &mut self,
        conv: ConvId,
        segment: SegmentIx,
        customer: u64,
        draw: AttrDraw,
        patience_ms: Option<u64>,
        came_back: bool,
        ctx: &mut C,
    ) {
        let arrival_seq = self.conversations;
        self.conversations += 1;
        ctx.record(Metric::Arrived {
            segment: segment.0,
            arrived_ms: ctx.now_ms(),
            patience_ms,
            came_back,
        });
        if let Some(slot) = self.slot_mut(conv) {
            slot.patience_ms = patience_ms;
            slot.segment = segment;
            slot.customer = customer;
            slot.draw = draw;
        }
        let inbound = PlatformMsg::Inbound {
            conv,
            segment,
            arrival_seq,
            customer,
            draw,
        };
        ctx.record(Metric::TurnSent { conv });
        ctx.send(inbound);
    }
}
