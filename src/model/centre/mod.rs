//! The validated description of a contact centre that the actors run: queues, agents and
//! arrival segments, with every name resolved to a dense index. Built from a scenario file by
//! `scenario::build`; never from unchecked input.

use super::arrival_rate::{ArrivalRate, DatedMeans};
use super::assignment::rules::AssignmentMode;
use super::calendar::{Calendar, WeeklyPattern};
use super::capacity::Capacity;
use super::channel::{ChannelCategory, ChannelKind};
use super::conversation::{CustomerBehaviour, SlotTime, StatusPolicy};
use super::distribution::DurationDist;
use super::priority::Priority;
use super::routing::{AttrId, AttrValue, Attributes, Route};
use super::sla::SlaPolicy;
use super::status::DefaultStatus;
use super::survey::{SentimentModel, SurveyPolicy};
use super::waiting_strategy::WaitingStrategy;
use super::workflow::Workflow;
use super::working_hours::WorkingHours;

/// Most attributes one segment may draw (they travel with the conversation as option indices).
pub const MAX_SEGMENT_ATTRIBUTES: usize = 8;

/// A customer's drawn attributes: for each of its segment's attributes, the index of the
/// option drawn, or [`NO_VALUE`] when the customer has none.
pub type AttrDraw = [u8; MAX_SEGMENT_ATTRIBUTES];

/// The draw of an attribute the customer does not have.
pub const NO_VALUE: u8 = u8::MAX;

/// An attribute a segment's customers carry, with the share of each value.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentAttribute {
    /// Which attribute.
    pub attribute: AttrId,
    /// Values with their cumulative share, increasing, the last at most 1; customers past it
    /// have no value.
    pub options: Vec<(f64, AttrValue)>,
}

impl SegmentAttribute {
    /// The option drawn by a uniform number in [0, 1).
    pub fn draw(&self, uniform: f64) -> u8 {
        self.options
            .iter()
            .position(|(cumulative, _)| uniform < *cumulative)
            .map_or(NO_VALUE, |i| i as u8)
    }
}

/// Where a segment's conversations go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentDestination {
    /// Straight to this queue (a sender queue), no routing.
    Queue(u32),
    /// Through the routes; no match goes to the Default queue (RT-1, RT-4).
    Routed,
}

/// A queue.
#[derive(Debug, Clone)]
pub struct QueueSpec {
    /// Unique name.
    pub name: String,
    /// Service-level threshold: answered within this counts as meeting the target, ms.
    pub service_level_threshold_ms: u64,
    /// Thresholds of channels that keep their own promise in this queue (a call in 20 s, a
    /// chat in 5 minutes), ms; the others use `service_level_threshold_ms`.
    pub channel_thresholds_ms: Vec<(ChannelKind, u64)>,
    /// Handle time of its conversations unless the segment says otherwise (or has a
    /// conversation model).
    pub handle_time: Option<DurationDist>,
    /// Automatic assignment on (AA-1), and how it chooses (AA-2); `None` when off.
    pub assignment: Option<AssignmentMode>,
    /// Working hours (WH-1).
    pub hours: QueueHours,
    /// Where its agents move conversations after their first reply (AA-11): destination
    /// queues with cumulative shares, increasing, the last at most 1.
    pub transfers: Vec<(f64, u32)>,
    /// The share its agents hand to another agent of the queue after their first reply
    /// (ST-1); with the queue transfers at most 1.
    pub agent_transfer_share: f64,
}

/// Where an agent moves a conversation after its first reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// To another queue (AA-11).
    Queue(u32),
    /// To another agent of the same queue (ST-1).
    Agent,
}

impl QueueSpec {
    /// Whether its agents move any conversations after their first reply.
    pub fn has_transfers(&self) -> bool {
        !self.transfers.is_empty() || self.agent_transfer_share > 0.0
    }

    /// The transfer a uniform number in [0, 1) picks, if any: queue transfers take the bottom
    /// of the range, transfers to agents the top.
    pub fn transfer_choice(&self, uniform: f64) -> Option<Transfer> {
        if uniform >= 1.0 - self.agent_transfer_share {
            return Some(Transfer::Agent);
        }
        self.transfer_for(uniform).map(Transfer::Queue)
    }

    /// The transfer a uniform number in [0, 1) picks, if any.
    pub fn transfer_for(&self, uniform: f64) -> Option<u32> {
        self.transfers
            .iter()
            .find(|(cumulative, _)| uniform < *cumulative)
            .map(|&(_, q)| q)
    }
}

/// A queue's working hours and what it does outside them (WH-1..4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueHours {
    /// When it is open.
    pub calendar: WorkingHours,
    /// Send the away message to conversations opened outside the hours.
    pub away_message: bool,
    /// Close them right after it.
    pub close_after_away: bool,
}

impl QueueHours {
    /// Open at all times.
    pub fn always() -> Self {
        Self {
            calendar: WorkingHours::always(),
            away_message: false,
            close_after_away: false,
        }
    }
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
    /// When the agent is on shift: its weekly pattern, less the holidays it takes off (the same
    /// calendar machinery as queues' working hours).
    pub shift: WorkingHours,
    /// Statuses the agent sets for spans of its shift (breaks as Away, training as Busy), the
    /// first matching entry winning; Available otherwise (ST-1).
    pub status_schedule: Vec<(WeeklyPattern, DefaultStatus)>,
    /// Agents who stop working without logging out (ST-3), if any.
    pub drop_out: Option<DropOut>,
}

/// ST-3: on some shifts the agent stops working at a random moment but keeps showing its
/// status; the platform logs it out after a while, and the conversations it was given in
/// between go back to their queues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DropOut {
    /// Share of shifts with a drop-out, 0..=1.
    pub share_of_shifts: f64,
    /// How long the platform waits before logging an inactive agent out, ms.
    pub logout_after_ms: u64,
}

impl AgentSpec {
    /// The status the agent sets at `at_ms` and when that may next change: Offline off shift;
    /// on shift, the first scheduled status whose pattern is on, else Available.
    pub fn status_at(&self, cal: &Calendar, at_ms: u64) -> (DefaultStatus, Option<u64>) {
        let shift = self.shift.state_at(cal, at_ms);
        // WH-1: the agent's schedule is in its own zone, like its shifts.
        let cal = self.shift.calendar(cal);
        let mut next = shift.next_change_ms;
        let mut status = if shift.on {
            DefaultStatus::Available
        } else {
            DefaultStatus::Offline
        };
        let mut decided = !shift.on;
        for (pattern, scheduled) in &self.status_schedule {
            let state = pattern.state_at(cal, at_ms);
            next = match (next, state.next_change_ms) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if !decided && state.on {
                status = *scheduled;
                decided = true;
            }
        }
        (status, next)
    }
}

/// A stream of arriving customers.
#[derive(Debug, Clone)]
pub struct SegmentSpec {
    /// Unique name (the identity of its random streams).
    pub name: String,
    /// Where its conversations go.
    pub destination: SegmentDestination,
    /// Channel of its conversations.
    pub channel: ChannelKind,
    /// Priority of its conversations when they go straight to a queue (routes set their own).
    pub priority: Priority,
    /// Attributes drawn per customer.
    pub attributes: Vec<SegmentAttribute>,
    /// Attributes every customer of the segment has (the channel).
    pub constants: Vec<(AttrId, AttrValue)>,
    /// Arrival rate over time.
    pub rate: ArrivalRate,
    /// Patience; `None` for customers who never abandon.
    pub patience: Option<DurationDist>,
    /// Handle time, overriding the queue's.
    pub handle_time: Option<DurationDist>,
    /// A forecast's average handle time per interval: a customer who arrives in one of its
    /// stretches is handled for a time of the handle-time distribution's shape with that
    /// stretch's mean. Empty when the forecast gives none.
    pub handle_means: DatedMeans,
    /// Messaging: the conversation as a thread of exchanges; `None` for the handle-time model
    /// (a slot held for a drawn time).
    pub behaviour: Option<CustomerBehaviour>,
    /// The agents' reply time per customer turn on this segment's channel (with `behaviour`).
    pub agent_reply: Option<DurationDist>,
    /// Voice: wrap-up after each call, from the channel (CAP-3).
    pub wrap_up: Option<DurationDist>,
    /// The waiting strategy of the segment's sender (channel), if any (WS-1).
    pub waiting_strategy: Option<WaitingStrategy>,
    /// Inactivity after which a conversation of the channel resolves itself, ms (WIN-3).
    pub auto_resolve_ms: Option<u64>,
    /// How its customers' messages score (SUR-2); threads only.
    pub sentiment: Option<SentimentModel>,
    /// The number of people its customers are drawn from, so the same person comes back (for
    /// the sticky agent, AA-2); `None` when every arrival is a new person.
    pub population: Option<u64>,
}

impl QueueSpec {
    /// The service-level threshold of a conversation on `channel` in this queue, ms.
    pub fn threshold_ms(&self, channel: ChannelKind) -> u64 {
        self.channel_thresholds_ms
            .iter()
            .find(|(k, _)| *k == channel)
            .map_or(self.service_level_threshold_ms, |&(_, ms)| ms)
    }
}

impl SegmentSpec {
    /// Capacity category of the segment's channel.
    pub fn category(&self) -> ChannelCategory {
        self.channel.category()
    }

    /// The attributes of a customer of this segment who drew `draw`.
    pub fn attributes_of<'a>(&'a self, draw: &'a AttrDraw) -> DrawnAttributes<'a> {
        DrawnAttributes {
            segment: self,
            draw,
        }
    }
}

/// A customer's attributes: its segment's constants and its draw, read without copying.
#[derive(Debug, Clone, Copy)]
pub struct DrawnAttributes<'a> {
    segment: &'a SegmentSpec,
    draw: &'a AttrDraw,
}

impl Attributes for DrawnAttributes<'_> {
    fn get(&self, id: AttrId) -> Option<&AttrValue> {
        if let Some(k) = self
            .segment
            .attributes
            .iter()
            .position(|a| a.attribute == id)
        {
            let option = self.draw[k];
            return self.segment.attributes[k]
                .options
                .get(usize::from(option))
                .map(|(_, value)| value);
        }
        self.segment
            .constants
            .iter()
            .find(|(a, _)| *a == id)
            .map(|(_, value)| value)
    }
}

/// The queues conversations sent to `destination` can reach: where routing (or the segment)
/// sends them, and where transfers take them from there; sorted.
pub fn reachable_queues(
    destination: SegmentDestination,
    routes: &[Route],
    default_queue: Option<u32>,
    queues: &[QueueSpec],
) -> Vec<u32> {
    let mut qs: Vec<u32> = match destination {
        SegmentDestination::Queue(q) => vec![q],
        SegmentDestination::Routed => routes
            .iter()
            .filter(|r| r.enabled)
            .map(|r| r.queue)
            .chain(default_queue)
            .collect(),
    };
    let mut k = 0;
    while k < qs.len() {
        if let Some(q) = queues.get(qs[k] as usize) {
            for &(_, to) in &q.transfers {
                if !qs.contains(&to) {
                    qs.push(to);
                }
            }
        }
        k += 1;
    }
    qs.sort_unstable();
    qs.dedup();
    qs
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
    /// Routes, in order (RT-1).
    pub routes: Vec<Route>,
    /// The Default queue's index (RT-4); always there when a segment is routed.
    pub default_queue: Option<u32>,
    /// Attribute names, indexed by [`AttrId`] (every one the scenario names).
    pub attribute_names: Vec<String>,
    /// Conversation statuses: which count toward capacity, when agents solve and close.
    pub status_policy: StatusPolicy,
    /// SLA policies in priority order (SLA-1).
    pub sla_policies: Vec<SlaPolicy>,
    /// Workflows in list order (WF-3).
    pub workflows: Vec<Workflow>,
    /// Conversation tag names, by bit.
    pub tag_names: Vec<String>,
    /// Surveys on Solved (SUR-1), if sent.
    pub survey: Option<SurveyPolicy>,
    /// The AI agent in front, if any (BOT-1..11).
    pub bot: Option<super::bot::BotSpec>,
    /// The external contact centre the bot hands over to instead of the queues (CC-1..6).
    pub external: Option<super::translation::ExternalSpec>,
    /// Historical conversations replayed instead of the segments' arrival processes.
    pub trace: Option<std::sync::Arc<super::trace::Trace>>,
}

impl CentreSpec {
    /// The id of attribute `name`, if the scenario names it anywhere.
    pub fn attribute_id(&self, name: &str) -> Option<AttrId> {
        self.attribute_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as AttrId)
    }

    /// Handle-time distribution of a conversation of `segment` served from `queue`: the
    /// segment's own if it has one, else the queue's. `None` only for segments with a
    /// conversation model (the scenario build checks every other pair has one).
    pub fn handle_time(&self, segment: u32, queue: u32) -> Option<&DurationDist> {
        self.segments[segment as usize]
            .handle_time
            .as_ref()
            .or(self.queues[queue as usize].handle_time.as_ref())
    }

    /// A handle time for a conversation of `segment` served from `queue` that arrived at
    /// `created_ms`: a draw of [`CentreSpec::handle_time`], moved to the forecast's average
    /// handle time of that interval when the segment's forecast gives one.
    pub fn sample_handle_ms<R: rand::Rng + ?Sized>(
        &self,
        segment: u32,
        queue: u32,
        created_ms: u64,
        rng: &mut R,
    ) -> Option<u64> {
        let dist = self.handle_time(segment, queue)?;
        Some(
            match self.segments[segment as usize].handle_means.at(created_ms) {
                Some(mean_ms) => dist.sample_with_mean_ms(rng, mean_ms),
                None => dist.sample_ms(rng),
            },
        )
    }

    /// The mean time a conversation of `segment` served from `queue` holds an agent's slot:
    /// its handle time, or what its conversation model implies (see
    /// [`CustomerBehaviour::mean_slot_time`]).
    pub fn mean_occupancy_ms(&self, segment: u32, queue: u32) -> f64 {
        self.mean_slot_time(segment, queue).total_ms()
    }

    /// [`CentreSpec::mean_occupancy_ms`], part by part.
    pub fn mean_slot_time(&self, segment: u32, queue: u32) -> SlotTime {
        let seg = &self.segments[segment as usize];
        match (&seg.behaviour, &seg.agent_reply) {
            (Some(b), Some(reply)) => b.mean_slot_time(reply.mean_ms(), &self.status_policy),
            _ => SlotTime {
                handle_ms: seg.handle_means.mean_ms.unwrap_or_else(|| {
                    self.handle_time(segment, queue)
                        .map_or(0.0, |d| d.mean_ms())
                }),
                ..SlotTime::default()
            },
        }
    }

    /// The queues a segment's conversations can reach (see [`reachable_queues`]); a segment
    /// that meets the bot first while handoffs are left unrouted reaches the unassigned list
    /// only.
    pub fn possible_queues(&self, segment: u32) -> Vec<u32> {
        let seg = &self.segments[segment as usize];
        if let Some(bot) = &self.bot
            && let Some(q) = bot.unrouted_queue
            && bot.meets_first(seg.channel)
        {
            return vec![q];
        }
        reachable_queues(
            self.segments[segment as usize].destination,
            &self.routes,
            self.default_queue,
            &self.queues,
        )
    }

    /// Number of report intervals covering the horizon.
    pub fn interval_count(&self) -> usize {
        self.horizon_ms.div_ceil(self.interval_ms) as usize
    }

    /// The capacity categories an agent serves: those of the segments that can reach its
    /// queues, in [`ChannelCategory::ALL`] order. Its workload averages over them (AA-6) and its
    /// staffed slots add up over them.
    pub fn served_categories(&self, agent: u32) -> [bool; 4] {
        let spec = &self.agents[agent as usize];
        let mut served = [false; 4];
        for (s, seg) in self.segments.iter().enumerate() {
            if self
                .possible_queues(s as u32)
                .iter()
                .any(|q| spec.queues.contains(q))
            {
                served[seg.category().index()] = true;
            }
        }
        served
    }

    /// Slots an agent offers while on shift: its capacity summed over the categories it serves
    /// (a voice-only agent offers 1, a WhatsApp agent its Live Messaging capacity). The
    /// denominator of occupancy.
    pub fn staffed_slots(&self, agent: u32) -> u32 {
        let served = self.served_categories(agent);
        let capacity = &self.agents[agent as usize].capacity;
        ChannelCategory::ALL
            .iter()
            .filter(|c| served[c.index()])
            .map(|&c| capacity.of(c))
            .sum()
    }
}

/// Small centres for unit tests.
#[cfg(test)]
pub(crate) mod testing;
