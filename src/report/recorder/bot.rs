//! The recorder's part for the bot (BOT-1..11), the external centre (CC-1..6) and the fate of
//! every customer message: conversations the bot took, how they ended, its reply latency,
//! duplicates ignored, the translation layer's work. Whole centre only (the bot sits before the queues); events
//! count when they happen at or after the warm-up.

use hdrhistogram::Histogram;

use super::Recorder;
use crate::actors::{ApiOp, Fate, Metric};
use crate::model::bot::whatsapp::{Format, Reading};
use crate::model::bot::{ActionResult, HandoffReason};
use crate::model::translation::MAX_EXTERNAL_QUEUES;

/// The bot's counts in one replication.
#[derive(Debug, Clone)]
pub struct BotTotals {
    /// Conversations that met the bot first.
    pub conversations: u64,
    /// Resolved by the bot (contained).
    pub resolved: u64,
    /// Of those, closed on the platform (BOT-4).
    pub resolved_closed: u64,
    /// Sessions that resolved themselves after the customer fell silent (WIN-3).
    pub dropped: u64,
    /// Handed over to humans (BOT-3).
    pub handoffs: u64,
    /// Customers who gave up waiting for the bot.
    pub abandoned: u64,
    /// Conversations the bot never heard (no webhook, BOT-1).
    pub silent: u64,
    /// Repeated deliveries ignored (BOT-5).
    pub duplicates_ignored: u64,
    /// Handed-over conversations given back to the bot by a human (BOT-2).
    pub given_back: u64,
    /// Of the handoffs, those after repeated action failures (ACT-1).
    pub handoffs_after_failures: u64,
    /// Action calls (ACT-1).
    pub action_calls: u64,
    /// Of those, answered with an error.
    pub action_failures: u64,
    /// Of those, timed out at 60 s.
    pub action_timeouts: u64,
    /// Attachments received (BOT-6).
    pub media: u64,
    /// Of those, kept as the platform's link because the copy failed.
    pub media_fallbacks: u64,
    /// Links already expired when the conversation was handed over.
    pub media_expired: u64,
    /// Customer messages by how the bot read them, in `Reading::ALL` order (WIN-6; text is
    /// not counted).
    pub readings: [u64; Reading::ALL.len()],
    /// Replies by the format of their text part, in `Format::ALL` order (WIN-4, BOT-7).
    pub formats: [u64; Format::ALL.len()],
    /// Attachments sent with replies, one message each (WIN-5).
    pub attachments_sent: u64,
    /// Attachments the Conversations API could not carry (BOT-7).
    pub attachments_dropped: u64,
    /// Conversations humans closed in Infobip while the bot had them (BOT-8).
    pub closed_by_humans: u64,
    /// Handovers to the external centre (CC-2).
    pub external_handovers: u64,
    /// Get Messages calls the layer made for their histories.
    pub history_calls: u64,
    /// Handovers by external queue (CC-3).
    pub external_queues: [u64; MAX_EXTERNAL_QUEUES],
    /// External agents' replies relayed to customers.
    pub external_replies: u64,
    /// Their latency from the customer's turn, summed, ms.
    pub external_reply_sum_ms: u64,
    /// Conversations the layer closed after the external agent was done.
    pub external_closed: u64,
    /// Conversations it forgot to close (CC-5).
    pub external_forgotten: u64,
    /// Customer messages lost to forgotten closes (CC-5).
    pub messages_lost: u64,
    /// Polls of the external centre (CC-6).
    pub polls: u64,
    /// Conversations API calls by the bot and the layer, in `ApiOp::ALL` order.
    pub api_calls: [u64; ApiOp::ALL.len()],
    /// Of those, refused (BOT-8).
    pub api_rejected: u64,
    /// Customer messages (turns) sent.
    pub turns_sent: u64,
    /// Their fates, in `Fate::ALL` order.
    pub fates: [u64; 8],
    /// Bot replies.
    pub replies: u64,
    /// Their latency from the customer's turn, ms.
    pub reply_ms: Histogram<u64>,
}

impl BotTotals {
    pub(super) fn new() -> Self {
        Self {
            conversations: 0,
            resolved: 0,
            resolved_closed: 0,
            dropped: 0,
            handoffs: 0,
            abandoned: 0,
            silent: 0,
            duplicates_ignored: 0,
            given_back: 0,
            handoffs_after_failures: 0,
            action_calls: 0,
            action_failures: 0,
            action_timeouts: 0,
            media: 0,
            media_fallbacks: 0,
            media_expired: 0,
            readings: [0; Reading::ALL.len()],
            formats: [0; Format::ALL.len()],
            attachments_sent: 0,
            attachments_dropped: 0,
            closed_by_humans: 0,
            external_handovers: 0,
            history_calls: 0,
            external_queues: [0; MAX_EXTERNAL_QUEUES],
            external_replies: 0,
            external_reply_sum_ms: 0,
            external_closed: 0,
            external_forgotten: 0,
            messages_lost: 0,
            polls: 0,
            api_calls: [0; ApiOp::ALL.len()],
            api_rejected: 0,
            turns_sent: 0,
            fates: [0; 8],
            replies: 0,
            reply_ms: Histogram::new(3).expect("3 significant digits is valid"),
        }
    }
}

impl Recorder {
    /// Records a bot metric.
    pub(super) fn record_bot(&mut self, now_ms: u64, metric: Metric) {
        if now_ms < self.warmup_ms {
            return;
        }
        let b = &mut self.bot;
        match metric {
            Metric::BotConversation { .. } => b.conversations += 1,
            Metric::BotSilent { .. } => b.silent += 1,
            Metric::BotReplied { latency_ms, .. } => {
                b.replies += 1;
                if b.reply_ms.record(latency_ms).is_err() {
                    b.reply_ms.saturating_record(latency_ms);
                }
            }
            Metric::BotResolved { closed, auto, .. } => {
                if auto {
                    b.dropped += 1;
                } else {
                    b.resolved += 1;
                    b.resolved_closed += u64::from(closed);
                }
            }
            Metric::BotHandoff { reason, .. } => {
                b.handoffs += 1;
                b.handoffs_after_failures += u64::from(reason == HandoffReason::ActionFailures);
            }
            Metric::BotMedia { rehosted, .. } => {
                b.media += 1;
                b.media_fallbacks += u64::from(!rehosted);
            }
            Metric::BotMediaExpired { count, .. } => b.media_expired += u64::from(count),
            Metric::BotInbound { reading, .. } => {
                let i = Reading::ALL.iter().position(|&r| r == reading);
                b.readings[i.expect("listed")] += 1;
            }
            Metric::BotReplyComposed { outbound, .. } => {
                let i = Format::ALL.iter().position(|&f| f == outbound.format);
                b.formats[i.expect("listed")] += 1;
                b.attachments_sent += u64::from(outbound.attachments);
                b.attachments_dropped += u64::from(outbound.attachments_dropped);
            }
            Metric::ExternalHandover {
                history_calls,
                queue,
                ..
            } => {
                b.external_handovers += 1;
                b.history_calls += u64::from(history_calls);
                b.external_queues[usize::from(queue)] += 1;
            }
            Metric::ExternalReplied { latency_ms, .. } => {
                b.external_replies += 1;
                b.external_reply_sum_ms += latency_ms;
            }
            Metric::ExternalDone { closed, polls, .. } => {
                b.external_closed += u64::from(closed);
                b.external_forgotten += u64::from(!closed);
                b.polls += polls;
            }
            Metric::MessageLost { .. } => b.messages_lost += 1,
            Metric::TurnSent { .. } => b.turns_sent += 1,
            Metric::ApiCall { op, rejected, .. } => {
                let i = ApiOp::ALL.iter().position(|&o| o == op).expect("listed");
                b.api_calls[i] += 1;
                b.api_rejected += u64::from(rejected);
            }
            Metric::TurnFate { fate, .. } => {
                let i = Fate::ALL.iter().position(|&f| f == fate).expect("listed");
                b.fates[i] += 1;
            }
            Metric::BotAction { result, .. } => {
                b.action_calls += 1;
                match result {
                    ActionResult::Ok { .. } => {}
                    ActionResult::Failed { .. } => b.action_failures += 1,
                    ActionResult::TimedOut => b.action_timeouts += 1,
                }
            }
            Metric::BotDuplicate { .. } => b.duplicates_ignored += 1,
            Metric::BotResumed { .. } => b.given_back += 1,
            Metric::BotClosedByHuman { .. } => b.closed_by_humans += 1,
            Metric::BotAbandoned { .. } => b.abandoned += 1,
            _ => {}
        }
    }
}
