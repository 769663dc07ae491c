//! One replication's bot measures, as [`super::aggregate::RunAggregate`] keeps them: the
//! bot's counts turned into the numbers whose confidence intervals the summary reports.

use super::aggregate::ratio;
use super::recorder::BotTotals;
use crate::actors::ApiOp;
use crate::model::bot::whatsapp::{Format, Reading};
use crate::model::translation::MAX_EXTERNAL_QUEUES;

/// One replication's bot measures (whole centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BotValues {
    /// Conversations that met the bot first.
    pub conversations: f64,
    /// Resolved by the bot ÷ conversations (containment).
    pub containment: f64,
    /// Handed over ÷ conversations.
    pub handoff_rate: f64,
    /// Resolved by inactivity (the customer dropped) ÷ conversations.
    pub drop_rate: f64,
    /// Customers who gave up waiting for the bot.
    pub abandoned: f64,
    /// Conversations never heard (no webhook).
    pub silent: f64,
    /// Resolved and closed on the platform.
    pub resolved_closed: f64,
    /// Repeated deliveries ignored.
    pub duplicates_ignored: f64,
    /// Conversations given back to the bot.
    pub given_back: f64,
    /// Bot replies.
    pub replies: f64,
    /// Reply latency percentiles, s: p50, p90, p99.
    pub reply_s: [f64; 3],
    /// Action calls.
    pub action_calls: f64,
    /// Of those, failed with an error status.
    pub action_failures: f64,
    /// Of those, timed out.
    pub action_timeouts: f64,
    /// Handoffs after repeated action failures.
    pub handoffs_after_failures: f64,
    /// Attachments received, kept as links, expired at handoff.
    pub media: [f64; 3],
    /// External centre: handovers, history calls, replies, closed, forgotten, messages lost,
    /// polls.
    pub external: [f64; 7],
    /// Mean latency of the external agents' replies, s.
    pub external_reply_mean_s: f64,
    /// Conversations API calls by operation, in `ApiOp::ALL` order.
    pub api_calls: [f64; ApiOp::ALL.len()],
    /// Of those, refused.
    pub api_rejected: f64,
    /// Customer messages sent.
    pub turns_sent: f64,
    /// Their fates, in `Fate::ALL` order.
    pub fates: [f64; 8],
    /// Customer messages by how the bot read them, in `Reading::ALL` order (WIN-6).
    pub readings: [f64; Reading::ALL.len()],
    /// Replies by format, in `Format::ALL` order (WIN-4).
    pub formats: [f64; Format::ALL.len()],
    /// Attachments sent (WIN-5) and not sent (BOT-7).
    pub attachments: [f64; 2],
    /// Conversations humans closed while the bot had them (BOT-8).
    pub closed_by_humans: f64,
    /// Handovers by external queue (CC-3).
    pub external_queues: [f64; MAX_EXTERNAL_QUEUES],
}

impl BotValues {
    /// The measures of one replication's counts.
    pub fn of(b: &BotTotals) -> Self {
        let pct = |q: f64| {
            if b.replies == 0 {
                f64::NAN
            } else {
                b.reply_ms.value_at_quantile(q) as f64 / 1000.0
            }
        };
        Self {
            conversations: b.conversations as f64,
            containment: ratio(b.resolved, b.conversations),
            handoff_rate: ratio(b.handoffs, b.conversations),
            drop_rate: ratio(b.dropped, b.conversations),
            abandoned: b.abandoned as f64,
            silent: b.silent as f64,
            resolved_closed: b.resolved_closed as f64,
            duplicates_ignored: b.duplicates_ignored as f64,
            given_back: b.given_back as f64,
            replies: b.replies as f64,
            reply_s: [pct(0.5), pct(0.9), pct(0.99)],
            action_calls: b.action_calls as f64,
            action_failures: b.action_failures as f64,
            action_timeouts: b.action_timeouts as f64,
            handoffs_after_failures: b.handoffs_after_failures as f64,
            media: [b.media, b.media_fallbacks, b.media_expired].map(|n| n as f64),
            external: [
                b.external_handovers,
                b.history_calls,
                b.external_replies,
                b.external_closed,
                b.external_forgotten,
                b.messages_lost,
                b.polls,
            ]
            .map(|n| n as f64),
            external_reply_mean_s: ratio(b.external_reply_sum_ms, b.external_replies) / 1000.0,
            api_calls: b.api_calls.map(|n| n as f64),
            api_rejected: b.api_rejected as f64,
            turns_sent: b.turns_sent as f64,
            fates: b.fates.map(|n| n as f64),
            readings: b.readings.map(|n| n as f64),
            formats: b.formats.map(|n| n as f64),
            attachments: [b.attachments_sent, b.attachments_dropped].map(|n| n as f64),
            closed_by_humans: b.closed_by_humans as f64,
            external_queues: b.external_queues.map(|n| n as f64),
        }
    }
}
