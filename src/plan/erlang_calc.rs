//! The Erlang calculator's question and answer, for one queue and one interval: service
//! level, average speed of answer, abandonment and occupancy with N agents, and the agents a
//! target needs, by Erlang C, or Erlang A when customers have a patience. No scenario and no
//! simulation: the closed forms of [`crate::model::erlang`], the ones `ccsim staff` starts
//! from. `ccsim erlang` and the Python package (`ccsim.erlang`) both ask it here.

use serde::Serialize;

use crate::model::erlang::{ServiceLevelTarget, Target, Traffic, agents_for, scheduled_for};

/// The most agents the calculator looks at for a target.
pub const MAX_AGENTS: u32 = 10_000;

/// What the calculator is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Contacts arriving per hour (or `volume` in `interval_min`).
    pub rate_per_h: Option<f64>,
    /// Contacts arriving in one interval of `interval_min` minutes.
    pub volume: Option<f64>,
    /// The interval `volume` arrives in, minutes.
    pub interval_min: f64,
    /// Average handle time, s.
    pub aht_s: f64,
    /// Service-level threshold, s.
    pub threshold_s: f64,
    /// Mean patience, s (Erlang A); none: nobody abandons (Erlang C).
    pub patience_s: Option<f64>,
    /// Conversations an agent holds at once.
    pub concurrency: f64,
    /// The measures with this many agents (a table around it).
    pub agents: Option<u32>,
    /// Target share answered within the threshold.
    pub service_level: f64,
    /// Also keep the average speed of answer within this, s.
    pub asa_s: Option<f64>,
    /// Also keep occupancy at or below this share.
    pub max_occupancy: Option<f64>,
    /// Share of paid time agents are not available, for the agents to schedule.
    pub shrinkage: f64,
}

/// One row of the answer: the measures with `agents` agents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Agents on the floor.
    pub agents: u32,
    /// Share answered within the threshold.
    pub service_level: f64,
    /// Mean wait of the answered, s.
    pub asa_s: f64,
    /// Share of customers who abandon.
    pub abandon_rate: f64,
    /// Busy share of the agents' slot time.
    pub occupancy: f64,
    /// Share of customers who wait at all.
    pub p_wait: f64,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// `Erlang A` or `Erlang C`.
    pub model: &'static str,
    /// Offered load, erlangs.
    pub offered_erlangs: f64,
    /// Contacts per hour.
    pub rate_per_h: f64,
    /// Average handle time, s.
    pub aht_s: f64,
    /// Service-level threshold, s.
    pub threshold_s: f64,
    /// Mean patience, s.
    pub patience_s: Option<f64>,
    /// Conversations an agent holds at once.
    pub concurrency: f64,
    /// Agents for the target; `None` when even [`MAX_AGENTS`] do not reach it.
    pub required_agents: Option<u32>,
    /// Agents to schedule for the target at the question's shrinkage.
    pub required_scheduled: Option<u32>,
    /// The measures from the first count that keeps up to a few past the target (or past
    /// the agents asked about).
    pub rows: Vec<Row>,
}

fn positive(name: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(format!("{name} {v}: expected a number above 0"))
    }
}

/// A share: above 0 (or 0 when `zero_ok`) and at most 1.
fn share(name: &str, v: f64, zero_ok: bool) -> Result<f64, String> {
    if v.is_finite() && v <= 1.0 && (v > 0.0 || (zero_ok && v == 0.0)) {
        Ok(v)
    } else {
        Err(format!(
            "{name} {v}: expected a share between 0 and 1, e.g. 0.8"
        ))
    }
}

impl Question {
    /// The traffic asked about and its rate per hour, or what is wrong with the question in
    /// words; `name` turns a field's name into the caller's (a flag, an argument).
    fn traffic(&self, name: &dyn Fn(&str) -> String) -> Result<(Traffic, f64), String> {
        let rate_per_h = match (self.rate_per_h, self.volume) {
            (Some(r), None) => {
                if !(r.is_finite() && r >= 0.0) {
                    return Err(format!("{} {r}: expected a number ≥ 0", name("rate_per_h")));
                }
                r
            }
            (None, Some(v)) => {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(format!("{} {v}: expected a number ≥ 0", name("volume")));
                }
                v * 60.0 / positive(&name("interval_min"), self.interval_min)?
            }
            _ => {
                return Err(format!(
                    "give the arrivals as {}, or as {} with {}",
                    name("rate_per_h"),
                    name("volume"),
                    name("interval_min")
                ));
            }
        };
        let aht_s = positive(&name("aht_s"), self.aht_s)?;
        positive(&name("threshold_s"), self.threshold_s)?;
        if let Some(p) = self.patience_s {
            positive(&name("patience_s"), p)?;
        }
        if !(self.concurrency.is_finite() && self.concurrency >= 1.0 && self.concurrency <= 1000.0)
        {
            return Err(format!(
                "{} {}: expected conversations per agent, from 1 to 1000",
                name("concurrency"),
                self.concurrency
            ));
        }
        let s = self.service_level;
        share(&name("service_level"), s, false)?;
        if s >= 1.0 {
            return Err(format!(
                "{} {s}: expected below 1 (nobody answers all within a threshold)",
                name("service_level")
            ));
        }
        if let Some(o) = self.max_occupancy {
            share(&name("max_occupancy"), o, false)?;
        }
        if let Some(a) = self.asa_s {
            positive(&name("asa_s"), a)?;
        }
        share(&name("shrinkage"), self.shrinkage, true)?;
        if self.shrinkage >= 1.0 {
            return Err(format!(
                "{} {}: expected at least 0 and below 1",
                name("shrinkage"),
                self.shrinkage
            ));
        }
        Ok((
            Traffic {
                arrival_rate_per_s: rate_per_h / 3600.0,
                service_rate_per_s: 1.0 / aht_s,
                patience_rate_per_s: self.patience_s.map_or(0.0, |p| 1.0 / p),
                concurrency: self.concurrency,
            },
            rate_per_h,
        ))
    }

    /// The answer, or what is wrong with the question in words; `name` turns a field's name
    /// into the caller's (a flag, an argument).
    pub fn answer(&self, name: &dyn Fn(&str) -> String) -> Result<Answer, String> {
        let (traffic, rate_per_h) = self.traffic(name)?;
        let target = Target {
            service_level: Some(ServiceLevelTarget::single(
                self.service_level,
                self.threshold_s,
            )),
            asa_s: self.asa_s,
            max_occupancy: self.max_occupancy,
        };
        let required = agents_for(&traffic, &target, MAX_AGENTS);
        // A table around the answer: from the first count that keeps up to a few past the
        // target (or past the agents asked about).
        let stable = (traffic.offered_load() / traffic.concurrency).floor() as u32 + 1;
        let centre = self.agents.or(required).unwrap_or(stable);
        let from = centre.saturating_sub(3).max(stable.min(centre)).max(1);
        let to = centre.saturating_add(4).max(from);
        let rows = (from..=to)
            .filter_map(|n| {
                traffic.measures(n, self.threshold_s).map(|q| Row {
                    agents: n,
                    service_level: q.service_level,
                    asa_s: q.mean_wait_answered_s,
                    abandon_rate: q.p_abandon,
                    occupancy: q.occupancy,
                    p_wait: q.p_wait,
                })
            })
            .collect();
        Ok(Answer {
            model: if traffic.patience_rate_per_s > 0.0 {
                "Erlang A"
            } else {
                "Erlang C"
            },
            offered_erlangs: traffic.offered_load(),
            rate_per_h,
            aht_s: self.aht_s,
            threshold_s: self.threshold_s,
            patience_s: self.patience_s,
            concurrency: self.concurrency,
            required_agents: required,
            required_scheduled: required.map(|n| scheduled_for(n, self.shrinkage)),
            rows,
        })
    }
}
