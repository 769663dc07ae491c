//! The scenario file format as written by people: TOML (or JSON with the same fields). These
//! types only mirror the text; `build` checks them and turns them into a
//! [`crate::model::centre::CentreSpec`]. `ccsim schema` prints their JSON Schema.
//!
//! Units are in the field names: `_s` seconds, `_min` minutes, `_h` hours, `_days` days,
//! `rate_per_h` arrivals per hour.

use schemars::JsonSchema;
use serde::Deserialize;

mod bot;
mod inputs;
mod policies;

pub use bot::*;
pub use inputs::*;
pub use policies::*;

use crate::model::channel::ChannelKind;
use crate::model::priority::Priority;

fn default_seed() -> u64 {
    1
}
fn default_replications() -> u32 {
    10
}
fn default_interval_min() -> u32 {
    30
}
fn default_service_level_s() -> f64 {
    60.0
}
fn default_scale() -> f64 {
    1.0
}

/// A contact-centre scenario.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name of the scenario; reports go to `reports/<name>/` by default.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Local start date-time, e.g. `2026-01-05T00:00`.
    pub start: String,
    /// IANA time zone of `start`, shifts and profiles, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// Simulated length, days (> 0).
    pub duration_days: f64,
    /// Seed of every random stream.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Independent replications (≥ 1); confidence intervals need at least 2.
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Customers arriving before this are left out of the summary, hours (≥ 0).
    #[serde(default)]
    pub warmup_h: f64,
    /// Length of a report interval, minutes: 15, 30 or 60.
    #[serde(default = "default_interval_min")]
    pub report_interval_min: u32,
    /// Channels conversations arrive on.
    pub channels: Vec<ChannelFile>,
    /// System default capacity per category (CAP-1); agents may override it.
    #[serde(default)]
    pub capacity: CapacityFile,
    /// Queues.
    pub queues: Vec<QueueFile>,
    /// Agents, in groups.
    pub agents: Vec<AgentGroupFile>,
    /// Arrival segments.
    pub arrivals: Vec<SegmentFile>,
    /// Routes, tried in order (RT-1); segments without a `queue` are routed.
    #[serde(default)]
    pub routes: Vec<RouteFile>,
    /// Working-hours calendars for queues (WH-1).
    #[serde(default)]
    pub working_hours: Vec<WorkingHoursFile>,
    /// Conversation statuses: which count toward capacity (CAP-4), and when agents solve and
    /// close.
    #[serde(default)]
    pub conversations: ConversationsFile,
    /// Waiting strategies (WS-1..6), one per sender at most.
    #[serde(default)]
    pub waiting_strategies: Vec<WaitingStrategyFile>,
    /// SLA policies in priority order, the first that applies wins (SLA-1..7).
    #[serde(default)]
    pub sla_policies: Vec<SlaPolicyFile>,
    /// Workflows, run in list order (WF-1..5).
    #[serde(default)]
    pub workflows: Vec<WorkflowFile>,
    /// Surveys sent when a conversation turns Solved (SUR-1); none if left out.
    #[serde(default)]
    pub survey: Option<SurveyFile>,
    /// The AI agent in front of the agents (BOT-1..11); none if left out.
    #[serde(default)]
    pub bot: Option<BotFile>,
    /// An external contact centre behind a translation layer that takes the bot's handoffs
    /// instead of the queues (CC-1..6); none if left out.
    #[serde(default)]
    pub external_centre: Option<ExternalCentreFile>,
    /// How `ccsim load` runs this scenario by default, and its pass/fail thresholds.
    #[serde(default)]
    pub load: LoadFile,
    /// Historical conversations to replay instead of the arrival segments' rates: each row
    /// one customer, through this scenario's routing, bot and staffing.
    #[serde(default)]
    pub trace: Option<TraceFile>,
    /// A dated forecast, as WFM tools export it: volumes (and handle times) per date, interval
    /// and queue or segment, for the arrival segments that give no `rate_per_h` or `profile`.
    #[serde(default)]
    pub forecast: Option<ForecastFile>,
}

/// The `[load]` section: `ccsim load`'s defaults (flags override them) and thresholds (flags
/// add to them).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadFile {
    /// Pass/fail thresholds, `FIGURE OP NUMBER`, e.g. `reply_p99_ms < 2000`; figures:
    /// reply_p50_ms, reply_p90_ms, reply_p99_ms, first_reply_p99_ms, unanswered_rate,
    /// unanswered, duplicates_answered_twice, webhook_error_rate, writes_rejected,
    /// agent_wait_p90_s.
    #[serde(default)]
    pub thresholds: Vec<String>,
    /// Simulated time per wall-clock time (60: an hour a minute).
    #[serde(default)]
    pub compress: Option<f64>,
    /// Seconds of arrivals, wall clock.
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// Where in the scenario's run the load starts: a local date-time such as
    /// `2026-01-05T09:00` (its busy hours, not its closed night); default its start.
    #[serde(default)]
    pub start: Option<String>,
    /// Ramp stages as k6 has them: each moves the arrival rate linearly, over `duration_s` of
    /// wall clock, to `target` times the scenario's (the first from 0). Their durations add
    /// up to the run's (instead of `duration_s`).
    #[serde(default)]
    pub stages: Vec<StageFile>,
    /// Shares of the customers' messages that arrive as each content type (`image = 0.1`);
    /// the rest are text. A customer's goodbye and its request for a human stay text.
    #[serde(default)]
    pub inbound_content: Option<InboundContentFile>,
}

/// One ramp stage of `[load]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageFile {
    /// Wall-clock seconds the stage lasts (> 0).
    pub duration_s: f64,
    /// The factor of the scenario's arrival rate at its end (0 to 1000).
    pub target: f64,
}

/// `[load.inbound_content]`: a share (0 to 1) per inbound content type.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundContentFile {
    /// Text (when given, it must be what the others leave).
    pub text: Option<f64>,
    /// Images with a caption.
    pub image: Option<f64>,
    /// Documents with a caption.
    pub document: Option<f64>,
    /// Audio (voice notes).
    pub audio: Option<f64>,
    /// Videos with a caption.
    pub video: Option<f64>,
    /// Location pins.
    pub location: Option<f64>,
    /// Shared contacts.
    pub contact: Option<f64>,
    /// A template's quick-reply button.
    pub button: Option<f64>,
    /// An interactive button reply.
    pub button_reply: Option<f64>,
    /// An interactive list reply.
    pub list_reply: Option<f64>,
}

impl InboundContentFile {
    /// The shares given, by key, text apart.
    pub fn shares(&self) -> Vec<(&'static str, f64)> {
        [
            ("image", self.image),
            ("document", self.document),
            ("audio", self.audio),
            ("video", self.video),
            ("location", self.location),
            ("contact", self.contact),
            ("button", self.button),
            ("button_reply", self.button_reply),
            ("list_reply", self.list_reply),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
    }
}

/// A route (RT-1..6).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteFile {
    /// Name, for reports.
    pub name: String,
    /// Disabled routes are skipped (RT-2).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Destination queue.
    pub queue: String,
    /// Priority given to its conversations (RT-5).
    #[serde(default)]
    pub priority: Priority,
    /// Conditions, all of which must hold.
    pub conditions: Vec<ConditionFile>,
}

fn enabled() -> bool {
    true
}

/// A condition of a route: `attribute` `operator` `value`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionFile {
    /// `channel`, `content`, `tags`, `from`, `to`, `is_visitor`, `sender_queues`,
    /// `person.<standard name>`, `person.custom.<name>` or `company.<standard name>`.
    pub attribute: String,
    /// One of the operators the attribute allows (RT-3).
    pub operator: crate::model::routing::Operator,
    /// Text (a `YYYY-MM-DD` text is a date), a boolean, or a list of texts for `in_list` and
    /// `not_in_list`.
    pub value: ValueFile,
}

/// A value of an attribute or condition.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ValueFile {
    /// true or false.
    Bool(bool),
    /// Text; `YYYY-MM-DD` is read as a date.
    Text(String),
    /// Several texts.
    List(Vec<String>),
}

/// An attribute a segment's customers carry, with the share of each value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeFile {
    /// The attribute's name (as in route conditions).
    pub attribute: String,
    /// Values and their shares (0..1, adding up to at most 1; the rest have no value).
    pub values: Vec<ValueShareFile>,
}

/// One value of an attribute and the share of customers who have it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueShareFile {
    /// The value.
    pub value: ValueFile,
    /// Share of the segment's customers, 0..1.
    pub share: f64,
}

/// A channel.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelFile {
    /// Unique name, used by arrival segments.
    pub name: String,
    /// What kind of channel; decides its capacity category (CAP-2).
    pub kind: ChannelKind,
    /// How long an agent takes to reply to a customer turn, drawn per agent and message;
    /// needed by segments with a `conversation`.
    #[serde(default)]
    pub agent_reply: Option<DistFile>,
    /// Voice: wrap-up after each call (holds no capacity, CAP-3).
    #[serde(default)]
    pub wrap_up: Option<DistFile>,
    /// Hours of inactivity after which a conversation resolves itself (WIN-3); 12 on WhatsApp
    /// and 3 on live chat by default, none elsewhere.
    #[serde(default)]
    pub auto_resolve_after_h: Option<f64>,
}

/// Capacity per category. Voice/video is always 1 (CAP-3) and may only be given as 1.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityFile {
    /// Live Messaging (SMS, WhatsApp, Viber, …); system default 5.
    pub live_messaging: Option<i64>,
    /// Live Chat; default 5.
    pub live_chat: Option<i64>,
    /// Email; default 5.
    pub email: Option<i64>,
    /// Voice/Video: must be 1 if given.
    pub voice_video: Option<i64>,
}

/// A queue.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueFile {
    /// Unique name.
    pub name: String,
    /// Service-level threshold, seconds: answered within it counts as met.
    #[serde(default = "default_service_level_s")]
    pub service_level_s: f64,
    /// Thresholds of channels that keep their own promise in this queue, seconds, by channel
    /// name (e.g. `{ phone = 20, whatsapp = 300 }`); the others use `service_level_s`. Each
    /// channel's figures are in the summary's `channels` either way.
    #[serde(default)]
    pub service_level_s_by_channel: std::collections::BTreeMap<String, f64>,
    /// Handle time of its conversations (segments may override); needed unless every segment
    /// reaching it has a `conversation`.
    #[serde(default)]
    pub handle_time: Option<DistFile>,
    /// Automatic assignment on or off (AA-1: on by default, mandatory for calls).
    #[serde(default = "enabled")]
    pub automatic_assignment: bool,
    /// How automatic assignment chooses (AA-2); any available agent by default.
    #[serde(default)]
    pub assignment: Option<crate::model::assignment::rules::AssignmentMode>,
    /// Name of its `[[working_hours]]` calendar; the default calendar if left out, open at all
    /// times if there is none (WH-1).
    #[serde(default)]
    pub working_hours: Option<String>,
    /// Shares of its conversations that agents move to other queues (AA-11).
    #[serde(default)]
    pub transfers: Vec<TransferFile>,
    /// Share of its conversations that the agent who answers hands to another agent of the
    /// queue after its first reply (ST-1: Busy and Away agents receive them too), 0..1.
    #[serde(default)]
    pub transfers_to_agents: f64,
}

/// A working-hours calendar for queues (WH-1..3).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingHoursFile {
    /// Unique name, used by queues.
    pub name: String,
    /// The calendar of queues that name none (WH-1); at most one.
    #[serde(default)]
    pub default: bool,
    /// Open hours per weekday (as agent shifts); weekdays not listed are switched off.
    pub hours: Vec<ShiftFile>,
    /// Its own time zone (IANA name, WH-1), for queues serving another market; default the
    /// scenario's. Its hours and holidays are local to it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Days off (WH-2).
    #[serde(default)]
    pub holidays: Vec<HolidayFile>,
    /// Send the away message to conversations opened outside the hours (WH-3).
    #[serde(default = "enabled")]
    pub away_message: bool,
    /// Close those conversations right after the away message (WH-3).
    #[serde(default)]
    pub close_after_away: bool,
}

/// A holiday: from 00:00 of `first` to 24:00 of `last`, both included (WH-2).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    /// Name, for reports.
    pub name: String,
    /// First day off, `YYYY-MM-DD`.
    pub first: String,
    /// Last day off, `YYYY-MM-DD` (the same as `first` for a one-day holiday).
    pub last: String,
}

/// A group of agents: `names`, `count` agents named `<group>-1` … `<group>-N`, or the rows of
/// a roster CSV.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentGroupFile {
    /// Group name; the prefix of generated names.
    pub group: String,
    /// The agents' own time zone (IANA name, WH-1): their shifts, schedules and holidays are
    /// local to it; default the scenario's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Number of agents (give this or `names`).
    #[serde(default)]
    pub count: Option<i64>,
    /// Agent names (give this, `count` or `roster_csv`).
    #[serde(default)]
    pub names: Option<Vec<String>>,
    /// A roster CSV (relative to the scenario), one agent per row: `agent_id`, `name`,
    /// `queues` (`;`-separated), optional `capacity_live_messaging`, `capacity_live_chat`,
    /// `capacity_email`, `shift` (e.g. `mon-fri 08:00-16:00; sat 09:00-13:00`). The group's
    /// capacity, shift, holidays and status schedule apply where a row gives none.
    #[serde(default)]
    pub roster_csv: Option<String>,
    /// A dated schedule CSV (relative to the scenario), as WFM tools publish it: one row per
    /// agent and date with `agent_id`, `date`, `start`, `end` (both blank or `off` for a day
    /// off). A date with rows replaces the agent's weekly shift on that date; an agent without
    /// a weekly shift works only its dated shifts.
    #[serde(default)]
    pub schedule_csv: Option<String>,
    /// How the schedule writes dates, as strftime codes (e.g. `%d.%m.%Y`); default
    /// `%Y-%m-%d`.
    #[serde(default)]
    pub schedule_date_format: Option<String>,
    /// Queues the agents serve (for `count` and `names` groups).
    #[serde(default)]
    pub queues: Vec<String>,
    /// Capacity overriding the system default (CAP-1).
    #[serde(default)]
    pub capacity: Option<CapacityFile>,
    /// Weekly shift; absent means always on shift.
    #[serde(default)]
    pub shift: Option<Vec<ShiftFile>>,
    /// Name of a `[[working_hours]]` calendar whose holidays these agents take off.
    #[serde(default)]
    pub holidays_from: Option<String>,
    /// Statuses the agents set for spans of their shift: breaks as `away`, training or
    /// back-office work as `busy` (ST-1). The first matching entry wins.
    #[serde(default)]
    pub status_schedule: Vec<StatusSpanFile>,
    /// Agents who stop working without logging out on some shifts (ST-3).
    #[serde(default)]
    pub drop_out: Option<DropOutFile>,
}

/// ST-3: a share of shifts in which the agent stops working at a random moment but keeps its
/// status until the platform logs it out.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DropOutFile {
    /// Share of shifts with a drop-out, 0..1.
    pub share_of_shifts: f64,
    /// Minutes of inactivity before the platform logs the agent out (> 0).
    pub logout_after_min: f64,
}

/// A scheduled status: on `days`, from `start` to `end`, the agents show `status`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusSpanFile {
    /// Weekdays: `mon` … `sun`.
    pub days: Vec<String>,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM`.
    pub end: String,
    /// `away`, `busy` or `offline`.
    pub status: crate::model::status::DefaultStatus,
}

/// Days and hours of a weekly shift.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftFile {
    /// Weekdays the shift starts on: `mon` … `sun`.
    pub days: Vec<String>,
    /// Local start, `HH:MM`.
    pub start: String,
    /// Local end, `HH:MM` (`24:00` allowed); an end at or before the start runs past midnight.
    pub end: String,
}

/// A segment of arriving customers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentFile {
    /// Unique name (its random streams are named after it).
    pub name: String,
    /// Destination queue; leave it out to route the segment's conversations (RT-1).
    #[serde(default)]
    pub queue: Option<String>,
    /// Channel name.
    pub channel: String,
    /// Priority of its conversations when `queue` is given (routes set their own, RT-5).
    #[serde(default)]
    pub priority: Priority,
    /// Attributes its customers carry, for routes to match.
    #[serde(default)]
    pub attributes: Vec<AttributeFile>,
    /// Constant arrival rate, per hour (give this or `profile`).
    #[serde(default)]
    pub rate_per_h: Option<f64>,
    /// Per-interval arrival profile in local time (give this or `rate_per_h`).
    #[serde(default)]
    pub profile: Option<ProfileFile>,
    /// Patience before abandoning; absent means customers never abandon.
    #[serde(default)]
    pub patience: Option<DistFile>,
    /// Handle time overriding the queue's.
    #[serde(default)]
    pub handle_time: Option<DistFile>,
    /// Messaging: the conversation as a thread of exchanges (instead of a handle time).
    #[serde(default)]
    pub conversation: Option<ConversationFile>,
    /// The sentiment of its customers' messages (needs a `conversation`).
    #[serde(default)]
    pub sentiment: Option<SentimentFile>,
    /// How many different people its customers are: each arrival is one of them, drawn at
    /// random, so people come back and a sticky queue can give them their last agent (AA-2).
    /// Leave out for a new person at every arrival.
    #[serde(default)]
    pub population: Option<i64>,
}

/// An intraday (daily) or weekly profile of arrival rates.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// Interval length, minutes: 15, 30 or 60.
    pub interval_min: u32,
    /// Rates per hour: one day of intervals (daily) or seven days, Monday first (weekly).
    #[serde(default)]
    pub rates_per_h: Option<Vec<f64>>,
    /// A CSV file (relative to the scenario) with columns `start` (HH:MM), optional `weekday`
    /// (mon…sun), and `rate_per_h` or `volume` (contacts per interval).
    #[serde(default)]
    pub csv: Option<String>,
    /// Multiplies every rate (what-if volume changes).
    #[serde(default = "default_scale")]
    pub scale: f64,
}

/// A duration distribution.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum DistFile {
    /// Exponential.
    Exponential {
        /// Mean, seconds.
        mean_s: f64,
    },
    /// Lognormal given by its own mean and standard deviation.
    Lognormal {
        /// Mean, seconds.
        mean_s: f64,
        /// Standard deviation, seconds.
        sd_s: f64,
    },
    /// Always the same.
    Constant {
        /// The duration, seconds.
        value_s: f64,
    },
    /// Drawn uniformly from observations, given inline or as a CSV column.
    Empirical {
        /// Observations, seconds.
        #[serde(default)]
        values_s: Option<Vec<f64>>,
        /// CSV file relative to the scenario; its column `column` holds seconds.
        #[serde(default)]
        csv: Option<String>,
        /// Column of `csv` to read.
        #[serde(default)]
        column: Option<String>,
    },
}
