//! The life of a conversation in a scenario: the centre's status settings (`[conversations]`,
//! CAP-4), segments' conversation models, agents' reply and wrap-up times per channel, waiting
//! strategies per sender (WS-1..6) and queues' transfers (AA-11), checked field by field.

use std::collections::HashMap;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{
    ChannelFile, ConversationFile, ConversationsFile, CountFile, TransferFile, WaitingStrategyFile,
};
use crate::model::channel::{ChannelCategory, ChannelKind};
use crate::model::conversation::{ComeBack, CountDist, CustomerBehaviour, StatusPolicy};
use crate::model::distribution::DurationDist;
use crate::model::waiting_strategy::{Announcements, StrategyError, StrategyKind, WaitingStrategy};
use crate::model::window::default_auto_resolve_ms;

/// Shortest and longest time-based workflow trigger, ms (WF-1): the bounds of the status
/// timers.
const MIN_TIMER_MS: f64 = 10_000.0;
const MAX_TIMER_MS: f64 = 90.0 * 86_400_000.0;

/// A channel's agent-side times, resolved.
#[derive(Debug, Clone, Default)]
pub(super) struct ChannelTimes {
    pub(super) agent_reply: Option<DurationDist>,
    pub(super) wrap_up: Option<DurationDist>,
    pub(super) auto_resolve_ms: Option<u64>,
}

impl Checker<'_> {
    /// A share in 0..=1.
    pub(super) fn share(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if (0.0..=1.0).contains(&value) {
            true
        } else {
            self.fail(path, format!("{what} {value}: expected 0 to 1"));
            false
        }
    }

    /// A count distribution (every count ≥ 1).
    pub(super) fn count(&mut self, path: FieldPath, count: &CountFile) -> Option<CountDist> {
        let at_least_one = |v: i64| (1..=i64::from(u32::MAX)).contains(&v);
        match count {
            CountFile::Constant { value } => {
                if at_least_one(*value) {
                    Some(CountDist::Constant {
                        value: *value as u32,
                    })
                } else {
                    self.fail(path.key("value"), format!("{value}: expected a count ≥ 1"));
                    None
                }
            }
            CountFile::Geometric { mean } => {
                if mean.is_finite() && *mean >= 1.0 {
                    Some(CountDist::Geometric { mean: *mean })
                } else {
                    self.fail(path.key("mean"), format!("{mean}: expected a mean ≥ 1"));
                    None
                }
            }
            CountFile::Empirical { values } => {
                if values.is_empty() {
                    self.fail(path.key("values"), "no observations: expected at least one");
                    return None;
                }
                let mut ok = true;
                for (i, v) in values.iter().enumerate() {
                    if !at_least_one(*v) {
                        self.fail(
                            path.key("values").index(i),
                            format!("{v}: expected a count ≥ 1"),
                        );
                        ok = false;
                    }
                }
                ok.then(|| CountDist::Empirical {
                    values: values.iter().map(|&v| v as u32).collect(),
                })
            }
        }
    }

    /// `[conversations]`: the status policy, defaults where fields are left out.
    pub(super) fn status_policy(
        &mut self,
        path: &FieldPath,
        file: &ConversationsFile,
    ) -> StatusPolicy {
        let mut policy = StatusPolicy::default();
        if let Some(counted) = file.counted_statuses {
            policy.counted = counted;
        }
        if let Some(waiting) = file.agent_sets_waiting {
            policy.agent_sets_waiting = waiting;
        }
        let timer = |c: &mut Self, field: &str, minutes: Option<f64>, into: &mut u64| {
            let Some(min) = minutes else { return };
            let ms = min * 60_000.0;
            if ms.is_finite() && (MIN_TIMER_MS..=MAX_TIMER_MS).contains(&ms) {
                *into = ms.round() as u64;
            } else {
                c.fail(
                    path.key(field),
                    format!("{min} min: expected 10 seconds to 90 days (WF-1)"),
                );
            }
        };
        timer(
            self,
            "solve_silent_after_min",
            file.solve_silent_after_min,
            &mut policy.solve_silent_after_ms,
        );
        timer(
            self,
            "close_solved_after_min",
            file.close_solved_after_min,
            &mut policy.close_solved_after_ms,
        );
        policy
    }

    /// A channel's agent reply and wrap-up times.
    pub(super) fn channel_times(&mut self, path: &FieldPath, ch: &ChannelFile) -> ChannelTimes {
        let voice = ch.kind.category() == ChannelCategory::VoiceVideo;
        let agent_reply = ch.agent_reply.as_ref().and_then(|d| {
            if voice {
                self.fail(
                    path.key("agent_reply"),
                    "a reply time on a voice channel: calls use the queue's handle_time (talk) and the channel's wrap_up",
                );
                None
            } else {
                self.dist(path.key("agent_reply"), d)
            }
        });
        let wrap_up = ch.wrap_up.as_ref().and_then(|d| {
            if voice {
                self.dist(path.key("wrap_up"), d)
            } else {
                self.fail(
                    path.key("wrap_up"),
                    "wrap-up on a text channel: expected it on voice channels only (ST-4)",
                );
                None
            }
        });
        let auto_resolve_ms = match ch.auto_resolve_after_h {
            None => default_auto_resolve_ms(ch.kind),
            Some(h) if h.is_finite() && h > 0.0 && h <= 90.0 * 24.0 => {
                Some((h * 3_600_000.0).round() as u64)
            }
            Some(h) => {
                self.fail(
                    path.key("auto_resolve_after_h"),
                    format!("{h}: expected hours > 0, at most 90 days"),
                );
                None
            }
        };
        ChannelTimes {
            agent_reply,
            wrap_up,
            auto_resolve_ms,
        }
    }

    /// A segment's conversation model.
    pub(super) fn behaviour(
        &mut self,
        path: &FieldPath,
        file: &ConversationFile,
    ) -> Option<CustomerBehaviour> {
        let exchanges = self.count(path.key("exchanges"), &file.exchanges);
        let think = self.dist(path.key("think"), &file.think);
        let burst_messages = match &file.burst_messages {
            Some(b) => self.count(path.key("burst_messages"), b),
            None => Some(CountDist::Constant { value: 1 }),
        };
        let silent_ok = self.share(path.key("silent_share"), file.silent_share, "silent_share");
        let come_back = match &file.come_back {
            None => Some(None),
            Some(cb) => {
                let p = path.key("come_back");
                let share_ok = self.share(p.key("share"), cb.share, "share");
                let after = self.dist(p.key("after"), &cb.after);
                after.filter(|_| share_ok).map(|after| {
                    Some(ComeBack {
                        share: cb.share,
                        after,
                    })
                })
            }
        };
        Some(CustomerBehaviour {
            exchanges: exchanges?,
            think: think?,
            burst_messages: burst_messages?,
            silent_share: silent_ok.then_some(file.silent_share)?,
            come_back: come_back?,
        })
    }

    /// Waiting strategies, by the channel (sender) each serves (WS-1: one per sender).
    pub(super) fn waiting_strategies(
        &mut self,
        path: &FieldPath,
        files: &[WaitingStrategyFile],
        channels: &HashMap<&str, ChannelKind>,
    ) -> HashMap<String, WaitingStrategy> {
        self.unique(path, "name", files.iter().map(|w| w.name.as_str()));
        let mut by_channel: HashMap<String, WaitingStrategy> = HashMap::new();
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for (i, w) in files.iter().enumerate() {
            let p = path.index(i);
            let mut voice = None;
            if w.channels.is_empty() {
                self.fail(
                    p.key("channels"),
                    "no channels: expected at least one sender",
                );
            }
            for (j, name) in w.channels.iter().enumerate() {
                let Some(kind) = channels.get(name.as_str()) else {
                    self.fail(
                        p.key("channels").index(j),
                        format!("unknown channel '{name}'"),
                    );
                    continue;
                };
                let is_voice = kind.category() == ChannelCategory::VoiceVideo;
                if *voice.get_or_insert(is_voice) != is_voice {
                    self.fail(
                        p.key("channels").index(j),
                        format!("'{name}' mixes voice and text channels in one strategy: expected one kind"),
                    );
                }
                if let Some(first) = owner.insert(name.as_str(), w.name.as_str()) {
                    self.fail(
                        p.key("channels").index(j),
                        format!("channel '{name}' already has the waiting strategy '{first}': expected one strategy per sender (WS-1)"),
                    );
                }
            }
            let voice = voice.unwrap_or(false);
            if w.hold_music && !voice {
                self.fail(
                    p.key("hold_music"),
                    "hold music on text channels: expected it on voice strategies only (WS-6)",
                );
            }
            let announcements = w.announcements.as_ref().and_then(|a| {
                let ap = p.key("announcements");
                if a.position_in_queue && !voice {
                    self.fail(
                        ap.key("position_in_queue"),
                        "position in queue is announced to callers only (WS-6)",
                    );
                }
                let every_ok = self.positive(ap.key("every_s"), a.every_s, "every_s");
                let count = match a.count {
                    Some(n) if !(0..=i64::from(u32::MAX)).contains(&n) => {
                        self.fail(ap.key("count"), format!("{n}: expected 1 to 60 (WS-3)"));
                        return None;
                    }
                    n => n.map(|n| n as u32),
                };
                every_ok.then(|| Announcements {
                    interval_ms: (a.every_s * 1000.0).round() as u64,
                    max_count: count,
                    position_in_queue: a.position_in_queue,
                })
            });
            let max_wait_ms = match w.max_wait_min {
                Some(m) if !(m.is_finite() && m > 0.0) => {
                    self.fail(p.key("max_wait_min"), format!("{m}: expected a number > 0"));
                    continue;
                }
                m => m.map(|m| (m * 60_000.0).round() as u64),
            };
            let strategy = WaitingStrategy {
                kind: if voice {
                    StrategyKind::Voice {
                        hold_music: w.hold_music,
                    }
                } else {
                    StrategyKind::Messaging
                },
                welcome: w.welcome,
                announcements,
                max_wait_ms,
            };
            if w.announcements.is_some() && announcements.is_none() {
                continue;
            }
            if let Err(e) = strategy.validate() {
                let at = match e {
                    StrategyError::NothingEnabled => p.clone(),
                    StrategyError::IntervalTooShort(_) => p.key("announcements").key("every_s"),
                    StrategyError::BadCount(_) => p.key("announcements").key("count"),
                    StrategyError::BadMaxWait(_) => p.key("max_wait_min"),
                };
                self.fail(at, e.to_string());
                continue;
            }
            for name in &w.channels {
                by_channel.insert(name.clone(), strategy);
            }
        }
        by_channel
    }

    /// A queue's share of transfers to other agents (ST-1), given its queue transfers' total
    /// share: the two together are at most 1.
    pub(super) fn agent_transfers(&mut self, path: &FieldPath, share: f64, to_queues: f64) -> f64 {
        if !self.share(path.clone(), share, "transfers_to_agents") {
            return 0.0;
        }
        if share + to_queues > 1.0 + 1e-9 {
            self.fail(
                path.clone(),
                format!(
                    "transfers to agents ({share}) and to queues ({to_queues:.3}) add up to more than 1: expected at most 1"
                ),
            );
            return 0.0;
        }
        share
    }

    /// A queue's transfers: destinations with cumulative shares.
    pub(super) fn transfers(
        &mut self,
        path: &FieldPath,
        files: &[TransferFile],
        own: u32,
        queue_index: &HashMap<&str, u32>,
    ) -> Vec<(f64, u32)> {
        let mut cumulative = 0.0;
        let mut out = Vec::new();
        for (i, t) in files.iter().enumerate() {
            let p = path.index(i);
            let to = self.queue(p.key("to"), &t.to, queue_index);
            if to == Some(own) {
                self.fail(
                    p.key("to"),
                    "a transfer to the queue itself: expected another queue",
                );
                continue;
            }
            if !self.share(p.key("share"), t.share, "share") {
                continue;
            }
            cumulative += t.share;
            if let Some(to) = to {
                out.push((cumulative, to));
            }
        }
        if cumulative > 1.0 + 1e-9 {
            self.fail(
                path.clone(),
                format!("transfer shares add up to {cumulative:.3}: expected at most 1"),
            );
        }
        out
    }
}
