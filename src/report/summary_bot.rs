//! The bot's and the external centre's measures in `summary.json` (BOT-1..11, WIN-4..6,
//! CC-1..6): whole centre, means over replications with their confidence intervals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::aggregate::{BotValues, RunAggregate};
use super::stats::Estimate;
use crate::actors::ApiOp;
use crate::model::bot::BotSpec;
use crate::model::bot::whatsapp::{Format, Reading};
use crate::model::translation::ExternalSpec;

/// The external contact centre's measures (CC-1..6).
#[derive(Debug, Clone, Serialize)]
pub struct ExternalMeasures {
    /// Conversations the bot handed to it.
    pub handovers: Estimate,
    /// Get Messages calls the layer made to read their histories (CC-2).
    pub history_calls: Estimate,
    /// External agents' replies relayed to customers.
    pub replies: Estimate,
    /// Mean time from a customer's turn to the relayed reply (waiting and polling included), s.
    pub reply_mean_s: Estimate,
    /// Conversations the layer closed when the external agent was done.
    pub closed: Estimate,
    /// Conversations it forgot to close (CC-5).
    pub left_open: Estimate,
    /// Customer messages lost to those (CC-5).
    pub messages_lost: Estimate,
    /// Polls of the centre (CC-6; 0 when it pushes).
    pub polls: Estimate,
    /// Handovers by the external queue their routing context sent them to (CC-3).
    pub handovers_by_queue: BTreeMap<String, Estimate>,
}

/// The bot's measures (whole centre).
#[derive(Debug, Clone, Serialize)]
pub struct BotMeasures {
    /// Conversations that met the bot first.
    pub conversations: Estimate,
    /// Share resolved by the bot without a human (containment).
    pub containment: Estimate,
    /// Share handed over to humans (BOT-3).
    pub handoff_rate: Estimate,
    /// Share whose customer fell silent, resolved by inactivity (WIN-3).
    pub drop_rate: Estimate,
    /// Customers who gave up before the bot's first reply.
    pub abandoned: Estimate,
    /// Conversations the bot never heard: no webhook subscription (BOT-1).
    pub never_heard: Estimate,
    /// Resolved conversations closed on the platform (BOT-4).
    pub resolved_closed: Estimate,
    /// Repeated webhook deliveries ignored (BOT-5).
    pub duplicates_ignored: Estimate,
    /// Handed-over conversations a human gave back to the bot, which resumed them (BOT-2).
    pub given_back: Estimate,
    /// Bot replies.
    pub replies: Estimate,
    /// Reply latency from the customer's turn, debounce included: median, s.
    pub reply_p50_s: Estimate,
    /// 90th percentile, s.
    pub reply_p90_s: Estimate,
    /// 99th percentile, s.
    pub reply_p99_s: Estimate,
    /// Action calls (ACT-1).
    pub action_calls: Estimate,
    /// Of those, answered with an error status.
    pub action_failures: Estimate,
    /// Of those, timed out at 60 s (no retries).
    pub action_timeouts: Estimate,
    /// Handoffs after repeated action failures.
    pub handoffs_after_action_failures: Estimate,
    /// Conversations API calls the bot and the translation layer made, by operation.
    pub api_calls: BTreeMap<&'static str, Estimate>,
    /// Of those, refused by the platform (a closed conversation, BOT-8).
    pub writes_rejected: Estimate,
    /// Attachments customers sent the bot (BOT-6).
    pub media_received: Estimate,
    /// Of those, kept as the platform's short-lived link because the copy failed.
    pub media_fallbacks: Estimate,
    /// Links already expired when the conversation was handed over.
    pub media_expired_at_handoff: Estimate,
    /// Customer messages the bot did not read as plain text, by how it read them (WIN-6):
    /// `transcribed` voice notes, `attached` files, `map_link` locations, `ignored` stickers
    /// and system messages.
    pub messages_read_as: BTreeMap<&'static str, Estimate>,
    /// Replies by the format of their text part (WIN-4; through the Conversations API always
    /// `text`, BOT-7).
    pub reply_formats: BTreeMap<&'static str, Estimate>,
    /// Attachments sent with replies, one message each (WIN-5).
    pub attachments_sent: Estimate,
    /// Attachments not sent: the Conversations API takes text only (BOT-7).
    pub attachments_not_sent: Estimate,
    /// Conversations an Infobip agent or supervisor closed while the bot had them; the
    /// platform refuses the bot's writes to them after (BOT-8).
    pub closed_by_humans: Estimate,
    /// Whether the bot's API key works at the platform (BOT-11): `connected`, or why not (then
    /// every call it makes is refused).
    pub connection: String,
}

impl BotMeasures {
    /// The bot's measures over `run`'s replications.
    pub fn of(run: &RunAggregate, bot: &BotSpec) -> Self {
        let est = |f: &dyn Fn(&BotValues) -> f64| Estimate::ci95(&run.bot(f));
        BotMeasures {
            conversations: est(&|b| b.conversations),
            containment: est(&|b| b.containment),
            handoff_rate: est(&|b| b.handoff_rate),
            drop_rate: est(&|b| b.drop_rate),
            abandoned: est(&|b| b.abandoned),
            never_heard: est(&|b| b.silent),
            resolved_closed: est(&|b| b.resolved_closed),
            duplicates_ignored: est(&|b| b.duplicates_ignored),
            given_back: est(&|b| b.given_back),
            replies: est(&|b| b.replies),
            reply_p50_s: est(&|b| b.reply_s[0]),
            reply_p90_s: est(&|b| b.reply_s[1]),
            reply_p99_s: est(&|b| b.reply_s[2]),
            action_calls: est(&|b| b.action_calls),
            action_failures: est(&|b| b.action_failures),
            action_timeouts: est(&|b| b.action_timeouts),
            handoffs_after_action_failures: est(&|b| b.handoffs_after_failures),
            api_calls: ApiOp::ALL
                .iter()
                .enumerate()
                .map(|(i, op)| (op.as_str(), est(&|b| b.api_calls[i])))
                .collect(),
            writes_rejected: est(&|b| b.api_rejected),
            media_received: est(&|b| b.media[0]),
            media_fallbacks: est(&|b| b.media[1]),
            media_expired_at_handoff: est(&|b| b.media[2]),
            messages_read_as: Reading::ALL
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, r)| (r.as_str(), est(&|b| b.readings[i])))
                .collect(),
            reply_formats: Format::ALL
                .iter()
                .enumerate()
                .map(|(i, f)| (f.as_str(), est(&|b| b.formats[i])))
                .collect(),
            attachments_sent: est(&|b| b.attachments[0]),
            attachments_not_sent: est(&|b| b.attachments[1]),
            closed_by_humans: est(&|b| b.closed_by_humans),
            connection: match bot.connection() {
                Ok(()) => "connected".to_string(),
                Err(e) => format!("cannot connect: {e} (BOT-11)"),
            },
        }
    }
}

impl ExternalMeasures {
    /// The external centre's measures over `run`'s replications.
    pub fn of(run: &RunAggregate, ext: &ExternalSpec) -> Self {
        let est = |f: &dyn Fn(&BotValues) -> f64| Estimate::ci95(&run.bot(f));
        ExternalMeasures {
            handovers: est(&|b| b.external[0]),
            history_calls: est(&|b| b.external[1]),
            replies: est(&|b| b.external[2]),
            reply_mean_s: est(&|b| b.external_reply_mean_s),
            closed: est(&|b| b.external[3]),
            left_open: est(&|b| b.external[4]),
            messages_lost: est(&|b| b.external[5]),
            polls: est(&|b| b.external[6]),
            handovers_by_queue: ext
                .queues
                .iter()
                .enumerate()
                .map(|(q, queue)| {
                    let n = est(&|b| b.external_queues[q]);
                    (queue.name.clone(), n)
                })
                .collect(),
        }
    }
}
