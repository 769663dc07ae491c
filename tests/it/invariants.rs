//! Invariants beside the actors, apart from them. The library's checker (`sim::check`) watches
//! the metrics — capacity, status and membership at every assignment, working hours, shift
//! changes against the calendar, every customer accounted for — and runs in every simulation
//! test; this file adds what needs the actors' own state: after every event no agent holds
//! more than its capacity in any category, and at the end every open conversation is waiting or
//! held by an agent and the customer table never grew past the peak of open conversations.

use ccsim::actors::{AgentMsg, CustomerSays, Msg};
use ccsim::model::channel::ChannelCategory;
use ccsim::scenario::{self, Scenario};
use ccsim::sim::centre::Centre;
use ccsim::sim::engine::{Engine, Scheduler, World};

use crate::common::Mmn;

struct Checked {
    centre: Centre,
    scenario: Scenario,
    events: u64,
    peak_open: usize,
}

impl World<Msg> for Checked {
    fn dispatch(&mut self, msg: Msg, sched: &mut Scheduler<Msg>) {
        let before: Vec<[u32; 4]> = self
            .centre
            .agents()
            .iter()
            .map(|a| a.busy_per_category())
            .collect();
        self.centre.dispatch(msg, sched);
        self.events += 1;
        self.peak_open = self
            .peak_open
            .max(self.centre.customers().open_conversations());
        // CAP-1: no agent goes above its capacity, in any category, in any event — except by a
        // customer reopening a Solved conversation that no longer counted (CAP-4).
        let counted = self.scenario.centre.status_policy.counted;
        let reopen = matches!(
            msg,
            Msg::Agent(
                _,
                AgentMsg::Customer {
                    says: CustomerSays::Messages { .. },
                    ..
                }
            )
        ) && !counted.solved;
        for (a, agent) in self.centre.agents().iter().enumerate() {
            let capacity = &self.scenario.centre.agents[a].capacity;
            for c in ChannelCategory::ALL {
                let held = agent.busy_per_category()[c.index()];
                let rose = held > before[a][c.index()];
                assert!(
                    held <= capacity.of(c) || !rose || reopen,
                    "agent {a} holds {held} > {} in {c:?} after {msg:?}",
                    capacity.of(c)
                );
            }
        }
    }
}

fn run_checked(scenario: Scenario) {
    for replication in 0..scenario.replications {
        let centre = Centre::new(scenario.centre.clone(), scenario.seed, replication)
            .with_invariant_checks();
        let mut world = Checked {
            centre,
            scenario: scenario.clone(),
            events: 0,
            peak_open: 0,
        };
        let mut engine = Engine::default();
        world.centre.start(engine.scheduler());
        let horizon = scenario.centre.horizon_ms;
        engine.run_until(horizon, &mut world);
        assert!(world.events > 1000);

        let waiting: usize = world.centre.queues().iter().map(|q| q.len()).sum();
        let requeued: usize = world.centre.queues().iter().map(|q| q.requeued_len()).sum();
        let held: usize = world
            .centre
            .agents()
            .iter()
            .map(|a| a.held_conversations())
            .sum();
        let customers = world.centre.customers();
        assert_eq!(
            customers.open_conversations(),
            waiting + held + customers.between_conversations(),
            "every open conversation is waiting or held, or its customer will write again"
        );
        let opened = customers.conversations_opened();
        let arrivals = world.centre.customers().arrivals();
        // Memory is bounded by open conversations: slots are reused, so no more are ever
        // allocated than were open at the busiest instant.
        assert_eq!(world.centre.customers().slots_allocated(), world.peak_open);
        assert!(
            world.peak_open as u64 * 20 < arrivals,
            "peak {} of {arrivals}",
            world.peak_open
        );
        let (stats, _) = world.centre.finish(horizon);
        assert!(stats.violations.is_empty(), "{:#?}", stats.violations);
        let all = scenario.centre.queues.len();
        let scopes = all + 1;
        let rows = stats.intervals.iter().skip(all).step_by(scopes);
        let (mut offered, mut answered, mut abandoned, mut closed) = (0, 0, 0, 0);
        for row in rows {
            offered += row.arrivals;
            answered += row.answered;
            abandoned += row.abandoned;
            closed += row.closed_by_strategy + row.closed_by_workflow;
        }
        assert_eq!(offered, opened, "every conversation offered once");
        assert_eq!(
            offered,
            answered + abandoned + closed + stats.waiting_at_end - requeued as u64,
            "every customer answered, abandoned, closed by its strategy or still waiting"
        );
        assert!(held as u64 <= answered);
    }
}

#[test]
fn cap_1_invariants_hold_in_the_quickstart_week() {
    let mut s = scenario::quickstart().expect("bundled scenario is valid");
    s.replications = 2;
    run_checked(s);
}

#[test]
fn st_1_nobody_is_assigned_during_scheduled_breaks() {
    // The quickstart with a lunch break (away) and a weekly team meeting (busy) for the early
    // shifts.
    let breaks = "status_schedule = [\n  { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], start = \"12:00\", end = \"12:30\", status = \"away\" },\n  { days = [\"wed\"], start = \"14:00\", end = \"15:00\", status = \"busy\" },\n]\nshift = [{ days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], start = \"08:00\"";
    let text = scenario::QUICKSTART_TOML.replace(
        "shift = [{ days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], start = \"08:00\"",
        breaks,
    );
    assert_eq!(
        text.matches("status = \"away\"").count(),
        2,
        "both early groups got breaks"
    );
    let mut s = crate::common::parse_toml(&text);
    s.replications = 2;
    let run = crate::common::run_checked(&s, 1);
    let all = run.scopes() - 1;
    // 9 early agents × 4 working days (Tuesday is a holiday) × 30 minutes of lunch.
    let away = run.values(all, |v| v.status_agent_h[3]);
    assert!(
        away.iter().all(|&h| (h - 18.0).abs() < 1e-9),
        "{away:?} agent-hours away"
    );
    run_checked(s);
}

#[test]
fn st_1_invariants_hold_with_routing_and_the_default_queue() {
    let mut s = scenario::load(std::path::Path::new("scenarios/premium-vs-spanish.toml")).unwrap();
    s.replications = 2;
    run_checked(s);
}

#[test]
fn cap_1_invariants_hold_for_chat_concurrency_under_overload() {
    let s = Mmn {
        agents: 6,
        concurrency: 4,
        load_erlangs: 30.0,
        handle_s: 200.0,
        patience_s: Some(60.0),
        threshold_s: 20.0,
        days: 0.5,
        warmup_h: 0.0,
        replications: 2,
        seed: 3,
        voice: false,
    }
    .scenario();
    run_checked(s);
}
