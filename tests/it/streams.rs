//! Named random streams: adding an agent or a queue leaves every customer's arrival time and
//! patience unchanged, so baseline and candidate runs differ by the change, not by noise.

use std::collections::BTreeMap;

use ccsim::actors::Metric;
use ccsim::scenario::Scenario;
use ccsim::sim::centre::Centre;

use crate::common::parse_toml;

const BASE: &str = r#"name = "streams"
start = "2026-01-05T00:00"
time_zone = "Europe/Berlin"
duration_days = 2
seed = 99
replications = 2

[[channels]]
name = "wa"
kind = "whatsapp"

[[queues]]
name = "sales"
handle_time = { dist = "exponential", mean_s = 400 }

[[agents]]
group = "sales"
count = 3
queues = ["sales"]
shift = [{ days = ["mon", "tue"], start = "08:00", end = "18:00" }]

[[arrivals]]
name = "sales-wa"
queue = "sales"
channel = "wa"
patience = { dist = "lognormal", mean_s = 300, sd_s = 200 }
profile = { interval_min = 60, rates_per_h = [1, 1, 1, 1, 1, 1, 2, 5, 20, 30, 30, 30, 25, 25, 30, 30, 25, 20, 10, 5, 3, 2, 1, 1] }
"#;

const EXTRA_AGENT: &str = r#"
[[agents]]
group = "extra"
names = ["zoe"]
queues = ["sales"]
"#;

const EXTRA_QUEUE: &str = r#"
[[queues]]
name = "billing"
handle_time = { dist = "constant", value_s = 200 }

[[agents]]
group = "billing"
count = 2
queues = ["billing", "sales"]

[[arrivals]]
name = "billing-wa"
queue = "billing"
channel = "wa"
rate_per_h = 12
patience = { dist = "exponential", mean_s = 100 }
"#;

/// Per segment name: every customer's (arrival ms, patience ms), in arrival order.
fn customers(scenario: &Scenario, replication: u32) -> BTreeMap<String, Vec<(u64, Option<u64>)>> {
    let (stats, trace) = Centre::new(scenario.centre.clone(), scenario.seed, replication)
        .with_invariant_checks()
        .run_traced();
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    let mut out: BTreeMap<String, Vec<(u64, Option<u64>)>> = BTreeMap::new();
    for (_, metric) in trace {
        if let Metric::Arrived {
            segment,
            arrived_ms,
            patience_ms,
            came_back: false,
        } = metric
        {
            let name = scenario.centre.segments[segment as usize].name.clone();
            out.entry(name).or_default().push((arrived_ms, patience_ms));
        }
    }
    out
}

#[test]
fn adding_an_agent_or_a_queue_leaves_every_customer_unchanged() {
    let base = parse_toml(BASE);
    let more_agents = parse_toml(&format!("{BASE}{EXTRA_AGENT}"));
    let more_queues = parse_toml(&format!("{BASE}{EXTRA_QUEUE}"));
    for replication in 0..2 {
        let b = customers(&base, replication);
        let a = customers(&more_agents, replication);
        let q = customers(&more_queues, replication);
        let sales = &b["sales-wa"];
        assert!(
            sales.len() > 500,
            "enough customers to mean something: {}",
            sales.len()
        );
        assert!(sales.iter().all(|(_, p)| p.is_some()));
        assert_eq!(
            &a["sales-wa"], sales,
            "an added agent changed the customers"
        );
        assert_eq!(
            &q["sales-wa"], sales,
            "an added queue changed the customers"
        );
        assert!(q["billing-wa"].len() > 100);
    }
    // The change does change outcomes: the runs are not trivially equal.
    let before = Centre::new(base.centre.clone(), base.seed, 0)
        .with_invariant_checks()
        .run();
    let after = Centre::new(more_agents.centre.clone(), more_agents.seed, 0)
        .with_invariant_checks()
        .run();
    assert!(before.violations.is_empty() && after.violations.is_empty());
    assert!(after.totals[0].answered_wait_sum_ms < before.totals[0].answered_wait_sum_ms);
}

#[test]
fn replications_and_seeds_draw_different_customers() {
    let base = parse_toml(BASE);
    assert_ne!(customers(&base, 0), customers(&base, 1));
    let reseeded = parse_toml(&BASE.replace("seed = 99", "seed = 100"));
    assert_ne!(customers(&base, 0), customers(&reseeded, 0));
}
