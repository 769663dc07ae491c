//! What a run keeps of its replications: each replication's measures as a handful of numbers
//! per scope (for confidence intervals) and running sums of the interval rows. A finished
//! replication is folded in at once and its recorder dropped, so memory is one interval table
//! plus a few numbers per replication, however many replications run.
//!
//! The sums are integers (counts, ms, slot·ms), so the result is the same whatever order the
//! replications finish in — the determinism contract holds for any thread count.

pub use super::aggregate_bot::BotValues;
use super::channels::ChannelTotals;
pub use super::moments::Moments;
use super::open_hours::{self, OpenHoursValues};
use super::recorder::{ConversationTotals, ReplicationStats, SlaTotals, Totals};
use crate::model::centre::CentreSpec;

/// One replication's measures of one scope (a queue, or the whole centre). Ratios that are
/// undefined in this replication (nobody offered, nobody answered) are NaN.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeValues {
    /// Customers offered (arrived after warm-up).
    pub offered: f64,
    /// Of those, answered.
    pub answered: f64,
    /// Of those, abandoned.
    pub abandoned: f64,
    /// Abandoned ÷ offered.
    pub abandon_rate: f64,
    /// Offered customers not answered at once ÷ offered.
    pub p_wait: f64,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: f64,
    /// Percentiles of the waits of the answered, s: p50, p90, p95, p99.
    pub wait_percentiles_s: [f64; 4],
    /// Answered within the threshold ÷ offered.
    pub service_level: f64,
    /// Busy ÷ staffed slot-time.
    pub occupancy: f64,
    /// Answered by how the agent was chosen, in `AssignedBy::ALL` order.
    pub answered_by: [f64; crate::actors::AssignedBy::ALL.len()],
    /// Conversations that got the away message.
    pub away_messages: f64,
    /// Of those, closed right after it.
    pub closed_outside_hours: f64,
    /// Conversations taken back from agents logged out for inactivity (ST-3).
    pub unassigned: f64,
    /// Agent-hours in each shown status, in `recorder::STATUSES` order.
    pub status_agent_h: [f64; 5],
    /// The life of conversations.
    pub conversation: ConversationValues,
    /// SLA verdicts.
    pub sla: SlaValues,
    /// The customer measures over the intervals the scope was open ([`super::open_hours`]).
    pub open: OpenHoursValues,
    /// Per channel, in [`super::channels::channels_of`] order.
    pub channels: Vec<super::channels::ChannelValues>,
}

/// One replication's SLA measures of one scope: compliance = share not breached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlaValues {
    /// Conversations with a verdict under a policy.
    pub conversations: f64,
    /// Conversations under a policy without a verdict (closed before any target came due).
    pub undecided: f64,
    /// Of those with a verdict, with any breach.
    pub breached: f64,
    /// Share of them without a breach.
    pub compliance: f64,
    /// Share of first responses within target.
    pub first_response_compliance: f64,
    /// Share of next replies within target.
    pub next_reply_compliance: f64,
    /// Share of resolutions within target.
    pub resolution_compliance: f64,
}

impl SlaValues {
    /// The measures of one replication's counts.
    pub fn of(s: &SlaTotals) -> Self {
        let met = |(n, b): (u64, u64)| ratio(n - b, n);
        Self {
            conversations: s.conversations as f64,
            undecided: s.undecided as f64,
            breached: s.breached as f64,
            compliance: met((s.conversations, s.breached)),
            first_response_compliance: met(s.first_response),
            next_reply_compliance: met(s.next_reply),
            resolution_compliance: met(s.resolution),
        }
    }
}

/// One replication's conversation measures of one scope (counts as they are; times in s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConversationValues {
    /// Customer messages.
    pub customer_messages: f64,
    /// Agent replies.
    pub agent_replies: f64,
    /// Mean time to the first reply since the conversation began, s.
    pub first_reply_mean_s: f64,
    /// 90th percentile of the same, s.
    pub first_reply_p90_s: f64,
    /// Mean time to later replies since the customer's turn began, s.
    pub next_reply_mean_s: f64,
    /// Conversations set Solved.
    pub solved: f64,
    /// Solved conversations reopened by their customer.
    pub reopened: f64,
    /// Conversations closed after Solved.
    pub closed: f64,
    /// New conversations of customers who came back after a closed one.
    pub came_back: f64,
    /// Moved out to another queue (AA-11).
    pub transfers_out: f64,
    /// Of those, kept by their agent.
    pub transfers_kept: f64,
    /// Moved in from another queue.
    pub transfers_in: f64,
    /// Handed to another agent of the queue (ST-1).
    pub transfers_to_agents: f64,
    /// Customers who gave up after their conversation went back to a line.
    pub abandoned_after_requeue: f64,
    /// Waiting strategies started.
    pub strategies_started: f64,
    /// Welcome messages sent.
    pub strategy_welcomes: f64,
    /// Announcements sent.
    pub strategy_announcements: f64,
    /// Strategies that fell silent after an hour.
    pub strategies_silenced: f64,
    /// Customers closed by the maximum wait.
    pub closed_by_strategy: f64,
    /// Agent-hours of wrap-up.
    pub wrap_up_agent_h: f64,
    /// Templates sent instead of free-form replies outside the window.
    pub templates_instead: f64,
    /// Conversations that resolved themselves after inactivity.
    pub auto_resolved: f64,
    /// Workflow messages delivered.
    pub workflow_messages: f64,
    /// Workflow messages that failed outside the window.
    pub workflow_messages_failed: f64,
    /// Conversations a workflow set Solved.
    pub solved_by_workflow: f64,
    /// Conversations a workflow unassigned.
    pub unassigned_by_workflow: f64,
    /// Conversations a workflow closed.
    pub closed_by_workflow: f64,
    /// Customers whose waiting conversation a workflow closed.
    pub closed_by_workflow_waiting: f64,
    /// Priorities a workflow set.
    pub priority_changes: f64,
    /// API calls by workflows.
    pub api_calls: f64,
    /// Surveys sent.
    pub surveys: f64,
    /// Happy answers ÷ answers.
    pub survey_happy_rate: f64,
    /// Answers ÷ surveys.
    pub survey_response_rate: f64,
    /// Ended conversations by sentiment band: negative, neutral, positive.
    pub sentiment_bands: [f64; 3],
    /// Mean conversation sentiment score.
    pub sentiment_mean: f64,
}

impl ConversationValues {
    fn of(c: &ConversationTotals) -> Self {
        Self {
            customer_messages: c.customer_messages as f64,
            agent_replies: c.agent_replies as f64,
            first_reply_mean_s: ratio(c.first_reply_sum_ms, c.first_replies) / 1000.0,
            first_reply_p90_s: if c.first_replies == 0 {
                f64::NAN
            } else {
                c.first_reply_ms.value_at_quantile(0.9) as f64 / 1000.0
            },
            next_reply_mean_s: ratio(c.next_reply_sum_ms, c.next_replies) / 1000.0,
            solved: c.solved as f64,
            reopened: c.reopened as f64,
            closed: c.closed as f64,
            came_back: c.came_back as f64,
            transfers_out: c.transfers_out as f64,
            transfers_kept: c.transfers_kept as f64,
            transfers_in: c.transfers_in as f64,
            transfers_to_agents: c.transfers_to_agents as f64,
            abandoned_after_requeue: c.abandoned_after_requeue as f64,
            strategies_started: c.strategies_started as f64,
            strategy_welcomes: c.strategy_welcomes as f64,
            strategy_announcements: c.strategy_announcements as f64,
            strategies_silenced: c.strategies_silenced as f64,
            closed_by_strategy: c.closed_by_strategy as f64,
            wrap_up_agent_h: c.wrap_up_agent_ms as f64 / 3_600_000.0,
            templates_instead: c.templates_instead as f64,
            auto_resolved: c.auto_resolved as f64,
            workflow_messages: c.workflow_messages as f64,
            workflow_messages_failed: c.workflow_messages_failed as f64,
            solved_by_workflow: c.solved_by_workflow as f64,
            unassigned_by_workflow: c.unassigned_by_workflow as f64,
            closed_by_workflow: c.closed_by_workflow as f64,
            closed_by_workflow_waiting: c.closed_by_workflow_waiting as f64,
            priority_changes: c.priority_changes as f64,
            api_calls: c.api_calls as f64,
            surveys: c.surveys as f64,
            survey_happy_rate: ratio(c.surveys_happy, c.surveys_happy + c.surveys_not_happy),
            survey_response_rate: ratio(c.surveys_happy + c.surveys_not_happy, c.surveys),
            sentiment_bands: c.sentiment_bands.map(|n| n as f64),
            sentiment_mean: {
                let n: u64 = c.sentiment_bands.iter().sum();
                if n == 0 {
                    f64::NAN
                } else {
                    c.sentiment_sum / n as f64
                }
            },
        }
    }
}

/// The quantiles of [`ScopeValues::wait_percentiles_s`].
pub const WAIT_QUANTILES: [f64; 4] = [0.50, 0.90, 0.95, 0.99];

/// `num ÷ den`, NaN when there is nothing to divide by.
pub(super) fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

impl ScopeValues {
    /// The measures of one replication's totals, with its open-hours measures.
    pub fn of(t: &Totals, open: OpenHoursValues) -> Self {
        let percentile = |q: f64| {
            if t.answered == 0 {
                f64::NAN
            } else {
                t.answered_waits_ms.value_at_quantile(q) as f64 / 1000.0
            }
        };
        Self {
            offered: t.offered as f64,
            answered: t.answered as f64,
            abandoned: t.abandoned as f64,
            abandon_rate: ratio(t.abandoned, t.offered),
            p_wait: ratio(t.offered - t.answered_immediately, t.offered),
            mean_wait_answered_s: ratio(t.answered_wait_sum_ms, t.answered) / 1000.0,
            wait_percentiles_s: WAIT_QUANTILES.map(percentile),
            service_level: ratio(t.answered_within_threshold, t.offered),
            occupancy: ratio(t.busy_slot_ms, t.staffed_slot_ms),
            answered_by: t.answered_by.map(|n| n as f64),
            away_messages: t.away_messages as f64,
            closed_outside_hours: t.closed_outside_hours as f64,
            unassigned: t.unassigned as f64,
            status_agent_h: t.status_agent_ms.map(|ms| ms as f64 / 3_600_000.0),
            conversation: ConversationValues::of(&t.conversation),
            sla: SlaValues::of(&t.sla),
            open,
            channels: t
                .channels
                .iter()
                .map(super::channels::ChannelValues::of)
                .collect(),
        }
    }
}

/// Interval rows summed over replications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntervalSums {
    /// Σ arrivals.
    pub arrivals: u64,
    /// Σ answered.
    pub answered: u64,
    /// Σ abandoned.
    pub abandoned: u64,
    /// Σ closed by the waiting strategy's maximum wait.
    pub closed_by_strategy: u64,
    /// Σ closed by a workflow while waiting.
    pub closed_by_workflow: u64,
    /// Σ SLA verdicts.
    pub sla: SlaTotals,
    /// Σ answered within the threshold.
    pub answered_within_threshold: u64,
    /// Σ waits of the answered, ms.
    pub answered_wait_sum_ms: u64,
    /// Σ of each replication's longest queue in the interval.
    pub max_queue_length: u64,
    /// Σ agent-time on shift, agent·ms.
    pub on_shift_agent_ms: u128,
    /// Σ busy slot-time, slot·ms.
    pub busy_slot_ms: u128,
    /// Σ staffed slot-time, slot·ms.
    pub staffed_slot_ms: u128,
    /// Each replication's service level in the interval (where it had arrivals), for its
    /// confidence band.
    pub service_level: Moments,
    /// Each replication's SLA compliance in the interval (where it judged conversations).
    pub sla_compliance: Moments,
}

/// Everything a run keeps of its replications.
#[derive(Debug, Clone)]
pub struct RunAggregate {
    scopes: usize,
    /// The report interval, the horizon and the warm-up, ms (for the open-hours measures).
    interval_ms: u64,
    horizon_ms: u64,
    warmup_ms: u64,
    /// Per replication (by index), per scope.
    values: Vec<Option<Vec<ScopeValues>>>,
    waiting_at_end: Vec<f64>,
    /// Row-major: interval i, scope s at `i * scopes + s`.
    intervals: Vec<IntervalSums>,
    /// Channels reported ([`super::channels::channels_of`]).
    channels: usize,
    /// The interval rows' counts per channel summed over replications: row r, channel c at
    /// `r * channels + c`.
    channel_intervals: Vec<ChannelTotals>,
    /// Per replication, conversations by routing outcome (see `Recorder::routing_slot`).
    routed: Vec<Vec<u64>>,
    /// Per replication, runs of each workflow (whole centre).
    workflow_runs: Vec<Vec<u64>>,
    /// Per replication, SLA measures by policy.
    sla_by_policy: Vec<Vec<SlaValues>>,
    /// Per replication, the bot's measures.
    bot: Vec<Option<BotValues>>,
}

impl RunAggregate {
    /// An empty aggregate for `replications` replications of `spec`.
    pub fn new(spec: &CentreSpec, replications: u32) -> Self {
        let scopes = spec.queues.len() + 1;
        Self {
            scopes,
            interval_ms: spec.interval_ms,
            horizon_ms: spec.horizon_ms,
            warmup_ms: spec.warmup_ms,
            values: vec![None; replications as usize],
            waiting_at_end: vec![f64::NAN; replications as usize],
            intervals: vec![IntervalSums::default(); spec.interval_count() * scopes],
            channels: super::channels::channels_of(spec).len(),
            channel_intervals: vec![
                ChannelTotals::default();
                spec.interval_count()
                    * scopes
                    * super::channels::channels_of(spec).len()
            ],
            routed: vec![Vec::new(); replications as usize],
            workflow_runs: vec![Vec::new(); replications as usize],
            sla_by_policy: vec![Vec::new(); replications as usize],
            bot: vec![None; replications as usize],
        }
    }

    /// Folds in replication `replication`'s statistics.
    pub fn add(&mut self, replication: u32, stats: &ReplicationStats) {
        let r = replication as usize;
        debug_assert!(self.values[r].is_none(), "replication {r} added twice");
        let open = open_hours::of_rows(
            &stats.intervals,
            &stats.channel_intervals,
            self.channels,
            self.scopes,
            self.interval_ms,
            self.horizon_ms,
            self.warmup_ms,
        );
        self.values[r] = Some(
            stats
                .totals
                .iter()
                .zip(open)
                .map(|(t, open)| ScopeValues::of(t, open))
                .collect(),
        );
        self.waiting_at_end[r] = stats.waiting_at_end as f64;
        self.routed[r] = stats.routed.clone();
        self.sla_by_policy[r] = stats.sla_by_policy.iter().map(SlaValues::of).collect();
        self.bot[r] = Some(BotValues::of(&stats.bot));
        if let Some(all) = stats.totals.last() {
            self.workflow_runs[r] = all.conversation.workflow_runs.clone();
        }
        for (sum, c) in self
            .channel_intervals
            .iter_mut()
            .zip(&stats.channel_intervals)
        {
            sum.add(c);
        }
        for (sum, row) in self.intervals.iter_mut().zip(&stats.intervals) {
            sum.arrivals += row.arrivals;
            sum.answered += row.answered;
            sum.abandoned += row.abandoned;
            sum.closed_by_strategy += row.closed_by_strategy;
            sum.closed_by_workflow += row.closed_by_workflow;
            sum.sla.merge(&row.sla);
            sum.answered_within_threshold += row.answered_within_threshold;
            sum.answered_wait_sum_ms += row.answered_wait_sum_ms;
            sum.max_queue_length += u64::from(row.max_queue_length);
            sum.on_shift_agent_ms += u128::from(row.on_shift_agent_ms);
            sum.busy_slot_ms += u128::from(row.busy_slot_ms);
            sum.staffed_slot_ms += u128::from(row.staffed_slot_ms);
            if row.arrivals > 0 {
                sum.service_level
                    .add(row.answered_within_threshold as f64 / row.arrivals as f64);
            }
            if row.sla.conversations > 0 {
                let met = row.sla.conversations - row.sla.breached.min(row.sla.conversations);
                sum.sla_compliance
                    .add(met as f64 / row.sla.conversations as f64);
            }
        }
    }

    /// Number of replications folded in.
    pub fn replications(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// Scopes: the queues, then the whole centre.
    pub fn scopes(&self) -> usize {
        self.scopes
    }

    /// One measure of `scope` in every replication, in replication order.
    pub fn values(&self, scope: usize, measure: impl Fn(&ScopeValues) -> f64) -> Vec<f64> {
        self.values
            .iter()
            .flatten()
            .map(|per_scope| measure(&per_scope[scope]))
            .collect()
    }

    /// Conversations counted in routing slot `slot` (see `Recorder::routing_slot`), per
    /// replication.
    pub fn routed(&self, slot: usize) -> Vec<f64> {
        self.routed
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r[slot] as f64)
            .collect()
    }

    /// A measure of SLA policy `p`'s verdicts, per replication.
    pub fn sla_of_policy(&self, p: usize, measure: impl Fn(&SlaValues) -> f64) -> Vec<f64> {
        self.sla_by_policy
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| measure(&v[p]))
            .collect()
    }

    /// A bot measure, per replication.
    pub fn bot(&self, measure: impl Fn(&BotValues) -> f64) -> Vec<f64> {
        self.bot.iter().flatten().map(measure).collect()
    }

    /// Runs of workflow `w` per replication.
    pub fn workflow_runs(&self, w: usize) -> Vec<f64> {
        self.workflow_runs
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r[w] as f64)
            .collect()
    }

    /// Customers still waiting at the end, per replication.
    pub fn waiting_at_end(&self) -> &[f64] {
        &self.waiting_at_end
    }

    /// The summed counts of channel `channel` in interval `interval` and scope `scope`.
    pub fn channel_interval(&self, interval: usize, scope: usize, channel: usize) -> ChannelTotals {
        self.channel_intervals[(interval * self.scopes + scope) * self.channels + channel]
    }

    /// The summed rows of interval `interval`, one per scope.
    pub fn interval(&self, interval: usize) -> &[IntervalSums] {
        &self.intervals[interval * self.scopes..(interval + 1) * self.scopes]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::AssignedBy;
    use crate::actors::Metric;
    use crate::model::centre::testing::centre;
    use crate::report::recorder::Recorder;

    const MIN: u64 = 60_000;

    fn replication(spec: &CentreSpec, k: u64) -> ReplicationStats {
        let mut r = Recorder::new(spec);
        r.record(0, Metric::AgentShift { agent: 0, on: true });
        for i in 0..k {
            let at = i * 7 * MIN;
            r.record(
                at,
                Metric::Offered {
                    queue: 0,
                    segment: 0,
                    arrived_ms: at,
                },
            );
            r.record(
                at + k * 1000,
                Metric::Answered {
                    queue: 0,
                    segment: 0,
                    agent: 0,
                    by: AssignedBy::Weighted,
                    arrived_ms: at,
                    wait_ms: k * 1000,
                },
            );
            r.record(
                at,
                Metric::AgentBusy {
                    agent: 0,
                    busy_slots: (i % 2) as u32,
                    category: crate::model::channel::ChannelCategory::LiveMessaging,
                    in_category: (i % 2) as u32,
                    assigned: true,
                },
            );
        }
        r.finish(spec.horizon_ms, k)
    }

    #[test]
    fn folding_order_does_not_change_the_aggregate() {
        let spec = centre(1, &[(&[0], 2)], 120, 30, 0);
        let reps: Vec<ReplicationStats> = (1..=4).map(|k| replication(&spec, k)).collect();
        let mut in_order = RunAggregate::new(&spec, 4);
        for (r, stats) in reps.iter().enumerate() {
            in_order.add(r as u32, stats);
        }
        let mut reversed = RunAggregate::new(&spec, 4);
        for (r, stats) in reps.iter().enumerate().rev() {
            reversed.add(r as u32, stats);
        }
        assert_eq!(
            in_order.values(0, |v| v.mean_wait_answered_s),
            vec![1.0, 2.0, 3.0, 4.0]
        );
        assert_eq!(
            reversed.values(0, |v| v.mean_wait_answered_s),
            vec![1.0, 2.0, 3.0, 4.0]
        );
        assert_eq!(in_order.waiting_at_end(), reversed.waiting_at_end());
        for i in 0..spec.interval_count() {
            assert_eq!(in_order.interval(i), reversed.interval(i));
        }
        // Replication k has k arrivals, 7 minutes apart: all inside the first 30 minutes.
        assert_eq!(in_order.interval(0)[0].arrivals, 1 + 2 + 3 + 4);
    }
}
