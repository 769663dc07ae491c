//! The inputs of `ccsim staff`'s Erlang step, per queue and interval, and the roster it is
//! compared with.
//!
//! **Feeds.** A queue is fed by segments sent or routed to it, or moved to it by transfer
//! (AA-11, at the transfer share). In each interval every feeding segment weighs its expected
//! arrivals there (the integral of its rate, or its trace rows), so a queue fed by a
//! short-patience phone line and a patient chat gets the patience, hold time and concurrency of
//! the mix that actually arrives then: arrival-weighted mean hold and patience, load-weighted
//! concurrency, and each channel's service-level threshold with the share of arrivals it
//! judges (a call in 20 s and a chat in 300 s are not one 20 s promise). An interval where none is expected takes the weights over the whole run. A
//! dated forecast's AHT is the hold time of its interval.
//!
//! **Roster.** The scenario's agents on shift and working (not on a scheduled break), each
//! counted once: an agent serving several queues counts toward each in proportion to the load
//! they bring in the interval (the caller's weights: the baseline's offered conversations
//! times their hold time), equally where none do.

use crate::model::capacity::Capacity;
use crate::model::centre::{CentreSpec, SegmentDestination};
use crate::model::status::DefaultStatus;

/// A segment that feeds a queue, and the share of its conversations that reach it.
#[derive(Debug, Clone, Copy)]
pub struct Feed {
    /// Segment index.
    pub segment: u32,
    /// 1 when sent or routed to the queue; the transfer share when it only comes by transfer.
    pub reach: f64,
}

/// The mix of a queue's traffic in one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    /// Expected arrivals in the interval.
    pub arrivals: f64,
    /// Arrival-weighted mean slot-holding time, s (0 without weights).
    pub hold_s: f64,
    /// Arrival-weighted mean patience, s; `None` when some feeding customers never abandon.
    pub patience_s: Option<f64>,
    /// Load-weighted conversations per agent at once.
    pub concurrency: f64,
    /// `(arrival weight, threshold s)`: each service-level threshold of the queue's channels
    /// (`service_level_s_by_channel`, else the queue's) and the weight of the arrivals judged
    /// against it; one entry when all share one.
    pub thresholds_s: Vec<(f64, f64)>,
}

/// The segments that feed queue `q`.
pub fn feeds(c: &CentreSpec, q: u32) -> Vec<Feed> {
    (0..c.segments.len() as u32)
        .filter(|&s| c.possible_queues(s).contains(&q))
        .map(|s| {
            let seg = &c.segments[s as usize];
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
            let reach = if direct.contains(&q) {
                1.0
            } else {
                direct
                    .iter()
                    .map(|&d| {
                        let mut before = 0.0;
                        let mut share = 0.0;
                        for &(cumulative, to) in &c.queues[d as usize].transfers {
                            if to == q {
                                share += cumulative - before;
                            }
                            before = cumulative;
                        }
                        share
                    })
                    .fold(0.0, f64::max)
            };
            Feed { segment: s, reach }
        })
        .collect()
}

/// Expected arrivals of `feed` in `[from_ms, to_ms)` that reach its queue.
fn expected(c: &CentreSpec, feed: &Feed, from_ms: u64, to_ms: u64) -> f64 {
    let seg = &c.segments[feed.segment as usize];
    let n = match &c.trace {
        Some(t) => t
            .rows
            .iter()
            .filter(|r| r.segment == feed.segment && (from_ms..to_ms).contains(&r.at_ms))
            .count() as f64,
        None => seg.rate.expected_arrivals(&c.calendar, from_ms, to_ms),
    };
    n * feed.reach
}

/// The mix of queue `q`'s feeds in `[from_ms, to_ms)`, with `capacity` the capacity of the
/// queue's agents; the weights over the whole run where the interval expects nobody.
pub fn mix(
    c: &CentreSpec,
    q: u32,
    feeds: &[Feed],
    capacity: Capacity,
    from_ms: u64,
    to_ms: u64,
) -> Mix {
    let mut weights: Vec<f64> = feeds
        .iter()
        .map(|f| expected(c, f, from_ms, to_ms))
        .collect();
    let arrivals: f64 = weights.iter().sum();
    if arrivals <= 0.0 {
        weights = feeds
            .iter()
            .map(|f| expected(c, f, 0, c.horizon_ms))
            .collect();
    }
    let total: f64 = weights.iter().sum();
    let queue = &c.queues[q as usize];
    if total <= 0.0 {
        return Mix {
            arrivals,
            hold_s: 0.0,
            patience_s: None,
            concurrency: 1.0,
            thresholds_s: vec![(1.0, queue.service_level_threshold_ms as f64 / 1000.0)],
        };
    }
    let mut thresholds_s: Vec<(f64, f64)> = Vec::new();
    let (mut hold, mut patience, mut all_patient, mut load, mut slots) = (0.0, 0.0, true, 0.0, 0.0);
    for (f, w) in feeds.iter().zip(&weights) {
        let seg = &c.segments[f.segment as usize];
        // A dated forecast's AHT of this interval, where it gives one.
        let middle = from_ms + (to_ms - from_ms) / 2;
        let hold_s = seg
            .handle_means
            .at(middle)
            .unwrap_or_else(|| c.mean_occupancy_ms(f.segment, q))
            / 1000.0;
        hold += w * hold_s;
        match &seg.patience {
            Some(p) => patience += w * p.mean_ms() / 1000.0,
            None if *w > 0.0 => all_patient = false,
            None => {}
        }
        let threshold_s = queue.threshold_ms(seg.channel) as f64 / 1000.0;
        match thresholds_s.iter_mut().find(|(_, t)| *t == threshold_s) {
            Some((weight, _)) => *weight += w,
            None => thresholds_s.push((*w, threshold_s)),
        }
        let k = f64::from(capacity.of(seg.category()).max(1));
        load += w * hold_s;
        slots += w * hold_s * k;
    }
    Mix {
        arrivals,
        hold_s: hold / total,
        patience_s: all_patient.then_some(patience / total),
        concurrency: if load > 0.0 { slots / load } else { 1.0 },
        thresholds_s,
    }
}

/// Whether an agent with `status` is working (on shift and not on a scheduled break).
fn working(status: DefaultStatus) -> bool {
    !matches!(
        status,
        DefaultStatus::Offline | DefaultStatus::Away | DefaultStatus::Busy
    )
}

/// The scenario's agents on shift and working, each counted once: `(per queue, per interval;
/// distinct agents per interval)`, means over each interval. `load[q][i]` weighs an agent's
/// queues.
pub fn roster(c: &CentreSpec, load: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n_int = c.interval_count();
    let mut per_queue = vec![vec![0.0; n_int]; c.queues.len()];
    let mut total = vec![0.0; n_int];
    for agent in &c.agents {
        if agent.queues.is_empty() {
            continue;
        }
        // Walk the agent's statuses once across the run.
        let mut at = 0u64;
        while at < c.horizon_ms {
            let (status, next) = agent.status_at(&c.calendar, at);
            let until = next.unwrap_or(c.horizon_ms).clamp(at + 1, c.horizon_ms);
            if working(status) {
                let mut t = at;
                while t < until {
                    let i = (t / c.interval_ms) as usize;
                    let end = ((i as u64 + 1) * c.interval_ms).min(until);
                    let share = (end - t) as f64 / c.interval_ms as f64;
                    total[i] += share;
                    let weights: Vec<f64> = agent
                        .queues
                        .iter()
                        .map(|&q| load[q as usize][i].max(0.0))
                        .collect();
                    let sum: f64 = weights.iter().sum();
                    for (&q, w) in agent.queues.iter().zip(&weights) {
                        let part = if sum > 0.0 {
                            w / sum
                        } else {
                            1.0 / agent.queues.len() as f64
                        };
                        per_queue[q as usize][i] += share * part;
                    }
                    t = end;
                }
            }
            at = until;
        }
    }
    (per_queue, total)
}
