//! The recorder's part for the life of conversations: messages and replies, first-reply times,
//! status moves, transfers (AA-11), waiting strategies (WS) and wrap-up (ST-4). Events count
//! when they happen at or after the warm-up; a conversation closed by its waiting strategy is
//! a customer's fate and counts by arrival, like answers and abandonments.

use hdrhistogram::Histogram;

use super::Recorder;
use crate::actors::Metric;
use crate::model::status::ConversationStatus;
use crate::model::survey::{SentimentBand, SurveyAnswer};
use crate::model::waiting_strategy::StrategyStep;
use crate::model::workflow::Action;

/// Conversation counts of one queue (or of all) in one replication.
#[derive(Debug, Clone)]
pub struct ConversationTotals {
    /// Customer messages (every message of a burst).
    pub customer_messages: u64,
    /// Agent replies.
    pub agent_replies: u64,
    /// First replies of conversations.
    pub first_replies: u64,
    /// Their times since the conversation began (queue wait included), summed, ms.
    pub first_reply_sum_ms: u64,
    /// Their times, ms.
    pub first_reply_ms: Histogram<u64>,
    /// Later replies.
    pub next_replies: u64,
    /// Their times since the customer's turn began, summed, ms.
    pub next_reply_sum_ms: u64,
    /// Conversations set Solved.
    pub solved: u64,
    /// Solved conversations the customer wrote into again.
    pub reopened: u64,
    /// Conversations closed by their agent after Solved.
    pub closed: u64,
    /// New conversations of customers who came back after their conversation was closed
    /// (centre scope only: they are routed afresh).
    pub came_back: u64,
    /// Conversations its agents moved out of the queue (AA-11).
    pub transfers_out: u64,
    /// Of those, kept by the agent (a member of the new queue).
    pub transfers_kept: u64,
    /// Conversations moved into the queue.
    pub transfers_in: u64,
    /// Handed to another agent of the queue (ST-1).
    pub transfers_to_agents: u64,
    /// Customers who gave up waiting after their conversation went back to a line.
    pub abandoned_after_requeue: u64,
    /// Waiting strategies started (WS-1).
    pub strategies_started: u64,
    /// Welcome messages (greetings) sent (WS-2).
    pub strategy_welcomes: u64,
    /// Announcements sent (WS-3, WS-6).
    pub strategy_announcements: u64,
    /// Strategies that fell silent at one hour (WS-5).
    pub strategies_silenced: u64,
    /// Customers whose conversation the maximum wait closed (call dropped), by arrival (WS-4).
    pub closed_by_strategy: u64,
    /// Agent-time in wrap-up after calls, agent·ms (ST-4).
    pub wrap_up_agent_ms: u64,
    /// Free-form replies rejected outside the 24-hour window, a template sent instead (WIN-1).
    pub templates_instead: u64,
    /// Conversations that resolved themselves after inactivity (WIN-3).
    pub auto_resolved: u64,
    /// Workflow runs, by workflow (WF-1).
    pub workflow_runs: Vec<u64>,
    /// Workflow messages sent (WF-5).
    pub workflow_messages: u64,
    /// Workflow messages that failed outside WhatsApp's window (WIN-1).
    pub workflow_messages_failed: u64,
    /// Conversations a workflow set Solved.
    pub solved_by_workflow: u64,
    /// Conversations a workflow unassigned.
    pub unassigned_by_workflow: u64,
    /// Conversations a workflow closed (waiting or assigned).
    pub closed_by_workflow: u64,
    /// Customers whose waiting conversation a workflow closed, by arrival.
    pub closed_by_workflow_waiting: u64,
    /// Priorities a workflow set.
    pub priority_changes: u64,
    /// API calls by workflows.
    pub api_calls: u64,
    /// Surveys sent (SUR-1).
    pub surveys: u64,
    /// Happy answers.
    pub surveys_happy: u64,
    /// Not-happy answers.
    pub surveys_not_happy: u64,
    /// Ended conversations by sentiment band, in `SentimentBand::ALL` order (SUR-2).
    pub sentiment_bands: [u64; 3],
    /// Sum of their scores.
    pub sentiment_sum: f64,
}

impl ConversationTotals {
    pub(super) fn new(workflows: usize) -> Self {
        Self {
            customer_messages: 0,
            agent_replies: 0,
            first_replies: 0,
            first_reply_sum_ms: 0,
            first_reply_ms: Histogram::new(3).expect("3 significant digits is valid"),
            next_replies: 0,
            next_reply_sum_ms: 0,
            solved: 0,
            reopened: 0,
            closed: 0,
            came_back: 0,
            transfers_out: 0,
            transfers_kept: 0,
            transfers_to_agents: 0,
            abandoned_after_requeue: 0,
            transfers_in: 0,
            strategies_started: 0,
            strategy_welcomes: 0,
            strategy_announcements: 0,
            strategies_silenced: 0,
            closed_by_strategy: 0,
            wrap_up_agent_ms: 0,
            templates_instead: 0,
            auto_resolved: 0,
            workflow_runs: vec![0; workflows],
            workflow_messages: 0,
            workflow_messages_failed: 0,
            solved_by_workflow: 0,
            unassigned_by_workflow: 0,
            closed_by_workflow: 0,
            closed_by_workflow_waiting: 0,
            priority_changes: 0,
            api_calls: 0,
            surveys: 0,
            surveys_happy: 0,
            surveys_not_happy: 0,
            sentiment_bands: [0; 3],
            sentiment_sum: 0.0,
        }
    }
}

impl Recorder {
    /// Records a metric of a conversation's life (see the module docs).
    pub(super) fn record_conversation(&mut self, now_ms: u64, metric: Metric) {
        let all = self.scopes - 1;
        let counted = now_ms >= self.warmup_ms;
        match metric {
            Metric::Arrived {
                came_back: true, ..
            } if counted => self.totals[all].conversation.came_back += 1,
            Metric::CustomerMessages {
                queue, messages, ..
            } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.customer_messages += u64::from(messages);
                }
            }
            Metric::AgentReply {
                queue,
                first,
                latency_ms,
                template,
                ..
            } if counted => {
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    c.agent_replies += 1;
                    c.templates_instead += u64::from(template);
                    if first {
                        c.first_replies += 1;
                        c.first_reply_sum_ms += latency_ms;
                        if c.first_reply_ms.record(latency_ms).is_err() {
                            c.first_reply_ms.saturating_record(latency_ms);
                        }
                    } else {
                        c.next_replies += 1;
                        c.next_reply_sum_ms += latency_ms;
                    }
                }
            }
            Metric::ConversationStatus {
                queue, from, to, ..
            } if counted => {
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    match (from, to) {
                        (_, ConversationStatus::Solved) => c.solved += 1,
                        (ConversationStatus::Solved, ConversationStatus::Open) => c.reopened += 1,
                        (_, ConversationStatus::Closed) => c.closed += 1,
                        _ => {}
                    }
                }
            }
            Metric::AbandonedAfterRequeue { queue, .. } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.abandoned_after_requeue += 1;
                }
            }
            Metric::AgentTransferred { queue, .. } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.transfers_to_agents += 1;
                }
            }
            Metric::Transferred { from, to, kept, .. } if counted => {
                for scope in [from as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    c.transfers_out += 1;
                    c.transfers_kept += u64::from(kept);
                }
                self.totals[to as usize].conversation.transfers_in += 1;
            }
            Metric::WorkflowRun {
                workflow, queue, ..
            } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.workflow_runs[workflow as usize] += 1;
                }
            }
            Metric::WorkflowAction {
                queue,
                action,
                delivered,
                ..
            } if counted => {
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    match action {
                        Action::SendMessage if delivered => c.workflow_messages += 1,
                        Action::SendMessage => c.workflow_messages_failed += 1,
                        Action::SetSolved => c.solved_by_workflow += 1,
                        Action::Close => c.closed_by_workflow += 1,
                        Action::SetPriority(_) => c.priority_changes += 1,
                        Action::CallApi => c.api_calls += 1,
                        Action::AddTags(_) | Action::RemoveTags(_) | Action::Unassign => {}
                    }
                }
            }
            Metric::ClosedByWorkflow {
                queue,
                arrived_ms,
                requeued,
                ..
            } => {
                // A conversation answered before is not a customer's fate here.
                if requeued {
                    return;
                }
                for scope in [queue as usize, all] {
                    if let Some(row) = self.row(arrived_ms, scope) {
                        row.closed_by_workflow += 1;
                    }
                    if arrived_ms >= self.warmup_ms {
                        self.totals[scope].conversation.closed_by_workflow_waiting += 1;
                    }
                }
            }
            Metric::Survey { queue, answer } if counted => {
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    c.surveys += 1;
                    match answer {
                        SurveyAnswer::Happy => c.surveys_happy += 1,
                        SurveyAnswer::NotHappy => c.surveys_not_happy += 1,
                        SurveyAnswer::None => {}
                    }
                }
            }
            Metric::Sentiment { queue, score } if counted => {
                let band = SentimentBand::ALL
                    .iter()
                    .position(|&b| b == SentimentBand::of(score))
                    .expect("listed");
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    c.sentiment_bands[band] += 1;
                    c.sentiment_sum += score;
                }
            }
            Metric::AutoResolved { queue, .. } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.auto_resolved += 1;
                }
            }
            Metric::StrategyStarted { queue, .. } if counted => {
                for scope in [queue as usize, all] {
                    self.totals[scope].conversation.strategies_started += 1;
                }
            }
            Metric::StrategyStep { queue, step, .. } if counted => {
                for scope in [queue as usize, all] {
                    let c = &mut self.totals[scope].conversation;
                    match step {
                        StrategyStep::Welcome => c.strategy_welcomes += 1,
                        StrategyStep::Announcement { .. } => c.strategy_announcements += 1,
                        StrategyStep::Silent => c.strategies_silenced += 1,
                        StrategyStep::MaxWait => {}
                    }
                }
            }
            Metric::ClosedByStrategy {
                queue, arrived_ms, ..
            } => {
                for scope in [queue as usize, all] {
                    if let Some(row) = self.row(arrived_ms, scope) {
                        row.closed_by_strategy += 1;
                    }
                    if arrived_ms >= self.warmup_ms {
                        self.totals[scope].conversation.closed_by_strategy += 1;
                    }
                }
            }
            Metric::WrapUp {
                agent,
                start_ms,
                ms,
            } => {
                let end = (start_ms + ms).min(self.horizon_ms);
                let credited = end.saturating_sub(start_ms.max(self.warmup_ms));
                for i in 0..self.agent_scopes[agent as usize].len() {
                    let scope = self.agent_scopes[agent as usize][i];
                    self.totals[scope].conversation.wrap_up_agent_ms += credited;
                }
            }
            _ => {}
        }
    }
}
