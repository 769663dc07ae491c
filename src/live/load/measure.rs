//! What a load run measures, from each message's **intended** time (when the scenario's
//! customer sent it), so a slow system under test cannot hide its delay by slowing the load
//! (no coordinated omission): time to first reply, reply latency, replies nobody asked for
//! (duplicates answered twice), handoffs, closes, and the messages never answered.

use std::collections::{BTreeMap, HashMap, VecDeque};

use hdrhistogram::Histogram;
use serde::Serialize;

/// A conversation as the load follows it.
#[derive(Debug, Clone, Default)]
struct Tracked {
    /// Intended times (ms since the run's start) of inbound messages not yet answered.
    pending: VecDeque<u64>,
    /// When its first message was intended.
    started_ms: u64,
    answered_once: bool,
    /// Its last inbound message was delivered twice on purpose.
    last_duplicated: bool,
}

/// One interval's counts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IntervalRow {
    /// Start of the interval, s since the run's start.
    pub start_s: u64,
    /// Inbound messages sent.
    pub inbound: u64,
    /// Replies that answered a waiting message.
    pub replies: u64,
    /// Reply latency, median, ms.
    pub reply_p50_ms: u64,
    /// 99th percentile, ms.
    pub reply_p99_ms: u64,
}

#[derive(Debug, Clone)]
struct Interval {
    inbound: u64,
    replies: u64,
    reply_ms: Histogram<u64>,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 24 * 3_600_000, 3).expect("valid bounds")
}

/// The running measures of a load run (time in wall-clock ms since its start).
#[derive(Debug, Clone)]
pub struct LoadMeasures {
    interval_ms: u64,
    conversations: HashMap<String, Tracked>,
    /// Conversations begun.
    pub conversations_started: u64,
    /// Inbound messages sent.
    pub inbound: u64,
    /// Replies that answered a waiting message.
    pub replies: u64,
    /// Replies to conversations with nothing waiting.
    pub extra_replies: u64,
    /// Of those, right after a message that was delivered twice: answered twice (BOT-5).
    pub duplicates_answered_twice: u64,
    /// Conversations handed over (routed).
    pub handoffs: u64,
    /// Handed-over conversations given back to the system under test (BOT-2).
    pub given_back: u64,
    /// Conversations closed by the system under test.
    pub closed: u64,
    /// Customers who gave up waiting for the first reply.
    pub abandoned: u64,
    /// Customer messages written after the system under test handed the conversation over or
    /// closed it, before the customer heard: not sent.
    pub crossed_end: u64,
    /// Messages of customers who gave up, never answered (their conversations are no
    /// longer followed).
    unanswered_left: u64,
    first_reply_ms: Histogram<u64>,
    reply_ms: Histogram<u64>,
    intervals: BTreeMap<u64, Interval>,
}

impl LoadMeasures {
    /// Measures with rows of `interval_ms`.
    pub fn new(interval_ms: u64) -> Self {
        Self {
            interval_ms: interval_ms.max(1),
            conversations: HashMap::new(),
            conversations_started: 0,
            inbound: 0,
            replies: 0,
            extra_replies: 0,
            duplicates_answered_twice: 0,
            handoffs: 0,
            given_back: 0,
            closed: 0,
            abandoned: 0,
            crossed_end: 0,
            unanswered_left: 0,
            first_reply_ms: histogram(),
            reply_ms: histogram(),
            intervals: BTreeMap::new(),
        }
    }

    fn interval(&mut self, at_ms: u64) -> &mut Interval {
        let key = at_ms / self.interval_ms;
        self.intervals.entry(key).or_insert_with(|| Interval {
            inbound: 0,
            replies: 0,
            reply_ms: histogram(),
        })
    }

    /// An inbound message of `conversation`, intended at `intended_ms`; `duplicated` when it is
    /// delivered twice on purpose.
    pub fn inbound(&mut self, conversation: &str, intended_ms: u64, duplicated: bool) {
        self.inbound += 1;
        self.interval(intended_ms).inbound += 1;
        let t = match self.conversations.get_mut(conversation) {
            Some(t) => t,
            None => {
                self.conversations_started += 1;
                self.conversations
                    .entry(conversation.to_string())
                    .or_insert(Tracked {
                        started_ms: intended_ms,
                        ..Tracked::default()
                    })
            }
        };
        t.pending.push_back(intended_ms);
        t.last_duplicated = duplicated;
    }

    /// An outbound message written to `conversation` at `now_ms`. Whether it answered a
    /// waiting message (the customer then takes its next turn).
    pub fn reply(&mut self, conversation: &str, now_ms: u64) -> bool {
        let Some(t) = self.conversations.get_mut(conversation) else {
            // A conversation no longer followed (handed over, or its customer left): nothing
            // was waiting for this reply.
            self.extra_replies += 1;
            return false;
        };
        let Some(oldest) = t.pending.front().copied() else {
            self.extra_replies += 1;
            if t.last_duplicated {
                self.duplicates_answered_twice += 1;
            }
            return false;
        };
        // One reply answers the whole burst.
        t.pending.clear();
        let latency = now_ms.saturating_sub(oldest).max(1);
        if !t.answered_once {
            t.answered_once = true;
            let first = now_ms.saturating_sub(t.started_ms).max(1);
            self.first_reply_ms.saturating_record(first);
        }
        self.replies += 1;
        self.reply_ms.saturating_record(latency);
        let row = self.interval(oldest);
        row.replies += 1;
        row.reply_ms.saturating_record(latency);
        true
    }

    /// The conversation was handed over (`routed`) or closed: what waits is no longer the
    /// system's to answer.
    /// It is no longer followed, so a long run holds only live conversations.
    pub fn ended(&mut self, conversation: &str, routed: bool) {
        self.conversations.remove(conversation);
        if routed {
            self.handoffs += 1;
        } else {
            self.closed += 1;
        }
    }

    /// BOT-2: a handed-over conversation was given back to the system under test at
    /// `now_ms`; it is followed again, as a conversation already answered (its next message's
    /// reply is a reply, not a first one).
    pub fn resumed(&mut self, conversation: &str, now_ms: u64) {
        self.given_back += 1;
        self.conversations.insert(
            conversation.to_string(),
            Tracked {
                started_ms: now_ms,
                answered_once: true,
                ..Tracked::default()
            },
        );
    }

    /// The customer gave up before the first reply; its messages stay unanswered.
    pub fn left(&mut self, conversation: &str) {
        if let Some(t) = self.conversations.remove(conversation) {
            self.unanswered_left += t.pending.len() as u64;
        }
        self.abandoned += 1;
    }

    /// Conversations followed now.
    pub fn followed(&self) -> usize {
        self.conversations.len()
    }

    /// Inbound messages still awaiting a reply from customers still there.
    pub fn awaiting(&self) -> u64 {
        self.conversations
            .values()
            .map(|t| t.pending.len() as u64)
            .sum()
    }

    /// Inbound messages never answered (the run is over).
    pub fn unanswered(&self) -> u64 {
        self.awaiting() + self.unanswered_left
    }

    /// The summary's figures.
    pub fn view(&self) -> LoadView {
        let q = |h: &Histogram<u64>, p: f64| {
            if h.is_empty() {
                0
            } else {
                h.value_at_quantile(p)
            }
        };
        let unanswered = self.unanswered();
        LoadView {
            conversations: self.conversations_started,
            inbound: self.inbound,
            replies: self.replies,
            unanswered,
            unanswered_rate: if self.inbound == 0 {
                0.0
            } else {
                unanswered as f64 / self.inbound as f64
            },
            extra_replies: self.extra_replies,
            duplicates_answered_twice: self.duplicates_answered_twice,
            handoffs: self.handoffs,
            given_back: self.given_back,
            closed: self.closed,
            abandoned: self.abandoned,
            crossed_end: self.crossed_end,
            first_reply_p50_ms: q(&self.first_reply_ms, 0.5),
            first_reply_p99_ms: q(&self.first_reply_ms, 0.99),
            reply_p50_ms: q(&self.reply_ms, 0.5),
            reply_p90_ms: q(&self.reply_ms, 0.9),
            reply_p99_ms: q(&self.reply_ms, 0.99),
            reply_max_ms: if self.reply_ms.is_empty() {
                0
            } else {
                self.reply_ms.max()
            },
        }
    }

    /// The per-interval rows.
    pub fn rows(&self) -> Vec<IntervalRow> {
        let q = |h: &Histogram<u64>, p: f64| {
            if h.is_empty() {
                0
            } else {
                h.value_at_quantile(p)
            }
        };
        self.intervals
            .iter()
            .map(|(k, i)| IntervalRow {
                start_s: k * self.interval_ms / 1000,
                inbound: i.inbound,
                replies: i.replies,
                reply_p50_ms: q(&i.reply_ms, 0.5),
                reply_p99_ms: q(&i.reply_ms, 0.99),
            })
            .collect()
    }
}

/// A load run's figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LoadView {
    /// Conversations begun.
    pub conversations: u64,
    /// Inbound messages sent.
    pub inbound: u64,
    /// Replies that answered a waiting message.
    pub replies: u64,
    /// Inbound messages never answered (not handed over, not closed).
    pub unanswered: u64,
    /// `unanswered` ÷ `inbound`.
    pub unanswered_rate: f64,
    /// Replies with nothing waiting.
    pub extra_replies: u64,
    /// Of those, after a message delivered twice (BOT-5).
    pub duplicates_answered_twice: u64,
    /// Handoffs (routes).
    pub handoffs: u64,
    /// Handed-over conversations an agent gave back to the system under test (BOT-2).
    pub given_back: u64,
    /// Closed by the system under test.
    pub closed: u64,
    /// Customers who gave up before the first reply.
    pub abandoned: u64,
    /// Customer messages written after the system under test handed the conversation over or
    /// closed it, before the customer heard of it: not sent (the customer's next message goes
    /// to its agent, or opens a new conversation).
    pub crossed_end: u64,
    /// Time to first reply from the first message's intended time, median, ms.
    pub first_reply_p50_ms: u64,
    /// 99th percentile, ms.
    pub first_reply_p99_ms: u64,
    /// Reply latency from the oldest waiting message's intended time, median, ms.
    pub reply_p50_ms: u64,
    /// 90th percentile, ms.
    pub reply_p90_ms: u64,
    /// 99th percentile, ms.
    pub reply_p99_ms: u64,
    /// Largest, ms.
    pub reply_max_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_counts_from_the_intended_time_of_the_oldest_waiting_message() {
        let mut m = LoadMeasures::new(60_000);
        m.inbound("c", 1_000, false);
        m.inbound("c", 1_500, false);
        // The reply at 4 000 ms answers both: 3 000 ms from the oldest, not 2 500.
        assert!(m.reply("c", 4_000));
        let v = m.view();
        // hdrhistogram reports the top of the value's bucket (3 significant digits: 3 000
        // and 3 001 share one), the conservative side for a latency.
        assert_eq!(v.replies, 1);
        assert!(
            (3_000..=3_002).contains(&v.reply_p50_ms),
            "{}",
            v.reply_p50_ms
        );
        assert!((3_000..=3_002).contains(&v.first_reply_p50_ms));
        assert!(v.reply_p50_ms < 3_000 + 500, "not from the newer message");
        // A second reply with nothing waiting is extra; after a duplicated message it is
        // counted as answering the duplicate.
        m.inbound("c", 5_000, true);
        assert!(m.reply("c", 5_200));
        assert!(!m.reply("c", 5_300));
        let v = m.view();
        assert_eq!((v.extra_replies, v.duplicates_answered_twice), (1, 1));
        assert!(v.first_reply_p50_ms <= 3_002, "the first reply only once");
    }

    #[test]
    fn unanswered_messages_are_those_still_waiting_unless_handed_over_or_closed() {
        let mut m = LoadMeasures::new(60_000);
        m.inbound("a", 0, false);
        m.inbound("b", 0, false);
        m.inbound("b", 10, false);
        m.inbound("h", 0, false);
        m.ended("h", true);
        m.inbound("l", 0, false);
        m.left("l");
        let v = m.view();
        assert_eq!(
            v.unanswered, 4,
            "a: 1, b: 2, l: 1 (its customer left unanswered)"
        );
        assert!((v.unanswered_rate - 0.8).abs() < 1e-9);
        assert_eq!((v.handoffs, v.abandoned), (1, 1));
        let rows = m.rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].inbound, 5);
    }
}
