//! A queue's waiting line: higher priority first, then the oldest (RT-5). The queue is the
//! authority on a conversation's fate in it (answered, abandoned or closed by its waiting
//! strategy) and records it, so no conversation is counted twice when two fates meet at the
//! same instant.
//!
//! Which waiting conversation goes to which agent is not the queue's to decide: the platform's
//! assignment service keeps its own view of every line (told here when a conversation leaves
//! unassigned) and sends offers, which the queue carries out or declines when the conversation
//! just left.
//!
//! The line is kept by place (a hash map keyed by [`LineKey`]): the queue looks conversations
//! up, adds and removes them, and counts them; the order is the assignment service's to walk.
//! Only a position announcement (WS-3) and the invariant checks read the order, and sort it.
//!
//! It also runs each waiting conversation's waiting strategy (WS-1..6): the strategy starts
//! when the platform reports that nobody could take the conversation when it started waiting,
//! and only if it entered inside working hours (WH-4). One timer per waiting conversation at
//! most, cancelled when it leaves.

use crate::actors::{AgentMsg, CustomerMsg, PlatformMsg, QueueMsg};
use crate::model::ids::{QueueIx, SegmentIx};
use std::sync::Arc;

use super::{
    AssignedBy, Context, ConvId, History, Metric, Msg, Observation, QueueAct, TimerId, WorkItem,
};
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;
use crate::model::status::ConversationStatus;
use crate::model::waiting_strategy::{StrategyKind, StrategyStep, WaitingStrategy};

/// Where a waiting conversation's strategy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    /// None applies: its sender has none, it entered outside hours (WH-4), or it came back to
    /// the line after an assignment.
    None,
    /// It may start once the conversation is known to wait unassigned.
    Pending,
    /// Running since `started_ms`, `announced` announcements sent, next step at `timer`.
    Running {
        started_ms: u64,
        announced: u32,
        timer: Option<TimerId>,
    },
}

#[derive(Debug, Clone, Copy)]
struct Waiting {
    conv: ConvId,
    segment: SegmentIx,
    category: ChannelCategory,
    /// Agents it had before (AA-9).
    history: History,
    /// Back in line after its agent was logged out or moved it here: answered already, so its
    /// next hand-over is a reassignment, not an answer.
    requeued: bool,
    /// Its status (Open, or what it had when it was unassigned, AA-12).
    status: ConversationStatus,
    strategy: Strategy,
}

impl Waiting {
    /// The line's entry for `item`.
    fn of(item: WorkItem, requeued: bool, status: ConversationStatus, strategy: Strategy) -> Self {
        Self {
            conv: item.conv,
            segment: item.segment,
            category: item.category,
            history: item.history,
            requeued,
            status,
            strategy,
        }
    }
}

/// The waiting conversations by place in line. A fixed hasher: nothing depends on the map's
/// order, and the same run hashes the same way.
type Line = crate::model::FastMap<LineKey, Waiting>;

/// One queue.
#[derive(Debug)]
pub struct Queue {
    index: QueueIx,
    spec: Arc<CentreSpec>,
    line: Line,
}

impl Queue {
    /// Queue number `index` of `spec`, empty.
    pub fn new(index: QueueIx, spec: Arc<CentreSpec>) -> Self {
        Self {
            index,
            spec,
            line: Line::default(),
        }
    }

    fn strategy_of(&self, segment: SegmentIx) -> Option<WaitingStrategy> {
        self.spec.segments[segment.index()].waiting_strategy
    }

    /// WS-1: conversation `key` waits unassigned; its strategy starts if it may.
    fn start_strategy<C: Context>(&mut self, key: LineKey, ctx: &mut C) {
        let Some(w) = self.line.get(&key) else { return };
        if w.strategy != Strategy::Pending {
            return;
        }
        let Some(strategy) = self.strategy_of(w.segment) else {
            return;
        };
        let (conv, queue, now, segment) = (w.conv, self.index, ctx.now_ms(), w.segment);
        ctx.record(Metric::StrategyStarted {
            conv,
            queue: queue.0,
            entered_ms: key.created_ms,
            segment: segment.0,
        });
        if let Some(step) = strategy.on_start() {
            ctx.record(Metric::StrategyStep {
                conv,
                queue: queue.0,
                step,
                position: None,
            });
        }
        let timer = strategy.next_step(now, 0).map(|(at, _)| {
            ctx.schedule(
                at - now,
                Msg::Queue(queue, QueueMsg::StrategyDue { conv, key }),
            )
        });
        if let Some(w) = self.line.get_mut(&key) {
            w.strategy = Strategy::Running {
                started_ms: now,
                announced: 0,
                timer,
            };
        }
    }

    /// The next step of conversation `key`'s strategy is due (WS-3..6).
    fn strategy_due<C: Context>(&mut self, conv: ConvId, key: LineKey, ctx: &mut C) {
        let Some(w) = self.line.get(&key).filter(|w| w.conv == conv) else {
            return;
        };
        let Strategy::Running {
            started_ms,
            announced,
            ..
        } = w.strategy
        else {
            return;
        };
        let Some(strategy) = self.strategy_of(w.segment) else {
            return;
        };
        let now = ctx.now_ms();
        let Some((at, step)) = strategy.next_step(started_ms, announced) else {
            return;
        };
        debug_assert_eq!(at, now, "strategy steps fire when due");
        let queue = self.index;
        let position = match (step, strategy.announcements, strategy.kind) {
            (StrategyStep::Announcement { .. }, Some(a), StrategyKind::Voice { .. })
                if a.position_in_queue =>
            {
                Some(self.line.keys().filter(|&&k| k < key).count() as u32 + 1)
            }
            _ => None,
        };
        ctx.record(Metric::StrategyStep {
            conv,
            queue: queue.0,
            step,
            position,
        });
        match step {
            StrategyStep::Announcement { n } => {
                let timer = strategy.next_step(started_ms, n).map(|(at, _)| {
                    ctx.schedule(
                        at - now,
                        Msg::Queue(queue, QueueMsg::StrategyDue { conv, key }),
                    )
                });
                if let Some(w) = self.line.get_mut(&key) {
                    w.strategy = Strategy::Running {
                        started_ms,
                        announced: n,
                        timer,
                    };
                }
            }
            StrategyStep::MaxWait => {
                // WS-4, WS-6: closed (dropped) and out of the line.
                self.line.remove(&key);
                self.left_line(conv, key, ctx);
                self.gone(conv, ctx);
                ctx.record(Metric::ClosedByStrategy {
                    conv,
                    queue: queue.0,
                    arrived_ms: key.created_ms,
                    wait_ms: now - key.created_ms,
                });
                self.record_length(ctx);
                ctx.send(CustomerMsg::Left { conv });
            }
            StrategyStep::Silent => {
                // WS-5: no more messages; the conversation stays in line.
                if let Some(w) = self.line.get_mut(&key) {
                    w.strategy = Strategy::Running {
                        started_ms,
                        announced,
                        timer: None,
                    };
                }
            }
            StrategyStep::Welcome => {}
        }
    }

    /// Tells the platform's assignment that a conversation left the line unassigned.
    fn left_line<C: Context>(&self, conv: ConvId, key: LineKey, ctx: &mut C) {
        let queue = self.index;
        ctx.send(PlatformMsg::LeftLine { queue, conv, key });
    }

    /// Tells the platform's workflows that a conversation left the line unanswered.
    fn gone<C: Context>(&self, conv: ConvId, ctx: &mut C) {
        if !self.spec.workflows.is_empty() {
            let what = Observation::Gone;
            ctx.send(PlatformMsg::Observe { conv, what });
        }
    }

    /// A workflow closes a waiting conversation or changes its priority (WF-5).
    fn workflow_act<C: Context>(&mut self, conv: ConvId, key: LineKey, act: QueueAct, ctx: &mut C) {
        if !self.line.get(&key).is_some_and(|w| w.conv == conv) {
            return; // answered or gone meanwhile
        }
        let w = self.line.remove(&key).expect("looked up above");
        match act {
            QueueAct::Close => {
                Self::stop_strategy(&w, ctx);
                let now = ctx.now_ms();
                ctx.record(Metric::ClosedByWorkflow {
                    conv,
                    queue: self.index.0,
                    arrived_ms: key.created_ms,
                    wait_ms: now - key.created_ms,
                    requeued: w.requeued,
                });
                ctx.send(CustomerMsg::Left { conv });
            }
            QueueAct::Priority(priority) => {
                let new_key = key.with_priority(priority);
                let mut w = w;
                if let Strategy::Running {
                    started_ms,
                    announced,
                    timer,
                } = w.strategy
                {
                    // The strategy's timer names the old place: set it again for the new one.
                    if let Some(timer) = timer {
                        ctx.cancel(timer);
                    }
                    let queue = self.index;
                    let next = self
                        .strategy_of(w.segment)
                        .and_then(|s| s.next_step(started_ms, announced));
                    let now = ctx.now_ms();
                    let timer = next.map(|(at, _)| {
                        let due = QueueMsg::StrategyDue { conv, key: new_key };
                        ctx.schedule(at.saturating_sub(now), Msg::Queue(queue, due))
                    });
                    w.strategy = Strategy::Running {
                        started_ms,
                        announced,
                        timer,
                    };
                }
                self.line.insert(new_key, w);
                ctx.send(CustomerMsg::Rekeyed { conv, key: new_key });
            }
        }
        self.record_length(ctx);
    }

    /// A conversation leaves the line: its strategy's timer goes.
    fn stop_strategy<C: Context>(w: &Waiting, ctx: &mut C) {
        if let Strategy::Running {
            timer: Some(timer), ..
        } = w.strategy
        {
            ctx.cancel(timer);
        }
    }

    /// Every waiting conversation in line order, for invariant checks: (key, conversation,
    /// category, history, status).
    pub fn waiting(
        &self,
    ) -> impl Iterator<
        Item = (
            LineKey,
            ConvId,
            ChannelCategory,
            History,
            ConversationStatus,
        ),
    > + '_ {
        let mut all: Vec<_> = self
            .line
            .iter()
            .map(|(k, w)| (*k, w.conv, w.category, w.history, w.status))
            .collect();
        all.sort_unstable_by_key(|&(k, ..)| k);
        all.into_iter()
    }

    /// Conversations waiting.
    pub fn len(&self) -> usize {
        self.line.len()
    }

    /// Conversations waiting that were answered before (back after their agent was logged
    /// out, or moved here from another queue).
    pub fn requeued_len(&self) -> usize {
        self.line.values().filter(|w| w.requeued).count()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    fn record_length<C: Context>(&self, ctx: &mut C) {
        ctx.record(Metric::QueueLength {
            queue: self.index.0,
            len: self.line.len() as u32,
        });
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: QueueMsg, ctx: &mut C) {
        match msg {
            QueueMsg::Enqueue { item, in_hours } => {
                ctx.record(Metric::Offered {
                    queue: self.index.0,
                    segment: item.segment.0,
                    arrived_ms: item.key.created_ms,
                });
                let strategy = if in_hours && self.strategy_of(item.segment).is_some() {
                    Strategy::Pending
                } else {
                    Strategy::None
                };
                let waiting = Waiting::of(item, false, ConversationStatus::Open, strategy);
                self.line.insert(item.key, waiting);
                self.record_length(ctx);
                // The platform offers it now, or reports it unserved.
            }
            QueueMsg::Unserved { conv, key } => {
                if self.line.get(&key).is_some_and(|w| w.conv == conv) {
                    self.start_strategy(key, ctx);
                }
            }
            QueueMsg::StrategyDue { conv, key } => self.strategy_due(conv, key, ctx),
            QueueMsg::WorkflowQueueAct { conv, key, act } => self.workflow_act(conv, key, act, ctx),
            QueueMsg::Requeue { item, status } => {
                let waiting = Waiting::of(item, true, status, Strategy::None);
                self.line.insert(item.key, waiting);
                self.record_length(ctx);
            }
            QueueMsg::Reopened { conv, key } => {
                if let Some(w) = self.line.get_mut(&key).filter(|w| w.conv == conv) {
                    w.status = ConversationStatus::Open;
                }
            }
            QueueMsg::Abandon { conv, key } => {
                match self.line.get(&key) {
                    Some(w) if w.conv == conv => {}
                    _ => return, // already answered
                }
                let Some(w) = self.line.remove(&key) else {
                    return;
                };
                Self::stop_strategy(&w, ctx);
                self.left_line(conv, key, ctx);
                self.gone(conv, ctx);
                if w.requeued {
                    ctx.record(Metric::AbandonedAfterRequeue {
                        conv,
                        queue: self.index.0,
                    });
                } else {
                    ctx.record(Metric::Abandoned {
                        conv,
                        queue: self.index.0,
                        segment: w.segment.0,
                        arrived_ms: key.created_ms,
                        wait_ms: ctx.now_ms() - key.created_ms,
                    });
                }
                self.record_length(ctx);
                ctx.send(CustomerMsg::Left { conv });
            }
            QueueMsg::Offer {
                agent,
                by,
                conv,
                key,
                category,
            } => {
                let still_waiting = self.line.get(&key).is_some_and(|w| w.conv == conv);
                if !still_waiting {
                    // It left (abandoned at this instant): give the slot back.
                    let queue = self.index;
                    let declined = PlatformMsg::Declined {
                        agent,
                        queue,
                        conv,
                        category,
                    };
                    ctx.send(declined);
                    return;
                }
                let Some(w) = self.line.remove(&key) else {
                    return;
                };
                Self::stop_strategy(&w, ctx);
                if w.requeued {
                    ctx.record(Metric::Reassigned {
                        queue: self.index.0,
                        agent: agent.0,
                    });
                } else {
                    ctx.record(Metric::Answered {
                        queue: self.index.0,
                        segment: w.segment.0,
                        agent: agent.0,
                        by,
                        arrived_ms: key.created_ms,
                        wait_ms: ctx.now_ms() - key.created_ms,
                    });
                }
                self.record_length(ctx);
                let serve = AgentMsg::Serve {
                    item: WorkItem {
                        conv,
                        key,
                        segment: w.segment,
                        category: w.category,
                        history: w.history,
                    },
                    queue: self.index,
                    // 004: capacity does not limit an assignment the bot's integration made.
                    assigned: by != AssignedBy::Direct,
                };
                ctx.send(Msg::Agent(agent, serve));
                let queue = self.index;
                ctx.send(CustomerMsg::Answered { conv, agent, queue });
            }
        }
    }
}

#[cfg(test)]
mod tests;
