//! Scenario builders shared by the integration tests.

use std::path::Path;

use ccsim::report::aggregate::RunAggregate;
use ccsim::scenario::{self, Scenario, input_file::FileRoot, locate::Format};
use ccsim::sim::replicate::run_replications_checked;

/// An M/M/n(+M) centre: `agents` always on shift, each holding up to `concurrency` WhatsApp
/// conversations (so `agents × concurrency` servers), exponential handle times of mean
/// `handle_s`, Poisson arrivals at `load_erlangs / handle_s` per second, optional exponential
/// patience, service-level threshold `threshold_s`.
pub struct Mmn {
    pub agents: u32,
    pub concurrency: u32,
    pub load_erlangs: f64,
    pub handle_s: f64,
    pub patience_s: Option<f64>,
    pub threshold_s: f64,
    pub days: f64,
    pub warmup_h: f64,
    pub replications: u32,
    pub seed: u64,
    /// Calls instead of WhatsApp chats: capacity is then always 1 (CAP-3).
    pub voice: bool,
}

impl Mmn {
    pub fn toml(&self) -> String {
        let patience = self
            .patience_s
            .map(|p| format!("patience = {{ dist = \"exponential\", mean_s = {p} }}\n"))
            .unwrap_or_default();
        format!(
            r#"name = "mmn"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = {days}
warmup_h = {warmup}
seed = {seed}
replications = {reps}
report_interval_min = 60

[[channels]]
name = "wa"
kind = "{kind}"

[[queues]]
name = "q"
service_level_s = {threshold}
handle_time = {{ dist = "exponential", mean_s = {handle} }}

[[agents]]
group = "a"
count = {agents}
queues = ["q"]
capacity = {{ live_messaging = {k} }}

[[arrivals]]
name = "customers"
queue = "q"
channel = "wa"
rate_per_h = {rate}
{patience}"#,
            kind = if self.voice { "voice" } else { "whatsapp" },
            days = self.days,
            warmup = self.warmup_h,
            seed = self.seed,
            reps = self.replications,
            threshold = self.threshold_s,
            handle = self.handle_s,
            agents = self.agents,
            k = self.concurrency,
            rate = self.load_erlangs / self.handle_s * 3600.0,
        )
    }

    pub fn scenario(&self) -> Scenario {
        parse_toml(&self.toml())
    }
}

/// Parses scenario text that must be valid.
pub fn parse_toml(text: &str) -> Scenario {
    scenario::parse(
        text,
        Format::Toml,
        Path::new("test.toml"),
        &FileRoot::strict(Path::new(".")),
    )
    .unwrap_or_else(|e| panic!("test scenario is valid: {e}"))
}

/// Runs every replication with the invariant checker watching (capacity, statuses, working
/// hours, every customer accounted for); fails the test on any broken invariant.
pub fn run_checked(scenario: &Scenario, threads: usize) -> RunAggregate {
    run_replications_checked(scenario, threads, &|| {})
        .unwrap_or_else(|hit| panic!("{hit}"))
        .unwrap_or_else(|problems| panic!("invariants broken:\n{}", problems.join("\n")))
}

/// A one-queue live-chat scenario for tests of input handling: `handle_time` is the queue's
/// handle-time table, `agents` one group's count, `arrival` the lines that end the one arrival
/// segment (its rate or profile, and patience).
pub fn one_queue_scenario(handle_time: &str, agents: u32, arrival: &str) -> String {
    format!(
        r#"name = "one-queue"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 1
seed = 1
replications = 2

[[channels]]
name = "chat"
kind = "live_chat"

[[queues]]
name = "support"
handle_time = {handle_time}

[[agents]]
group = "team"
count = {agents}
queues = ["support"]

[[arrivals]]
name = "web"
queue = "support"
channel = "chat"
{arrival}
"#
    )
}

/// The index of an `intervals.csv` column.
pub fn interval_column(name: &str) -> usize {
    ccsim::report::intervals::HEADER
        .split(',')
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// A free loopback port.
pub fn free_port() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A load of `spec` whose bot is `ai` on WhatsApp, the mock on a free port, at `compress` for
/// `duration_ms` plus `grace_ms`: webhooks time out after `timeout_ms` and are not redelivered;
/// the target is what registers itself on the mock (a test sets its own).
pub fn whatsapp_load(
    spec: std::sync::Arc<ccsim::model::centre::CentreSpec>,
    seed: u64,
    compress: f64,
    (duration_ms, grace_ms): (u64, u64),
    timeout_ms: u64,
) -> ccsim::live::load::LoadConfig {
    use ccsim::live::mock::MockConfig;
    use ccsim::live::webhook::WebhookPolicy;
    ccsim::live::load::LoadConfig {
        allow_remote: false,
        spec,
        seed,
        target: None,
        listen: free_port(),
        compress,
        duration_ms,
        start_ms: 0,
        stages: Vec::new(),
        grace_ms,
        interval_ms: 500,
        mock: MockConfig {
            inbound_bot: Some(("ai".into(), vec!["WHATSAPP".into()])),
            bots: vec!["ai".into()],
            webhook: WebhookPolicy {
                timeout_ms,
                redeliveries: 0,
                ..WebhookPolicy::default()
            },
            ..MockConfig::default()
        },
        progress: false,
        wait_for_target_ms: 5_000,
        inbound_content: Vec::new(),
    }
}
