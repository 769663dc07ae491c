//! The run's summary: overall and per-queue measures with 95 % confidence intervals over
//! replications, as written to `summary.json`. Field by field in docs/report-format.md.

use std::collections::BTreeMap;

use serde::Serialize;

use super::aggregate::{RunAggregate, ScopeValues, SlaValues};
use super::recorder::{Recorder, STATUSES};
use super::stats::Estimate;
pub use super::summary_bot::{BotMeasures, ExternalMeasures};
use crate::actors::{AssignedBy, Fate, RoutedVia};
use crate::model::survey::SentimentBand;
use crate::scenario::Scenario;

/// The definition of service level used everywhere in the reports.
pub const SERVICE_LEVEL_DEFINITION: &str = "customers answered within their queue's threshold divided by customers offered; abandoned customers and those still waiting at the end count as misses";

/// Measures of one scope (a queue, or the whole centre). The customer measures at the top
/// level are over all hours; `open_hours` has them over the intervals the scope was open.
#[derive(Debug, Clone, Serialize)]
pub struct Measures {
    /// The customer measures over the report intervals in which an agent of the scope was on
    /// shift ([`super::open_hours`]): what the centre delivers while it is open.
    pub open_hours: OpenHoursMeasures,
    /// Customers offered (arrived after warm-up).
    pub offered: Estimate,
    /// Customers answered.
    pub answered: Estimate,
    /// Customers who abandoned.
    pub abandoned: Estimate,
    /// Abandoned ÷ offered.
    pub abandon_rate: Estimate,
    /// Share of offered customers not answered at once (waited > 0 ms or abandoned).
    pub p_wait: Estimate,
    /// Mean wait of answered customers, s.
    pub mean_wait_answered_s: Estimate,
    /// Median wait of answered customers, s.
    pub wait_p50_s: Estimate,
    /// 90th percentile wait of answered customers, s.
    pub wait_p90_s: Estimate,
    /// 95th percentile wait of answered customers, s.
    pub wait_p95_s: Estimate,
    /// 99th percentile wait of answered customers, s.
    pub wait_p99_s: Estimate,
    /// See [`SERVICE_LEVEL_DEFINITION`].
    pub service_level: Estimate,
    /// Busy slot-time ÷ staffed slot-time of the agents in scope.
    pub occupancy: Estimate,
    /// Answered customers by how the agent was chosen: `weighted` (AA-7), `sticky` (AA-2),
    /// `bulk` (an agent that became available took it, AA-10), `manual` (assignment off).
    pub answered_by: BTreeMap<&'static str, Estimate>,
    /// Conversations opened outside the queue's hours that got the away message (WH-3).
    pub away_messages: Estimate,
    /// Of those, closed right after it.
    pub closed_outside_hours: Estimate,
    /// Conversations given to agents who had stopped working, taken back when the platform
    /// logged them out and put back in line (ST-3).
    pub unassigned_after_logout: Estimate,
    /// Agent-hours in each status the agents showed (`available`, `full_capacity`, `busy`,
    /// `away`, `offline`); an agent of several queues counts in each.
    pub agent_hours_by_status: BTreeMap<&'static str, Estimate>,
    /// The life of conversations: messages, replies, statuses, transfers, waiting strategies.
    pub conversations: ConversationMeasures,
    /// SLA verdicts of the conversations that ended in scope (SLA-1..7).
    pub sla: SlaMeasures,
    /// The same customer measures per channel, each against its own threshold in the queue
    /// ([`super::channels`]); channels that offered nobody here are left out.
    pub channels: Vec<super::channels::ChannelMeasures>,
}

/// The customer measures of one scope over its open intervals (see docs/report-format.md).
#[derive(Debug, Clone, Serialize)]
pub struct OpenHoursMeasures {
    /// Hours open: intervals with an agent of the scope on shift, after warm-up.
    pub open_h: Estimate,
    /// Customers offered in those intervals.
    pub offered: Estimate,
    /// Of those, answered.
    pub answered: Estimate,
    /// Of those, abandoned.
    pub abandoned: Estimate,
    /// Abandoned ÷ offered.
    pub abandon_rate: Estimate,
    /// See [`SERVICE_LEVEL_DEFINITION`], over these customers.
    pub service_level: Estimate,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: Estimate,
    /// Share of these customers' conversations with an SLA verdict that had no breach.
    pub sla_compliance: Estimate,
}

/// One field of [`SlaValues`].
type SlaField<'a> = &'a dyn Fn(&SlaValues) -> f64;

impl SlaMeasures {
    /// Every measure, each estimated by `est` from a per-replication [`SlaValues`] field.
    fn from(est: &dyn Fn(SlaField) -> Estimate) -> Self {
        Self {
            conversations: est(&|v| v.conversations),
            undecided: est(&|v| v.undecided),
            breached: est(&|v| v.breached),
            compliance: est(&|v| v.compliance),
            first_response_compliance: est(&|v| v.first_response_compliance),
            next_reply_compliance: est(&|v| v.next_reply_compliance),
            resolution_compliance: est(&|v| v.resolution_compliance),
        }
    }
}

/// SLA measures of one scope (see docs/report-format.md).
#[derive(Debug, Clone, Serialize)]
pub struct SlaMeasures {
    /// Conversations with a verdict under a policy, by the queue they ended in: at least one
    /// target met or breached.
    pub conversations: Estimate,
    /// Conversations under a policy closed (or open at the end) before any target came due or
    /// was met — mostly customers who abandoned early: neither met nor breached, and not in
    /// the compliance.
    pub undecided: Estimate,
    /// Of those, with at least one breach.
    pub breached: Estimate,
    /// Share of them without a breach.
    pub compliance: Estimate,
    /// Share of first responses within target.
    pub first_response_compliance: Estimate,
    /// Share of next replies within target.
    pub next_reply_compliance: Estimate,
    /// Share of resolutions within target.
    pub resolution_compliance: Estimate,
}

/// Conversation measures of one scope (see docs/report-format.md).
#[derive(Debug, Clone, Serialize)]
pub struct ConversationMeasures {
    /// Customer messages (every message of a burst).
    pub customer_messages: Estimate,
    /// Agent replies.
    pub agent_replies: Estimate,
    /// Mean time from a conversation's start to its first agent reply (queue wait included), s.
    pub first_reply_mean_s: Estimate,
    /// 90th percentile of the same, s.
    pub first_reply_p90_s: Estimate,
    /// Mean time from a customer's later turn to the agent's reply, s.
    pub next_reply_mean_s: Estimate,
    /// Conversations set Solved.
    pub solved: Estimate,
    /// Solved conversations reopened by their customer.
    pub reopened: Estimate,
    /// Conversations closed after Solved.
    pub closed: Estimate,
    /// New conversations of customers who came back after a closed one (centre only).
    pub came_back: Estimate,
    /// Conversations moved out to another queue (AA-11).
    pub transfers_out: Estimate,
    /// Of those, kept by their agent (a member of the new queue).
    pub transfers_kept: Estimate,
    /// Conversations moved in from another queue.
    pub transfers_in: Estimate,
    /// Conversations handed to another agent of the queue (ST-1).
    pub transfers_to_agents: Estimate,
    /// Customers who gave up waiting after their conversation went back to a line (moved
    /// here, AA-11, or unassigned): answered once, so not counted in `abandoned`.
    pub abandoned_after_requeue: Estimate,
    /// Waiting strategies started (WS-1).
    pub waiting_strategies_started: Estimate,
    /// Welcome messages or greetings sent (WS-2).
    pub welcome_messages: Estimate,
    /// Announcements sent (WS-3, WS-6).
    pub announcements: Estimate,
    /// Strategies that fell silent after an hour (WS-5).
    pub strategies_silenced: Estimate,
    /// Customers whose conversation the maximum wait closed (calls dropped) (WS-4, WS-6).
    pub closed_by_max_wait: Estimate,
    /// Agent-hours of wrap-up after calls (ST-4).
    pub wrap_up_agent_hours: Estimate,
    /// Free-form replies rejected outside WhatsApp's 24-hour window; a template went out
    /// instead of each (WIN-1).
    pub templates_instead_of_free_form: Estimate,
    /// Conversations that resolved themselves after their channel's inactivity time (WIN-3).
    pub auto_resolved: Estimate,
    /// What workflows did (WF-5).
    pub workflows: WorkflowMeasures,
    /// Surveys sent when conversations turned Solved (SUR-1).
    pub surveys: Estimate,
    /// Answers ÷ surveys.
    pub survey_response_rate: Estimate,
    /// Happy answers ÷ answers.
    pub survey_happy_rate: Estimate,
    /// Ended conversations by sentiment band (`negative` < -0.35 ≤ `neutral` ≤ 0.35 <
    /// `positive`, SUR-2).
    pub sentiment: BTreeMap<&'static str, Estimate>,
    /// Mean conversation sentiment score.
    pub sentiment_mean: Estimate,
}

/// What workflows did in one scope.
#[derive(Debug, Clone, Serialize)]
pub struct WorkflowMeasures {
    /// Messages sent to customers.
    pub messages: Estimate,
    /// Messages that failed outside WhatsApp's 24-hour window (WIN-1).
    pub messages_failed: Estimate,
    /// Conversations set Solved.
    pub solved: Estimate,
    /// Conversations unassigned.
    pub unassigned: Estimate,
    /// Conversations closed (waiting or assigned).
    pub closed: Estimate,
    /// Of those, customers still waiting unanswered, by arrival.
    pub closed_while_waiting: Estimate,
    /// Priorities set.
    pub priority_changes: Estimate,
    /// API calls.
    pub api_calls: Estimate,
}

/// SLA verdicts under one policy (its default severity, SLA-2).
#[derive(Debug, Clone, Serialize)]
pub struct SlaPolicySummary {
    /// The policy's name.
    pub policy: String,
    /// The severity judged (the default one).
    pub severity: String,
    /// The measures.
    #[serde(flatten)]
    pub measures: SlaMeasures,
}

/// How often one workflow ran.
#[derive(Debug, Clone, Serialize)]
pub struct WorkflowRuns {
    /// The workflow's name.
    pub name: String,
    /// Runs (after warm-up).
    pub runs: Estimate,
}

/// What one arrival segment's conversations hold an agent's slot for, on average (CAP-4).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentLoad {
    /// The segment's name.
    pub name: String,
    /// The whole, s.
    pub slot_s: f64,
    /// The parts, s: `handle`, `replies`, `customer_thinking`, `solved_until_closed`.
    pub slot_parts_s: BTreeMap<&'static str, f64>,
}

/// One queue's part of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct QueueSummary {
    /// Queue name.
    pub name: String,
    /// Its service-level threshold, s.
    pub service_level_threshold_s: f64,
    /// Its measures.
    #[serde(flatten)]
    pub measures: Measures,
}

/// Conversations that took one way into one queue (only ways that were taken are listed).
#[derive(Debug, Clone, Serialize)]
pub struct RoutingSummary {
    /// The route's name, `(default)` when no route matched (RT-4), `(direct)` for segments that
    /// go straight to a queue.
    pub route: String,
    /// The queue.
    pub queue: String,
    /// Conversations (arrived after warm-up).
    pub conversations: Estimate,
}

/// The whole of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Version of ccsim that wrote the report.
    pub ccsim_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// Local start of the run.
    pub start: String,
    /// Time zone of the run.
    pub time_zone: String,
    /// Simulated length, h.
    pub horizon_h: f64,
    /// Warm-up left out of the summary, h.
    pub warmup_h: f64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// How service level is computed.
    pub service_level_definition: &'static str,
    /// What the user should know before trusting these results: a documented default that
    /// drives the load, named with the setting that changes it.
    pub warnings: Vec<crate::scenario::drivers::Warning>,
    /// Each arrival segment's mean slot time, part by part (s): what drives the load.
    pub segments: Vec<SegmentLoad>,
    /// Conversations still waiting at the end of the run, mean over replications.
    pub waiting_at_end: Estimate,
    /// The whole centre.
    pub overall: Measures,
    /// Each queue, in scenario order.
    pub queues: Vec<QueueSummary>,
    /// Conversations per route and queue, routes in their order.
    pub routing: Vec<RoutingSummary>,
    /// Runs of each workflow, in list order.
    pub workflows: Vec<WorkflowRuns>,
    /// SLA verdicts by policy, in priority order.
    pub sla_policies: Vec<SlaPolicySummary>,
    /// Every customer message (turn) and what became of it: delivered to its owner, rejected
    /// with a reason, or lost with a cause; `sent` = the fates + those under way at the end.
    pub messages: BTreeMap<&'static str, Estimate>,
    /// The external contact centre behind the translation layer, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_centre: Option<ExternalMeasures>,
    /// The bot in front, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotMeasures>,
    /// The decisions of docs/decisions.md this run relied on (where the documents are silent
    /// or contradict each other), with where each showed.
    pub decisions_applied: Vec<super::decisions::DecisionApplied>,
}

/// The per-channel measures of `scope`, with each channel's threshold in `queue` (none for
/// the whole centre); channels nobody was offered on are left out.
fn channel_measures(
    run: &RunAggregate,
    scope: usize,
    kinds: &[crate::model::channel::ChannelKind],
    queue: Option<&crate::model::centre::QueueSpec>,
) -> Vec<super::channels::ChannelMeasures> {
    let est = |f: &dyn Fn(&ScopeValues) -> f64| Estimate::ci95(&run.values(scope, f));
    kinds
        .iter()
        .enumerate()
        .map(|(k, kind)| super::channels::ChannelMeasures {
            channel: kind.as_str(),
            threshold_s: queue.map(|q| q.threshold_ms(*kind) as f64 / 1000.0),
            offered: est(&|v| v.channels[k].offered),
            abandon_rate: est(&|v| v.channels[k].abandon_rate),
            service_level: est(&|v| v.channels[k].service_level),
            mean_wait_answered_s: est(&|v| v.channels[k].mean_wait_answered_s),
            open_hours: super::channels::ChannelOpenMeasures {
                offered: est(&|v| v.open.channels[k].offered),
                abandon_rate: est(&|v| v.open.channels[k].abandon_rate),
                service_level: est(&|v| v.open.channels[k].service_level),
                mean_wait_answered_s: est(&|v| v.open.channels[k].mean_wait_answered_s),
            },
        })
        .filter(|c| c.offered.mean > 0.0)
        .collect()
}

fn measures(run: &RunAggregate, scope: usize) -> Measures {
    let est = |f: &dyn Fn(&ScopeValues) -> f64| Estimate::ci95(&run.values(scope, f));
    Measures {
        channels: Vec::new(),
        open_hours: OpenHoursMeasures {
            open_h: est(&|v| v.open.open_h),
            offered: est(&|v| v.open.offered),
            answered: est(&|v| v.open.answered),
            abandoned: est(&|v| v.open.abandoned),
            abandon_rate: est(&|v| v.open.abandon_rate),
            service_level: est(&|v| v.open.service_level),
            mean_wait_answered_s: est(&|v| v.open.mean_wait_answered_s),
            sla_compliance: est(&|v| v.open.sla_compliance),
        },
        offered: est(&|v| v.offered),
        answered: est(&|v| v.answered),
        abandoned: est(&|v| v.abandoned),
        abandon_rate: est(&|v| v.abandon_rate),
        p_wait: est(&|v| v.p_wait),
        mean_wait_answered_s: est(&|v| v.mean_wait_answered_s),
        wait_p50_s: est(&|v| v.wait_percentiles_s[0]),
        wait_p90_s: est(&|v| v.wait_percentiles_s[1]),
        wait_p95_s: est(&|v| v.wait_percentiles_s[2]),
        wait_p99_s: est(&|v| v.wait_percentiles_s[3]),
        service_level: est(&|v| v.service_level),
        occupancy: est(&|v| v.occupancy),
        answered_by: AssignedBy::ALL
            .iter()
            .enumerate()
            .map(|(i, by)| (by.as_str(), est(&|v| v.answered_by[i])))
            .collect(),
        away_messages: est(&|v| v.away_messages),
        closed_outside_hours: est(&|v| v.closed_outside_hours),
        unassigned_after_logout: est(&|v| v.unassigned),
        agent_hours_by_status: STATUSES
            .iter()
            .enumerate()
            .map(|(i, status)| (status.as_str(), est(&|v| v.status_agent_h[i])))
            .collect(),
        conversations: ConversationMeasures {
            customer_messages: est(&|v| v.conversation.customer_messages),
            agent_replies: est(&|v| v.conversation.agent_replies),
            first_reply_mean_s: est(&|v| v.conversation.first_reply_mean_s),
            first_reply_p90_s: est(&|v| v.conversation.first_reply_p90_s),
            next_reply_mean_s: est(&|v| v.conversation.next_reply_mean_s),
            solved: est(&|v| v.conversation.solved),
            reopened: est(&|v| v.conversation.reopened),
            closed: est(&|v| v.conversation.closed),
            came_back: est(&|v| v.conversation.came_back),
            transfers_out: est(&|v| v.conversation.transfers_out),
            transfers_kept: est(&|v| v.conversation.transfers_kept),
            transfers_in: est(&|v| v.conversation.transfers_in),
            transfers_to_agents: est(&|v| v.conversation.transfers_to_agents),
            abandoned_after_requeue: est(&|v| v.conversation.abandoned_after_requeue),
            waiting_strategies_started: est(&|v| v.conversation.strategies_started),
            welcome_messages: est(&|v| v.conversation.strategy_welcomes),
            announcements: est(&|v| v.conversation.strategy_announcements),
            strategies_silenced: est(&|v| v.conversation.strategies_silenced),
            closed_by_max_wait: est(&|v| v.conversation.closed_by_strategy),
            wrap_up_agent_hours: est(&|v| v.conversation.wrap_up_agent_h),
            templates_instead_of_free_form: est(&|v| v.conversation.templates_instead),
            auto_resolved: est(&|v| v.conversation.auto_resolved),
            surveys: est(&|v| v.conversation.surveys),
            survey_response_rate: est(&|v| v.conversation.survey_response_rate),
            survey_happy_rate: est(&|v| v.conversation.survey_happy_rate),
            sentiment: SentimentBand::ALL
                .iter()
                .enumerate()
                .map(|(i, b)| (b.as_str(), est(&|v| v.conversation.sentiment_bands[i])))
                .collect(),
            sentiment_mean: est(&|v| v.conversation.sentiment_mean),
            workflows: WorkflowMeasures {
                messages: est(&|v| v.conversation.workflow_messages),
                messages_failed: est(&|v| v.conversation.workflow_messages_failed),
                solved: est(&|v| v.conversation.solved_by_workflow),
                unassigned: est(&|v| v.conversation.unassigned_by_workflow),
                closed: est(&|v| v.conversation.closed_by_workflow),
                closed_while_waiting: est(&|v| v.conversation.closed_by_workflow_waiting),
                priority_changes: est(&|v| v.conversation.priority_changes),
                api_calls: est(&|v| v.conversation.api_calls),
            },
        },
        sla: SlaMeasures::from(&|f: SlaField| est(&|v| f(&v.sla))),
    }
}

fn routing(scenario: &Scenario, run: &RunAggregate) -> Vec<RoutingSummary> {
    let centre = &scenario.centre;
    let (routes, queues) = (centre.routes.len(), centre.queues.len());
    let mut out = Vec::new();
    let ways = (0..routes)
        .map(|r| (RoutedVia::Route(r as u32), centre.routes[r].name.clone()))
        .chain([
            (RoutedVia::Default, "(default)".to_string()),
            (RoutedVia::Direct, "(direct)".to_string()),
        ]);
    for (via, name) in ways {
        for q in 0..queues {
            let values = run.routed(Recorder::routing_slot(routes, queues, via, q as u32));
            if values.iter().any(|&v| v > 0.0) {
                out.push(RoutingSummary {
                    route: name.clone(),
                    queue: centre.queues[q].name.clone(),
                    conversations: Estimate::ci95(&values),
                });
            }
        }
    }
    out
}

impl Summary {
    /// The summary of `run`, the replications of `scenario`.
    pub fn new(scenario: &Scenario, run: &RunAggregate) -> Self {
        let centre = &scenario.centre;
        let kinds = super::channels::channels_of(centre);
        let queues = centre
            .queues
            .iter()
            .enumerate()
            .map(|(q, spec)| QueueSummary {
                name: spec.name.clone(),
                service_level_threshold_s: spec.service_level_threshold_ms as f64 / 1000.0,
                measures: Measures {
                    channels: channel_measures(run, q, &kinds, Some(spec)),
                    ..measures(run, q)
                },
            })
            .collect();
        let mut summary = Self {
            ccsim_version: env!("CARGO_PKG_VERSION"),
            scenario: scenario.name.clone(),
            seed: scenario.seed,
            replications: scenario.replications,
            start: centre.calendar.zoned(0).to_string(),
            time_zone: centre
                .calendar
                .time_zone()
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
            horizon_h: centre.horizon_ms as f64 / 3_600_000.0,
            warmup_h: centre.warmup_ms as f64 / 3_600_000.0,
            confidence: 0.95,
            service_level_definition: SERVICE_LEVEL_DEFINITION,
            warnings: scenario.warnings.clone(),
            segments: crate::scenario::drivers::slot_times(centre)
                .into_iter()
                .map(|t| SegmentLoad {
                    name: t.segment,
                    slot_s: t.slot.total_ms() / 1000.0,
                    slot_parts_s: t
                        .slot
                        .parts()
                        .into_iter()
                        .map(|(name, ms)| (name, ms / 1000.0))
                        .collect(),
                })
                .collect(),
            waiting_at_end: Estimate::ci95(run.waiting_at_end()),
            overall: Measures {
                channels: channel_measures(run, centre.queues.len(), &kinds, None),
                ..measures(run, centre.queues.len())
            },
            queues,
            routing: routing(scenario, run),
            bot: centre.bot.as_ref().map(|bot| BotMeasures::of(run, bot)),
            external_centre: centre
                .external
                .as_ref()
                .map(|ext| ExternalMeasures::of(run, ext)),
            messages: std::iter::once(("sent", Estimate::ci95(&run.bot(|b| b.turns_sent))))
                .chain(
                    Fate::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (f.as_str(), Estimate::ci95(&run.bot(|b| b.fates[i])))),
                )
                .collect(),
            sla_policies: centre
                .sla_policies
                .iter()
                .enumerate()
                .map(|(p, policy)| SlaPolicySummary {
                    policy: policy.name.clone(),
                    severity: policy.default_severity().name.clone(),
                    measures: SlaMeasures::from(&|f: SlaField| {
                        Estimate::ci95(&run.sla_of_policy(p, f))
                    }),
                })
                .collect(),
            workflows: centre
                .workflows
                .iter()
                .enumerate()
                .map(|(w, wf)| WorkflowRuns {
                    name: wf.name.clone(),
                    runs: Estimate::ci95(&run.workflow_runs(w)),
                })
                .collect(),
            decisions_applied: Vec::new(),
        };
        summary.decisions_applied = super::decisions::applied(scenario, &summary);
        summary
    }
}
