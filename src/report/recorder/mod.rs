//! The per-replication recorder: turns the actors' [`Metric`]s into totals, wait histograms and
//! per-interval rows. Cheap on the hot path: counters, one histogram record, and time-weighted
//! levels that touch a second interval only when they cross a boundary.
//!
//! Definitions (also in docs/report-format.md):
//! - a customer belongs to the interval (and to the warm-up or not) of its **arrival**;
//!   answers, abandonments and waits are credited to that interval;
//! - totals count customers arriving at or after the warm-up;
//! - occupancy = busy slot-time ÷ staffed slot-time, where an agent's staffed slots are its
//!   capacity over the categories its queues use, counted while it is on shift or still
//!   finishing conversations after its shift (so occupancy never exceeds 1); per queue, over
//!   the queue's member agents (an agent of two queues counts in both).

mod bot;
mod conversation;
mod intervals;
mod levels;
mod sla;
mod totals;

use crate::report::channels::{ChannelTotals, channels_of};
use intervals::IntervalOf;

pub use bot::BotTotals;
pub use conversation::ConversationTotals;
pub use sla::SlaTotals;
use totals::status_slot;
pub use totals::{IntervalRow, STATUSES, Totals};

use crate::actors::{AssignedBy, Metric, RoutedVia};
use crate::model::status::DefaultStatus;

/// Rows of [`ReplicationStats::routed`]: every route, Default, Direct; times queues.
pub fn routing_slots(routes: usize, queues: usize) -> usize {
    (routes + 2) * queues
}
use std::sync::Arc;

use crate::model::centre::CentreSpec;

/// Watches every metric of a replication as it is recorded, e.g. an invariant checker
/// (`sim::check`). Off by default; costs one branch per metric when off.
pub trait MetricObserver: Send + std::fmt::Debug {
    /// One metric, at `now_ms`.
    fn observe(&mut self, now_ms: u64, metric: &Metric);
    /// The end of the replication; returns every problem found.
    fn finish(&mut self, end_ms: u64, waiting_at_end: u64) -> Vec<String>;
}

/// What a replication yields.
#[derive(Debug, Clone)]
pub struct ReplicationStats {
    /// Conversations arriving after warm-up, by how they were routed and where to: see
    /// [`Recorder::routing_slot`].
    pub routed: Vec<u64>,
    /// Per queue, then one more entry for the whole centre.
    pub totals: Vec<Totals>,
    /// Row-major: interval i, queue q (last = all) at `i * (queues + 1) + q`.
    pub intervals: Vec<IntervalRow>,
    /// The customer counts of each interval row per channel: row `r`, channel `c` at
    /// `r * channels + c` ([`crate::report::channels::channels_of`] order).
    pub channel_intervals: Vec<ChannelTotals>,
    /// Conversations still waiting when the horizon was reached (after warm-up arrivals or not).
    pub waiting_at_end: u64,
    /// Problems an observer found (empty without one).
    pub violations: Vec<String>,
    /// SLA verdicts by policy, after warm-up (empty without policies).
    pub sla_by_policy: Vec<SlaTotals>,
    /// The bot's counts.
    pub bot: BotTotals,
}

/// A time-weighted level (busy slots, staffed slots, agents on shift) of one scope.
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    value: u64,
    since_ms: u64,
}

#[derive(Debug, Clone, Copy)]
enum LevelKind {
    Busy,
    Staffed,
    OnShift,
}

/// The recorder of one replication.
#[derive(Debug)]
pub struct Recorder {
    horizon_ms: u64,
    warmup_ms: u64,
    /// Which report interval a time falls in.
    intervals: IntervalOf,
    scopes: usize,
    /// Per queue, per segment: the service-level threshold of the segment's channel, ms.
    threshold_ms: Vec<Vec<u64>>,
    /// Per segment: its channel's index in the totals' `channels`.
    segment_channel: Vec<usize>,
    /// Channels reported.
    channels: usize,
    /// Per interval row, per channel (see [`ReplicationStats::channel_intervals`]).
    channel_rows: Vec<ChannelTotals>,
    agent_scopes: Vec<Vec<usize>>,
    agent_slots: Vec<u64>,
    agent_busy: Vec<u64>,
    agent_on_shift: Vec<bool>,
    /// Each agent's shown status and since when.
    agent_status: Vec<(DefaultStatus, u64)>,
    totals: Vec<Totals>,
    rows: Vec<IntervalRow>,
    levels: Vec<[Level; 3]>,
    queue_len: Vec<u32>,
    all_waiting: u32,
    /// Every metric with its time, when tracing is on (tests, debugging); off by default.
    trace: Option<Vec<(u64, Metric)>>,
    routes: usize,
    queues: usize,
    routed: Vec<u64>,
    observer: Option<Box<dyn MetricObserver>>,
    /// SLA clocks, when the centre has SLA policies.
    sla: Option<sla::SlaBook>,
    /// The bot's counts.
    bot: BotTotals,
}

impl Recorder {
    /// A recorder for a run of `spec`.
    pub fn new(spec: &CentreSpec) -> Self {
        Self::shared(&Arc::new(spec.clone()))
    }

    /// A recorder for a run of `spec`, sharing it.
    pub fn shared(spec: &Arc<CentreSpec>) -> Self {
        let queues = spec.queues.len();
        let scopes = queues + 1;
        let agent_scopes = spec
            .agents
            .iter()
            .map(|a| {
                let mut s: Vec<usize> = a.queues.iter().map(|&q| q as usize).collect();
                s.push(queues);
                s
            })
            .collect();
        Self {
            horizon_ms: spec.horizon_ms,
            warmup_ms: spec.warmup_ms,
            intervals: IntervalOf::new(spec.interval_ms),
            scopes,
            threshold_ms: spec
                .queues
                .iter()
                .map(|q| {
                    spec.segments
                        .iter()
                        .map(|seg| q.threshold_ms(seg.channel))
                        .collect()
                })
                .collect(),
            segment_channel: {
                let kinds = channels_of(spec);
                spec.segments
                    .iter()
                    .map(|seg| {
                        kinds
                            .iter()
                            .position(|&k| k == seg.channel)
                            .expect("every segment's kind is listed")
                    })
                    .collect()
            },
            channels: channels_of(spec).len(),
            channel_rows: vec![
                ChannelTotals::default();
                spec.interval_count() * scopes * channels_of(spec).len()
            ],
            agent_scopes,
            agent_slots: (0..spec.agents.len() as u32)
                .map(|a| u64::from(spec.staffed_slots(a)))
                .collect(),
            agent_busy: vec![0; spec.agents.len()],
            agent_on_shift: vec![false; spec.agents.len()],
            agent_status: vec![(DefaultStatus::Offline, 0); spec.agents.len()],
            totals: (0..scopes)
                .map(|_| Totals::new(spec.workflows.len(), channels_of(spec).len()))
                .collect(),
            rows: vec![IntervalRow::default(); spec.interval_count() * scopes],
            levels: vec![[Level::default(); 3]; scopes],
            queue_len: vec![0; queues],
            all_waiting: 0,
            trace: None,
            routes: spec.routes.len(),
            queues,
            routed: vec![0; routing_slots(spec.routes.len(), queues)],
            observer: None,
            sla: sla::SlaBook::new(spec),
            bot: BotTotals::new(),
        }
    }

    /// Shows every metric from now on to `observer` too.
    pub fn set_observer(&mut self, observer: Box<dyn MetricObserver>) {
        self.observer = Some(observer);
    }

    /// Where a routing outcome is counted in [`ReplicationStats::routed`]: route r at
    /// `r * queues + queue`, then Default (no route matched), then Direct (no routing).
    pub fn routing_slot(routes: usize, queues: usize, via: RoutedVia, queue: u32) -> usize {
        let row = match via {
            RoutedVia::Route(r) => r as usize,
            RoutedVia::Default => routes,
            RoutedVia::Direct => routes + 1,
        };
        row * queues + queue as usize
    }

    /// Keeps every metric from now on (memory grows with the run: for tests and debugging).
    pub fn enable_trace(&mut self) {
        self.trace.get_or_insert_with(Vec::new);
    }

    /// The metrics kept since [`Recorder::enable_trace`].
    pub fn take_trace(&mut self) -> Vec<(u64, Metric)> {
        self.trace.take().unwrap_or_default()
    }

    /// The horizon of the run, ms.
    pub fn horizon_ms(&self) -> u64 {
        self.horizon_ms
    }

    #[inline]
    fn row(&mut self, at_ms: u64, scope: usize) -> Option<&mut IntervalRow> {
        let i = self.intervals.index_of(at_ms) as usize;
        self.rows.get_mut(i * self.scopes + scope)
    }

    /// The counts of channel `ch` in the interval row of `at_ms` and `scope`.
    #[inline]
    fn channel_row(&mut self, at_ms: u64, scope: usize, ch: usize) -> Option<&mut ChannelTotals> {
        let i = self.intervals.index_of(at_ms) as usize;
        self.channel_rows
            .get_mut((i * self.scopes + scope) * self.channels + ch)
    }

    /// Records one metric at `now_ms`.
    #[inline]
    pub fn record(&mut self, now_ms: u64, metric: Metric) {
        if let Some(trace) = &mut self.trace {
            trace.push((now_ms, metric));
        }
        if let Some(observer) = &mut self.observer {
            observer.observe(now_ms, &metric);
        }
        if self.sla.is_some() {
            self.record_sla(now_ms, &metric);
        }
        let all = self.scopes - 1;
        match metric {
            Metric::Assigned { .. } => {}
            Metric::BotConversation { .. }
            | Metric::BotSilent { .. }
            | Metric::BotReplied { .. }
            | Metric::BotResolved { .. }
            | Metric::BotHandoff { .. }
            | Metric::BotAction { .. }
            | Metric::BotMedia { .. }
            | Metric::BotMediaExpired { .. }
            | Metric::BotInbound { .. }
            | Metric::BotClosedByHuman { .. }
            | Metric::BotReplyComposed { .. }
            | Metric::ExternalHandover { .. }
            | Metric::ExternalReplied { .. }
            | Metric::ExternalDone { .. }
            | Metric::MessageLost { .. }
            | Metric::TurnSent { .. }
            | Metric::ApiCall { .. }
            | Metric::TurnFate { .. }
            | Metric::BotDuplicate { .. }
            | Metric::BotResumed { .. }
            | Metric::BotAbandoned { .. } => self.record_bot(now_ms, metric),
            Metric::Arrived { .. }
            | Metric::ConversationStatus { .. }
            | Metric::CustomerMessages { .. }
            | Metric::AgentReply { .. }
            | Metric::Transferred { .. }
            | Metric::AgentTransferred { .. }
            | Metric::AbandonedAfterRequeue { .. }
            | Metric::SeverityDrawn { .. }
            | Metric::StrategyStarted { .. }
            | Metric::StrategyStep { .. }
            | Metric::ClosedByStrategy { .. }
            | Metric::AutoResolved { .. }
            | Metric::WorkflowRun { .. }
            | Metric::Survey { .. }
            | Metric::Sentiment { .. }
            | Metric::WorkflowAction { .. }
            | Metric::ClosedByWorkflow { .. }
            | Metric::WrapUp { .. } => self.record_conversation(now_ms, metric),
            Metric::Unassigned {
                queue, by_workflow, ..
            } => {
                for scope in [queue as usize, all] {
                    if by_workflow {
                        self.totals[scope].conversation.unassigned_by_workflow += 1;
                    } else {
                        self.totals[scope].unassigned += 1;
                    }
                }
            }
            Metric::Reassigned { .. } => {}
            Metric::Routed {
                via,
                queue,
                arrived_ms,
                ..
            } => {
                if arrived_ms >= self.warmup_ms {
                    self.routed[Self::routing_slot(self.routes, self.queues, via, queue)] += 1;
                }
            }
            Metric::Offered {
                queue,
                segment,
                arrived_ms,
            } => {
                let ch = self.segment_channel[segment as usize];
                for scope in [queue as usize, all] {
                    if let Some(row) = self.row(arrived_ms, scope) {
                        row.arrivals += 1;
                    }
                    if let Some(c) = self.channel_row(arrived_ms, scope, ch) {
                        c.offered += 1;
                    }
                    if arrived_ms >= self.warmup_ms {
                        self.totals[scope].offered += 1;
                        self.totals[scope].channels[ch].offered += 1;
                    }
                }
            }
            Metric::AwayMessage {
                queue,
                arrived_ms,
                closed,
                ..
            } => {
                if arrived_ms >= self.warmup_ms {
                    for scope in [queue as usize, all] {
                        self.totals[scope].away_messages += 1;
                        self.totals[scope].closed_outside_hours += u64::from(closed);
                    }
                }
            }
            Metric::AgentStatus { agent, status } => {
                let a = agent as usize;
                let was_working = self.working(a);
                self.status_change(now_ms, a, Some(status));
                self.update_working(now_ms, a, was_working);
            }
            Metric::Answered {
                queue,
                segment,
                by,
                arrived_ms,
                wait_ms,
                ..
            } => {
                let ch = self.segment_channel[segment as usize];
                if arrived_ms >= self.warmup_ms {
                    let slot = AssignedBy::ALL
                        .iter()
                        .position(|&b| b == by)
                        .expect("listed");
                    self.totals[queue as usize].answered_by[slot] += 1;
                    self.totals[all].answered_by[slot] += 1;
                }
                let within = wait_ms <= self.threshold_ms[queue as usize][segment as usize];
                for scope in [queue as usize, all] {
                    if let Some(row) = self.row(arrived_ms, scope) {
                        row.answered += 1;
                        row.answered_wait_sum_ms += wait_ms;
                        row.answered_within_threshold += u64::from(within);
                    }
                    if let Some(c) = self.channel_row(arrived_ms, scope, ch) {
                        c.answered += 1;
                        c.wait_sum_ms += wait_ms;
                        c.within_threshold += u64::from(within);
                    }
                    if arrived_ms >= self.warmup_ms {
                        let t = &mut self.totals[scope];
                        t.answered += 1;
                        t.answered_wait_sum_ms += wait_ms;
                        t.answered_immediately += u64::from(wait_ms == 0);
                        t.answered_within_threshold += u64::from(within);
                        let c = &mut t.channels[ch];
                        c.answered += 1;
                        c.wait_sum_ms += wait_ms;
                        c.within_threshold += u64::from(within);
                        // `record` grows the histogram to the value; `saturating_record` would
                        // clamp it to the histogram's current (tiny) range instead.
                        if t.answered_waits_ms.record(wait_ms).is_err() {
                            t.answered_waits_ms.saturating_record(wait_ms);
                        }
                    }
                }
            }
            Metric::Abandoned {
                queue,
                segment,
                arrived_ms,
                ..
            } => {
                let ch = self.segment_channel[segment as usize];
                for scope in [queue as usize, all] {
                    if let Some(row) = self.row(arrived_ms, scope) {
                        row.abandoned += 1;
                    }
                    if let Some(c) = self.channel_row(arrived_ms, scope, ch) {
                        c.abandoned += 1;
                    }
                    if arrived_ms >= self.warmup_ms {
                        self.totals[scope].abandoned += 1;
                        self.totals[scope].channels[ch].abandoned += 1;
                    }
                }
            }
            Metric::QueueLength { queue, len } => {
                let q = queue as usize;
                let before = self.queue_len[q];
                self.queue_len[q] = len;
                self.all_waiting = self.all_waiting + len - before;
                let all_len = self.all_waiting;
                if let Some(row) = self.row(now_ms, q) {
                    row.max_queue_length = row.max_queue_length.max(len);
                }
                if let Some(row) = self.row(now_ms, all) {
                    row.max_queue_length = row.max_queue_length.max(all_len);
                }
            }
            Metric::AgentBusy {
                agent, busy_slots, ..
            } => {
                let a = agent as usize;
                let was_present = self.present(a);
                let new = u64::from(busy_slots);
                let old = std::mem::replace(&mut self.agent_busy[a], new);
                self.shift_agent_levels(now_ms, a, LevelKind::Busy, new as i64 - old as i64);
                self.update_presence(now_ms, a, was_present);
            }
            Metric::AgentShift { agent, on } => {
                let a = agent as usize;
                let was_present = self.present(a);
                let was_working = self.working(a);
                self.agent_on_shift[a] = on;
                self.update_working(now_ms, a, was_working);
                self.update_presence(now_ms, a, was_present);
            }
        }
    }

    /// Closes the levels at `end_ms` and hands over the statistics.
    pub fn finish(mut self, end_ms: u64, waiting_at_end: u64) -> ReplicationStats {
        self.finish_sla(end_ms);
        for a in 0..self.agent_status.len() {
            self.status_change(end_ms, a, None);
        }
        for scope in 0..self.scopes {
            for kind in [LevelKind::Busy, LevelKind::Staffed, LevelKind::OnShift] {
                self.integrate(end_ms, scope, kind);
            }
        }
        let mut violations = self
            .observer
            .as_mut()
            .map(|o| o.finish(end_ms, waiting_at_end))
            .unwrap_or_default();
        if let Some(book) = &mut self.sla {
            violations.append(&mut book.violations);
        }
        let sla_by_policy = self
            .sla
            .as_mut()
            .map(|b| std::mem::take(&mut b.by_policy))
            .unwrap_or_default();
        ReplicationStats {
            bot: self.bot,
            sla_by_policy,
            violations,
            routed: self.routed,
            totals: self.totals,
            intervals: self.rows,
            channel_intervals: self.channel_rows,
            waiting_at_end,
        }
    }

    /// Conversations each agent holds, as last recorded (for invariant checks).
    pub fn agent_busy(&self) -> &[u64] {
        &self.agent_busy
    }
}

#[cfg(test)]
mod tests;
