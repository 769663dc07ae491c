//! Automatic assignment end to end, on replayed arrivals at exact times: the departures an audit
//! found in the head-of-line assignment (issue 13), each named after the rule it broke. Every
//! run goes through the invariant checker, work conservation included.

use std::path::Path;

use ccsim::actors::Metric;
use ccsim::scenario::{self, Scenario, input_file::FileRoot, locate::Format};
use ccsim::sim::centre::Centre;

/// 09:00 on the scenario's first day, ms.
const NINE_MS: u64 = 9 * 3_600_000;

/// Parses `toml` with `trace` (a CSV) beside it as `trace.csv`.
fn with_trace(toml: &str, trace: &str) -> (Scenario, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trace.csv"), trace).unwrap();
    let s = scenario::parse(
        toml,
        Format::Toml,
        Path::new("test.toml"),
        &FileRoot::strict(dir.path()),
    )
    .unwrap_or_else(|e| panic!("test scenario is valid: {e}"));
    (s, dir)
}

/// Runs replication 0 under the checker and returns its metrics.
fn run(s: &Scenario) -> Vec<(u64, Metric)> {
    let centre = Centre::new(s.centre.clone(), s.seed, 0).with_invariant_checks();
    let (stats, trace) = centre.run_traced();
    assert!(stats.violations.is_empty(), "{:#?}", stats.violations);
    trace
}

/// The wait of the conversation that arrived at `arrived_ms`, if it was answered.
fn wait_of(trace: &[(u64, Metric)], arrived_ms: u64) -> Option<u64> {
    trace.iter().find_map(|(_, m)| match *m {
        Metric::Answered {
            arrived_ms: a,
            wait_ms,
            ..
        } if a == arrived_ms => Some(wait_ms),
        _ => None,
    })
}

/// One agent, one queue, calls of 10 minutes and WhatsApp conversations.
const CALLS_AND_CHATS: &str = r#"name = "hol"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
warmup_h = 0
seed = 1
replications = 1

[[channels]]
name = "phone"
kind = "voice"

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 30 }

[capacity]
live_messaging = 3

[[queues]]
name = "desk"
handle_time = { dist = "constant", value_s = 600 }

[[agents]]
group = "solo"
count = 1
queues = ["desk"]

[[arrivals]]
name = "calls"
queue = "desk"
channel = "phone"

[[arrivals]]
name = "chats"
queue = "desk"
channel = "wa"
conversation = { exchanges = { dist = "constant", value = 1 }, think = { dist = "constant", value_s = 30 } }

[trace]
csv = "trace.csv"
"#;

#[test]
fn aa_10_cap_2_a_waiting_call_does_not_block_a_whatsapp_conversation() {
    // A call in progress, a second call waiting for the agent's only voice slot, a WhatsApp
    // conversation 10 s later: the agent has 0 of 3 messaging slots used, so it takes the
    // WhatsApp conversation at once (the call keeps its place).
    let trace = "arrival,channel\n\
                 2026-03-02T09:00:00,phone\n\
                 2026-03-02T09:00:01,phone\n\
                 2026-03-02T09:00:11,wa\n";
    let (s, _dir) = with_trace(CALLS_AND_CHATS, trace);
    let metrics = run(&s);
    assert_eq!(wait_of(&metrics, NINE_MS), Some(0));
    assert_eq!(wait_of(&metrics, NINE_MS + 11_000), Some(0), "the chat");
    // The second call waits for the first to end.
    assert_eq!(wait_of(&metrics, NINE_MS + 1_000), Some(599_000));
}

/// One agent on all day, a second from 10:00; a workflow takes conversations from an agent
/// who has not replied for a minute (the agents reply after two).
const EXCLUDED: &str = r#"name = "exclusion"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
warmup_h = 0
seed = 1
replications = 1

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 120 }

[capacity]
live_messaging = 3

[[queues]]
name = "desk"

[[agents]]
group = "early"
count = 1
queues = ["desk"]

[[agents]]
group = "late"
count = 1
queues = ["desk"]
shift = [{ days = ["mon"], start = "10:00", end = "23:00" }]

[[arrivals]]
name = "chats"
queue = "desk"
channel = "wa"
conversation = { exchanges = { dist = "constant", value = 1 }, think = { dist = "constant", value_s = 30 } }

[[workflows]]
name = "take back"
triggers = [{ when = "agent_not_replied", after_min = 1 }]
conditions = [[{ if = "assigned", value = true }]]
actions = [{ do = "unassign" }]

[trace]
csv = "trace.csv"
"#;

#[test]
fn aa_9_a_conversation_excluding_the_only_agent_does_not_block_the_next() {
    // The first conversation is taken from the early agent at 09:01 and may never go back to
    // it (AA-9): it waits for the late agent. The second, at 09:05, may go to the early agent,
    // free with 0 of 3 slots used, and does so at once.
    let trace = "arrival,channel\n\
                 2026-03-02T09:00:00,wa\n\
                 2026-03-02T09:05:00,wa\n";
    let (s, _dir) = with_trace(EXCLUDED, trace);
    let metrics = run(&s);
    assert_eq!(wait_of(&metrics, NINE_MS), Some(0));
    assert_eq!(wait_of(&metrics, NINE_MS + 300_000), Some(0), "the second");
    // The first went back to the line once and to the late agent when it came at 10:00.
    let back: Vec<(u64, u32)> = metrics
        .iter()
        .filter_map(|(t, m)| match *m {
            Metric::Reassigned { agent, .. } => Some((*t, agent)),
            _ => None,
        })
        .collect();
    assert_eq!(back.first(), Some(&(10 * 3_600_000, 1)), "{back:?}");
}

/// Two agents; agents set a conversation to Waiting after replying, and Waiting conversations
/// do not occupy agents; customers fall silent after the first reply; a workflow unassigns a
/// conversation whose customer has not replied for 5 minutes.
const PARKED: &str = r#"name = "parked"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
warmup_h = 0
seed = 1
replications = 1

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 30 }
auto_resolve_after_h = 2000

[capacity]
live_messaging = 3

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 2
queues = ["desk"]

[[arrivals]]
name = "chats"
queue = "desk"
channel = "wa"
conversation = { exchanges = { dist = "constant", value = 3 }, think = { dist = "constant", value_s = 30 }, silent_share = 1.0 }

[conversations]
agent_sets_waiting = true
solve_silent_after_min = 4000
counted_statuses = { waiting = false, solved = true }

[[workflows]]
name = "unassign silent"
triggers = [{ when = "customer_not_replied", after_min = 5 }]
conditions = [[{ if = "assigned", value = true }]]
actions = [{ do = "unassign" }]

[trace]
csv = "trace.csv"
"#;

#[test]
fn aa_12_a_waiting_conversation_unassigned_is_not_given_to_another_agent() {
    // The agent replies at 09:00:30 and sets the conversation to Waiting; the customer stays
    // silent; at 09:05:30 the workflow unassigns it. The other agent is free, but a Waiting
    // conversation is not assigned automatically (AA-12): it waits for its customer.
    let trace = "arrival,channel\n2026-03-02T09:00:00,wa\n";
    let (s, _dir) = with_trace(PARKED, trace);
    let metrics = run(&s);
    assert_eq!(wait_of(&metrics, NINE_MS), Some(0));
    let unassigned = metrics
        .iter()
        .filter(|(_, m)| matches!(m, Metric::Unassigned { .. }))
        .count();
    let reassigned = metrics
        .iter()
        .filter(|(_, m)| matches!(m, Metric::Reassigned { .. }))
        .count();
    assert_eq!((unassigned, reassigned), (1, 0));
}
