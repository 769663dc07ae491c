//! `ccsim staff`: the agents each queue needs in each report interval to meet a service-level
//! target — first by Erlang C / A per interval and queue, then checked and corrected by
//! simulating the scenario with exactly that staffing, because routing, the bot, working hours,
//! transfers, threads and concurrency break Erlang's assumptions.
//!
//! **Erlang step.** Per (interval, queue): λ comes from the scenario when the queue is fed only
//! by segments sent straight to it, without a bot, transfers or conversation threads (then it is
//! exact: the integral of the arrival rate); otherwise from a baseline simulation of the
//! scenario as it is (offered per interval, mean over replications). The mean slot-holding time
//! is the model's (the handle time's mean, or a thread's expected occupancy), weighted by the
//! feeding segments' volumes. Each
//! agent holds up to its capacity of the queue's channel category at once (servers = agents ×
//! capacity). Erlang A when every feeding segment has a patience (θ = 1 / mean patience), else
//! Erlang C.
//!
//! **Simulation step.** The roster is replaced by dedicated agents per queue, agent *k* of a
//! queue on shift in the intervals whose requirement exceeds *k*, with the capacity of the
//! scenario's agents of that queue. Each round simulates every replication and judges each
//! (interval, queue) where the queue is open: it **holds** when the one-sided lower confidence
//! bound (Student's t over replications) of the interval's service level reaches the target.
//! Cells that fail get one more agent; when all hold, every cell above what it was proven to
//! need tries one fewer, keeping the cut where it still holds. The search ends when all hold and
//! none can go lower, or after `max_rounds`.
//!
//! **Shrinkage** turns agents on the floor into agents to schedule: ⌈n ÷ (1 − shrinkage)⌉.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::measures::Counts;
use crate::model::calendar::{WeeklyPattern, WeeklySpan};
use crate::model::capacity::Capacity;
use crate::model::centre::{AgentSpec, CentreSpec, SegmentDestination};
use crate::model::erlang::{agents_for_service_level, scheduled_for};
use crate::model::working_hours::WorkingHours;
use crate::report::stats::t_quantile;
use crate::scenario::Scenario;
use crate::sim::centre::Centre;
use crate::sim::replicate::Stop;

/// What to staff for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StaffOptions {
    /// Share of offered customers to answer within each queue's threshold (0–1).
    pub service_level: f64,
    /// One-sided confidence that the interval's service level reaches the target (0.5–1).
    pub confidence: f64,
    /// Share of scheduled time agents are not available (0 ≤ s < 1).
    pub shrinkage: f64,
    /// Most simulation rounds.
    pub max_rounds: u32,
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
    /// Conversations an agent holds at once.
    pub concurrency: u32,
    /// Mean patience for Erlang A, s; `None`: Erlang C.
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
    /// The scenario's agents on shift serving this queue, mean over the interval.
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

/// Per replication, interval counts row-major (interval, scope).
type RepIntervals = Vec<Vec<Counts>>;

fn simulate(
    spec: &Arc<CentreSpec>,
    seed: u64,
    replications: u32,
    threads: usize,
    max_open: u64,
) -> Result<RepIntervals, StaffError> {
    let next = AtomicU32::new(0);
    let out: Mutex<Vec<Vec<Counts>>> = Mutex::new(vec![Vec::new(); replications as usize]);
    let stop = Stop::default();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, replications.max(1) as usize) {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= replications || stop.stopping() {
                        break;
                    }
                    let centre = Centre::new(Arc::clone(spec), seed, r).with_max_open(max_open);
                    let Some(stats) = stop.run(r as usize, centre) else {
                        break;
                    };
                    let rows = stats.intervals.iter().map(Counts::of_row).collect();
                    out.lock().expect("no worker panics holding the lock")[r as usize] = rows;
                }
            });
        }
    });
    match stop.into_hit() {
        Some(hit) => Err(StaffError(hit.to_string())),
        None => Ok(out.into_inner().expect("workers are done")),
    }
}

/// The mean and one-sided lower confidence bound of the service level of (interval, scope)
/// over replications; `None` when nobody arrived in any replication.
fn judge(
    reps: &RepIntervals,
    scopes: usize,
    i: usize,
    s: usize,
    confidence: f64,
) -> Option<(f64, f64)> {
    let values: Vec<f64> = reps
        .iter()
        .filter_map(|rows| {
            let c = &rows[i * scopes + s];
            (c.offered > 0).then(|| c.within_threshold as f64 / c.offered as f64)
        })
        .collect();
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Some((mean, mean));
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    // One-sided at `confidence` is two-sided at 2·confidence − 1.
    let t = t_quantile(2.0 * confidence - 1.0, (n - 1) as f64);
    Some((mean, mean - t * (var / n as f64).sqrt()))
}

/// Dedicated agents per queue for the requirement `need[q][i]`.
fn staffed_spec(base: &CentreSpec, need: &[Vec<u32>], capacity: &[Capacity]) -> CentreSpec {
    let mut spec = base.clone();
    let interval_min = (base.interval_ms / 60_000) as u32;
    spec.agents = Vec::new();
    for (q, row) in need.iter().enumerate() {
        let most = row.iter().copied().max().unwrap_or(0);
        for k in 0..most {
            let spans = row
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > k)
                .map(|(i, _)| {
                    let local = base.calendar.local(i as u64 * base.interval_ms);
                    WeeklySpan {
                        weekday: local.weekday(),
                        start: local.time(),
                        length_min: interval_min,
                    }
                })
                .collect();
            spec.agents.push(AgentSpec {
                name: format!("staff-{}-{k}", base.queues[q].name),
                queues: vec![q as u32],
                capacity: capacity[q],
                shift: WorkingHours {
                    dated: None,
                    weekly: WeeklyPattern { spans },
                    holidays: Vec::new(),
                    zone: None,
                },
                status_schedule: Vec::new(),
                drop_out: None,
            });
        }
    }
    spec
}

/// Finds the staffing of `scenario`; `on_round(round, cells_short)` is called after each
/// simulation round.
pub fn staff(
    scenario: &Scenario,
    options: StaffOptions,
    threads: usize,
    on_round: &dyn Fn(u32, usize),
) -> Result<Staffing, StaffError> {
    let c = &scenario.centre;
    if c.horizon_ms > 7 * 86_400_000 {
        return Err(StaffError(format!(
            "ccsim staff plans at most one week (shifts are weekly patterns): the scenario runs {:.1} days; set duration_days to 7 or less",
            c.horizon_ms as f64 / 86_400_000.0
        )));
    }
    if scenario.replications < 2 {
        return Err(StaffError(
            "ccsim staff needs at least 2 replications for a confidence bound: set replications or pass --replications".into(),
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

    let mut cells: Vec<Vec<Cell>> = Vec::with_capacity(c.queues.len());
    for (q, queue) in c.queues.iter().enumerate() {
        let qi = q as u32;
        let feeding: Vec<u32> = (0..c.segments.len() as u32)
            .filter(|&s| c.possible_queues(s).contains(&qi))
            .collect();
        let transfers_in = c
            .queues
            .iter()
            .any(|other| other.transfers.iter().any(|&(_, to)| to == qi));
        let exact = !feeding.is_empty()
            && c.trace.is_none()
            && c.bot.is_none()
            && c.external.is_none()
            && !transfers_in
            && feeding.iter().all(|&s| {
                let seg = &c.segments[s as usize];
                seg.destination == SegmentDestination::Queue(qi) && seg.behaviour.is_none()
            });
        let category = feeding.first().map(|&s| c.segments[s as usize].category());
        let concurrency = category.map_or(1, |cat| capacity[q].of(cat)).max(1);
        let patience_s = if !feeding.is_empty()
            && feeding
                .iter()
                .all(|&s| c.segments[s as usize].patience.is_some())
        {
            let means: Vec<f64> = feeding
                .iter()
                .filter_map(|&s| c.segments[s as usize].patience.as_ref())
                .map(|p| p.mean_ms() / 1000.0)
                .collect();
            Some(means.iter().sum::<f64>() / means.len() as f64)
        } else {
            None
        };
        // Simulated hold time: busy slot-time per answered conversation over the run.
        let busy: f64 = (0..n_int)
            .map(|i| sum_over(i, q, &|c| c.busy_slot_ms))
            .sum();
        let answered: f64 = (0..n_int).map(|i| sum_over(i, q, &|c| c.answered)).sum();
        let scenario_hold_s = {
            // Each feeding segment weighs its expected arrivals, times the share that reaches
            // this queue: all when it is sent or routed here, the transfer share when it
            // only comes by transfer (AA-11).
            let weights: Vec<(f64, f64)> = feeding
                .iter()
                .map(|&s| {
                    let seg = &c.segments[s as usize];
                    let volume = match &c.trace {
                        Some(t) => t.rows.iter().filter(|r| r.segment == s).count() as f64,
                        None => seg.rate.expected_arrivals(&c.calendar, 0, c.horizon_ms),
                    };
                    let direct: Vec<u32> = match seg.destination {
                        SegmentDestination::Queue(d) => vec![d],
                        SegmentDestination::Routed => c
                            .routes
                            .iter()
                            .filter(|r| r.enabled)
                            .map(|r| r.queue)
                            .chain(c.default_queue)
                            .collect(),
                    };
                    let reach = if direct.contains(&qi) {
                        1.0
                    } else {
                        direct
                            .iter()
                            .map(|&d| {
                                let mut before = 0.0;
                                let mut share = 0.0;
                                for &(cumulative, to) in &c.queues[d as usize].transfers {
                                    if to == qi {
                                        share += cumulative - before;
                                    }
                                    before = cumulative;
                                }
                                share
                            })
                            .fold(0.0, f64::max)
                    };
                    (volume * reach, c.mean_occupancy_ms(s, qi) / 1000.0)
                })
                .collect();
            let total: f64 = weights.iter().map(|(w, _)| w).sum();
            (total > 0.0).then(|| weights.iter().map(|(w, h)| w * h).sum::<f64>() / total)
        };
        // The model's own mean slot-holding time (handle time, or a thread's exchanges with
        // their replies and the customer's think time while the conversation counts, CAP-4).
        // The simulated figure is the fallback only: a scope's busy slot-time is its agents',
        // and agents shared with other queues spend it on their conversations too.
        let (hold_s, hold_from) = match scenario_hold_s.filter(|h| *h > 0.0) {
            Some(h) => (h, Source::Scenario),
            None if answered > 0.0 => (busy / answered / 1000.0, Source::Simulated),
            None => (0.0, Source::Scenario),
        };
        let threshold_s = queue.service_level_threshold_ms as f64 / 1000.0;
        let mut row = Vec::with_capacity(n_int);
        for i in 0..n_int {
            let from = i as u64 * c.interval_ms;
            let to = (from + c.interval_ms).min(c.horizon_ms);
            let state = queue.hours.calendar.state_at(&c.calendar, from);
            let open = state.on || state.next_change_ms.is_some_and(|t| t < to);
            let (offered_per_h, offered_from) = if exact {
                let n: f64 = feeding
                    .iter()
                    .map(|&s| {
                        c.segments[s as usize]
                            .rate
                            .expected_arrivals(&c.calendar, from, to)
                    })
                    .sum();
                (n * 3_600_000.0 / (to - from) as f64, Source::Scenario)
            } else {
                let n = sum_over(i, q, &|c| c.offered) / f64::from(reps);
                (n * 3600.0 / interval_s, Source::Simulated)
            };
            let erlang_agents = if !open || offered_per_h <= 0.0 || hold_s <= 0.0 {
                Some(0)
            } else {
                agents_for_service_level(
                    offered_per_h / 3600.0,
                    1.0 / hold_s,
                    patience_s.map_or(0.0, |p| 1.0 / p),
                    concurrency,
                    threshold_s,
                    options.service_level,
                    10_000,
                )
            };
            let roster_agents =
                sum_over(i, q, &|c| c.on_shift_agent_ms) / f64::from(reps) / (to - from) as f64;
            row.push(Cell {
                open,
                offered_per_h,
                offered_from,
                hold_s,
                hold_from,
                concurrency,
                patience_s,
                erlang_agents,
                agents: erlang_agents.unwrap_or(0),
                met: false,
                service_level: f64::NAN,
                service_level_low: f64::NAN,
                roster_agents,
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
    let mut need: Vec<Vec<u32>> = cells
        .iter()
        .map(|row| row.iter().map(|c| c.agents).collect())
        .collect();
    // Fewer servers than the offered load cannot keep up at all: the floor to start from.
    let mut floor: Vec<Vec<u32>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| {
                    let load = c.offered_per_h / 3600.0 * c.hold_s;
                    if c.open {
                        ((load / f64::from(c.concurrency)).floor() as u32).min(c.agents)
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
        *rounds += 1;
        let spec = Arc::new(staffed_spec(c, need, &capacity));
        let result = simulate(&spec, scenario.seed, reps, threads, max_open)?;
        let mut short = 0;
        for (q, row) in cells.iter_mut().enumerate() {
            for (i, cell) in row.iter_mut().enumerate() {
                let judged = judge(&result, scopes, i, q, options.confidence);
                let (sl, low) = judged.unwrap_or((f64::NAN, f64::NAN));
                cell.service_level = sl;
                cell.service_level_low = low;
                cell.met = !cell.open || judged.is_none() || low >= options.service_level;
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
        rounds,
        converged,
    })
}
