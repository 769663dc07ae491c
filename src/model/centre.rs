//! The validated description of a contact centre that the actors run: queues, agents and
//! arrival segments, with every name resolved to a dense index. Built from a scenario file by
//! `scenario::build`; never from unchecked input.

use super::arrival_rate::ArrivalRate;
use super::calendar::{Calendar, WeeklyPattern};
use super::capacity::Capacity;
use super::channel::{ChannelCategory, ChannelKind};
use super::distribution::DurationDist;
use super::priority::Priority;

/// A queue.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    /// Unique name.
    pub name: String,
    /// Service-level threshold: answered within this counts as meeting the target, ms.
    pub service_level_threshold_ms: u64,
    /// Handle time of its conversations unless the segment says otherwise.
    pub handle_time: DurationDist,
}

/// An agent.
#[derive(Debug, Clone)]
pub struct AgentSpec {
    /// Unique name (the identity of its random streams).
    pub name: String,
    /// Indices of the queues it serves.
    pub queues: Vec<u32>,
    /// Capacity per category after defaults and overrides.
    pub capacity: Capacity,
    /// When the agent is on shift.
    pub shift: WeeklyPattern,
}

/// A stream of arriving customers.
#[derive(Debug, Clone)]
pub struct SegmentSpec {
    /// Unique name (the identity of its random streams).
    pub name: String,
    /// Destination queue index.
    pub queue: u32,
    /// Channel of its conversations.
    pub channel: ChannelKind,
    /// Priority of its conversations.
    pub priority: Priority,
    /// Arrival rate over time.
    pub rate: ArrivalRate,
    /// Patience; `None` for customers who never abandon.
    pub patience: Option<DurationDist>,
    /// Handle time, overriding the queue's.
    pub handle_time: Option<DurationDist>,
}

impl SegmentSpec {
    /// Capacity category of the segment's channel.
    pub fn category(&self) -> ChannelCategory {
        self.channel.category()
    }
}

/// Everything the actors need to run a centre.
#[derive(Debug, Clone)]
pub struct CentreSpec {
    /// Start instant and time zone.
    pub calendar: Calendar,
    /// Length of the run, ms.
    pub horizon_ms: u64,
    /// Statistics ignore customers arriving before this, ms.
    pub warmup_ms: u64,
    /// Length of a report interval, ms.
    pub interval_ms: u64,
    /// Queues.
    pub queues: Vec<QueueSpec>,
    /// Agents.
    pub agents: Vec<AgentSpec>,
    /// Arrival segments.
    pub segments: Vec<SegmentSpec>,
}

impl CentreSpec {
    /// Handle-time distribution of a conversation of `segment`.
    pub fn handle_time(&self, segment: u32) -> &DurationDist {
        let seg = &self.segments[segment as usize];
        seg.handle_time
            .as_ref()
            .unwrap_or(&self.queues[seg.queue as usize].handle_time)
    }

    /// Number of report intervals covering the horizon.
    pub fn interval_count(&self) -> usize {
        self.horizon_ms.div_ceil(self.interval_ms) as usize
    }

    /// Slots an agent offers while on shift: its capacity summed over the categories that the
    /// segments of its queues use (a voice-only agent offers 1, a WhatsApp agent its Live
    /// Messaging capacity). The denominator of occupancy.
    pub fn staffed_slots(&self, agent: u32) -> u32 {
        let spec = &self.agents[agent as usize];
        let mut used = [false; 4];
        for seg in &self.segments {
            if spec.queues.contains(&seg.queue) {
                used[seg.category().index()] = true;
            }
        }
        ChannelCategory::ALL
            .iter()
            .filter(|c| used[c.index()])
            .map(|&c| spec.capacity.of(c))
            .sum()
    }
}

/// Small centres for unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::model::capacity::CapacityOverride;

    /// A UTC centre of `horizon_min` minutes, `interval_min`-minute intervals, `warmup_min`
    /// warm-up; queues `q0..`; agents given as (queues, Live Messaging capacity), always on
    /// shift; one WhatsApp segment per queue.
    pub fn centre(
        queues: usize,
        agents: &[(&[u32], u32)],
        horizon_min: u64,
        interval_min: u64,
        warmup_min: u64,
    ) -> CentreSpec {
        const MIN: u64 = 60_000;
        CentreSpec {
            calendar: Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC)
                .unwrap(),
            horizon_ms: horizon_min * MIN,
            warmup_ms: warmup_min * MIN,
            interval_ms: interval_min * MIN,
            queues: (0..queues)
                .map(|q| QueueSpec {
                    name: format!("q{q}"),
                    service_level_threshold_ms: 20_000,
                    handle_time: DurationDist::Constant { ms: 1 },
                })
                .collect(),
            agents: agents
                .iter()
                .enumerate()
                .map(|(a, (queues, lm))| AgentSpec {
                    name: format!("a{a}"),
                    queues: queues.to_vec(),
                    capacity: Capacity::system_default().overridden_by(&CapacityOverride {
                        live_messaging: Some(*lm),
                        ..Default::default()
                    }),
                    shift: WeeklyPattern::always(),
                })
                .collect(),
            segments: (0..queues as u32)
                .map(|q| SegmentSpec {
                    name: format!("s{q}"),
                    queue: q,
                    channel: ChannelKind::Whatsapp,
                    priority: Priority::Normal,
                    rate: ArrivalRate::Constant { rate_per_h: 1.0 },
                    patience: None,
                    handle_time: None,
                })
                .collect(),
        }
    }
}
