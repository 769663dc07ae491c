//! `ccsim staff`: the agents each queue needs in each report interval to meet a service-level
//! target — first by Erlang C / A per interval and queue, then checked and corrected by
//! simulating the scenario with exactly that staffing, because routing, the bot, working hours,
//! transfers, threads and concurrency break Erlang's assumptions.
//!
//! **Erlang step.** Per (interval, queue): λ comes from the scenario when the queue is fed only
//! by segments sent straight to it, without a bot, transfers or conversation threads (then it is
//! exact: the integral of the arrival rate); otherwise from a baseline simulation of the
//! scenario as it is (offered per interval, mean over replications). Hold time, patience and
//! concurrency are the feeding segments' mix in that interval (`staff_inputs`): servers =
//! ⌊agents × concurrency⌋; Erlang A when every feeding segment has a patience, else Erlang C.
//! The target is the service level, plus the ASA and the maximum occupancy when asked.
//!
//! **Simulation step.** The roster is replaced by dedicated agents per queue, agent *k* of a
//! queue on shift (dated spans, so any horizon) in the intervals whose requirement exceeds *k*,
//! with the capacity of the
//! scenario's agents of that queue. Each round simulates every replication and judges each
//! (interval, queue) where the queue is open: it **holds** when the one-sided lower confidence
//! bound (Student's t over replications) of the interval's service level reaches the target
//! (and, with an ASA target, the upper bound of its mean wait of the answered stays within it;
//! a maximum occupancy is a floor no cell goes below).
//! Cells that fail get one more agent; when all hold, every cell above what it was proven to
//! need tries one fewer, keeping the cut where it still holds. The search ends when all hold and
//! none can go lower, or after `max_rounds`.
//!
//! **Shrinkage** turns agents on the floor into agents to schedule: ⌈n ÷ (1 − shrinkage)⌉.

use std::sync::Arc;

use serde::Serialize;

use super::measures::Counts;
use super::staff_inputs::{Feed, Mix, feeds, mix, roster};
use super::staff_search::{asa_of, judge, service_level_of, simulate, staffed_spec};
use crate::model::capacity::Capacity;
use crate::model::centre::SegmentDestination;
use crate::model::erlang::{ServiceLevelTarget, Target, Traffic, agents_for, scheduled_for};
use crate::scenario::Scenario;

/// What to staff for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StaffOptions {
    /// Share of offered customers to answer within each queue's threshold (0–1).
    pub service_level: f64,
    /// One-sided confidence that the interval's service level reaches the target (0.5–1).
    pub confidence: f64,
    /// Share of scheduled time agents are not available (0 ≤ s < 1).
    pub shrinkage: f64,
    /// Most mean wait of the answered (average speed of answer) per interval, s, if asked:
    /// Erlang's mean and the simulation's upper confidence bound must stay within it.
    pub asa_s: Option<f64>,
    /// Most occupancy (busy slot-time ÷ staffed slot-time), 0–1, if asked: no interval is
    /// staffed with fewer than offered load ÷ (concurrency × max occupancy) agents.
    pub max_occupancy: Option<f64>,
    /// Paid hours of one full-time agent per week: agent-hours to schedule ÷ this = FTE.
    pub fte_hours_per_week: f64,
    /// Most simulation rounds.
    pub max_rounds: u32,
}

impl StaffOptions {
    /// The first option out of its range, in words; `name` turns a field's name
    /// (`service_level`, `asa_s`, `fte_hours_per_week`, …) into the caller's (a flag, an
    /// argument).
    pub fn check(&self, name: &dyn Fn(&str) -> String) -> Result<(), String> {
        let o = self;
        if !(o.service_level > 0.0 && o.service_level < 1.0) {
            return Err(format!(
                "{} {}: expected a share between 0 and 1, e.g. 0.8",
                name("service_level"),
                o.service_level
            ));
        }
        if !(o.confidence >= 0.5 && o.confidence < 1.0) {
            return Err(format!(
                "{} {}: expected at least 0.5 and below 1, e.g. 0.9",
                name("confidence"),
                o.confidence
            ));
        }
        if !(o.shrinkage >= 0.0 && o.shrinkage < 1.0) {
            return Err(format!(
                "{} {}: expected at least 0 and below 1, e.g. 0.3",
                name("shrinkage"),
                o.shrinkage
            ));
        }
        if let Some(asa) = o.asa_s
            && !(asa.is_finite() && asa > 0.0)
        {
            return Err(format!(
                "{} {asa}: expected seconds > 0, e.g. 30",
                name("asa_s")
            ));
        }
        if let Some(occ) = o.max_occupancy
            && !(occ > 0.0 && occ <= 1.0)
        {
            return Err(format!(
                "{} {occ}: expected a share above 0 and at most 1, e.g. 0.85",
                name("max_occupancy")
            ));
        }
        if !(o.fte_hours_per_week.is_finite()
            && o.fte_hours_per_week > 0.0
            && o.fte_hours_per_week <= 168.0)
        {
            return Err(format!(
                "{} {}: expected paid hours per week, above 0 and at most 168, e.g. 40",
                name("fte_hours_per_week"),
                o.fte_hours_per_week
            ));
        }
        if o.max_rounds == 0 {
            return Err(format!("{} 0: expected at least 1", name("max_rounds")));
        }
        Ok(())
    }

    /// The Erlang step's target for customers judged against `thresholds_s` (`(arrival
    /// weight, threshold s)`, see [`ServiceLevelTarget`]).
    pub fn target(&self, thresholds_s: Vec<(f64, f64)>) -> Target {
        Target {
            service_level: Some(ServiceLevelTarget {
                share: self.service_level,
                thresholds_s,
            }),
            asa_s: self.asa_s,
            max_occupancy: self.max_occupancy,
        }
    }
}

/// Where a figure of the Erlang step came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The scenario's own rates and distributions (exact).
    Scenario,
    /// The baseline simulation of the scenario as it is.
    Simulated,
}

/// The requirement of one queue in one interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The queue is open for some of the interval (closed cells need no one).
    pub open: bool,
    /// Offered conversations per hour (λ).
    pub offered_per_h: f64,
    /// Where λ came from.
    pub offered_from: Source,
    /// Mean time a conversation holds an agent's slot, s.
    pub hold_s: f64,
    /// Where it came from.
    pub hold_from: Source,
    /// Conversations an agent holds at once: its capacity for the queue's channel, or for a
    /// queue fed on several channels the mean of theirs weighted by the load each brings.
    pub concurrency: f64,
    /// Mean patience for Erlang A, weighted by each feeding segment's arrivals, s; `None`:
    /// Erlang C (some customers never abandon).
    pub patience_s: Option<f64>,
    /// Erlang's agents on the floor; `None` when even the search cap does not reach the target.
    pub erlang_agents: Option<u32>,
    /// The simulation's agents on the floor.
    pub agents: u32,
    /// The target holds at the stated confidence with `agents` (in the final round).
    pub met: bool,
    /// The simulated service level with `agents`: mean over replications (NaN: nobody came).
    pub service_level: f64,
    /// Its one-sided lower confidence bound.
    pub service_level_low: f64,
    /// The simulated mean wait of the answered with `agents`, s: mean over replications (NaN:
    /// nobody answered).
    pub asa_s: f64,
    /// Its one-sided upper confidence bound.
    pub asa_high_s: f64,
    /// The scenario's agents on shift, each counted once: an agent serving several queues
    /// counts toward each in proportion to the load they bring in the interval (mean over
    /// the interval).
    pub roster_agents: f64,
}

/// The staffing requirement of a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Staffing {
    /// Scenario name.
    pub scenario: String,
    /// What was asked.
    pub options: StaffOptions,
    /// Replications per round.
    pub replications: u32,
    /// Queue names.
    pub queues: Vec<String>,
    /// Their service-level thresholds, s.
    pub threshold_s: Vec<f64>,
    /// Local start of each interval.
    pub interval_starts: Vec<String>,
    /// Interval length, minutes.
    pub interval_min: u64,
    /// `cells[q][i]`.
    pub cells: Vec<Vec<Cell>>,
    /// The scenario's distinct agents on shift in each interval (mean over the interval).
    pub roster_total: Vec<f64>,
    /// Simulated length, hours (for FTE).
    pub horizon_h: f64,
    /// Simulation rounds run.
    pub rounds: u32,
    /// Whether every open cell holds (false: the round limit came first, or a cell's cap).
    pub converged: bool,
}

impl Staffing {
    /// Agents to schedule for cell (q, i): its agents after shrinkage.
    pub fn scheduled(&self, q: usize, i: usize) -> u32 {
        scheduled_for(self.cells[q][i].agents, self.options.shrinkage)
    }

    /// Erlang's agents to schedule for cell (q, i).
    pub fn erlang_scheduled(&self, q: usize, i: usize) -> Option<u32> {
        self.cells[q][i]
            .erlang_agents
            .map(|n| scheduled_for(n, self.options.shrinkage))
    }
}

/// Why staffing cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StaffError(pub String);

/// Finds the staffing of `scenario`; `on_round(round, cells_short)` is called after each
/// simulation round.
pub fn staff(
    scenario: &Scenario,
    options: StaffOptions,
    threads: usize,
    on_round: &dyn Fn(u32, usize),
) -> Result<Staffing, StaffError> {
    staff_until(scenario, options, threads, on_round, &|| false)
}

/// What a staffing search stopped by its caller returns (see [`staff_until`]).
pub const CANCELLED: &str = "the staffing search was cancelled";

/// [`staff`], stopped before its next simulation round once `cancelled()` says so, with the
/// error [`CANCELLED`] (an interrupt in the Python package).
pub fn staff_until(
    scenario: &Scenario,
    options: StaffOptions,
    threads: usize,
    on_round: &dyn Fn(u32, usize),
    cancelled: &dyn Fn() -> bool,
) -> Result<Staffing, StaffError> {
    let c = &scenario.centre;
    if scenario.replications < 2 {
        return Err(StaffError(
            "ccsim staff needs at least 2 replications for a confidence bound: set the scenario's replications, or pass --replications on the command line (replications= in Python)".into(),
        ));
    }
    let reps = scenario.replications;
    let scopes = c.queues.len() + 1;
    let n_int = c.interval_count();
    let interval_s = c.interval_ms as f64 / 1000.0;

    // Baseline: the scenario as it is.
    let max_open = scenario.budget.max_open;
    let baseline = simulate(&scenario.centre, scenario.seed, reps, threads, max_open)?;
    on_round(0, 0);
    let sum_over = |i: usize, s: usize, f: &dyn Fn(&Counts) -> u64| -> f64 {
        baseline
            .iter()
            .map(|rows| f(&rows[i * scopes + s]) as f64)
            .sum::<f64>()
    };

    let capacity: Vec<Capacity> = (0..c.queues.len())
        .map(|q| {
            c.agents
                .iter()
                .find(|a| a.queues.contains(&(q as u32)))
                .or(c.agents.first())
                .map_or(Capacity::system_default(), |a| a.capacity)
        })
        .collect();

    let feeds: Vec<Vec<Feed>> = (0..c.queues.len() as u32).map(|q| feeds(c, q)).collect();
    let mixes: Vec<Vec<Mix>> = feeds
        .iter()
        .enumerate()
        .map(|(q, f)| {
            (0..n_int)
                .map(|i| {
                    let from = i as u64 * c.interval_ms;
                    let to = (from + c.interval_ms).min(c.horizon_ms);
                    mix(c, q as u32, f, capacity[q], from, to)
                })
                .collect()
        })
        .collect();
    // What each queue's agents work on in each interval, from the baseline (a routed segment
    // splits across its routes by its customers' attributes, which only the simulation
    // knows): weighs the agents shared between queues.
    let load: Vec<Vec<f64>> = mixes
        .iter()
        .enumerate()
        .map(|(q, row)| {
            row.iter()
                .enumerate()
                .map(|(i, m)| sum_over(i, q, &|c| c.offered) * m.hold_s.max(1.0))
                .collect()
        })
        .collect();
    let (roster_share, roster_total) = roster(c, &load);
    let mut cells: Vec<Vec<Cell>> = Vec::with_capacity(c.queues.len());
    for (q, queue) in c.queues.iter().enumerate() {
        let qi = q as u32;
        let feeding = &feeds[q];
        let transfers_in = c
            .queues
            .iter()
            .any(|other| other.transfers.iter().any(|&(_, to)| to == qi));
        let exact = !feeding.is_empty()
            && c.trace.is_none()
            && c.bot.is_none()
            && c.external.is_none()
            && !transfers_in
            && feeding.iter().all(|f| {
                let seg = &c.segments[f.segment as usize];
                seg.destination == SegmentDestination::Queue(qi) && seg.behaviour.is_none()
            });
        // Simulated hold time: busy slot-time per answered conversation over the run, the
        // fallback only (a scope's busy slot-time is its agents', and agents shared with
        // other queues spend it on their conversations too).
        let busy: f64 = (0..n_int)
            .map(|i| sum_over(i, q, &|c| c.busy_slot_ms))
            .sum();
        let answered: f64 = (0..n_int).map(|i| sum_over(i, q, &|c| c.answered)).sum();
        let simulated_hold_s = (answered > 0.0).then(|| busy / answered / 1000.0);
        let mut row = Vec::with_capacity(n_int);
        for (i, m) in mixes[q].iter().enumerate() {
            let from = i as u64 * c.interval_ms;
            let to = (from + c.interval_ms).min(c.horizon_ms);
            let state = queue.hours.calendar.state_at(&c.calendar, from);
            let open = state.on || state.next_change_ms.is_some_and(|t| t < to);
            // The model's own mean slot-holding time (handle time, or a thread's exchanges
            // with their replies and the customer's think time while it counts, CAP-4).
            let (hold_s, hold_from) = match (m.hold_s > 0.0, simulated_hold_s) {
                (true, _) => (m.hold_s, Source::Scenario),
                (false, Some(h)) => (h, Source::Simulated),
                (false, None) => (0.0, Source::Scenario),
            };
            let (offered_per_h, offered_from) = if exact {
                (
                    m.arrivals * 3_600_000.0 / (to - from) as f64,
                    Source::Scenario,
                )
            } else {
                let n = sum_over(i, q, &|c| c.offered) / f64::from(reps);
                (n * 3600.0 / interval_s, Source::Simulated)
            };
            let erlang_agents = if !open || offered_per_h <= 0.0 || hold_s <= 0.0 {
                Some(0)
            } else {
                let traffic = Traffic {
                    arrival_rate_per_s: offered_per_h / 3600.0,
                    service_rate_per_s: 1.0 / hold_s,
                    patience_rate_per_s: m.patience_s.map_or(0.0, |p| 1.0 / p),
                    concurrency: m.concurrency,
                };
                agents_for(&traffic, &options.target(m.thresholds_s.clone()), 10_000)
            };
            row.push(Cell {
                open,
                offered_per_h,
                offered_from,
                hold_s,
                hold_from,
                concurrency: m.concurrency,
                patience_s: m.patience_s,
                erlang_agents,
                agents: erlang_agents.unwrap_or(0),
                met: false,
                service_level: f64::NAN,
                service_level_low: f64::NAN,
                asa_s: f64::NAN,
                asa_high_s: f64::NAN,
                roster_agents: roster_share[q][i],
            });
        }
        cells.push(row);
    }

    // The search. Per cell, `need` (the current count) and `floor` (fewer are known to fall
    // short). Up: every cell short gets more (a quarter more when far short, else one) until
    // all hold — adding agents never hurts another cell. Down: bisect between floor and need,
    // on the even intervals in one round and the odd ones in the next, so that a cut is not
    // judged on the backlog of its neighbour's cut; a cell short after its predecessor's cut
    // counts against that cut. Ends when every open cell stands at its floor.
    let cap = |cell: &Cell| cell.erlang_agents.map_or(200, |n| (3 * n).max(n + 20));
    // The maximum occupancy is a hard floor: offered load ÷ (concurrency × max occupancy).
    let occupancy_floor = |c: &Cell| match options.max_occupancy {
        Some(most) if c.open && most > 0.0 => {
            let load = c.offered_per_h / 3600.0 * c.hold_s;
            (load / (c.concurrency * most) - 1e-9).ceil().max(0.0) as u32
        }
        _ => 0,
    };
    let mut need: Vec<Vec<u32>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.agents.max(occupancy_floor(c)))
                .collect()
        })
        .collect();
    // Fewer servers than the offered load cannot keep up at all: the floor to start from.
    let mut floor: Vec<Vec<u32>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    let load = c.offered_per_h / 3600.0 * c.hold_s;
                    if c.open {
                        ((load / c.concurrency).floor() as u32)
                            .min(c.agents)
                            .max(occupancy_floor(c))
                    } else {
                        0
                    }
                })
                .collect()
        })
        .collect();
    let mut rounds = 0;
    let mut converged = false;
    let evaluate = |need: &[Vec<u32>], cells: &mut [Vec<Cell>], rounds: &mut u32| {
        if cancelled() {
            return Err(StaffError(CANCELLED.into()));
        }
        *rounds += 1;
        let spec = Arc::new(staffed_spec(c, need, &capacity));
        let result = simulate(&spec, scenario.seed, reps, threads, max_open)?;
        let mut short = 0;
        for (q, row) in cells.iter_mut().enumerate() {
            for (i, cell) in row.iter_mut().enumerate() {
                let at = (scopes, i, q);
                let judged = judge(&result, at, options.confidence, service_level_of, true);
                let (sl, low) = judged.unwrap_or((f64::NAN, f64::NAN));
                cell.service_level = sl;
                cell.service_level_low = low;
                let asa = judge(&result, at, options.confidence, asa_of, false);
                let (asa_s, asa_high) = asa.unwrap_or((f64::NAN, f64::NAN));
                cell.asa_s = asa_s;
                cell.asa_high_s = asa_high;
                let asa_ok = options
                    .asa_s
                    .is_none_or(|most| asa.is_none_or(|(_, high)| high <= most));
                cell.met =
                    !cell.open || judged.is_none() || (low >= options.service_level && asa_ok);
                short += usize::from(!cell.met);
            }
        }
        on_round(*rounds, short);
        Ok::<usize, StaffError>(short)
    };
    let mut parity = 0usize;
    // Cuts under trial: (q, i) → the count before the cut.
    let mut trial: Vec<(usize, usize, u32)> = Vec::new();
    let mut evaluated = false;
    while rounds < options.max_rounds {
        let short = evaluate(&need, &mut cells, &mut rounds)?;
        evaluated = true;
        if !trial.is_empty() {
            // Judge the cuts under trial: a cut fails when its cell falls short, or the
            // interval after it (not itself cut) does — the backlog a cut leaves behind is
            // the cut's doing. Cells short in a trial round are judged again, with the failed
            // cuts undone, before anything is added.
            let mut restored = false;
            for &(q, i, before) in &trial {
                let next_short = i + 1 < n_int && !cells[q][i + 1].met;
                if !cells[q][i].met || next_short {
                    floor[q][i] = need[q][i] + 1;
                    need[q][i] = before;
                    restored = true;
                }
            }
            trial.clear();
            if restored {
                evaluated = false;
                continue;
            }
        }
        if short > 0 {
            // Up: every cell short gets more.
            let mut moved = false;
            for q in 0..need.len() {
                for i in 0..n_int {
                    let cell = &cells[q][i];
                    if cell.met {
                        continue;
                    }
                    let x = need[q][i];
                    floor[q][i] = floor[q][i].max(x + 1);
                    let far = cell.service_level_low < options.service_level - 0.1;
                    let step = if far { (x / 4).max(1) } else { 1 };
                    let up = (x + step).min(cap(cell));
                    if up > x {
                        need[q][i] = up;
                        moved = true;
                        evaluated = false;
                    }
                }
            }
            if moved {
                continue;
            }
            break; // short only where the cap stands: out of reach there
        }
        // Everything holds: cut this parity's cells above their floor, halfway down.
        let mut any_left = false;
        for q in 0..need.len() {
            for i in 0..n_int {
                if !cells[q][i].open || need[q][i] <= floor[q][i] {
                    continue;
                }
                any_left = true;
                if i % 2 == parity {
                    let x = need[q][i];
                    let y = floor[q][i] + (x - floor[q][i]) / 2;
                    trial.push((q, i, x));
                    need[q][i] = y;
                }
            }
        }
        parity ^= 1;
        if !any_left {
            converged = true;
            break;
        }
        if !trial.is_empty() {
            evaluated = false;
        }
    }
    // A trial left standing when the rounds ran out is undone: report what was shown to hold.
    for &(q, i, before) in &trial {
        need[q][i] = before;
        evaluated = false;
    }
    if !evaluated {
        // Report the figures of the staffing reported (one round past the limit at most).
        let short = evaluate(&need, &mut cells, &mut rounds)?;
        converged = converged && short == 0;
    }
    for (q, row) in cells.iter_mut().enumerate() {
        for (i, cell) in row.iter_mut().enumerate() {
            cell.agents = need[q][i];
        }
    }
    Ok(Staffing {
        scenario: scenario.name.clone(),
        options,
        replications: reps,
        queues: c.queues.iter().map(|q| q.name.clone()).collect(),
        threshold_s: c
            .queues
            .iter()
            .map(|q| q.service_level_threshold_ms as f64 / 1000.0)
            .collect(),
        interval_starts: (0..n_int)
            .map(|i| super::sweep::interval_label(scenario, i))
            .collect(),
        interval_min: c.interval_ms / 60_000,
        cells,
        roster_total,
        horizon_h: c.horizon_ms as f64 / 3_600_000.0,
        rounds,
        converged,
    })
}
