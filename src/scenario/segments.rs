//! One arrival segment of a scenario, checked against the rest of it (its queue or the
//! routes, its channel's times and waiting strategy, a forecast's rows) and built into a
//! [`SegmentSpec`]. Every problem is recorded with its field path; a segment with one is left
//! out of the scenario, which then fails as a whole.

use std::collections::HashMap;

use super::build::{MAX_POPULATION, names};
use super::checks::Checker;
use super::conversation::ChannelTimes;
use super::error::FieldPath;
use super::file::{ScenarioFile, SegmentFile};
use super::forecast::SegmentForecast;
use super::routing::{AttrNames, CHANNEL, DEFAULT_QUEUE};
use crate::model::centre::{QueueSpec, SegmentDestination, SegmentSpec};
use crate::model::channel::{ChannelCategory, ChannelKind};
use crate::model::distribution::DurationDist;
use crate::model::routing::AttrValue;
use crate::model::survey::SentimentModel;
use crate::model::waiting_strategy::WaitingStrategy;

/// What a segment's checks read from the scenario's other sections, built before it.
pub(super) struct SegmentContext<'a> {
    pub file: &'a ScenarioFile,
    pub queue_index: &'a HashMap<&'a str, u32>,
    /// The Default queue, which takes what no route matches (RT-4).
    pub default_queue: Option<u32>,
    pub channels: &'a HashMap<&'a str, ChannelKind>,
    pub channel_times: &'a HashMap<&'a str, ChannelTimes>,
    pub strategies: &'a HashMap<String, WaitingStrategy>,
    pub queues: &'a [QueueSpec],
    /// Whether the scenario's dated forecast could be read.
    pub forecast_read: bool,
}

impl Checker<'_> {
    /// Checks arrival segment `s` (at `p`; `from_forecast` is what a dated forecast gives it)
    /// and builds it, or `None` after recording why not.
    pub(super) fn segment(
        &mut self,
        p: &FieldPath,
        s: &SegmentFile,
        from_forecast: Option<&SegmentForecast>,
        cx: &SegmentContext<'_>,
        attr_names: &mut AttrNames,
    ) -> Option<SegmentSpec> {
        let destination = match &s.queue {
            Some(name) => self
                .queue(p.key("queue"), name, cx.queue_index)
                .map(SegmentDestination::Queue),
            None if cx.default_queue.is_none() => {
                self.fail(
                    p.clone(),
                    format!("no queue, so its conversations are routed, and those no route matches go to the Default queue: add a queue named \"{DEFAULT_QUEUE}\" with its handle_time (RT-4), or give the segment a queue"),
                );
                None
            }
            None => Some(SegmentDestination::Routed),
        };
        let attributes = self.segment_attributes(&p.key("attributes"), &s.attributes, attr_names);
        let channel = cx.channels.get(s.channel.as_str()).copied();
        if channel.is_none() {
            self.fail(
                p.key("channel"),
                format!(
                    "unknown channel '{}': expected one of {}",
                    s.channel,
                    names(cx.file.channels.iter().map(|ch| &ch.name))
                ),
            );
        }
        let rate = self.arrival_rate(p, s, cx.file, cx.forecast_read, from_forecast);
        let handle_means = from_forecast
            .filter(|_| s.conversation.is_none())
            .map(|f| f.handle_means.clone())
            .unwrap_or_default();
        let patience = s.patience.as_ref().map(|d| self.dist(p.key("patience"), d));
        if let Some(n) = s.population
            && !(1..=MAX_POPULATION).contains(&n)
        {
            self.fail(
                p.key("population"),
                format!("{n}: expected 1 to {MAX_POPULATION} people"),
            );
        }
        let handle_time = s
            .handle_time
            .as_ref()
            .map(|d| self.dist(p.key("handle_time"), d));
        let times = cx.channel_times.get(s.channel.as_str());
        let behaviour = match (&s.conversation, channel) {
            (None, _) => Some(None),
            (Some(_), Some(ch)) if ch.category() == ChannelCategory::VoiceVideo => {
                self.fail(
                    p.key("conversation"),
                    "a conversation model on a voice channel: calls use handle_time (talk) and the channel's wrap_up",
                );
                None
            }
            (Some(conv), _) => {
                if s.handle_time.is_some() {
                    self.fail(
                        p.key("handle_time"),
                        "both handle_time and conversation: expected one or the other",
                    );
                }
                if channel.is_some() && times.is_none_or(|t| t.agent_reply.is_none()) {
                    self.fail(
                        p.key("conversation"),
                        format!("channel '{}' has no agent_reply: expected the agents' reply time per message on the channel", s.channel),
                    );
                }
                self.behaviour(&p.key("conversation"), conv).map(Some)
            }
        };
        let sentiment = s.sentiment.as_ref().and_then(|m| {
            let sp = p.key("sentiment");
            if s.conversation.is_none() {
                self.fail(
                    sp.clone(),
                    "sentiment without a conversation: messages are scored in conversation threads only",
                );
            }
            let mean_ok = (-1.0..=1.0).contains(&m.mean);
            if !mean_ok {
                self.fail(sp.key("mean"), format!("{}: expected -1 to 1", m.mean));
            }
            let sd_ok = self.non_negative(sp.key("sd"), m.sd, "sd");
            (mean_ok && sd_ok).then_some(SentimentModel {
                mean: m.mean,
                sd: m.sd,
            })
        });
        if let (Some(destination), Some(channel), Some(rate), Some(behaviour)) =
            (destination, channel, rate, behaviour)
        {
            return Some(SegmentSpec {
                name: s.name.clone(),
                destination,
                channel,
                priority: s.priority,
                attributes,
                constants: vec![(CHANNEL, AttrValue::Text(channel.as_str().to_string()))],
                rate,
                patience: patience.flatten(),
                // A forecast's handle times keep the shape of the segment's or its queue's
                // handle time, and are exponential when neither has one.
                handle_time: handle_time.flatten().or_else(|| {
                    let queue_has_one = matches!(destination, SegmentDestination::Queue(q)
                        if cx.queues.get(q as usize).is_some_and(|q| q.handle_time.is_some()));
                    handle_means
                        .mean_ms
                        .filter(|_| !queue_has_one)
                        .map(|mean_ms| DurationDist::Exponential { mean_ms })
                }),
                handle_means,
                agent_reply: behaviour
                    .is_some()
                    .then(|| times.and_then(|t| t.agent_reply.clone()))
                    .flatten(),
                behaviour,
                wrap_up: times.and_then(|t| t.wrap_up.clone()),
                waiting_strategy: cx.strategies.get(s.channel.as_str()).copied(),
                auto_resolve_ms: times.and_then(|t| t.auto_resolve_ms),
                sentiment,
                population: s.population.and_then(|n| u64::try_from(n).ok()),
            });
        }
        None
    }
}
