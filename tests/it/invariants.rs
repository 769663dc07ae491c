//! Invariant checkers that run beside the actors, apart from them: after every event no agent
//! holds more than its capacity in any category, and at the end every customer is accounted
//! for (answered, abandoned or still waiting), every open conversation is either waiting or
//! held by an agent, and the customer table never grew past the peak of open conversations.

use ccsim::actors::{ActorId, Metric, Msg};
use ccsim::model::channel::ChannelCategory;
use ccsim::model::status::DefaultStatus;
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
    fn dispatch(&mut self, to: ActorId, msg: Msg, sched: &mut Scheduler<Msg>) {
        self.centre.dispatch(to, msg, sched);
        self.events += 1;
        self.peak_open = self
            .peak_open
            .max(self.centre.customers().open_conversations());
        // CAP-1: no agent above its capacity, in any category, after any event.
        for (a, agent) in self.centre.agents().iter().enumerate() {
            let capacity = &self.scenario.centre.agents[a].capacity;
            for c in ChannelCategory::ALL {
                let held = agent.busy_per_category()[c.index()];
                assert!(
                    held <= capacity.of(c),
                    "agent {a} holds {held} > {} in {c:?}",
                    capacity.of(c)
                );
            }
        }
    }
}

fn run_checked(scenario: Scenario) {
    for replication in 0..scenario.replications {
        let centre = Centre::new(scenario.centre.clone(), scenario.seed, replication);
        let mut world = Checked {
            centre,
            scenario: scenario.clone(),
            events: 0,
            peak_open: 0,
        };
        world.centre.enable_trace();
        let mut engine = Engine::default();
        world.centre.start(engine.scheduler());
        let horizon = scenario.centre.horizon_ms;
        engine.run_until(horizon, &mut world);
        assert!(world.events > 1000);

        let waiting: usize = world.centre.queues().iter().map(|q| q.len()).sum();
        let held: u32 = world.centre.agents().iter().map(|a| a.busy_slots()).sum();
        assert_eq!(
            world.centre.customers().open_conversations(),
            waiting + held as usize,
            "every open conversation is waiting or held"
        );
        let arrivals = world.centre.customers().arrivals();
        // Memory is bounded by open conversations: slots are reused, so no more are ever
        // allocated than were open at the busiest instant.
        assert_eq!(world.centre.customers().slots_allocated(), world.peak_open);
        assert!(
            world.peak_open as u64 * 20 < arrivals,
            "peak {} of {arrivals}",
            world.peak_open
        );
        let (stats, trace) = world.centre.finish(horizon);
        check_shifts(&scenario, &trace);
        let all = scenario.centre.queues.len();
        let scopes = all + 1;
        let rows = stats.intervals.iter().skip(all).step_by(scopes);
        let (mut offered, mut answered, mut abandoned) = (0, 0, 0);
        for row in rows {
            offered += row.arrivals;
            answered += row.answered;
            abandoned += row.abandoned;
        }
        assert_eq!(offered, arrivals, "every arrival offered once");
        assert_eq!(
            offered,
            answered + abandoned + stats.waiting_at_end,
            "every customer answered, abandoned or still waiting"
        );
        assert!(held as u64 <= answered);
    }
}

/// Every shift change happens when the calendar says; every hand-over goes to a queue with a
/// member agent on shift, to a member of the queue, in the Available group at the time (ST-1,
/// AA-5), never to an agent at Full Capacity (ST-2), and only inside the queue's working hours
/// (WH-4).
fn check_shifts(scenario: &Scenario, trace: &[(u64, Metric)]) {
    let spec = &scenario.centre;
    let mut on_shift = vec![false; spec.agents.len()];
    let mut status = vec![DefaultStatus::Offline; spec.agents.len()];
    let mut answered = 0;
    for &(at_ms, metric) in trace {
        match metric {
            Metric::AgentStatus { agent, status: s } => status[agent as usize] = s,
            Metric::Assigned { queue, agent, .. } => {
                let a = agent as usize;
                assert!(
                    status[a].group().receives_new() && status[a] != DefaultStatus::FullCapacity,
                    "agent {a} assigned at {at_ms} ms while {:?} (ST-1, AA-5)",
                    status[a]
                );
                assert!(
                    spec.agents[a].queues.contains(&queue),
                    "agent {a} is not in queue {queue}"
                );
            }
            Metric::AgentShift { agent, on } => {
                let a = agent as usize;
                assert_eq!(spec.agents[a].shift.state_at(&spec.calendar, at_ms).on, on);
                assert_ne!(on_shift[a], on, "agent {a} flipped to the state it was in");
                on_shift[a] = on;
            }
            Metric::Answered { queue, .. } => {
                answered += 1;
                let staffed = spec
                    .agents
                    .iter()
                    .enumerate()
                    .any(|(a, agent)| on_shift[a] && agent.queues.contains(&queue));
                assert!(
                    staffed,
                    "queue {queue} answered at {at_ms} ms with nobody on shift"
                );
            }
            _ => {}
        }
    }
    assert!(answered > 0);
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
    let run = ccsim::sim::replicate::run_replications(&s, 1, &|| {});
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
    }
    .scenario();
    run_checked(s);
}
